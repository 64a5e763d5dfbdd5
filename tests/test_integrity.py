"""The link check: every internal link and anchor of the built site resolves, or the build fails and writes nothing."""

import shutil

import pytest

from conftest import TEMPLATES, tree, write_project
from ldnsite.output.build import build_site, extra_paths, render_extras
from ldnsite.output.integrity import WorkerLinkCheck, check_link_index, check_pending_anchors, extract_links
from ldnsite.problems import format_report
from ldnsite.project import Project

PAGES = {
    "index.html": '<a href="claims/a.html">A</a> <a href="claims/a.html#facts">facts</a> <a href="#top">top</a> <p id="top"></p>',
    "claims/a.html": '<h1 id="facts">A</h1> <a href="../index.html#top">home</a> <link href="../static/style.css">',
    "404.html": '<a href="/fixture/index.html">home</a>',
}
FILES = [*PAGES, "static/style.css"]


def full_check(pages):
    index = {path: extract_links(html) for path, html in pages.items()}
    return [p.message for p in check_link_index(index, set(pages) | {"static/style.css"}, exempt=["404.html"])]


def worker_check(pages, order=lambda paths: paths):
    """The build's check: each page checked as its worker renders it, then the links left over."""
    check = WorkerLinkCheck([*pages, "static/style.css"], pages, exempt=["404.html"])
    results = {path: check(path, pages[path]) for path in order(list(pages))}
    problems = [p for pending in results.values() for p in pending.problems]
    problems += check_pending_anchors(results, lambda path: extract_links(pages[path]).ids)
    return sorted(p.message for p in problems)


def worker_check_in_reverse(pages):
    """Pages checked in the other order: links into a page checked just before are checked by the worker itself."""
    return worker_check(pages, order=lambda paths: paths[::-1])


CHECKS = [full_check, worker_check, worker_check_in_reverse]


@pytest.mark.parametrize("check", CHECKS)
def test_a_site_whose_links_all_resolve_passes(check):
    assert check(PAGES) == []


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize(("page", "link", "message"), [
    ("index.html", "claims/b.html", "link 'claims/b.html' points at a page that does not exist"),
    ("index.html", "claims/a.html#nope", "link 'claims/a.html#nope' points at an anchor '#nope' that does not exist"),
    ("index.html", "#nope", "link '#nope' points at an anchor '#nope' that does not exist"),
    ("claims/a.html", "../../etc/passwd", "link '../../etc/passwd' points outside the site"),
    ("claims/a.html", "javascript:alert(1)", "link 'javascript:alert(1)' uses the scheme 'javascript', which is not allowed"),
    ("claims/a.html", "//evil.example/x", "link '//evil.example/x' uses the scheme '', which is not allowed"),
])
def test_every_kind_of_broken_link_is_reported(check, page, link, message):
    pages = dict(PAGES)
    pages[page] += f' <a href="{link}">x</a>'
    assert check(pages) == [message]


@pytest.mark.parametrize("check", CHECKS)
def test_links_that_leave_the_site_or_serve_the_preview_are_not_followed(check):
    pages = dict(PAGES)
    pages["index.html"] += ' <a href="https://pubmed.ncbi.nlm.nih.gov/1/">x</a> <a href="mailto:a@b.c">m</a> <script src="/__ldnsite__/reload.js"></script>'
    assert check(pages) == []


def test_the_404_page_is_exempt_its_links_start_from_the_site_root():
    assert worker_check(PAGES) == [] and "404.html" in PAGES


def test_a_data_attribute_ending_in_href_is_not_a_link():
    assert extract_links('<a data-href="nowhere.html" href="x.html" data-id="y" id="z">').links == ("x.html",)
    assert extract_links('<a data-href="nowhere.html" href="x.html" data-id="y" id="z">').ids == frozenset({"z"})


def test_a_template_with_a_broken_link_fails_the_build_and_writes_nothing(tmp_path):
    project_dir = write_project(tmp_path / "p", {})
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    methodology = templates / "methodology.html"
    methodology.write_text(methodology.read_text().replace("{% block main %}", '{% block main %}<a href="{{ root }}no-such-page.html">x</a>', 1))
    project = Project.at(project_dir, templates=templates)
    result = build_site(project, search=False)
    assert result.failed
    assert format_report(result.problems).splitlines() == [
        "build/methodology.html: error: link 'no-such-page.html' points at a page that does not exist [site.broken-link]",
        "    hint: a template or a Markdown link points at a page or anchor the build does not produce"]
    assert not project.out.exists()


def test_extra_paths_are_the_paths_render_extras_writes(tmp_path):
    project = Project.at(write_project(tmp_path / "p", {}), templates=TEMPLATES)
    assert not build_site(project, search=False).failed
    written = set(tree(project.out))
    pages = {path for path in written if path.endswith(".html") and not path.startswith("static/")}
    assert sorted(extra_paths(project)) == sorted(written - pages)


def test_render_extras_and_the_build_agree(tmp_path):
    from ldnsite.output.build import _load, build_date
    from ldnsite.output.render import common_context, make_environment
    from ldnsite.plan.site import plan_site

    project = Project.at(write_project(tmp_path / "p", {}), templates=TEMPLATES)
    db, _ = _load(project)
    pages, _ = plan_site(db)
    env = make_environment(TEMPLATES)
    extras = render_extras(db, pages, project, env, common_context(db, build_date()))
    assert [path for path, _ in extras] == extra_paths(project)


@pytest.mark.parametrize("block_size", [1, 37, 4096, 1 << 20])
def test_a_long_list_written_in_blocks_has_the_text_and_links_of_the_whole_page(block_size):
    from conftest import REPO

    from ldnsite.output.integrity import LinkScanner
    from ldnsite.content.load import load_database
    from ldnsite.output.render import common_context, make_environment, render_page, render_page_pieces
    from ldnsite.plan.site import LONG_LIST_TEMPLATES, plan_site

    db, _ = load_database(REPO / "content", REPO)
    pages, _ = plan_site(db)
    env = make_environment(TEMPLATES)
    common = common_context(db, "2025-01-01")
    long_lists = [page for page in pages if page.template in LONG_LIST_TEMPLATES]
    assert len(long_lists) == 2
    for page in long_lists:
        whole = render_page(env, page, common)
        scanner = LinkScanner(block_size)
        blocks = list(scanner.blocks(render_page_pieces(env, page, common)))

        assert "".join(blocks) == whole
        assert scanner.links() == extract_links(whole)
        assert len(scanner.links().links) > 50 and len(scanner.links().ids) > 20
        assert all(block.endswith(">") for block in blocks[:-1])


def test_a_claim_citing_a_label_section_is_checked_against_the_sections_anchor(tmp_path):
    from conftest import FIXTURES

    project_dir = tmp_path / "p"
    shutil.copytree(FIXTURES / "minimal", project_dir)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    assert not build_site(Project.at(project_dir, templates=templates), search=False).failed
    label = templates / "label.html"
    label.write_text(label.read_text().replace('id="{{ item.section.id }}"', "", 1))
    project = Project.at(project_dir, templates=templates, out=tmp_path / "out")
    result = build_site(project, search=False)
    assert result.failed
    assert [p.location.path + ": " + p.message for p in result.problems] == [
        "build/claims/naltrexone-alcohol-approved.html: link '../labels/label-tablets.html#indications' points at an anchor '#indications' that does not exist",
        "build/conditions/alcohol-dependence.html: link '../labels/label-tablets.html#indications' points at an anchor '#indications' that does not exist",
    ]
# Resolution in detail: each case is a behaviour a changed line of integrity.py would break.

@pytest.mark.parametrize("check", CHECKS)
def test_a_same_page_anchor_is_resolved_on_each_page_of_a_folder_on_its_own(check):
    """Two pages of one folder link to '#facts'; only one defines it: the other's link is broken."""
    pages = dict(PAGES)
    pages["claims/a.html"] += ' <a href="#facts">self</a>'
    pages["claims/b.html"] = '<h1 id="other">B</h1> <a href="#facts">self</a>'
    pages["index.html"] += ' <a href="claims/b.html">B</a>'
    assert check(pages) == ["link '#facts' points at an anchor '#facts' that does not exist"]
    pages["claims/b.html"] = '<h1 id="facts">B</h1> <a href="#facts">self</a>'
    assert check(pages) == []


def test_a_link_left_for_later_does_not_stop_the_check_of_the_page_s_other_links():
    check = WorkerLinkCheck(["a.html", "b.html"], ["a.html", "b.html"])
    result = check("a.html", '<a href="b.html#x">later</a> <a href="zz-missing.html">broken</a>')
    assert result.links == ("b.html#x",)
    assert [p.message for p in result.problems] == ["link 'zz-missing.html' points at a page that does not exist"]


def test_the_pending_check_goes_on_past_a_link_whose_page_it_does_not_know():
    pending = {"a.html": WorkerLinkCheck(["a.html", "b.html"], ["a.html"])("a.html", '<a href="b.html#y">y</a>'),
               "c.html": WorkerLinkCheck(["c.html", "d.html"], ["d.html"])("c.html", '<a href="d.html#x">x</a>'),
               "d.html": WorkerLinkCheck(["d.html"], ["d.html"])("d.html", "<p></p>")}
    pending["a.html"] = type(pending["a.html"])(("b.html#y", "d.html#z"))  # b.html is no page of this check
    assert [(p.location.path, p.message) for p in check_pending_anchors(pending, lambda path: set())] == [
        ("build/a.html", "link 'd.html#z' points at an anchor '#z' that does not exist"),
        ("build/c.html", "link 'd.html#x' points at an anchor '#x' that does not exist")]


def test_the_pending_check_asks_each_page_for_its_anchors_once():
    asked = []
    pending = {"a.html": type(WorkerLinkCheck([], [])("x", ""))(("b.html#1", "b.html#2")),
               "b.html": type(WorkerLinkCheck([], [])("x", ""))(("a.html#1",))}

    def anchors_of(path):
        asked.append(path)
        return {"1"}

    assert [p.message for p in check_pending_anchors(pending, anchors_of)] == [
        "link 'b.html#2' points at an anchor '#2' that does not exist"]
    assert sorted(asked) == ["a.html", "b.html"]


@pytest.mark.parametrize(("href", "target"), [
    ("claims/", "claims/index.html"),
    ("./", "index.html"),
    (".", "index.html"),
    ("a%20b.html", "a b.html"),
    ("a.html?x=1&amp;y=2", "a.html"),
    ("a&amp;b.html", "a&b.html"),
    ("sub/../a.html#f%20g", "a.html"),
])
def test_links_resolve_as_a_browser_resolves_them(href, target):
    from ldnsite.output.integrity import _resolve

    reason, resolved, _ = _resolve("index.html", href, {target})
    assert (reason, resolved) == (None, target)


def test_an_anchor_is_unquoted_before_it_is_looked_up():
    from ldnsite.output.integrity import _resolve

    assert _resolve("index.html", "a.html#f%20g", {"a.html"}) == (None, "a.html", "f g")


def test_an_attribute_at_the_very_start_of_a_text_is_not_taken_for_a_link():
    assert extract_links('href="x.html"').links == ()
    assert extract_links(' href="x.html"').links == ("x.html",)


def test_a_broken_link_is_reported_at_the_built_page_with_a_hint():
    from ldnsite.output.integrity import check_links
    from ldnsite.problems import format_text

    assert [format_text(p) for p in check_links([("x/index.html", '<a href="nowhere.html">n</a>')])] == [
        "build/x/index.html: error: link 'nowhere.html' points at a page that does not exist [site.broken-link]\n"
        "    hint: a template or a Markdown link points at a page or anchor the build does not produce"]


def test_only_the_pages_asked_for_are_checked_when_only_is_given():
    index = {path: extract_links(html) for path, html in {"a.html": '<a href="gone.html">x</a>',
                                                          "b.html": '<a href="gone.html">x</a>'}.items()}
    assert [p.location.path for p in check_link_index(index, {"a.html", "b.html"}, only={"b.html", "c.html"})] == ["build/b.html"]


def test_resolve_returns_no_target_for_a_link_it_does_not_follow_and_no_anchor_for_a_missing_page():
    from ldnsite.output.integrity import _resolve

    assert _resolve("index.html", "https://example.org/#x", {"index.html"}) == (None, "", "")
    assert _resolve("index.html", "/__ldnsite__/reload.js", {"index.html"}) == (None, "", "")
    assert _resolve("index.html", "gone.html#x", {"index.html"}) == ("points at a page that does not exist", "gone.html", "")


def test_check_links_resolves_against_every_file_written_not_only_pages():
    from ldnsite.output.integrity import check_links

    outputs = [("index.html", '<a href="a.html#x">a</a> <link href="static/s.css">'), ("a.html", '<p id="x"></p>'),
               ("static/s.css", b"body{}")]
    assert check_links(outputs) == []
    assert [p.message for p in check_links(outputs[:2])] == ["link 'static/s.css' points at a page that does not exist"]


def _resolve_by_urlsplit(page, href, paths):
    """The link resolution written with urlsplit alone, as it was before the shortcut for plain relative links."""
    import posixpath
    from urllib.parse import unquote, urlsplit

    href = href.replace("&amp;", "&")
    if href[:8].lower().startswith(("http://", "https://", "mailto:")) or href.startswith("/__ldnsite__/"):
        return None, "", ""
    parts = urlsplit(href)
    if parts.scheme in ("http", "https") and not parts.netloc:
        return f"uses the scheme '{parts.scheme}:' without '//'", "", ""
    if parts.scheme or parts.netloc:
        return f"uses the scheme '{parts.scheme}', which is not allowed", "", ""
    target = page if not parts.path else posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if target.startswith("../") or target == "..":
        return "points outside the site", target, ""
    if parts.path.endswith("/") or target == ".":
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    if target not in paths:
        return "points at a page that does not exist", target, ""
    return None, target, unquote(parts.fragment)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b.html", "/", "../", "./", "#", "#x", "%20", "?", ":", "//", "é", " ", "\t", "\\\\",
                                 "index.html", "claims", "..", "&amp;", "mailto", "http", "s"]), max_size=8).map("".join),
       st.sampled_from(["index.html", "claims/a.html", "sources/x/y.html"]))
def test_a_link_resolves_as_urlsplit_resolves_it(href, page):
    from ldnsite.output.integrity import _resolve

    paths = {"index.html", "b.html", "claims/a.html", "claims/b.html", "claims/index.html", "a", "sources/x/y.html", "é"}
    assert _resolve(page, href, paths) == _resolve_by_urlsplit(page, href, paths)


SITE_PATHS = ["index.html", "claims/a.html", "claims/b.html", "sources/x.html", "static/style.css"]
LINK_PARTS = ["a.html", "b.html", "x.html", "../", "claims/", "sources/", "index.html", "#", "x", "y", "top", "%20",
              "static/style.css", "javascript:", "//", "missing.html", "&amp;"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(
    st.sampled_from(SITE_PATHS[:-1]),
    st.tuples(st.lists(st.lists(st.sampled_from(LINK_PARTS), max_size=4).map("".join), max_size=6),
              st.lists(st.sampled_from(["x", "y", "top"]), max_size=3)),
    min_size=1))
def test_the_workers_check_reports_what_the_whole_site_check_reports(site):
    """Whatever the links and anchors of each page, in either order of checking: the same problems."""
    pages = {path: " ".join([*(f'<a href="{href}">l</a>' for href in links), *(f'<p id="{i}"></p>' for i in ids)])
             for path, (links, ids) in site.items()}
    index = {path: extract_links(html) for path, html in pages.items()}
    whole = sorted(str(p) for p in check_link_index(index, set(pages) | set(SITE_PATHS[-1:])))
    for order in (list(pages), list(pages)[::-1]):
        check = WorkerLinkCheck([*pages, SITE_PATHS[-1]], pages)
        results = {path: check(path, pages[path]) for path in order}
        problems = [p for pending in results.values() for p in pending.problems]
        problems += check_pending_anchors(results, lambda path: extract_links(pages[path]).ids)
        assert sorted(str(p) for p in problems) == whole
