"""A large site's evidence map, split into a page per condition group, still filters: the index counts the
matching claims of each table and passes the choice on to it, and the table applies it."""

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from conftest import REPO, TEMPLATES, run_cli

from .conftest import DESKTOP


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        """Keep test output clean."""


@pytest.fixture(scope="module")
def split_site(tmp_path_factory, browser):
    project = tmp_path_factory.mktemp("split") / "project"
    shutil.copytree(REPO / "content", project / "content")
    site = project / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("condition_groups:", "list_page_size: 20\ncondition_groups:"),
                    encoding="utf-8")
    out = project / "out"
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--out", out, "--no-search", "--no-cache")
    assert result.exit_code == 0, result.output
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_the_index_counts_each_table_and_hands_the_filter_on(split_site, context_factory):
    page = context_factory(viewport=DESKTOP).new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(split_site + "evidence-map.html?tier=off-label")
    rows = page.locator("#map-parts tr.map-part")
    texts = rows.locator(".part-count").all_inner_texts()
    cells = [text.removesuffix(" claims").removesuffix(" claim").split(" of ") for text in texts]
    counts = [int(cell[0].replace(",", "")) for cell in cells]
    totals = [int(cell[-1].replace(",", "")) for cell in cells]
    assert page.inner_text("#map-count") == f"Showing {sum(counts)} of {sum(totals)} claims."
    assert 0 < sum(counts) < sum(totals)
    visible = [i for i in range(rows.count()) if rows.nth(i).is_visible()]
    assert all(counts[i] > 0 for i in visible) and all(counts[i] == 0 for i in range(rows.count()) if i not in visible)
    link = rows.nth(visible[0]).locator("a")
    assert link.get_attribute("href").endswith("?tier=off-label")
    link.click()
    page.wait_for_url("**/evidence-map/*?tier=off-label")
    expect(page.locator("#filter-tier")).to_have_value("off-label")
    expect(page.locator("tr.map-row:visible")).to_have_count(counts[visible[0]])
    assert errors == []


@pytest.mark.parametrize("path", ["evidence-map.html", "evidence-map/pain.html", "sources/index.html",
                                  "sources/design/randomized-trial.html"])
def test_the_pages_of_a_split_list_pass_axe(split_site, context_factory, axe_source, path):
    from .test_accessibility import AXE_TAGS

    # axe is injected as an inline script, which the site's CSP forbids; bypass it for this test only.
    page = context_factory(viewport=DESKTOP, bypass_csp=True).new_page()
    assert page.goto(split_site + path).ok
    page.add_script_tag(content=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    assert [f"{v['id']}: {v['help']}" for v in result["violations"]] == []
