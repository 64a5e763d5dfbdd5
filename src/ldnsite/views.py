"""Views: the content resolved into what pages show (claims with their sources, conditions with their tiers).

Pure functions of the Database. Every decision a template must not make lives here or
in ``site.py``: which tier a claim is shown under, the order of claims and sources,
counts, links and dates.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from ldnsite.memo import call
from ldnsite.model import Citation, Claim, Condition, Database, Grade, Role, Site, Source, SourceKind, Status
from ldnsite.problems import Location

TIER_SUMMARY = {
    Status.FDA_APPROVED: "On the FDA label of standard-dose naltrexone.",
    Status.OFF_LABEL: "Not on any label, but tested in people. Most uses of LDN are here.",
    Status.ANECDOTAL: "Said in articles, testimonials or case reports, or seen only in the lab.",
}
"""One line per tier, where the full description would be too long (the home page)."""

def counted(count: int, noun: str, plural: str | None = None) -> str:
    """Return a count with its noun, singular for one: '1 participant', '1,204 participants'."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


TIER_SHORT = {Status.FDA_APPROVED: "FDA-approved", Status.OFF_LABEL: "off-label", Status.ANECDOTAL: "anecdotal"}
"""A word or two per tier, for counts ("3 off-label")."""


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
    source_file: str = ""
    source_line: int = 0


@dataclass(frozen=True, slots=True)
class TierSection:
    """The claims of one status tier, as shown on a page."""

    status: Status
    heading_id: str
    claims: tuple[ClaimView, ...]
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ConditionView:
    condition: Condition
    path: str
    group_name: str
    tiers: tuple[TierSection, ...]
    claim_count: int
    reviewed: str
    counts: dict[Status, int]
    references: tuple[SourceView, ...] = ()

    @property
    def tier_counts(self) -> tuple[tuple[Status, int, str], ...]:
        """Return (tier, number of claims, short tier name) for each tier that has claims, in tier order."""
        return tuple((status, count, TIER_SHORT[status]) for status, count in self.counts.items() if count)


@dataclass(frozen=True, slots=True)
class ConditionGroupView:
    id: str
    name: str
    conditions: tuple[ConditionView, ...]


def claim_order(view: ClaimView) -> tuple[int, int, str]:
    """Sort claims by tier, then strongest grade first, then id."""
    return (view.claim.status.order, -view.claim.grade.rank, view.claim.id)


def source_view(source: Source) -> SourceView:
    """Return a source with its page path, design label, year and outside links."""
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
    if source.dailymed_setid:
        links.append(f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={source.dailymed_setid}")
    return links


def claim_view(claim: Claim, condition: Condition, sources: tuple[SourceView, ...], site: Site) -> ClaimView:
    """Return a claim with its sources resolved and split by role, evidence strongest design first.

    ``sources`` are the views of the sources the claim cites, in the order it cites them.
    """
    cited = tuple(CitedSource(c, source, c.role.label) for c, source in zip(claim.sources, sources, strict=True))
    by_role = defaultdict(list)
    for item in cited:
        by_role[item.citation.role].append(item)
    evidence = sorted(by_role[Role.SUPPORTS] + by_role[Role.CONTRADICTS], key=_evidence_order)
    return ClaimView(
        claim=claim,
        condition=condition,
        condition_path=sys.intern(f"conditions/{condition.id}.html"),  # one string per condition, not per claim
        path=f"claims/{claim.id}.html",
        anchor=claim.id,
        cited=cited,
        evidence=tuple(evidence),
        asserted_by=tuple(by_role[Role.ASSERTS]),
        background=tuple(by_role[Role.BACKGROUND]),
        edit_url=_edit_url(site, claim.location),
        source_file=claim.location.path,
        source_line=claim.location.line,
    )


def _evidence_order(item: CitedSource) -> tuple[int, str, str]:
    """Strongest designs first, then newest, then id."""
    kinds = list(SourceKind)
    return (kinds.index(item.source.source.kind), _negate_year(item.source.year), item.source.source.id)


def _negate_year(year: str) -> str:
    return "".join(chr(ord("9") - ord(ch) + ord("0")) if ch.isdigit() else ch for ch in year)


def _edit_url(site: Site, location: Location) -> str | None:
    if not site.repository_url or not location.path:
        return None
    # Interned: the claims of one file share one address (150 bytes each, for every claim of a large site).
    return sys.intern(f"{site.repository_url.rstrip('/')}/edit/{site.repository_branch}/{location.path}")


def with_citing(sources: dict[str, SourceView], claims: list[ClaimView], memo: Callable = call) -> dict[str, SourceView]:
    """Return the sources, sorted by id, each with the claims that cite it (in claim order).

    With a ``memo``, a source whose citing claims are the same objects as last time keeps its view.
    """
    citing: dict[str, list[ClaimView | Citation]] = defaultdict(list)
    for view in claims:
        for item in view.cited:
            citing[item.citation.id] += (view, item.citation)  # flat pairs: the memo looks one level into a tuple
    empty: list = []
    return {sid: memo(_source_with_citing, v, tuple(citing.get(sid, empty))) for sid, v in sorted(sources.items())}


def _source_with_citing(view: SourceView, citing: tuple[ClaimView | Citation, ...]) -> SourceView:
    """``citing`` alternates each citing claim's view and its citation."""
    pairs = zip(citing[0::2], citing[1::2], strict=True)
    return SourceView(view.source, view.path, view.kind_label, view.year, view.links,
                      tuple(CitingClaim(claim, citation) for claim, citation in pairs))


HOME_TOPIC_LIMIT = 8
"""How many conditions each tier names on the home page; the rest are a link to the evidence map."""


@dataclass(frozen=True, slots=True)
class TierTopic:
    """A condition named in a tier card on the home page, with the best certainty of its claims in that tier."""

    name: str
    path: str
    grade: Grade


def tier_topics(claims: list[ClaimView], skip_groups: frozenset[str] = frozenset()) -> dict[Status, tuple[tuple[TierTopic, ...], int]]:
    """Return, for each tier, the conditions whose strongest tier it is, best certainty first, and how many were left out.

    Each condition is named once, under the strongest tier any of its claims reaches, so the home page
    says what is approved, what is studied (and how well) and what is only claimed. Conditions in
    ``skip_groups`` (topics such as safety, which are not uses) are left out.
    """
    strongest: dict[str, ClaimView] = {}
    for view in claims:
        if view.condition.group in skip_groups:
            continue
        cid = view.condition.id
        old = strongest.get(cid)
        if old is None or view.claim.status.order < old.claim.status.order:
            strongest[cid] = view
    best: dict[str, TierTopic] = {}
    for view in claims:
        top = strongest.get(view.condition.id)
        if top is None or view.claim.status is not top.claim.status:
            continue
        old = best.get(view.condition.id)
        if old is None or view.claim.grade.rank > old.grade.rank:
            best[view.condition.id] = TierTopic(view.condition.name, view.condition_path, view.claim.grade)
    result = {}
    for status in Status:
        topics = sorted((topic for cid, topic in best.items() if strongest[cid].claim.status is status),
                        key=lambda t: (-t.grade.rank, t.name.lower()))
        result[status] = (tuple(topics[:HOME_TOPIC_LIMIT]), max(0, len(topics) - HOME_TOPIC_LIMIT))
    return result


def tier_sections(claims: list[ClaimView], prefix: str) -> tuple[TierSection, ...]:
    """Return one section per tier, always all three and in tier order, each holding only its own claims."""
    by_status: dict[Status, list[ClaimView]] = {status: [] for status in Status}
    for view in claims:
        by_status[view.claim.status].append(view)
    return tuple(TierSection(status, f"{prefix}{status.value}", tuple(by_status[status]), TIER_SUMMARY[status]) for status in Status)


def condition_view(condition: Condition, claims: tuple[ClaimView, ...], site: Site) -> ConditionView:
    """Return a condition with its claims by tier, counts, latest review date and the sources it cites."""
    groups = {g.id: g.name for g in site.condition_groups}
    counts = {status: sum(1 for v in claims if v.claim.status is status) for status in Status}
    tiers = tier_sections(claims, "tier-")
    return ConditionView(
        condition=condition,
        path=f"conditions/{condition.id}.html",
        group_name=groups.get(condition.group, condition.group),
        tiers=tiers,
        claim_count=len(claims),
        reviewed=max(v.claim.reviewed for v in claims),
        counts=counts,
        references=_references(tiers),
    )


def _references(tiers: tuple[TierSection, ...]) -> tuple[SourceView, ...]:
    """Every source the page cites, once, in the order a reader meets it."""
    seen: dict[str, SourceView] = {}
    for tier in tiers:
        for view in tier.claims:
            for item in (*view.evidence, *view.asserted_by, *view.background):
                seen.setdefault(item.source.source.id, item.source)
    return tuple(seen.values())


def grouped_conditions(db: Database, views: list[ConditionView]) -> tuple[ConditionGroupView, ...]:
    """Return the conditions under their groups, groups in site.yaml order, conditions by name."""
    result = []
    for group in db.site.condition_groups:
        members = sorted((v for v in views if v.condition.group == group.id), key=lambda v: v.condition.name.lower())
        if members:
            result.append(ConditionGroupView(group.id, group.name, tuple(members)))
    return tuple(result)
