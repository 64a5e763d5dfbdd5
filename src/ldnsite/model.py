"""The content model: the one definition of every content file's fields.

Each dataclass field carries its editor-facing documentation and its validation
kind in ``metadata`` (see :func:`spec`). ``schema.py`` validates raw YAML against
these definitions, ``jsonschema.py`` exports them for editors, and the README's
field tables are checked against them by ``tests/test_docs.py``. Nothing about the
content format is written down twice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from ldnsite.pickling import pickled_by_slots
from ldnsite.problems import Location

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Ids are lowercase ASCII letters and digits joined by single hyphens (kebab-case)."""

ID_MAX_LENGTH = 64


def spec(
    doc: str,
    *,
    kind: str = "text",
    required: bool = True,
    default: Any = None,
    example: Any = None,
    choices: type[enum.Enum] | None = None,
    item: type | None = None,
    max_length: int | None = None,
) -> Any:
    """Declare a content field: its documentation for editors and how it is validated.

    ``kind`` is one of: ``id``, ``ref`` (an id of another object), ``text`` (one
    line of plain text), ``markdown``, ``int``, ``date`` (YYYY-MM-DD), ``year``,
    ``url``, ``pmid``, ``pmcid``, ``doi``, ``nct``, ``uuid``, ``dose``, ``choice``
    (a value of ``choices``), ``list`` (of ``item``: a kind name or a record class),
    ``record`` (a mapping described by ``item``).
    """
    metadata = {
        "doc": doc,
        "kind": kind,
        "required": required,
        "example": example,
        "choices": choices,
        "item": item,
        "max_length": max_length,
    }
    if required:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


def _location() -> Any:
    # Compared like any field: pages show where a claim is written (edit links), so a moved claim is a changed claim.
    return field(default=Location.unknown(), repr=False, metadata={"internal": True})


class Status(enum.StrEnum):
    """The three tiers a claim can be in. The order is the order of sections on every page."""

    FDA_APPROVED = "fda-approved"
    OFF_LABEL = "off-label"
    ANECDOTAL = "anecdotal"

    @property
    def order(self) -> int:
        return _STATUS_ORDER[self]

    @property
    def label(self) -> str:
        return _STATUS_TEXT[self][0]

    @property
    def description(self) -> str:
        return _STATUS_TEXT[self][1]


_STATUS_ORDER = {status: index for index, status in enumerate(Status)}
"""Position of each tier (0 for the first): looked up for every claim when pages are sorted."""

_STATUS_TEXT = {
    Status.FDA_APPROVED: (
        "FDA-approved",
        "Uses and facts on the FDA-approved label of standard-dose naltrexone (50 mg tablets, "
        "380 mg monthly injection, or naltrexone-bupropion). Backed by a regulatory source.",
    ),
    Status.OFF_LABEL: (
        "Off-label, studied in humans",
        "Uses that are not on any FDA label (this includes every use of low-dose naltrexone, "
        "1-5 mg) but that have been tested in at least one study in people. "
        "The grade says how much the studies can be trusted.",
    ),
    Status.ANECDOTAL: (
        "Anecdotal: claimed, not shown",
        "Claims made in web articles, testimonials or case reports, or resting only on "
        "laboratory and animal work. No study in people that we could verify supports them.",
    ),
}


class Grade(enum.StrEnum):
    """GRADE certainty of evidence, from highest to lowest."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"

    @property
    def rank(self) -> int:
        """Return 4 for high down to 1 for very low."""
        return _GRADE_RANK[self]

    @property
    def label(self) -> str:
        return _GRADE_TEXT[self][0]

    @property
    def symbol(self) -> str:
        return _GRADE_TEXT[self][1]

    @property
    def verb(self) -> str:
        """GRADE's standard wording for a finding at this certainty."""
        return _GRADE_TEXT[self][2]

    @property
    def description(self) -> str:
        return _GRADE_TEXT[self][3]


_GRADE_RANK = {grade: len(Grade) - index for index, grade in enumerate(Grade)}

_GRADE_TEXT = {
    Grade.HIGH: (
        "High",
        "⊕⊕⊕⊕",
        "reduces / improves",
        "We are very confident that the true effect is close to what the studies found. "
        "Further research is very unlikely to change this.",
    ),
    Grade.MODERATE: (
        "Moderate",
        "⊕⊕⊕◯",
        "probably",
        "We are moderately confident. The true effect is likely close to what the studies "
        "found, but it may be substantially different.",
    ),
    Grade.LOW: (
        "Low",
        "⊕⊕◯◯",
        "may",
        "Our confidence is limited. The true effect may be substantially different from what "
        "the studies found.",
    ),
    Grade.VERY_LOW: (
        "Very low",
        "⊕◯◯◯",
        "very uncertain",
        "We have very little confidence. The true effect is likely to be substantially "
        "different from what was found or claimed.",
    ),
}


class Direction(enum.StrEnum):
    """What the studies found, whatever the claim said."""

    BENEFIT = "benefit"
    NO_BENEFIT = "no-benefit"
    MIXED = "mixed"
    HARM = "harm"
    NO_HARM = "no-harm"
    NOT_STUDIED = "not-studied"
    NOT_REPORTED = "not-reported"
    NOT_APPLICABLE = "not-applicable"

    @property
    def label(self) -> str:
        return _DIRECTION_TEXT[self]


_DIRECTION_TEXT = {
    Direction.BENEFIT: "Studies found a benefit",
    Direction.NO_BENEFIT: "Studies found no benefit",
    Direction.MIXED: "Mixed: studies disagree",
    Direction.HARM: "Studies found harm",
    Direction.NO_HARM: "Studies found no serious harm",
    Direction.NOT_STUDIED: "Not studied in people",
    Direction.NOT_REPORTED: "Not reported in the sources we checked",
    Direction.NOT_APPLICABLE: "Not a treatment effect (a fact about the medicine or its regulation)",
}


class Verdict(enum.StrEnum):
    """How the evidence judges the claim as it is usually made."""

    SUPPORTED = "supported"
    UNCERTAIN = "uncertain"
    NOT_SUPPORTED = "not-supported"
    CONTRADICTED = "contradicted"

    @property
    def label(self) -> str:
        return _VERDICT_TEXT[self]


_VERDICT_TEXT = {
    Verdict.SUPPORTED: "Supported by the evidence",
    Verdict.UNCERTAIN: "Uncertain: evidence too weak or too mixed",
    Verdict.NOT_SUPPORTED: "Not supported: no good evidence for it",
    Verdict.CONTRADICTED: "Contradicted by the evidence",
}


class SourceKind(enum.StrEnum):
    """The design of a source. It decides which tier and grade it can support."""

    REGULATORY_LABEL = "regulatory-label"
    REGULATORY_APPROVAL = "regulatory-approval"
    REGULATORY_RECORD = "regulatory-record"
    SYSTEMATIC_REVIEW = "systematic-review"
    RANDOMIZED_TRIAL = "randomized-trial"
    NON_RANDOMIZED_STUDY = "non-randomized-study"
    CASE_SERIES = "case-series"
    CASE_REPORT = "case-report"
    NARRATIVE_REVIEW = "narrative-review"
    REFERENCE_WORK = "reference-work"
    TRIAL_PROTOCOL = "trial-protocol"
    PRECLINICAL = "preclinical"
    COMMENTARY = "commentary"
    WEB_ARTICLE = "web-article"
    TESTIMONIAL = "testimonial"

    @property
    def label(self) -> str:
        return _KIND_TEXT[self][0]

    @property
    def max_grade(self) -> Grade:
        """The highest grade that this design alone can support."""
        return _KIND_TEXT[self][1]

    @property
    def is_regulatory(self) -> bool:
        return self in (SourceKind.REGULATORY_LABEL, SourceKind.REGULATORY_APPROVAL)

    @property
    def is_human_study(self) -> bool:
        """True for designs that test a treatment in people (case reports do not count)."""
        return self in (
            SourceKind.SYSTEMATIC_REVIEW,
            SourceKind.RANDOMIZED_TRIAL,
            SourceKind.NON_RANDOMIZED_STUDY,
        )

    @property
    def is_anecdotal(self) -> bool:
        """True for sources that on their own can only back an anecdotal claim."""
        return self in (
            SourceKind.WEB_ARTICLE,
            SourceKind.TESTIMONIAL,
            SourceKind.CASE_REPORT,
            SourceKind.CASE_SERIES,
        )

    @property
    def has_claim_check(self) -> bool:
        """True for sources whose page compares what they claim with the evidence."""
        return self in (SourceKind.WEB_ARTICLE, SourceKind.TESTIMONIAL)


_KIND_TEXT = {
    SourceKind.REGULATORY_LABEL: ("FDA label (prescribing information)", Grade.MODERATE),
    SourceKind.REGULATORY_APPROVAL: ("FDA approval", Grade.MODERATE),
    SourceKind.REGULATORY_RECORD: ("Regulatory database record", Grade.VERY_LOW),
    SourceKind.SYSTEMATIC_REVIEW: ("Systematic review or meta-analysis", Grade.HIGH),
    SourceKind.RANDOMIZED_TRIAL: ("Randomized controlled trial", Grade.MODERATE),
    SourceKind.NON_RANDOMIZED_STUDY: ("Non-randomized or observational study", Grade.LOW),
    SourceKind.CASE_SERIES: ("Case series", Grade.VERY_LOW),
    SourceKind.CASE_REPORT: ("Case report", Grade.VERY_LOW),
    SourceKind.NARRATIVE_REVIEW: ("Narrative review", Grade.VERY_LOW),
    SourceKind.REFERENCE_WORK: ("Clinical reference work", Grade.LOW),
    SourceKind.TRIAL_PROTOCOL: ("Trial protocol (no results)", Grade.VERY_LOW),
    SourceKind.PRECLINICAL: ("Laboratory or animal study", Grade.VERY_LOW),
    SourceKind.COMMENTARY: ("Letter or commentary", Grade.VERY_LOW),
    SourceKind.WEB_ARTICLE: ("Web article", Grade.VERY_LOW),
    SourceKind.TESTIMONIAL: ("Testimonial", Grade.VERY_LOW),
}


class Role(enum.StrEnum):
    """What a cited source does for a claim."""

    ASSERTS = "asserts"
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    BACKGROUND = "background"

    @property
    def label(self) -> str:
        return _ROLE_TEXT[self]

    @property
    def is_evidence(self) -> bool:
        """True when the source is cited as evidence about the claim, not as its origin."""
        return self in (Role.SUPPORTS, Role.CONTRADICTS)


_ROLE_TEXT = {
    Role.ASSERTS: "Makes this claim",
    Role.SUPPORTS: "Evidence for",
    Role.CONTRADICTS: "Evidence against",
    Role.BACKGROUND: "Background",
}


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class ConditionGroup:
    """A heading under which conditions are listed (for example 'Pain' or 'Safety')."""

    id: str = spec("Short id of the group, kebab-case.", kind="id", example="pain")
    name: str = spec("Heading shown to readers.", example="Pain conditions")
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Site:
    """`content/site.yaml`: settings for the whole site."""

    title: str = spec("Site title, shown in every page header and in browser tabs.", example="LDN Evidence")
    tagline: str = spec("One sentence under the title on the home page.", example="What is known about naltrexone.")
    base_url: str = spec(
        "Absolute URL where the site is published, ending in '/'. May include a sub-path.",
        kind="url",
        example="https://example.org/ldn/",
    )
    language: str = spec("Language of the content, as a BCP 47 tag.", example="en")
    disclaimer: str = spec("Medical disclaimer in Markdown, shown on every page and on the disclaimer page.", kind="markdown")
    condition_groups: tuple[ConditionGroup, ...] = spec(
        "Ordered list of groups; every condition names one of them in its `group`.",
        kind="list",
        item=ConditionGroup,
    )
    repository_url: str | None = spec(
        "Web address of the source repository; enables 'edit this claim' links.",
        kind="url",
        required=False,
        example="https://github.com/example/ldnsite",
    )
    repository_branch: str = spec(
        "Branch that edit links point at.", required=False, default="main", example="main"
    )
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Citation:
    """One source cited by a claim, with what it does for the claim."""

    id: str = spec("Id of a source in `content/sources/`.", kind="ref", example="bruun2024")
    role: Role = spec(
        "What the source does for the claim: `asserts` (it makes the claim), `supports`, "
        "`contradicts`, or `background`.",
        kind="choice",
        choices=Role,
    )
    locator: str | None = spec(
        "Where in the source: a page, section or table.", required=False, example="Table 2"
    )
    quote: str | None = spec(
        "A short quote (at most 300 characters). Required when the role is `asserts`.",
        required=False,
        max_length=300,
    )
    finding: str | None = spec(
        "What this source found for this claim, in one plain sentence.", required=False
    )
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Claim:
    """One claim about naltrexone, with the verdict of the evidence."""

    id: str = spec("Unique id across the whole database, kebab-case.", kind="id", example="ldn-fibromyalgia-pain")
    title: str = spec("Short name of the claim, as a reader would ask it.", example="LDN reduces fibromyalgia pain")
    statement: str = spec(
        "What the evidence shows, in plain language (Markdown, short sentences).", kind="markdown"
    )
    status: Status = spec(
        "Tier: `fda-approved`, `off-label` or `anecdotal`. Checked against the kinds of the cited sources.",
        kind="choice",
        choices=Status,
    )
    grade: Grade = spec(
        "GRADE certainty: `high`, `moderate`, `low` or `very-low`. Checked against the designs of the cited sources.",
        kind="choice",
        choices=Grade,
    )
    direction: Direction = spec(
        "What the studies found: `benefit`, `no-benefit`, `mixed`, `harm`, `no-harm`, `not-studied`, "
        "`not-reported` (the verified sources do not report it) or `not-applicable` (a regulatory or factual claim).",
        kind="choice",
        choices=Direction,
    )
    verdict: Verdict = spec(
        "How the evidence judges the claim as it is usually made: `supported`, `uncertain`, "
        "`not-supported` or `contradicted`.",
        kind="choice",
        choices=Verdict,
    )
    sources: tuple[Citation, ...] = spec("Sources cited, at least one.", kind="list", item=Citation)
    reviewed: str = spec("Date the evidence for this claim was last reviewed (YYYY-MM-DD).", kind="date", example="2026-11-22")
    dose: str | None = spec(
        "Dose the claim is about: a number or range in mg, then optional words.",
        kind="dose",
        required=False,
        example="1-5 mg once daily",
    )
    added: str | None = spec("Date the claim was first published (YYYY-MM-DD).", kind="date", required=False)
    grade_rationale: str | None = spec(
        "Why the grade is higher than the cited designs allow. Shown on the site.",
        kind="markdown",
        required=False,
    )
    notes: str | None = spec("Further detail for readers (Markdown).", kind="markdown", required=False)
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Condition:
    """A condition (or topic) that claims are grouped under."""

    id: str = spec("Id of the condition; must equal the file name without `.yaml`.", kind="id", example="fibromyalgia")
    name: str = spec("Name shown to readers.", example="Fibromyalgia")
    group: str = spec("Id of one of the `condition_groups` in `site.yaml`.", kind="ref", example="pain")
    summary: str = spec(
        "Plain-language summary of what the evidence shows (Markdown). Use GRADE wording: "
        "high 'reduces', moderate 'probably', low 'may', very low 'very uncertain'.",
        kind="markdown",
    )
    also_known_as: tuple[str, ...] = spec(
        "Other names readers may search for.", kind="list", item="text", required=False, default=()
    )
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class ConditionFile:
    """`content/conditions/<id>.yaml`: one condition and all its claims."""

    condition: Condition = spec("The condition this file is about.", kind="record", item=Condition)
    claims: tuple[Claim, ...] = spec("The claims about this condition.", kind="list", item=Claim)
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Source:
    """`content/sources/<id>.yaml`: one cited source."""

    id: str = spec("Id of the source; must equal the file name without `.yaml` (authorYEAR style).", kind="id", example="bruun2024")
    kind: SourceKind = spec("Design of the source; decides which tiers and grades it can support.", kind="choice", choices=SourceKind)
    title: str = spec("Full title, as published.")
    verified: str = spec(
        "Where every detail of this record was checked (the verified bibliography entry, or the search that found it)."
    )
    authors: tuple[str, ...] = spec("Authors as 'Surname AB'; end with 'et al.' when shortened.", kind="list", item="text", required=False, default=())
    publisher: str | None = spec("Journal, agency or website.", required=False, example="Lancet Rheumatol")
    year: int | None = spec("Year of publication.", kind="year", required=False, example=2024)
    date: str | None = spec("Exact date of publication, when known (YYYY-MM-DD).", kind="date", required=False)
    citation: str | None = spec("Volume, issue and pages.", required=False, example="6(1):e31-e39")
    pmid: str | None = spec("PubMed id (digits only).", kind="pmid", required=False, example="38258677")
    pmcid: str | None = spec("PubMed Central id.", kind="pmcid", required=False, example="PMC5298009")
    doi: str | None = spec("DOI, starting with '10.'.", kind="doi", required=False, example="10.1016/S2665-9913(23)00278-3")
    nct: str | None = spec("ClinicalTrials.gov registration.", kind="nct", required=False, example="NCT04270877")
    registration: str | None = spec("Any other trial registration (EudraCT, CTRI...).", required=False)
    dailymed_setid: str | None = spec("DailyMed set id of a drug label.", kind="uuid", required=False)
    url: str | None = spec("Web address (http or https).", kind="url", required=False)
    design: str | None = spec("The study design in a few words.", required=False)
    participants: int | None = spec("Number of people studied (or pooled).", kind="int", required=False, example=99)
    participants_detail: str | None = spec("How the participants break down.", required=False, example="49 LDN, 50 placebo")
    finding: str | None = spec("The main result in one plain sentence, negative results included.", required=False)
    caveats: str | None = spec("Limits a reader should know about.", required=False)
    kind_guessed_from: str | None = spec(
        "Written by `ldnsite import`: what `kind` was guessed from. `check` refuses the source while it is there: "
        "confirm the kind against the paper, then delete the line.",
        kind="unconfirmed",
        required=False,
    )
    location: Location = _location()


@dataclass(frozen=True, slots=True)
class Database:
    """Everything loaded from `content/`, each tuple sorted by id."""

    site: Site
    conditions: tuple[Condition, ...]
    claims: tuple[Claim, ...]
    sources: tuple[Source, ...]
    claim_condition: dict[str, str]
    """Claim id -> id of the condition whose file holds it."""
