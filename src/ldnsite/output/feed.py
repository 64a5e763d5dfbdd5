"""The Atom feed (feed.xml): one entry per claim, newest review first.

Every date comes from the content: an entry is ``updated`` when its claim was last
reviewed and ``published`` when it was added. The feed's own ``updated`` is the latest
of those, so the same content always gives the same feed, whenever it is built.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import escape

from ldnsite.content.model import Site
from ldnsite.content.wording import words_for
from ldnsite.output.render import render_markdown
from ldnsite.plan.site import FEED_PATH, ClaimView, page_url

ATOM_NS = "http://www.w3.org/2005/Atom"


FEED_LIMIT = 100
"""How many of the most recently reviewed claims the feed carries: feed readers want news, not the database."""


def atom_feed(site: Site, claims: Sequence[ClaimView]) -> str:
    """Return the Atom document for the most recently reviewed claims, newest first, then by id."""
    entries = sorted(claims, key=lambda v: v.claim.id)
    entries.sort(key=lambda v: v.claim.reviewed, reverse=True)
    entries = entries[:FEED_LIMIT]
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": site.language})
    _text(feed, "title", words_for(site)("feed.title", site=site.title))
    _text(feed, "subtitle", site.tagline)
    _text(feed, "id", page_url(site.base_url, FEED_PATH))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": page_url(site.base_url, FEED_PATH)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": site.base_url})
    _text(feed, "updated", _timestamp(max((_latest(v) for v in claims), default="1970-01-01")))
    author = ET.SubElement(feed, "author")
    _text(author, "name", site.title)
    _text(author, "uri", site.base_url)
    _text(feed, "generator", "ldnsite")
    for view in entries:
        feed.append(_entry(site, view))
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _entry(site: Site, view: ClaimView) -> ET.Element:
    claim = view.claim
    url = page_url(site.base_url, view.path)
    entry = ET.Element("entry")
    _text(entry, "title", claim.title)
    _text(entry, "id", url)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": url})
    if claim.added:
        _text(entry, "published", _timestamp(claim.added))
    _text(entry, "updated", _timestamp(claim.reviewed))
    ET.SubElement(entry, "category", {"term": claim.status.value, "label": words_for(site).tiers[claim.status].name})
    _text(entry, "summary", entry_summary(view, site))
    content = _text(entry, "content", _entry_html(view, site))
    content.set("type", "html")
    return entry


def entry_summary(view: ClaimView, site: Site) -> str:
    """Return the one-line plain-text summary of a claim: condition, tier, grade, findings and verdict."""
    claim = view.claim
    words = words_for(site)
    return words(
        "feed.summary",
        condition=view.condition.name,
        tier=words.tiers[claim.status].name,
        grade=words.label(claim.grade).lower(),
        symbol=claim.grade.symbol,
        direction=words.label(claim.direction),
        verdict=words.label(claim.verdict),
    )


def _entry_html(view: ClaimView, site: Site) -> str:
    claim = view.claim
    words = words_for(site)
    facts = f"<p>{escape(entry_summary(view, site))}"
    if claim.dose:
        facts += f" {escape(words('feed.dose', dose=claim.dose))}"
    facts += f" {escape(words('feed.reviewed', date=claim.reviewed))}</p>"
    return facts + str(render_markdown(claim.statement))


def _latest(view: ClaimView) -> str:
    return max(filter(None, (view.claim.reviewed, view.claim.added)))


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element
