"""Structured data (JSON-LD): valid JSON that says exactly what the page itself shows."""

import json
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, REPO, TEMPLATES, built_pages, run_cli
from ldnsite.content.load import load_database
from ldnsite.plan.site import plan_site
from ldnsite.content.model import Intervention, InterventionKind, Site
from ldnsite.plan.structured import intervention

NALTREXONE = {"@type": "Drug", "name": "Naltrexone", "alternateName": ["Low-dose naltrexone", "LDN"]}
"""What the LDN site's site.yaml (and the minimal fixture's) says the site is about."""


@pytest.fixture(scope="module", params=["content", "minimal"])
def site(request, tmp_path_factory) -> Path:
    project = REPO if request.param == "content" else FIXTURES / "minimal"
    out = tmp_path_factory.mktemp(request.param) / "build"
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--out", out, "--no-search", "--strict")
    assert result.exit_code == 0, result.output
    return out


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


def text(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def test_claim_page_data_is_exact():
    db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    pages = built_pages(plan_site(db)[0])
    assert pages["claims/naltrexone-alcohol-approved.html"].json_ld.value == {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": "Naltrexone 50 mg is approved for alcohol dependence",
        "description": "Alcohol dependence: FDA-approved. Certainty of evidence: moderate. Studies found a benefit. "
                       "Verdict: Supported by the evidence.",
        "url": "https://example.org/fixture/claims/naltrexone-alcohol-approved.html",
        "inLanguage": "en",
        "isPartOf": {"@type": "WebSite", "name": "Fixture Evidence", "url": "https://example.org/fixture/"},
        "about": [{"@type": "MedicalCondition", "name": "Alcohol dependence"}, NALTREXONE],
        "lastReviewed": "2026-01-15",
        "datePublished": "2026-01-15",
        "citation": [{"@type": "CreativeWork", "name": "Naltrexone hydrochloride tablets prescribing information",
                      "url": "https://example.org/fixture/sources/label-tablets.html"}],
    }


def test_only_the_home_condition_and_claim_pages_carry_json_ld(site):
    for page in sorted(site.rglob("*.html")):
        name = page.relative_to(site).as_posix()
        data = json_ld(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
        expected = name == "index.html" or name.startswith(("conditions/", "claims/"))
        assert len(data) == (1 if expected else 0), name


def test_json_ld_matches_what_the_page_shows(site):
    checked = 0
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for data in json_ld(soup):
            check_page(page.relative_to(site).as_posix(), soup, data)
            checked += 1
    assert checked >= 6


def check_page(name: str, soup: BeautifulSoup, data: dict) -> None:
    main = soup.find("main")
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage", name
    assert "reviewedBy" not in data, f"{name}: nobody's review is recorded, so none may be claimed"
    assert data["name"] == text(soup.find("h1")), name
    assert data["description"] == soup.find("meta", attrs={"name": "description"})["content"], name
    assert data["url"] == soup.find("link", rel="canonical")["href"], name
    assert data["inLanguage"] == soup.html["lang"], name
    dates = {t["datetime"] for t in main.find_all("time") if t.get_text() == t["datetime"]}
    assert data["lastReviewed"] in dates, f"{name}: lastReviewed {data['lastReviewed']} is not shown"
    if "datePublished" in data:
        assert "First published" in text(main) and data["datePublished"] in dates, name
    page_text = text(main)
    for thing in data["about"]:
        if thing["@type"] != "MedicalCondition":
            assert thing == NALTREXONE and "naltrexone" in page_text.lower(), name
        else:
            assert thing["@type"] == "MedicalCondition", name
            assert thing["name"] in page_text, f"{name}: condition {thing['name']!r} not on the page"
            for alias in thing.get("alternateName", []):
                assert alias in page_text, f"{name}: also-known-as {alias!r} not on the page"
    links = {resolve(data["url"], a["href"]): text(a) for a in main.find_all("a", href=True)}
    for cited in data.get("citation", []):
        assert links.get(cited["url"]) == cited["name"], f"{name}: citation {cited['name']!r} is not linked on the page"
        if "datePublished" in cited:
            assert cited["datePublished"] in page_text, name


def resolve(page_url: str, href: str) -> str:
    parts = urlsplit(page_url)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(parts.path), href.split("#")[0]))
    return f"{parts.scheme}://{parts.netloc}{path}"


def test_condition_pages_name_the_condition_and_its_other_names(site):
    page = site / "conditions" / "fibromyalgia.html"
    data = json_ld(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))[0]
    condition = data["about"][0]
    assert condition["@type"] == "MedicalCondition" and condition["name"] == "Fibromyalgia"
    assert "alternateName" in condition


def test_json_is_safe_inside_a_script_element(site):
    for page in sorted(site.rglob("*.html")):
        raw = page.read_text(encoding="utf-8")
        start = raw.find('<script type="application/ld+json">')
        if start < 0:
            continue
        body = raw[start:raw.index("</script>", start)]
        assert "<" not in body.split(">", 1)[1], page


def test_topic_pages_are_about_the_medicine_only():
    db, _ = load_database(REPO / "content", REPO)
    pages = built_pages(plan_site(db)[0])
    assert pages["conditions/safety.html"].json_ld.value["about"] == [NALTREXONE]
    assert pages["conditions/fibromyalgia.html"].json_ld.value["about"][0]["@type"] == "MedicalCondition"


@pytest.mark.parametrize(("kind", "schema_type"), [
    (InterventionKind.DRUG, "Drug"), (InterventionKind.SUPPLEMENT, "DietarySupplement"),
    (InterventionKind.DEVICE, "MedicalDevice"), (InterventionKind.PROCEDURE, "MedicalProcedure"),
    (InterventionKind.OTHER, "MedicalTherapy"),
])
def test_the_intervention_is_described_as_its_configured_kind(kind, schema_type):
    site = Site("T", "t", "https://example.org/", "en", "d", (), intervention=Intervention("vitamin D", ("cholecalciferol",), kind))
    assert intervention(site) == [{"@type": schema_type, "name": "Vitamin D", "alternateName": ["cholecalciferol"]}]


def test_a_site_that_names_no_intervention_describes_none():
    assert intervention(Site("T", "t", "https://example.org/", "en", "d", ())) == []
