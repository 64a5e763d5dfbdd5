"""Plan the site: which pages exist, at which paths, with which data.

This module is pure: it takes the Database and returns a list of Pages (no templates,
no I/O). Every decision a template must not make lives here: which tier a claim is
shown under, the order of claims and sources, counts, links and dates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from ldnsite.model import Citation, Claim, Condition, Database, Grade, Role, Source, SourceKind, Status, Verdict, Direction
from ldnsite.problems import Location, Problem, error

HOME_TIER_LIMIT = 12
"""How many claims each tier lists on the home page before linking to the full map."""


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source with everything a page shows about it."""

    source: Source
    path: str
    kind_label: str
    year: str
    links: tuple[Link, ...]
    citing: tuple[CitingClaim, ...] = ()


@dataclass(frozen=True, slots=True)
class CitingClaim:
    """A claim as seen from one of its sources."""

    claim: ClaimView
    citation: Citation


@dataclass(frozen=True, slots=True)
class CitedSource:
    """One source as cited by a claim."""

    citation: Citation
    source: SourceView
    role_label: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim with its condition, resolved sources and paths."""

    claim: Claim
    condition: Condition
    condition_path: str
    path: str
    anchor: str
    cited: tuple[CitedSource, ...]
    evidence: tuple[CitedSource, ...]
    asserted_by: tuple[CitedSource, ...]
    background: tuple[CitedSource, ...]
    edit_url: str | None


@dataclass(frozen=True, slots=True)
class TierSection:
    """The claims of one status tier, as shown on a page."""

    status: Status
    heading_id: str
    claims: tuple[ClaimView, ...]
    more: int = 0


@dataclass(frozen=True, slots=True)
class ConditionView:
    condition: Condition
    path: str
    group_name: str
    tiers: tuple[TierSection, ...]
    claim_count: int
    reviewed: str
    counts: dict[Status, int]


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: its path inside the site, the template that renders it and its data."""

    path: str
    template: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    lastmod: str | None = None
    root_override: str | None = None

    @property
    def root(self) -> str:
        """Prefix from this page back to the site root: relative (e.g. '../'), except where overridden.

        The 404 page is served at any address, so its links start from the site's own path instead.
        """
        if self.root_override is not None:
            return self.root_override
        return "../" * self.path.count("/")


def plan_site(db: Database) -> tuple[list[Page], list[Problem]]:
    """Return every page of the site, in a stable order, and any path collisions."""
    sources = {s.id: _source_view(s) for s in db.sources}
    conditions = {c.id: c for c in db.conditions}
    claims = [_claim_view(claim, conditions[db.claim_condition[claim.id]], sources, db) for claim in db.claims]
    claims.sort(key=claim_order)
    sources = _with_citing(sources, claims)
    condition_views = [_condition_view(c, [v for v in claims if v.condition.id == c.id], db) for c in db.conditions]
    groups = _grouped_conditions(db, condition_views)
    pages = [
        _home_page(db, claims, groups),
        *(_condition_page(view) for view in condition_views),
        *(_claim_page(view) for view in claims),
        _sources_page(list(sources.values())),
        *(_source_page(view) for view in sources.values()),
        _methodology_page(),
        Page("disclaimer.html", "disclaimer.html", "Medical disclaimer", "What this site is and is not: read before acting on anything here."),
        Page("404.html", "404.html", "Page not found", "The page you asked for does not exist.", in_sitemap=False,
             root_override=urlsplit(db.site.base_url).path),
    ]
    return pages, _collisions(pages)


def claim_order(view: ClaimView) -> tuple[int, int, str]:
    """Sort claims by tier, then strongest grade first, then id."""
    return (view.claim.status.order, -view.claim.grade.rank, view.claim.id)


def _source_view(source: Source) -> SourceView:
    year = source.date[:4] if source.date else (str(source.year) if source.year else "n.d.")
    return SourceView(source, f"sources/{source.id}.html", source.kind.label, year, tuple(_source_links(source)))


def _source_links(source: Source) -> Iterable[Link]:
    if source.pmid:
        yield Link("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/")
    if source.pmcid:
        yield Link("PubMed Central", f"https://www.ncbi.nlm.nih.gov/pmc/articles/{source.pmcid}/")
    if source.doi:
        yield Link("DOI", "https://doi.org/" + quote(source.doi, safe="/:;()._-"))
    if source.nct:
        yield Link("ClinicalTrials.gov", f"https://clinicaltrials.gov/study/{source.nct}")
    if source.dailymed_setid:
        yield Link("DailyMed label", f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={source.dailymed_setid}")
    if source.url and not any(source.url.rstrip("/") == link.rstrip("/") for link in _plain_links(source)):
        yield Link("Web page", source.url)


def _plain_links(source: Source) -> list[str]:
    links = []
    if source.pmid:
        links.append(f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/")
    if source.doi:
        links.append("https://doi.org/" + quote(source.doi, safe="/:;()._-"))
    return links


def _claim_view(claim: Claim, condition: Condition, sources: dict[str, SourceView], db: Database) -> ClaimView:
    cited = tuple(CitedSource(c, sources[c.id], c.role.label) for c in claim.sources)
    by_role = defaultdict(list)
    for item in cited:
        by_role[item.citation.role].append(item)
    evidence = sorted(by_role[Role.SUPPORTS] + by_role[Role.CONTRADICTS], key=_evidence_order)
    return ClaimView(
        claim=claim,
        condition=condition,
        condition_path=f"conditions/{condition.id}.html",
        path=f"claims/{claim.id}.html",
        anchor=claim.id,
        cited=cited,
        evidence=tuple(evidence),
        asserted_by=tuple(by_role[Role.ASSERTS]),
        background=tuple(by_role[Role.BACKGROUND]),
        edit_url=_edit_url(db, claim.location),
    )


def _evidence_order(item: CitedSource) -> tuple[int, str, str]:
    """Strongest designs first, then newest, then id."""
    kinds = list(SourceKind)
    return (kinds.index(item.source.source.kind), _negate_year(item.source.year), item.source.source.id)


def _negate_year(year: str) -> str:
    return "".join(chr(ord("9") - ord(ch) + ord("0")) if ch.isdigit() else ch for ch in year)


def _edit_url(db: Database, location: Location) -> str | None:
    site = db.site
    if not site.repository_url:
        return None
    return f"{site.repository_url.rstrip('/')}/edit/{site.repository_branch}/{location.path}"


def _with_citing(sources: dict[str, SourceView], claims: list[ClaimView]) -> dict[str, SourceView]:
    citing: dict[str, list[CitingClaim]] = defaultdict(list)
    for view in claims:
        for item in view.cited:
            citing[item.citation.id].append(CitingClaim(view, item.citation))
    return {
        sid: SourceView(v.source, v.path, v.kind_label, v.year, v.links, tuple(citing[sid]))
        for sid, v in sorted(sources.items())
    }


def _tier_sections(claims: list[ClaimView], prefix: str, limit: int | None = None) -> tuple[TierSection, ...]:
    sections = []
    for status in Status:
        in_tier = [v for v in claims if v.claim.status is status]
        shown = in_tier[:limit] if limit else in_tier
        sections.append(TierSection(status, f"{prefix}{status.value}", tuple(shown), len(in_tier) - len(shown)))
    return tuple(sections)


def _condition_view(condition: Condition, claims: list[ClaimView], db: Database) -> ConditionView:
    groups = {g.id: g.name for g in db.site.condition_groups}
    counts = {status: sum(1 for v in claims if v.claim.status is status) for status in Status}
    return ConditionView(
        condition=condition,
        path=f"conditions/{condition.id}.html",
        group_name=groups.get(condition.group, condition.group),
        tiers=_tier_sections(claims, "tier-"),
        claim_count=len(claims),
        reviewed=max(v.claim.reviewed for v in claims),
        counts=counts,
    )


@dataclass(frozen=True, slots=True)
class ConditionGroupView:
    id: str
    name: str
    conditions: tuple[ConditionView, ...]


def _grouped_conditions(db: Database, views: list[ConditionView]) -> tuple[ConditionGroupView, ...]:
    result = []
    for group in db.site.condition_groups:
        members = sorted((v for v in views if v.condition.group == group.id), key=lambda v: v.condition.name.lower())
        if members:
            result.append(ConditionGroupView(group.id, group.name, tuple(members)))
    return tuple(result)


def _home_page(db: Database, claims: list[ClaimView], groups: tuple[ConditionGroupView, ...]) -> Page:
    return Page(
        "index.html",
        "index.html",
        db.site.title,
        db.site.tagline,
        {"tiers": _tier_sections(claims, "home-", HOME_TIER_LIMIT), "groups": groups, "claim_count": len(claims),
         "latest_review": max((v.claim.reviewed for v in claims), default=None)},
        lastmod=max((v.claim.reviewed for v in claims), default=None),
    )


def _condition_page(view: ConditionView) -> Page:
    name = view.condition.name
    return Page(view.path, "condition.html", f"{name}: naltrexone and LDN evidence",
                f"What studies show, and what is only claimed, about naltrexone and low-dose naltrexone for {name.lower()}.",
                {"view": view}, lastmod=view.reviewed)


def _claim_page(view: ClaimView) -> Page:
    claim = view.claim
    return Page(view.path, "claim.html", f"{claim.title} ({claim.status.label}, {claim.grade.label.lower()} certainty)",
                f"{claim.status.label}. Certainty of evidence: {claim.grade.label.lower()}. {claim.verdict.label}.",
                {"view": view}, lastmod=claim.reviewed)


def _sources_page(sources: list[SourceView]) -> Page:
    by_kind = [(kind, tuple(v for v in sources if v.source.kind is kind)) for kind in SourceKind]
    return Page("sources/index.html", "sources.html", "Sources and bibliography",
                "Every study, label and article cited on this site, with the claims that cite it.",
                {"by_kind": tuple((kind, items) for kind, items in by_kind if items), "count": len(sources)})


def _source_page(view: SourceView) -> Page:
    source = view.source
    return Page(view.path, "source.html", f"{source.title} ({view.year})",
                f"{view.kind_label}: {source.title}"[:300],
                {"view": view, "claim_check": source.kind.has_claim_check})


def _methodology_page() -> Page:
    kinds = tuple((kind, kind.max_grade) for kind in SourceKind)
    return Page("methodology.html", "methodology.html", "How we grade the evidence",
                "The three tiers, the GRADE certainty levels and the rules every claim on this site must pass.",
                {"statuses": tuple(Status), "grades": tuple(Grade), "directions": tuple(Direction),
                 "verdicts": tuple(Verdict), "roles": tuple(Role), "kinds": kinds})


def _collisions(pages: list[Page]) -> list[Problem]:
    seen: dict[str, Page] = {}
    problems = []
    for page in pages:
        key = page.path.lower()
        if key in seen:
            problems.append(error(Location("content"), "site.url-collision",
                                  f"two pages would be written to '{page.path}' ({seen[key].title!r} and {page.title!r})",
                                  "give one of them a different id"))
        seen[key] = page
    return problems
