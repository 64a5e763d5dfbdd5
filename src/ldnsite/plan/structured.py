"""Structured data (schema.org JSON-LD) that says what the page itself shows.

Only facts a reader can see on the page go in: its name, description, address, the
date its evidence was last reviewed, what it is about and the sources it cites.
``reviewedBy`` is never set: the content does not record who reviewed a claim, and
structured data must not claim more than the page does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ldnsite.content.model import Condition, Site, Source

TOPIC_GROUPS = frozenset({"about-the-medicine"})
"""Condition groups that hold topics about the medicine (safety, cost), not medical conditions.

A stopgap: the content model has no field that says whether a 'condition' is a disease,
so these pages are described as about the intervention only.
"""


def intervention(site: Site) -> list[dict[str, Any]]:
    """Describe the site's intervention as its schema.org type (``Drug``, ``DietarySupplement``...); none if unnamed."""
    if site.intervention is None:
        return []
    data: dict[str, Any] = {"@type": site.intervention.kind.schema_type, "name": _capitalised(site.intervention.name)}
    if site.intervention.other_names:
        data["alternateName"] = list(site.intervention.other_names)
    return [data]


def _capitalised(name: str) -> str:
    # Pages name it mid-sentence ("studies of vitamin D"); as a thing's name it starts with a capital.
    return name[:1].upper() + name[1:]


@dataclass(frozen=True, slots=True)
class Deferred:
    """A page's JSON-LD, described when the site is planned and built when the page is rendered.

    Built up front, the nested dictionaries of every page took more memory than the rest of the
    plan (190 MB at 100,000 claims); this holds only the function and its arguments, and two are
    equal when they would build equal data.
    """

    build: Callable[..., dict[str, Any]]
    args: tuple
    kwargs: tuple[tuple[str, Any], ...]

    @property
    def value(self) -> dict[str, Any]:
        """The JSON-LD itself."""
        return self.build(*self.args, **dict(self.kwargs))


def deferred(build: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> Deferred:
    """Return ``build(*args, **kwargs)`` to be built later (``.value``)."""
    return Deferred(build, args, tuple(kwargs.items()))


def home_page(site: Site, *, url: str, last_reviewed: str | None) -> dict[str, Any]:
    """Describe the home page: a medical web page about the intervention, part of the site."""
    return _web_page(
        site, name=site.title, description=site.tagline, url=url, last_reviewed=last_reviewed, about=intervention(site)
    )


def condition_page(site: Site, condition: Condition, *, url: str, description: str, last_reviewed: str) -> dict[str, Any]:
    """Describe a condition page: about the condition (a MedicalCondition) and the intervention."""
    return _web_page(
        site,
        name=condition.name,
        description=description,
        url=url,
        last_reviewed=last_reviewed,
        about=[*_condition(condition, with_aliases=True), *intervention(site)],
    )


def claim_page(
    site: Site,
    *,
    name: str,
    condition: Condition,
    url: str,
    description: str,
    last_reviewed: str,
    added: str | None,
    citations: Sequence[tuple[Source, str]],
) -> dict[str, Any]:
    """Describe a claim page, with each cited source as a citation (its page on this site as the address).

    The condition's other names are left out: a claim page does not show them.
    """
    data = _web_page(
        site,
        name=name,
        description=description,
        url=url,
        last_reviewed=last_reviewed,
        about=[*_condition(condition, with_aliases=False), *intervention(site)],
    )
    if added:
        data["datePublished"] = added
    data["citation"] = [_citation(source, source_url) for source, source_url in citations]
    return data


def _web_page(
    site: Site, *, name: str, description: str, url: str, last_reviewed: str | None, about: list[dict[str, Any]]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": site.language,
        "isPartOf": {"@type": "WebSite", "name": site.title, "url": site.base_url},
        "about": about,
    }
    if last_reviewed:
        data["lastReviewed"] = last_reviewed
    return data


def _condition(condition: Condition, *, with_aliases: bool) -> list[dict[str, Any]]:
    if condition.group in TOPIC_GROUPS:
        return []
    data: dict[str, Any] = {"@type": "MedicalCondition", "name": condition.name}
    if with_aliases and condition.also_known_as:
        data["alternateName"] = list(condition.also_known_as)
    return [data]


def _citation(source: Source, url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "ScholarlyArticle" if source.kind.is_journal_article else "CreativeWork",
        "name": source.title,
        "url": url,
    }
    year = source.date[:4] if source.date else (str(source.year) if source.year else None)
    if year:
        data["datePublished"] = year
    return data
