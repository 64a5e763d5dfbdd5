"""The page plan is pure data: tiers, ordering, paths and collisions, tested without Jinja."""

import dataclasses
from pathlib import Path

from conftest import FIXTURES, built_pages
from ldnsite.content.load import load_database
from ldnsite.content.model import SourceKind, Status
from ldnsite.plan.site import NAV, SearchEntry, page_url, path_collisions, plan_paths, plan_site, render_order
from ldnsite.content.wording import default_words


def plan():
    db, problems = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    assert db is not None, [str(p) for p in problems]
    pages, collisions = plan_site(db)
    assert collisions == []
    return built_pages(pages)


def test_every_page_type_is_planned():
    pages = plan()
    assert sorted(pages) == [
        "404.html", "claims/ldn-fibromyalgia-cure.html", "claims/ldn-fibromyalgia-pain.html",
        "claims/naltrexone-alcohol-approved.html", "conditions/alcohol-dependence.html", "conditions/fibromyalgia.html",
        "disclaimer.html", "evidence-map.html", "index.html", "labels/label-tablets.html", "methodology.html", "search.html",
        "sources/case2020.html", "sources/index.html", "sources/label-tablets.html", "sources/nct00000001.html",
        "sources/trial2013.html", "sources/trial2024.html", "sources/web-article.html",
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
    problems = path_collisions([("claims/a.html", "claim 'a'"), ("claims/A.html", "claim 'A'")])
    assert [(p.code, p.message) for p in problems] == [
        ("site.url-collision", "two pages would be written to 'claims/A.html' (claim 'a' and claim 'A')")]


def test_a_source_named_index_collides_with_the_list_of_sources():
    db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    source = db.sources[0]
    db = dataclasses.replace(db, sources=(*db.sources, dataclasses.replace(source, id="index")))
    _, problems = plan_site(db)
    assert [p.message for p in problems] == [
        "two pages would be written to 'sources/index.html' (the list of sources and source 'index')"]


def test_the_paths_check_uses_are_the_paths_the_build_plans():
    db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    pages, _ = plan_site(db)
    assert sorted(path for path, _ in plan_paths(db)) == sorted(page.path for page in pages)


def test_plan_does_no_io(monkeypatch):
    db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")

    def forbidden(*args, **kwargs):
        raise AssertionError("plan_site touched the file system")

    monkeypatch.setattr(Path, "open", forbidden)
    monkeypatch.setattr("builtins.open", forbidden)
    pages, _ = plan_site(db)
    assert built_pages(pages)


def test_home_page_shows_every_tier_with_a_one_line_summary_and_its_count():
    tiers = plan()["index.html"].context["tiers"]
    assert [(t.status, t.heading_id, t.summary, len(t.claims)) for t in tiers] == [
        (Status.FDA_APPROVED, "home-fda-approved", "On the FDA label of standard-dose naltrexone.", 1),
        (Status.OFF_LABEL, "home-off-label", "Not on any label, but tested in people. Most uses of LDN are here.", 1),
        (Status.ANECDOTAL, "home-anecdotal", "Said in articles, testimonials or case reports, or seen only in the lab.", 1),
    ]


def test_condition_counts_name_only_tiers_with_claims():
    view = plan()["conditions/fibromyalgia.html"].context["view"]
    assert view.tier_counts == ((Status.OFF_LABEL, 1, "off-label"), (Status.ANECDOTAL, 1, "anecdotal"))


def test_condition_references_list_each_source_once_in_reading_order():
    view = plan()["conditions/fibromyalgia.html"].context["view"]
    assert [s.source.id for s in view.references] == ["trial2024", "trial2013", "web-article", "case2020"]


def test_evidence_map_groups_claims_by_condition_in_group_order_and_offers_only_used_values():
    page = plan()["evidence-map.html"]
    assert [(g.condition.condition.id, [c.claim.id for c in g.claims]) for g in page.context["groups"]] == [
        ("alcohol-dependence", ["naltrexone-alcohol-approved"]),
        ("fibromyalgia", ["ldn-fibromyalgia-pain", "ldn-fibromyalgia-cure"]),
    ]
    filters = {f.name: [(o.value, o.label, o.count) for o in f.options] for f in page.context["filters"]}
    assert filters == {
        "tier": [("fda-approved", "FDA-approved", 1), ("off-label", "Off-label, studied in humans", 1),
                 ("anecdotal", "Anecdotal: claimed, not shown", 1)],
        "grade": [("moderate", "⊕⊕⊕◯ Moderate", 1), ("low", "⊕⊕◯◯ Low", 1), ("very-low", "⊕◯◯◯ Very low", 1)],
        "direction": [("benefit", "Studies found a benefit", 1), ("mixed", "Mixed: studies disagree", 1),
                      ("not-studied", "Not studied in people", 1)],
    }
    assert page.lastmod == "2026-02-01"


def test_only_conditions_claims_sources_and_the_method_are_searchable():
    searchable = {path: page.search.type for path, page in plan().items() if page.search}
    assert searchable == {
        "conditions/alcohol-dependence.html": "Condition", "conditions/fibromyalgia.html": "Condition",
        "claims/ldn-fibromyalgia-cure.html": "Claim", "claims/ldn-fibromyalgia-pain.html": "Claim",
        "claims/naltrexone-alcohol-approved.html": "Claim", "methodology.html": "Guide",
        "sources/case2020.html": "Source", "sources/label-tablets.html": "Source", "sources/trial2013.html": "Source",
        "sources/trial2024.html": "Source", "sources/web-article.html": "Source", "sources/nct00000001.html": "Source",
        "labels/label-tablets.html": "Source",
    }


def test_a_claim_is_indexed_with_its_condition_tier_and_grade():
    assert plan()["claims/ldn-fibromyalgia-pain.html"].search == SearchEntry(
        "Claim",
        (("type", "Claim"), ("condition", "Fibromyalgia"), ("tier", "Tier 2: Off-label, studied in humans"),
         ("grade", "⊕⊕◯◯ Low certainty")),
        (("type", "Claim"), ("tier", "Off-label, studied in humans")),
    )


def test_cite_this_page_gives_title_site_review_date_and_address():
    pages = plan()
    assert pages["claims/ldn-fibromyalgia-pain.html"].context["cite"] == (
        "Low-dose naltrexone reduces fibromyalgia pain. Fixture Evidence. Evidence last reviewed 2026-02-01. "
        "Available at: https://example.org/fixture/claims/ldn-fibromyalgia-pain.html")
    assert pages["conditions/fibromyalgia.html"].context["cite"] == (
        "Fibromyalgia: naltrexone and LDN evidence. Fixture Evidence. Evidence last reviewed 2026-02-01. "
        "Available at: https://example.org/fixture/conditions/fibromyalgia.html")


def test_titles_and_descriptions_say_what_each_page_holds():
    pages = plan()
    assert [(p, pages[p].title, pages[p].description) for p in ("conditions/fibromyalgia.html", "sources/trial2024.html")] == [
        ("conditions/fibromyalgia.html", "Fibromyalgia: naltrexone and LDN evidence",
         "Fibromyalgia: what studies show, and what is only claimed, about naltrexone and low-dose naltrexone (LDN). "
         "2 claims (1 off-label, 1 anecdotal), each graded and sourced."),
        ("sources/trial2024.html", "A larger parallel trial (2024)",
         "Randomized controlled trial (2024, 99 participants): A larger parallel trial. Cited by 1 claim on this site."),
    ]
    descriptions = [page.description for page in pages.values()]
    assert len(set(descriptions)) == len(descriptions), "two pages share a meta description"


def test_sources_page_links_the_three_bibliography_exports():
    exports = plan()["sources/index.html"].context["exports"]
    assert [(link.label, link.url) for link in exports] == [
        ("BibTeX", "api/bibliography.bib"), ("RIS", "api/bibliography.ris"), ("CSL-JSON", "api/bibliography.json")]


def test_every_page_in_the_navigation_is_planned():
    pages = plan()
    assert [path for path, _ in NAV if path not in pages] == []


def test_page_url_is_the_base_for_the_home_page():
    assert page_url("https://e.org/ldn/", "index.html") == "https://e.org/ldn/"
    assert page_url("https://e.org/ldn/", "claims/x.html") == "https://e.org/ldn/claims/x.html"


def test_render_order_starts_with_the_long_lists_puts_each_condition_before_its_claims_and_keeps_every_page():
    db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    pages, _ = plan_site(db)
    ordered = render_order(pages)
    assert sorted(p.path for p in ordered) == sorted(p.path for p in pages)
    paths = [p.path for p in ordered]
    assert set(paths[:2]) == {"evidence-map.html", "sources/index.html"}  # the longest pages start first
    start = paths.index("conditions/fibromyalgia.html")
    assert set(paths[start + 1:start + 3]) == {"claims/ldn-fibromyalgia-pain.html", "claims/ldn-fibromyalgia-cure.html"}


def test_loading_and_planning_make_no_reference_cycles():
    # The build pauses the cyclic garbage collector while it loads and plans (build._collector_paused): a cycle
    # made there would stay in memory until the build ends.
    import gc

    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
        plan_site(db)
        del db
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_a_lazy_page_knows_before_it_is_built_what_the_built_page_says():
    from conftest import REPO
    from ldnsite.plan.site import LazyPage

    db, _ = load_database(REPO / "content", REPO)
    pages, _ = plan_site(db)
    lazy = [page for page in pages if isinstance(page, LazyPage)]

    labels = [s for s in db.sources if s.kind is SourceKind.REGULATORY_LABEL]
    assert {page.template for page in lazy} == {"claim.html", "condition.html", "source.html", "label.html"}
    assert len(lazy) == len(db.claims) + len(db.conditions) + len(db.sources) + len(labels)
    for page in lazy:
        built = page.page()
        assert (built.path, built.template, built.lastmod, built.in_sitemap, built.root_override) == (
            page.path, page.template, page.lastmod, page.in_sitemap, page.root_override), page.path
        assert built.view is page.view
        assert not hasattr(page, "title")  # the page's texts exist only once it is built


def test_a_label_page_lists_its_sections_by_topic_in_the_fixed_order():
    view = plan()["labels/label-tablets.html"].context["view"]
    assert [(g.topic.value, g.heading_id, [s.section.id for s in g.sections]) for g in view.topics] == [
        ("indications", "topic-indications", ["indications"]), ("warnings", "topic-warnings", ["overdose"])]
    assert [c.claim.claim.id for c in view.topics[0].sections[0].citing] == ["naltrexone-alcohol-approved"]
    assert view.citing_whole == ()


def test_a_claim_citing_a_label_section_links_to_its_anchor_on_the_label_page():
    view = plan()["claims/naltrexone-alcohol-approved.html"].context["view"]
    (item,) = view.evidence
    assert (item.section.id, item.section_path) == ("indications", "labels/label-tablets.html#indications")


def test_a_condition_page_lists_the_registrations_that_name_it_as_research_under_way():
    pages = plan()
    research = pages["conditions/fibromyalgia.html"].context["view"].research
    words = default_words()
    assert [(r.source.source.id, words(r.status), words(r.results)) for r in research] == [
        ("nct00000001", "Recruiting", "No results posted yet")]
    assert pages["conditions/alcohol-dependence.html"].context["view"].research == ()


def test_a_registration_cited_by_a_claim_of_the_condition_is_research_under_way_too():
    from dataclasses import replace

    from ldnsite.content.model import Citation, Role
    from ldnsite.plan.views import research_under_way

    db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    pages = built_pages(plan_site(db)[0])
    alcohol = pages["conditions/alcohol-dependence.html"].context["view"]
    registration = pages["sources/nct00000001.html"].context["view"]
    claims = tuple(v for t in alcohol.tiers for v in t.claims)
    assert research_under_way(alcohol.condition, claims, (registration,)) == ()
    cited = replace(claims[0], cited=claims[0].cited + (replace(claims[0].cited[0], citation=Citation("nct00000001", Role.BACKGROUND)),))
    assert [r.source.source.id for r in research_under_way(alcohol.condition, (cited,), (registration,))] == ["nct00000001"]
