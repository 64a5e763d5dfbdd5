"""What a reader sees and does: the three tiers at first sight, search, the evidence map, no JavaScript, print."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

TIER_HEADINGS = ["1 FDA-approved", "2 Off-label, studied in humans", "3 Anecdotal: claimed, not shown"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_home_shows_the_three_tiers_apart_on_the_first_screen(site, context_factory, viewport):
    page = context_factory(viewport=viewport).new_page()
    page.goto(site.url("index.html"))
    sections = page.locator(".tiers > section.tier-section")
    assert sections.count() == 3
    headings = [" ".join(t.split()) for t in sections.locator("h2").all_inner_texts()]
    assert headings == TIER_HEADINGS
    boxes = [sections.nth(i).bounding_box() for i in range(3)]
    heading_boxes = [sections.nth(i).locator("h2").bounding_box() for i in range(3)]
    for box in heading_boxes:
        assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], f"a tier heading is off the first screen: {box}"
    for first, second in zip(boxes, boxes[1:]):
        apart = first["x"] + first["width"] <= second["x"] or first["y"] + first["height"] <= second["y"]
        assert apart, "tier sections overlap"
    # Told apart by more than colour: each tier has its own border style.
    styles = [sections.nth(i).evaluate("el => getComputedStyle(el).borderTopStyle + ' ' + getComputedStyle(el).borderLeftStyle")
              for i in range(3)]
    assert len(set(styles)) == 3, styles


def test_search_finds_a_claim_and_opening_it_shows_the_claim(site, context_factory):
    page = context_factory(viewport=DESKTOP).new_page()
    page.goto(site.url("index.html"))
    page.fill("#home-search-input", "fibromyalgia pain")
    page.press("#home-search-input", "Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=fibromyalgia\+pain"))
    page.wait_for_selector("#search-results li")
    assert re.match(r"\d+ results? for “fibromyalgia pain”", page.inner_text("#search-status"))
    page.check("input[name=type][value=Claim]")  # the old results are cleared at once, before the new search
    expect(page.locator("#search-status")).to_have_text(re.compile(r"\d+ results? for “fibromyalgia pain”"))
    for meta in page.locator("#search-results .result-meta").all_inner_texts():
        assert meta.startswith("Claim · "), meta
    result = page.locator("#search-results li", has_text="Low-dose naltrexone reduces fibromyalgia pain").first
    assert "Tier 2: Off-label, studied in humans" in result.inner_text()
    result.locator("h2 a").click()
    page.wait_for_url(re.compile(r"claims/ldn-fibromyalgia-pain\.html$"))
    assert page.inner_text("h1") == "Low-dose naltrexone reduces fibromyalgia pain"
    assert "Off-label, studied in humans" in page.inner_text(".claim-facts")


@pytest.mark.parametrize(("query", "condition"), [
    ("crohn", "Crohn's disease"), ("FMS", "Fibromyalgia"), ("ibs", "Irritable bowel syndrome (IBS)")])
def test_searching_a_condition_or_another_name_for_it_lists_its_page_first(site, context_factory, query, condition):
    page = context_factory(viewport=DESKTOP).new_page()
    page.goto(site.url(f"search.html?q={query}"))
    page.wait_for_selector("#search-results li")
    first = page.locator("#search-results li").first
    assert first.locator("h2").inner_text() == condition
    assert first.locator(".result-meta").inner_text().startswith("Condition · ")


def test_without_javascript_search_says_so_and_the_map_shows_everything(site, context_factory):
    page = context_factory(viewport=DESKTOP, java_script_enabled=False).new_page()
    page.goto(site.url("search.html"))
    assert page.locator("#search-form").is_hidden()
    fallback = page.locator("#search-fallback")
    assert fallback.is_visible() and "Search needs JavaScript" in fallback.inner_text()
    assert fallback.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "evidence-map.html", "index.html#conditions-title", "sources/index.html"]
    page.goto(site.url("evidence-map.html?tier=anecdotal"))
    assert page.locator("#map-filters").is_hidden()
    rows = page.locator("tr.map-row")
    assert rows.count() > 0 and rows.count() == page.locator("tr.map-row:visible").count()


def test_search_opened_from_disk_explains_itself_and_links_onwards(site, context_factory):
    page = context_factory(viewport=DESKTOP).new_page()
    page.goto((site.out / "search.html").as_uri() + "?q=fibromyalgia")
    expect(page.locator("#search-status")).to_have_text("Search could not be loaded here.")
    assert page.locator("#search-fallback").is_visible()
    assert page.locator("#search-fallback a").count() == 3


def test_evidence_map_filters_rows_and_keeps_the_choice_in_the_address(site, context_factory):
    page = context_factory(viewport=DESKTOP).new_page()
    page.goto(site.url("evidence-map.html"))
    total = page.locator("tr.map-row").count()
    assert page.inner_text("#map-count") == f"Showing {total} claims."
    page.select_option("#filter-tier", "fda-approved")
    visible = page.locator("tr.map-row:visible")
    assert 0 < visible.count() < total
    assert set(visible.evaluate_all("rows => rows.map(r => r.dataset.tier)")) == {"fda-approved"}
    assert page.inner_text("#map-count") == f"Showing {visible.count()} of {total} claims."
    assert page.url.endswith("evidence-map.html?tier=fda-approved")
    for group in page.locator("tbody.map-group").all():
        assert group.is_hidden() == (group.locator("tr.map-row:visible").count() == 0)
    page.click("button[type=reset]")
    expect(page.locator("#map-count")).to_have_text(f"Showing {total} claims.")
    page.goto(site.url("evidence-map.html?tier=off-label&grade=low"))
    shown = page.locator("tr.map-row:visible").evaluate_all("rows => rows.map(r => r.dataset.tier + ' ' + r.dataset.grade)")
    assert set(shown) == {"off-label low"}


def test_a_printed_condition_page_keeps_every_claim_and_the_full_references(site, context_factory):
    page = context_factory(viewport=DESKTOP).new_page()
    page.goto(site.url("conditions/fibromyalgia.html"))
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden()
    assert page.locator(".disclaimer-banner").is_visible(), "the disclaimer prints"
    assert page.locator("article.claim").count() == page.locator("article.claim:visible").count() > 0
    references = page.locator(".references li")
    assert references.count() > 0 and references.count() == page.locator(".references li:visible").count()
    shown = page.locator(".references .ref-links a[href^='https://']").first.evaluate(
        "a => getComputedStyle(a, '::after').content")
    assert "https://" in shown, "printed references show their web address"
