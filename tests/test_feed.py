"""The Atom feed: valid Atom, every date from the content, never from the clock."""

import xml.etree.ElementTree as ET

from conftest import FIXTURES
from ldnsite.output.feed import atom_feed
from ldnsite.content.load import load_database
from ldnsite.plan.site import plan_site

A = "{http://www.w3.org/2005/Atom}"


def feed_for_fixture() -> str:
    db, _ = load_database(FIXTURES / "minimal" / "content", FIXTURES / "minimal")
    pages, _ = plan_site(db)
    return atom_feed(db.site, [p.view for p in pages if p.template == "claim.html"])


def test_feed_head_has_id_title_updated_links_and_author():
    root = ET.fromstring(feed_for_fixture())
    assert root.tag == f"{A}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    head = [child for child in root if child.tag != f"{A}entry"]
    assert [(child.tag.removeprefix(A), (child.text or "").strip(), dict(child.attrib)) for child in head] == [
        ("title", "Fixture Evidence: claims added or reviewed", {}),
        ("subtitle", "A small project that exercises every template.", {}),
        ("id", "https://example.org/fixture/feed.xml", {}),
        ("link", "", {"rel": "self", "type": "application/atom+xml", "href": "https://example.org/fixture/feed.xml"}),
        ("link", "", {"rel": "alternate", "type": "text/html", "href": "https://example.org/fixture/"}),
        ("updated", "2026-02-01T00:00:00Z", {}),
        ("author", "", {}),
        ("generator", "ldnsite", {}),
    ]
    assert [(c.tag.removeprefix(A), c.text) for c in root.find(f"{A}author")] == [
        ("name", "Fixture Evidence"), ("uri", "https://example.org/fixture/")]


def test_entries_are_newest_review_first_with_dates_from_the_content():
    root = ET.fromstring(feed_for_fixture())
    entries = [
        (e.findtext(f"{A}id"), e.findtext(f"{A}published"), e.findtext(f"{A}updated"), e.find(f"{A}category").get("term"))
        for e in root.findall(f"{A}entry")
    ]
    assert entries == [
        ("https://example.org/fixture/claims/ldn-fibromyalgia-cure.html", None, "2026-02-01T00:00:00Z", "anecdotal"),
        ("https://example.org/fixture/claims/ldn-fibromyalgia-pain.html", None, "2026-02-01T00:00:00Z", "off-label"),
        ("https://example.org/fixture/claims/naltrexone-alcohol-approved.html", "2026-01-15T00:00:00Z",
         "2026-01-15T00:00:00Z", "fda-approved"),
    ]


def test_an_entry_says_tier_grade_findings_verdict_and_links_to_its_claim():
    entry = ET.fromstring(feed_for_fixture()).findall(f"{A}entry")[1]
    assert entry.findtext(f"{A}title") == "Low-dose naltrexone reduces fibromyalgia pain"
    assert entry.find(f"{A}link").attrib == {
        "rel": "alternate", "type": "text/html", "href": "https://example.org/fixture/claims/ldn-fibromyalgia-pain.html"}
    assert entry.findtext(f"{A}summary") == (
        "Fibromyalgia. Tier: Off-label, studied in humans. Certainty of evidence: low (⊕⊕◯◯). Mixed: studies disagree. "
        "Verdict: Uncertain: evidence too weak or too mixed.")
    content = entry.find(f"{A}content")
    assert content.get("type") == "html"
    assert content.text == (
        "<p>Fibromyalgia. Tier: Off-label, studied in humans. Certainty of evidence: low (⊕⊕◯◯). Mixed: studies disagree. "
        "Verdict: Uncertain: evidence too weak or too mixed. Dose: 4.5 mg. Last reviewed 2026-02-01.</p>"
        "<p>A small crossover trial found less pain on LDN. A larger trial found no difference.</p>")


def test_the_feed_does_not_change_with_the_clock(monkeypatch):
    first = feed_for_fixture()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")
    assert feed_for_fixture() == first
    assert first.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">')
