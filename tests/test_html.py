"""Every built page is well-formed HTML that a strict parser accepts, with safe links and no inline code."""

import re
from pathlib import Path

import html5lib
import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, REPO, TEMPLATES, run_cli


@pytest.fixture(scope="module", params=["content", "minimal"])
def site(request, tmp_path_factory) -> Path:
    project = REPO if request.param == "content" else FIXTURES / "minimal"
    out = tmp_path_factory.mktemp(request.param) / "build"
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--out", out, "--no-search", "--strict")
    assert result.exit_code == 0, result.output
    return out


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_every_page_parses_without_errors_in_strict_mode(site):
    for page in pages(site):
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            parser.parse(page.read_bytes())
        except html5lib.html5parser.ParseError as exc:
            pytest.fail(f"{page.relative_to(site)}: {exc}")


def test_external_links_do_not_leak_the_opener_or_referrer(site):
    for page in pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=re.compile(r"^https?://")):
            assert {"noopener", "noreferrer"} <= set(link.get("rel", [])), f"{page.relative_to(site)}: {link}"


def test_no_inline_script_style_or_event_handler(site):
    for page in pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        name = page.relative_to(site)
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", f"{name}: inline script"
        assert not soup.find_all("style"), f"{name}: inline <style>"
        for tag in soup.find_all(True):
            assert "style" not in tag.attrs, f"{name}: style attribute on <{tag.name}>"
            assert not [a for a in tag.attrs if a.lower().startswith("on")], f"{name}: event handler on <{tag.name}>"
            for attr in ("href", "src", "action"):
                value = str(tag.get(attr, "")).strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{name}: {attr}={value}"


def test_every_page_has_language_title_description_csp_and_one_h1(site):
    for page in pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        name = page.relative_to(site)
        assert soup.html.get("lang"), name
        assert soup.title and soup.title.string.strip(), name
        assert soup.find("meta", attrs={"name": "description"})["content"].strip(), name
        csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert csp and "script-src 'self'" in csp["content"] and "object-src 'none'" in csp["content"], name
        assert len(soup.find_all("h1")) == 1, name


def test_headings_never_skip_a_level(site):
    for page in pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{page.relative_to(site)}: h{before} followed by h{after}"


def test_the_disclaimer_is_on_every_page(site):
    for page in pages(site):
        assert "Not medical advice." in page.read_text(encoding="utf-8"), page.relative_to(site)
