"""The page plan is pure data: tiers, ordering, paths and collisions, tested without Jinja."""

from pathlib import Path

from conftest import FIXTURES
from ldnsite.load import load_database
from ldnsite.model import Status
from ldnsite.site import Page, _collisions, plan_site


def plan():
    db, problems = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    assert db is not None, [str(p) for p in problems]
    pages, collisions = plan_site(db)
    assert collisions == []
    return {page.path: page for page in pages}


def test_every_page_type_is_planned():
    pages = plan()
    assert sorted(pages) == [
        "404.html", "claims/ldn-fibromyalgia-cure.html", "claims/ldn-fibromyalgia-pain.html",
        "claims/naltrexone-alcohol-approved.html", "conditions/alcohol-dependence.html", "conditions/fibromyalgia.html",
        "disclaimer.html", "index.html", "methodology.html", "sources/case2020.html", "sources/index.html",
        "sources/label-tablets.html", "sources/trial2013.html", "sources/trial2024.html", "sources/web-article.html",
    ]


def test_condition_page_has_the_three_tiers_in_order_and_each_claim_only_in_its_own():
    view = plan()["conditions/fibromyalgia.html"].context["view"]
    assert [t.status for t in view.tiers] == [Status.FDA_APPROVED, Status.OFF_LABEL, Status.ANECDOTAL]
    assert [[c.claim.id for c in t.claims] for t in view.tiers] == [[], ["ldn-fibromyalgia-pain"], ["ldn-fibromyalgia-cure"]]
    for tier in view.tiers:
        assert all(c.claim.status is tier.status for c in tier.claims)


def test_home_page_tiers_hold_every_claim_once():
    tiers = plan()["index.html"].context["tiers"]
    ids = [c.claim.id for t in tiers for c in t.claims]
    assert ids == ["naltrexone-alcohol-approved", "ldn-fibromyalgia-pain", "ldn-fibromyalgia-cure"]


def test_evidence_is_strongest_design_first_then_newest():
    view = plan()["claims/ldn-fibromyalgia-pain.html"].context["view"]
    assert [c.source.source.id for c in view.evidence] == ["trial2024", "trial2013"]
    assert [c.source.source.id for c in view.asserted_by] == ["web-article"]


def test_condition_review_date_is_its_latest_claim_review():
    assert plan()["conditions/fibromyalgia.html"].lastmod == "2026-02-01"


def test_source_links_are_built_from_identifiers():
    links = plan()["sources/trial2013.html"].context["view"].links
    assert [(link.label, link.url) for link in links] == [
        ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/12345678/"), ("DOI", "https://doi.org/10.1000/fixture.2013")]


def test_web_articles_get_a_claim_check_and_studies_do_not():
    pages = plan()
    assert pages["sources/web-article.html"].context["claim_check"] is True
    assert pages["sources/trial2013.html"].context["claim_check"] is False
    citing = pages["sources/web-article.html"].context["view"].citing
    assert [c.claim.claim.id for c in citing] == ["ldn-fibromyalgia-pain", "ldn-fibromyalgia-cure"]


def test_relative_root_and_404_root():
    pages = plan()
    assert pages["index.html"].root == ""
    assert pages["claims/ldn-fibromyalgia-cure.html"].root == "../"
    assert pages["404.html"].root == "/fixture/"


def test_edit_links_point_at_the_claims_file():
    view = plan()["claims/ldn-fibromyalgia-cure.html"].context["view"]
    assert view.edit_url == "https://github.com/example/fixture/edit/main/content/conditions/fibromyalgia.yaml"


def test_two_pages_on_one_path_are_a_collision():
    problems = _collisions([Page("claims/a.html", "claim.html", "A", ""), Page("claims/A.html", "claim.html", "B", "")])
    assert [(p.code, p.message) for p in problems] == [
        ("site.url-collision", "two pages would be written to 'claims/A.html' ('A' and 'B')")]


def test_plan_does_no_io(monkeypatch):
    db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")

    def forbidden(*args, **kwargs):
        raise AssertionError("plan_site touched the file system")

    monkeypatch.setattr(Path, "open", forbidden)
    monkeypatch.setattr("builtins.open", forbidden)
    pages, _ = plan_site(db)
    assert pages
