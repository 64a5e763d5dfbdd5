"""Large sites stay readable: above `list_page_size` rows, the evidence map and the sources list are split into
pages (a page per condition group, a page per design; a large group by letter), every row on exactly one page."""

import os
import re
import subprocess
import sys

from bs4 import BeautifulSoup

from conftest import REPO, TEMPLATES, copy_fixture, run_cli, tree
from ldnsite.content.load import load_database
from ldnsite.plan.longlists import map_parts, partition
from ldnsite.plan.site import plan_paths, plan_site


def test_each_group_is_one_part_when_it_fits():
    groups = [("pain", "Pain", [("back-pain", "Back pain", 3), ("fibromyalgia", "Fibromyalgia", 2)]),
              ("empty", "Empty", []), ("mood", "Mood", [("depression", "Depression", 4)])]
    parts = partition(groups, "evidence-map", 5)
    assert [(p.path, p.name, p.keys, p.rows) for p in parts] == [
        ("evidence-map/pain.html", "Pain", ("back-pain", "fibromyalgia"), 5),
        ("evidence-map/mood.html", "Mood", ("depression",), 4),
    ]


def test_a_group_above_the_limit_is_cut_into_runs_named_by_letter():
    members = [("acne", "Acne", 2), ("back-pain", "back pain", 2), ("crps", "CRPS", 9),
               ("gout", "Gout", 1), ("hives", "Hives", 1)]
    parts = partition([("misc", "Other", members)], "evidence-map", 4)
    assert [(p.path, p.name, p.rows) for p in parts] == [
        ("evidence-map/misc-1.html", "Other, A\u2013B", 4),
        ("evidence-map/misc-2.html", "Other, C", 9),  # larger than the limit alone: a page of its own
        ("evidence-map/misc-3.html", "Other, G\u2013H", 2),
    ]


def test_a_list_that_fits_on_one_page_is_not_split():
    groups = [("pain", "Pain", [("back-pain", "Back pain", 3)])]
    assert map_parts(groups, 3, 3) == ()
    assert len(map_parts(groups, 3, 2)) == 1


def split_fixture(tmp_path):
    project = copy_fixture("minimal", tmp_path / "project")
    site = project / "content" / "site.yaml"
    site.write_text(site.read_text().replace("condition_groups:", "list_page_size: 1\ncondition_groups:"))
    return project


def test_check_knows_every_path_a_split_build_writes(tmp_path):
    project = split_fixture(tmp_path)
    db, problems = load_database(project / "content", project)
    assert db is not None, [str(p) for p in problems]
    pages, collisions = plan_site(db)
    assert collisions == []
    assert sorted(path for path, _ in plan_paths(db)) == sorted(page.path for page in pages)
    map_pages = [p.path for p in pages if p.path.startswith("evidence-map/")]
    assert map_pages == ["evidence-map/approved-uses.html", "evidence-map/pain.html"]
    assert [p.path for p in pages if p.path.startswith("sources/design/")] == [  # strongest design first; a large one cut
        "sources/design/regulatory-label.html", "sources/design/randomized-trial-1.html",
        "sources/design/randomized-trial-2.html", "sources/design/case-report.html",
        "sources/design/trial-registration.html", "sources/design/web-article.html"]


def build(project, out):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600"}
    subprocess.run([sys.executable, "-m", "ldnsite", "build", "--project", str(project), "--templates", str(TEMPLATES),
                    "--out", str(out), "--no-search", "--no-cache"], check=True, capture_output=True, env=env, cwd=REPO)
    return tree(out)


def soup(files, path):
    return BeautifulSoup(files[path].decode(), "html.parser")


def test_every_claim_is_on_exactly_one_page_of_the_split_map(tmp_path):
    files = build(split_fixture(tmp_path), tmp_path / "out")
    index = soup(files, "evidence-map.html")
    linked = [a["href"] for a in index.select("#map-parts tr.map-part th a")]
    assert linked == ["evidence-map/approved-uses.html", "evidence-map/pain.html"]
    rows = [a["href"].removeprefix("../") for path in linked for a in soup(files, path).select("tr.map-row th a")]
    claims = sorted(p for p in files if p.startswith("claims/"))
    assert sorted(rows) == claims
    total = sum(int(entry.rsplit(" ", 1)[1]) for row in index.select("tr.map-part") for entry in row["data-counts"].split(";"))
    assert total == len(claims)


def test_every_source_is_on_exactly_one_page_of_the_split_list(tmp_path):
    files = build(split_fixture(tmp_path), tmp_path / "out")
    index = soup(files, "sources/index.html")
    pages = [a["href"].removeprefix("../") for a in index.select(".kind-pages a")]
    assert pages and all(page.startswith("sources/design/") for page in pages)
    entries = [li["id"] for page in pages for li in soup(files, page).select("ol.bibliography > li")]
    sources = sorted(p.removeprefix("sources/").removesuffix(".html") for p in files
                     if re.fullmatch(r"sources/[a-z0-9-]+\.html", p) and p != "sources/index.html")
    assert sorted(entries) == sources
    assert len(index.select("section.exports a[download]")) == 3
    assert [li["id"] for li in index.select(".kind-pages li")] == [  # the anchors the source pages' breadcrumbs link to
        "kind-regulatory-label", "kind-randomized-trial", "kind-case-report", "kind-trial-registration", "kind-web-article"]


def test_a_split_build_is_byte_identical_twice(tmp_path):
    project = split_fixture(tmp_path)
    assert build(project, tmp_path / "one") == build(project, tmp_path / "two")


def test_a_small_site_keeps_one_map_and_one_list(tmp_path):
    project = copy_fixture("minimal", tmp_path / "project")
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--out", tmp_path / "out", "--no-search")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "evidence-map").exists() and not (tmp_path / "out" / "sources" / "design").exists()
    assert "map-row" in (tmp_path / "out" / "evidence-map.html").read_text()
