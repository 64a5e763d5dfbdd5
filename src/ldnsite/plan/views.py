"""Views: the content resolved into what pages show (claims with their sources, conditions with their tiers).

Pure functions of the Database. Every decision a template must not make lives here or
in ``site.py``: which tier a claim is shown under, the order of claims and sources,
counts, links and dates.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import quote

from ldnsite.content.grading import Step, computed_certainty, format_number, grading_steps, outcome_statement
from ldnsite.content.model import (
    Citation,
    Claim,
    Condition,
    Database,
    Grade,
    LabelSection,
    LabelTopic,
    Outcome,
    RegistrationStatus,
    Role,
    Site,
    Source,
    SourceKind,
    Status,
    position,
)
from ldnsite.content.wording import Words, default_words, words_for
from ldnsite.memo import call
from ldnsite.problems import Location


def counted(count: int, noun: str, words: Words | None = None) -> str:
    """Return a count with its noun, in the locale's form for the number: '1 participant', '1,204 participants'.

    ``noun`` names the locale's ``count.<noun>`` strings; ``words`` are the site's (the English defaults without them).
    """
    return (words or default_words()).n(f"count.{noun}", count)


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
    label_path: str | None = None
    """The label page of a regulatory label (``labels/<id>.html``), where its sections are quoted."""


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
    section: LabelSection | None = None
    """The label section the citation names, if any, and its address on the label page."""
    section_path: str | None = None


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
    outcomes: tuple[OutcomeRow, ...] = ()
    findings_caption: str = ""
    rationale_label: str = ""
    words: Words | None = field(default=None, repr=False, compare=False, metadata={"internal": True})
    """The site's words, for ``why_grade``."""

    @property
    def why_grade(self) -> WhyGrade | None:
        """How the claim's certainty was reached, or none when the claim records no GRADE inputs.

        Made when a page asks for it (in the worker that renders the claim's page), not kept: a large
        site would otherwise hold half a dozen steps for every claim through the whole build.
        """
        return why_grade(self.claim, self.words)


@dataclass(frozen=True, slots=True)
class TierSection:
    """The claims of one status tier, as shown on a page."""

    status: Status
    heading_id: str
    claims: tuple[ClaimView, ...]
    summary: str = ""
    short: str = ""
    """A word or two for the tier, for counts ("3 off-label")."""


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
    research: tuple[ResearchItem, ...] = ()
    """Registered trials and protocols about the condition: "Research under way"."""
    outcomes: tuple[OutcomeRow, ...] = ()
    findings_caption: str = ""

    @property
    def tier_counts(self) -> tuple[tuple[Status, int, str], ...]:
        """Return (tier, number of claims, short tier name) for each tier that has claims, in tier order."""
        shorts = {tier.status: tier.short for tier in self.tiers}
        return tuple((status, count, shorts[status]) for status, count in self.counts.items() if count)


@dataclass(frozen=True, slots=True)
class ConditionGroupView:
    id: str
    name: str
    conditions: tuple[ConditionView, ...]


def claim_order(view: ClaimView) -> tuple[int, int, str]:
    """Sort claims by tier, then strongest grade first, then id."""
    return (view.claim.status.order, -view.claim.grade.rank, view.claim.id)


def source_view(source: Source, site: Site) -> SourceView:
    """Return a source with its page path, design label, year and outside links."""
    year = source.date[:4] if source.date else (str(source.year) if source.year else "n.d.")
    words = words_for(site)
    return SourceView(
        source,
        f"sources/{source.id}.html",
        words.kind(source.kind),
        year,
        tuple(_source_links(source, words)),
        label_path=label_path(source),
    )


def label_path(source: Source) -> str | None:
    """Return the path of a regulatory label's own page, or None for any other source."""
    return f"labels/{source.id}.html" if source.kind is SourceKind.REGULATORY_LABEL else None


def _source_links(source: Source, words: Words) -> Iterable[Link]:
    if source.pmid:
        yield Link("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/")
    if source.pmcid:
        yield Link("PubMed Central", f"https://www.ncbi.nlm.nih.gov/pmc/articles/{source.pmcid}/")
    if source.doi:
        yield Link("DOI", "https://doi.org/" + quote(source.doi, safe="/:;()._-"))
    if source.nct:
        yield Link("ClinicalTrials.gov", f"https://clinicaltrials.gov/study/{source.nct}")
    if source.dailymed_setid:
        yield Link(
            words("theme.links.dailymed"), f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={source.dailymed_setid}"
        )
    if source.url and not any(source.url.rstrip("/") == link.rstrip("/") for link in _plain_links(source)):
        yield Link(words("theme.links.web_page"), source.url)


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
    words = words_for(site)
    cited = tuple(_cited_source(c, source, words) for c, source in zip(claim.sources, sources, strict=True))
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
        outcomes=tuple(outcome_row(o, claim, sources, words) for o in claim.outcomes),
        findings_caption=words("theme.claim.findings_caption", claim=claim.title),
        rationale_label=words("theme.claim.rationale_exception" if claim.grading else "theme.claim.rationale"),
        words=words,
    )


def _cited_source(citation: Citation, source: SourceView, words: Words) -> CitedSource:
    """A citation with its source, and the label section it names resolved to its anchor on the label page."""
    if citation.section is None or source.label_path is None:
        return CitedSource(citation, source, words.label(citation.role))
    section = next((s for s in source.source.sections if s.id == citation.section), None)
    return CitedSource(citation, source, words.label(citation.role), section, f"{source.label_path}#{citation.section}")


# --- Summary of findings and "Why this grade" (issue 13) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """One row of a Summary-of-Findings table: an outcome with its GRADE sentence and its numbers in words."""

    outcome: Outcome
    statement: str
    measure_label: str
    effect: str
    size: str
    sources: tuple[Link, ...]
    claim_title: str
    claim_path: str


@dataclass(frozen=True, slots=True)
class WhyGrade:
    """How a claim's certainty was reached: the start, each GRADE domain, and the result."""

    start: Grade
    start_note: str
    steps: tuple[Step, ...]
    result: Grade
    stated: Grade

    @property
    def differs(self) -> bool:
        """True when the stated grade is not the computed one (the claim's rationale says why)."""
        return self.stated is not self.result


def outcome_row(outcome: Outcome, claim: Claim, sources: tuple[SourceView, ...], words: Words | None = None) -> OutcomeRow:
    """Return an outcome as a table row: the generated sentence, 'MD -0.34 (95% CI -0.95 to 0.27)', '99 (1 study)'."""
    words = words or default_words()
    by_id = {view.source.id: view for view in sources}
    effect = ""
    if outcome.estimate is not None and outcome.ci is not None:
        low, high = (format_number(bound) for bound in outcome.ci)
        effect = words(
            "theme.outcome.effect", measure=outcome.measure.value, estimate=format_number(outcome.estimate), low=low, high=high
        )
    size = words.n("theme.outcome.size", outcome.studies, participants=f"{outcome.participants:,}")
    links = tuple(Link(_short_reference(by_id[sid]), by_id[sid].path) for sid in outcome.sources if sid in by_id)
    return OutcomeRow(
        outcome,
        outcome_statement(outcome, words),
        words.label(outcome.measure),
        effect,
        size,
        links,
        claim.title,
        f"claims/{claim.id}.html",
    )


def _short_reference(view: SourceView) -> str:
    """'Poe 2024' from the first author's surname and the year; the source id when no author is recorded."""
    if not view.source.authors:
        return view.source.id
    return f"{view.source.authors[0].split(' ')[0]} {view.year}"


def why_grade(claim: Claim, words: Words | None = None) -> WhyGrade | None:
    """Return the steps from GRADE's start to the claim's certainty, or None when the claim records no inputs."""
    if claim.grading is None:
        return None
    start = claim.grading.start
    words = words or default_words()
    return WhyGrade(
        start.grade,
        words(f"grading.start_note.{start.value}"),
        grading_steps(claim.grading, words),
        computed_certainty(claim.grading),
        claim.grade,
    )


def _evidence_order(item: CitedSource) -> tuple[int, str, str]:
    """Strongest designs first, then newest, then id."""
    return (position(item.source.source.kind), _negate_year(item.source.year), item.source.source.id)


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
    pairs = zip(citing[0::2], citing[1::2], strict=True)  # (ClaimView, Citation), as _citing_views lays them out
    return SourceView(
        view.source,
        view.path,
        view.kind_label,
        view.year,
        view.links,
        tuple(CitingClaim(cast(ClaimView, claim), cast(Citation, citation)) for claim, citation in pairs),
        view.label_path,
    )


HOME_TOPIC_LIMIT = 8
"""How many conditions each tier names on the home page; the rest are a link to the evidence map."""


@dataclass(frozen=True, slots=True)
class TierTopic:
    """A condition named in a tier card on the home page, with the best certainty of its claims in that tier."""

    name: str
    path: str
    grade: Grade


def tier_topics(
    claims: list[ClaimView], skip_groups: frozenset[str] = frozenset()
) -> dict[Status, tuple[tuple[TierTopic, ...], int]]:
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
        best_so_far = best.get(view.condition.id)
        if best_so_far is None or view.claim.grade.rank > best_so_far.grade.rank:
            best[view.condition.id] = TierTopic(view.condition.name, view.condition_path, view.claim.grade)
    result = {}
    for status in Status:
        topics = sorted(
            (topic for cid, topic in best.items() if strongest[cid].claim.status is status),
            key=lambda t: (-t.grade.rank, t.name.lower()),
        )
        result[status] = (tuple(topics[:HOME_TOPIC_LIMIT]), max(0, len(topics) - HOME_TOPIC_LIMIT))
    return result


def tier_sections(claims: Iterable[ClaimView], prefix: str, site: Site) -> tuple[TierSection, ...]:
    """Return one section per tier, always all three and in tier order, each holding only its own claims."""
    tiers = words_for(site).tiers
    by_status: dict[Status, list[ClaimView]] = {status: [] for status in Status}
    for view in claims:
        by_status[view.claim.status].append(view)
    return tuple(
        TierSection(status, f"{prefix}{status.value}", tuple(by_status[status]), tiers[status].summary, tiers[status].short)
        for status in Status
    )


def condition_view(
    condition: Condition, claims: tuple[ClaimView, ...], site: Site, research: tuple[ResearchItem, ...] = ()
) -> ConditionView:
    """Return a condition with its claims by tier, counts, latest review date, the sources it cites and the research under way."""
    groups = {g.id: g.name for g in site.condition_groups}
    counts = {status: sum(1 for v in claims if v.claim.status is status) for status in Status}
    tiers = tier_sections(claims, "tier-", site)
    return ConditionView(
        condition=condition,
        path=f"conditions/{condition.id}.html",
        group_name=groups.get(condition.group, condition.group),
        tiers=tiers,
        claim_count=len(claims),
        reviewed=max(v.claim.reviewed for v in claims),
        counts=counts,
        references=_references(tiers),
        research=research,
        outcomes=tuple(row for tier in tiers for view in tier.claims for row in view.outcomes),
        findings_caption=words_for(site)("page.condition.findings_caption", condition=condition.name),
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


@dataclass(frozen=True, slots=True)
class ResearchItem:
    """A registered trial (or a published protocol) listed under "Research under way" on a condition's page."""

    source: SourceView
    status: str
    """The locale's key of where the trial stands."""
    results: str
    """The locale's key of whether it has results."""


def research_under_way(
    condition: Condition, claims: tuple[ClaimView, ...], registrations: tuple[SourceView, ...]
) -> tuple[ResearchItem, ...]:
    """Return the registrations and protocols whose ``conditions`` name the condition or that its claims cite.

    Trials still running come first (in the order of ``RegistrationStatus``), then finished ones; then by id.
    """
    cited = {item.citation.id for view in claims for item in view.cited}
    chosen = [v for v in registrations if condition.id in v.source.conditions or v.source.id in cited]
    order = {status: index for index, status in enumerate(RegistrationStatus)}
    unknown = len(order)
    chosen.sort(key=lambda v: (order[v.source.registration_status] if v.source.registration_status else unknown, v.source.id))
    return tuple(ResearchItem(v, *_research_text(v.source)) for v in chosen)


def _research_text(source: Source) -> tuple[str, str]:
    """The locale's keys of where a trial stands and whether it has results (the page says them in its words)."""
    status = (
        f"registration_status.{source.registration_status.value}" if source.registration_status else "theme.research.protocol"
    )
    if source.results_posted:
        results = "theme.research.results_posted"
    elif source.results_posted is False:
        results = "theme.research.no_results_yet"
    else:
        results = "theme.research.no_results"
    return status, results


@dataclass(frozen=True, slots=True)
class LabelSectionView:
    """One quoted section of a label, with the claims that cite it."""

    section: LabelSection
    citing: tuple[CitingClaim, ...]


@dataclass(frozen=True, slots=True)
class LabelTopicGroup:
    """The sections of a label on one topic, under one heading of the label page."""

    topic: LabelTopic
    heading_id: str
    sections: tuple[LabelSectionView, ...]


@dataclass(frozen=True, slots=True)
class LabelView:
    """A regulatory label's page: its sections grouped by topic, in ``LabelTopic`` order."""

    source: SourceView
    path: str
    topics: tuple[LabelTopicGroup, ...]
    citing_whole: tuple[CitingClaim, ...]
    """Claims that cite the label without naming a section."""


def label_view(source: SourceView) -> LabelView:
    """Return the label page of a regulatory label (``source`` with its citing claims)."""
    by_section: dict[str, list[CitingClaim]] = defaultdict(list)
    whole = []
    for item in source.citing:
        if item.citation.section:
            by_section[item.citation.section].append(item)
        else:
            whole.append(item)
    topics = []
    for topic in LabelTopic:
        sections = tuple(LabelSectionView(s, tuple(by_section.get(s.id, ()))) for s in source.source.sections if s.topic is topic)
        if sections:
            topics.append(LabelTopicGroup(topic, f"topic-{topic.value}", sections))
    return LabelView(source, source.label_path or f"labels/{source.source.id}.html", tuple(topics), tuple(whole))
