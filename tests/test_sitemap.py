"""The sitemap lists every page a reader can arrive at, the search page included (issue 16), and no other."""

import xml.etree.ElementTree as ET

from conftest import TEMPLATES, run_cli, write_project

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_every_html_page_but_the_not_found_page(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search").exit_code == 0
    out = project / "build"
    listed = [loc.text for loc in ET.parse(out / "sitemap.xml").getroot().iter(f"{NS}loc")]
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.name != "404.html")
    base = "https://example.org/ldn/"
    assert sorted(url.removeprefix(base) or "index.html" for url in listed) == pages
    assert f"{base}search.html" in listed
