"""The content model: the one definition of every content file's fields.

Each dataclass field carries its editor-facing documentation and its validation
kind in ``metadata`` (see :func:`spec`). ``schema.py`` validates raw YAML against
these definitions, ``jsonschema.py`` exports them for editors, and the field tables in
``docs/content-format.md`` are checked against them by ``tests/test_docs.py``. Nothing about the
content format is written down twice.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from typing import Any

from ldnsite.content.pickling import pickled_by_slots
from ldnsite.problems import Location


@functools.cache
def position(member: enum.Enum) -> int:
    """Return where ``member`` stands in its list's order (0 for the first): asked for thousands of times, so kept."""
    return list(type(member)).index(member)


ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""Ids are lowercase ASCII letters and digits joined by single hyphens (kebab-case)."""

ID_MAX_LENGTH = 64

DOSE_PATTERN = r"^[0-9]+(?:\.[0-9]+)?(?:\s*-\s*[0-9]+(?:\.[0-9]+)?)?\s?([A-Za-z\u00b5\u03bc]+)(?:\b.*)?$"
"""A dose: a number or range, then its unit (checked against the site's ``dose_units``), then optional words."""


def spec(
    doc: str,
    *,
    kind: str = "text",
    required: bool = True,
    default: Any = None,
    example: Any = None,
    choices: type[enum.Enum] | None = None,
    item: type | str | None = None,
    max_length: int | None = None,
) -> Any:
    """Declare a content field: its documentation for editors and how it is validated.

    ``kind`` is one of: ``id``, ``ref`` (an id of another object), ``text`` (one
    line of plain text), ``markdown``, ``int``, ``date`` (YYYY-MM-DD), ``year``,
    ``url``, ``pmid``, ``pmcid``, ``doi``, ``nct``, ``uuid``, ``dose``, ``bool``, ``number`` (an int or a
    decimal), ``count`` (a whole number of at least 1), ``interval`` ([low, high], two numbers), ``choice``
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


def _english(key: str) -> str:
    """Return string ``key`` of the default English locale file (locale/en.yaml): the words of messages to editors.

    Pages use the site's own words (``wording.Words``), which start from the same file.
    """
    from ldnsite.content.wording import locale_strings  # the locale module reads this one: imported when first asked

    return locale_strings()[key]


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
        """The tier's default English name, for messages to editors; pages use the site's wording (``wording.py``)."""
        return _STATUS_LABEL[self]


_STATUS_ORDER = {status: index for index, status in enumerate(Status)}
"""Position of each tier (0 for the first): looked up for every claim when pages are sorted."""

_STATUS_LABEL = {
    Status.FDA_APPROVED: "FDA-approved",
    Status.OFF_LABEL: "Off-label, studied in humans",
    Status.ANECDOTAL: "Anecdotal: claimed, not shown",
}


class InterventionKind(enum.StrEnum):
    """What sort of intervention the site is about; decides its schema.org type in the pages' structured data."""

    DRUG = "drug"
    SUPPLEMENT = "supplement"
    DEVICE = "device"
    PROCEDURE = "procedure"
    OTHER = "other"

    @property
    def schema_type(self) -> str:
        """The schema.org type that describes an intervention of this kind."""
        return _SCHEMA_TYPES[self]


_SCHEMA_TYPES = {
    InterventionKind.DRUG: "Drug",
    InterventionKind.SUPPLEMENT: "DietarySupplement",
    InterventionKind.DEVICE: "MedicalDevice",
    InterventionKind.PROCEDURE: "MedicalProcedure",
    InterventionKind.OTHER: "MedicalTherapy",
}


class Regulator(enum.StrEnum):
    """The regulator whose approval tier 1 stands for, and so the words pages use for it."""

    FDA = "fda"
    EMA = "ema"
    NONE = "none"


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
        return _english(f"grade.{self.value}.label")

    @property
    def symbol(self) -> str:
        return _GRADE_SYMBOL[self]

    @property
    def verb(self) -> str:
        """GRADE's standard wording for a finding at this certainty."""
        return _english(f"grade.{self.value}.verb")

    @property
    def description(self) -> str:
        return _english(f"grade.{self.value}.description")


_GRADE_RANK = {grade: len(Grade) - index for index, grade in enumerate(Grade)}

_GRADE_SYMBOL = {Grade.HIGH: "⊕⊕⊕⊕", Grade.MODERATE: "⊕⊕⊕◯", Grade.LOW: "⊕⊕◯◯", Grade.VERY_LOW: "⊕◯◯◯"}


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
        return _english(f"direction.{self.value}")


class Verdict(enum.StrEnum):
    """How the evidence judges the claim as it is usually made."""

    SUPPORTED = "supported"
    UNCERTAIN = "uncertain"
    NOT_SUPPORTED = "not-supported"
    CONTRADICTED = "contradicted"

    @property
    def label(self) -> str:
        return _english(f"verdict.{self.value}")


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
    TRIAL_REGISTRATION = "trial-registration"
    PRECLINICAL = "preclinical"
    COMMENTARY = "commentary"
    WEB_ARTICLE = "web-article"
    TESTIMONIAL = "testimonial"

    @property
    def label(self) -> str:
        """The design's English name, for messages to editors (a regulator's document named as the FDA's);
        pages use the site's words (``wording.Words.kind``)."""
        return _english(f"source_kind.{self.value}").format(
            label_kind=_english("regulator.fda.label_kind"), approval_kind=_english("regulator.fda.approval_kind")
        )

    @property
    def max_grade(self) -> Grade:
        """The highest grade that this design alone can support."""
        return _KIND_MAX_GRADE[self]

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
    def is_journal_article(self) -> bool:
        """True for designs published as journal articles: cited with a journal, typed ScholarlyArticle in JSON-LD."""
        return self in (
            SourceKind.SYSTEMATIC_REVIEW,
            SourceKind.RANDOMIZED_TRIAL,
            SourceKind.NON_RANDOMIZED_STUDY,
            SourceKind.CASE_SERIES,
            SourceKind.CASE_REPORT,
            SourceKind.NARRATIVE_REVIEW,
            SourceKind.TRIAL_PROTOCOL,
            SourceKind.PRECLINICAL,
            SourceKind.COMMENTARY,
        )

    @property
    def is_registration(self) -> bool:
        """True for a registered or planned trial without published results: research under way, never evidence."""
        return self in (SourceKind.TRIAL_REGISTRATION, SourceKind.TRIAL_PROTOCOL)

    @property
    def is_support(self) -> bool:
        """True for designs that can make a verdict 'supported': a study in people (case reports included) or a label."""
        return self.is_human_study or self.is_regulatory or self in (SourceKind.CASE_SERIES, SourceKind.CASE_REPORT)

    @property
    def has_claim_check(self) -> bool:
        """True for sources whose page compares what they claim with the evidence."""
        return self in (SourceKind.WEB_ARTICLE, SourceKind.TESTIMONIAL)


_KIND_MAX_GRADE = {
    SourceKind.REGULATORY_LABEL: Grade.MODERATE,
    SourceKind.REGULATORY_APPROVAL: Grade.MODERATE,
    SourceKind.REGULATORY_RECORD: Grade.VERY_LOW,
    SourceKind.SYSTEMATIC_REVIEW: Grade.HIGH,
    SourceKind.RANDOMIZED_TRIAL: Grade.MODERATE,
    SourceKind.NON_RANDOMIZED_STUDY: Grade.LOW,
    SourceKind.CASE_SERIES: Grade.VERY_LOW,
    SourceKind.CASE_REPORT: Grade.VERY_LOW,
    SourceKind.NARRATIVE_REVIEW: Grade.VERY_LOW,
    SourceKind.REFERENCE_WORK: Grade.LOW,
    SourceKind.TRIAL_PROTOCOL: Grade.VERY_LOW,
    SourceKind.TRIAL_REGISTRATION: Grade.VERY_LOW,
    SourceKind.PRECLINICAL: Grade.VERY_LOW,
    SourceKind.COMMENTARY: Grade.VERY_LOW,
    SourceKind.WEB_ARTICLE: Grade.VERY_LOW,
    SourceKind.TESTIMONIAL: Grade.VERY_LOW,
}


class LabelTopic(enum.StrEnum):
    """What a section of a drug label is about. The order is the order of topics on a label page."""

    INDICATIONS = "indications"
    BOXED_WARNING = "boxed-warning"
    CONTRAINDICATIONS = "contraindications"
    WARNINGS = "warnings"
    PRECAUTIONS = "precautions"
    INTERACTIONS = "interactions"
    PREGNANCY = "pregnancy"
    LACTATION = "lactation"
    ADVERSE_REACTIONS = "adverse-reactions"
    DEPENDENCE = "dependence"
    DOSAGE = "dosage"
    PATIENT_INFORMATION = "patient-information"

    @property
    def label(self) -> str:
        return _english(f"label_topic.{self.value}")


class RegistrationStatus(enum.StrEnum):
    """Where a registered trial stands, as its registry says."""

    NOT_YET_RECRUITING = "not-yet-recruiting"
    RECRUITING = "recruiting"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _english(f"registration_status.{self.value}")


class Role(enum.StrEnum):
    """What a cited source does for a claim."""

    ASSERTS = "asserts"
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    BACKGROUND = "background"

    @property
    def label(self) -> str:
        return _english(f"role.{self.value}")

    @property
    def is_evidence(self) -> bool:
        """True when the source is cited as evidence about the claim, not as its origin."""
        return self in (Role.SUPPORTS, Role.CONTRADICTS)


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class ConditionGroup:
    """A heading under which conditions are listed (for example 'Pain' or 'Safety')."""

    id: str = spec("Short id of the group, kebab-case.", kind="id", example="pain")
    name: str = spec("Heading shown to readers.", example="Pain conditions")
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Intervention:
    """What the site is about: the medicine, supplement, device or procedure whose evidence it maps."""

    name: str = spec("Name of the intervention as pages show it in running text.", example="vitamin D")
    other_names: tuple[str, ...] = spec(
        "Other names readers know it by (brand names, abbreviations); used in the structured data.",
        kind="list",
        item="text",
        required=False,
        default=(),
    )
    kind: InterventionKind = spec(
        "What it is: `drug`, `supplement`, `device`, `procedure` or `other`; decides its schema.org type.",
        kind="choice",
        choices=InterventionKind,
        required=False,
        default=InterventionKind.DRUG,
    )
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class TierText:
    """The words for one tier, replacing the default ones of the locale file."""

    status: Status = spec("The tier these words are for.", kind="choice", choices=Status)
    name: str = spec("Name of the tier, as headings and badges show it.", example="Off-label, studied in humans")
    summary: str = spec("One line saying what the tier holds (the home page).", example="Not on any label, but tested in people.")
    description: str = spec(
        "What the tier holds and what backs it, in a sentence or two (tier headings and the methodology page).",
        example="Uses that are not on any label but that have been tested in at least one study in people.",
    )
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Wording:
    """One string of the locale file replaced for this site."""

    key: str = spec("Key of the string in the locale file.", example="page.condition.title")
    text: str = spec(
        "The words to use instead; keeps the string's {placeholders}.", example="{condition}: evidence on {intervention}"
    )
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Site:
    """`content/site.yaml`: settings for the whole site."""

    title: str = spec("Site title, shown in every page header and in browser tabs.", example="Vitamin D Evidence")
    tagline: str = spec("One sentence under the title on the home page.", example="What is known about vitamin D.")
    base_url: str = spec(
        "Absolute URL where the site is published, ending in '/'. May include a sub-path.",
        kind="url",
        example="https://example.org/vitamin-d/",
    )
    language: str = spec("Language of the content, as a BCP 47 tag.", example="en")
    disclaimer: str = spec("Medical disclaimer in Markdown, shown on every page and on the disclaimer page.", kind="markdown")
    condition_groups: tuple[ConditionGroup, ...] = spec(
        "Ordered list of groups; every condition names one of them in its `group`.",
        kind="list",
        item=ConditionGroup,
    )
    list_page_size: int = spec(
        "Most rows the evidence map and the list of sources show on one page. Above it, the map is split into "
        "a page per condition group (a large group into several, by letter) and the sources into a page per "
        "design, each page keeping its filters.",
        kind="count",
        required=False,
        default=2000,
        example=2000,
    )
    repository_url: str | None = spec(
        "Web address of the source repository; enables 'edit this claim' links.",
        kind="url",
        required=False,
        example="https://github.com/example/ldnsite",
    )
    repository_branch: str = spec("Branch that edit links point at.", required=False, default="main", example="main")
    intervention: Intervention | None = spec(
        "The intervention the site is about: `name`, `other_names` and `kind`. Without it pages say 'the intervention'.",
        kind="record",
        item=Intervention,
        required=False,
    )
    regulator: Regulator = spec(
        'Whose approval tier 1 stands for: `fda` ("approved", "label"), `ema` ("authorised", "SmPC") or `none`.',
        kind="choice",
        choices=Regulator,
        required=False,
        default=Regulator.FDA,
    )
    dose_units: tuple[str, ...] = spec(
        "Units a claim's `dose` may be written in. Example: `[IU, µg]`.",
        kind="list",
        item="text",
        required=False,
        default=("mg",),
    )
    tiers: tuple[TierText, ...] = spec(
        "Names and descriptions of the tiers, replacing the locale file's defaults; list only the tiers you rename.",
        kind="list",
        item=TierText,
        required=False,
        default=(),
    )
    wording: tuple[Wording, ...] = spec(
        "Strings of the locale file replaced for this site, as `key` and `text`.",
        kind="list",
        item=Wording,
        required=False,
        default=(),
    )
    example: bool = spec(
        "True for an example project: pages show an 'example data' banner, and sources marked `example` are allowed.",
        kind="bool",
        required=False,
        default=False,
    )
    location: Location = _location()
    locale: tuple[tuple[str, str], ...] = field(default=(), repr=False, metadata={"internal": True})
    """The theme's strings in the site's language (``wording.with_locale``): empty until loaded, then English is used."""


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Citation:
    """One source cited by a claim, with what it does for the claim."""

    id: str = spec("Id of a source in `content/sources/`.", kind="ref", example="bruun2024")
    role: Role = spec(
        "What the source does for the claim: `asserts` (it makes the claim), `supports`, `contradicts`, or `background`.",
        kind="choice",
        choices=Role,
    )
    locator: str | None = spec("Where in the source: a page, section or table.", required=False, example="Table 2")
    quote: str | None = spec(
        "A short quote (at most 300 characters). Required when the role is `asserts`.",
        required=False,
        max_length=300,
    )
    finding: str | None = spec("What this source found for this claim, in one plain sentence.", required=False)
    section: str | None = spec(
        "Id of one of the cited label's `sections`: the claim's page links to that exact section.",
        kind="ref",
        required=False,
        example="overdose",
    )
    location: Location = _location()


# --- GRADE inputs and outcome-level evidence (issue 13) -------------------------------------------------


class GradeStart(enum.StrEnum):
    """Where GRADE starts, before any step down or up: set by the best study design cited as evidence."""

    HIGH = "high"
    LOW = "low"
    VERY_LOW = "very-low"

    @property
    def grade(self) -> Grade:
        return Grade(self.value)


class Rating(enum.StrEnum):
    """How serious a concern is in one of GRADE's five domains that lower the certainty."""

    NONE = "none"
    SERIOUS = "serious"
    VERY_SERIOUS = "very-serious"

    @property
    def steps(self) -> int:
        """Levels the certainty goes down: 0, 1 or 2."""
        return position(self)


class LargeEffect(enum.StrEnum):
    """Whether observational evidence shows an effect large enough to raise the certainty."""

    NONE = "none"
    LARGE = "large"
    VERY_LARGE = "very-large"

    @property
    def steps(self) -> int:
        """Levels the certainty goes up: 0, 1 or 2."""
        return position(self)


class DoseResponse(enum.StrEnum):
    """Whether observational evidence shows a dose-response gradient, which raises the certainty."""

    NONE = "none"
    PRESENT = "present"

    @property
    def steps(self) -> int:
        """Levels the certainty goes up: 0 or 1."""
        return position(self)


class Measure(enum.StrEnum):
    """How an outcome's effect is measured."""

    MD = "MD"
    SMD = "SMD"
    RR = "RR"
    OR = "OR"
    RD = "RD"
    NARRATIVE = "narrative"

    @property
    def label(self) -> str:
        return _english(f"measure.{self.value}")

    @property
    def is_ratio(self) -> bool:
        """True for ratios (RR, OR): no effect is 1, and every value is above 0."""
        return self in (Measure.RR, Measure.OR)


class Effect(enum.StrEnum):
    """Direction and size of an outcome's effect, as GRADE's plain-language statements word it."""

    REDUCES = "reduces"
    REDUCES_SLIGHTLY = "reduces-slightly"
    LITTLE_OR_NO_DIFFERENCE = "little-or-no-difference"
    INCREASES_SLIGHTLY = "increases-slightly"
    INCREASES = "increases"


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Downgrade:
    """One of GRADE's five domains that can lower the certainty, with its rating and the reason."""

    rating: Rating = spec("`none`, `serious` (down one level) or `very-serious` (down two).", kind="choice", choices=Rating)
    reason: str = spec("Why, in one plain line.", example="The two positive trials were small, from one group.")
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class LargeEffectRating:
    """Whether a large effect raises the certainty of observational evidence."""

    rating: LargeEffect = spec("`none`, `large` (up one level) or `very-large` (up two).", kind="choice", choices=LargeEffect)
    reason: str = spec("Why, in one plain line.")
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class DoseResponseRating:
    """Whether a dose-response gradient raises the certainty of observational evidence."""

    rating: DoseResponse = spec("`none` or `present` (up one level).", kind="choice", choices=DoseResponse)
    reason: str = spec("Why, in one plain line.")
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Grading:
    """GRADE's inputs: the starting level and each domain's rating. The certainty is computed from them."""

    start: GradeStart = spec(
        "Starting level from the best design cited as evidence: `high` (randomized trials, systematic reviews, labels), "
        "`low` (non-randomized studies, reference works) or `very-low` (anything else).",
        kind="choice",
        choices=GradeStart,
    )
    risk_of_bias: Downgrade = spec("Concerns about the studies' risk of bias.", kind="record", item=Downgrade)
    inconsistency: Downgrade = spec("Concerns that the studies disagree (inconsistency).", kind="record", item=Downgrade)
    indirectness: Downgrade = spec(
        "Concerns that the people, dose or outcome studied differ from the claim's (indirectness).", kind="record", item=Downgrade
    )
    imprecision: Downgrade = spec(
        "Concerns that few people were studied or the confidence interval is wide (imprecision).", kind="record", item=Downgrade
    )
    publication_bias: Downgrade = spec("Concerns that studies are missing (publication bias).", kind="record", item=Downgrade)
    large_effect: LargeEffectRating | None = spec(
        "A large effect (only when `start` is `low`).", kind="record", item=LargeEffectRating, required=False
    )
    dose_response: DoseResponseRating | None = spec(
        "A dose-response gradient (only when `start` is `low`).", kind="record", item=DoseResponseRating, required=False
    )
    location: Location = _location()


DOWNGRADE_DOMAINS = (
    ("risk_of_bias", "Risk of bias"),
    ("inconsistency", "Inconsistency"),
    ("indirectness", "Indirectness"),
    ("imprecision", "Imprecision"),
    ("publication_bias", "Publication bias"),
)
"""GRADE's domains that lower the certainty, in GRADE's order: (field, label)."""

UPGRADE_DOMAINS = (("large_effect", "Large effect"), ("dose_response", "Dose-response gradient"))
"""GRADE's domains that raise the certainty of observational evidence: (field, label)."""


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Outcome:
    """One outcome of a claim (pain, sleep, adverse events...): a row of the Summary-of-Findings table."""

    name: str = spec("What was measured, short.", example="Pain")
    intervention: str = spec("Short name of the treatment, used in the generated GRADE sentence.", example="Vitamin D")
    measure: Measure = spec(
        "`MD`, `SMD`, `RR`, `OR`, `RD`, or `narrative` where no number was reported.", kind="choice", choices=Measure
    )
    participants: int = spec("People the result comes from.", kind="count", example=99)
    studies: int = spec("Number of studies the result comes from.", kind="count", example=1)
    sources: tuple[str, ...] = spec(
        "Ids of the sources the result comes from; each must also be cited by the claim.", kind="list", item="ref"
    )
    effect: Effect = spec(
        "Direction and size: `reduces`, `reduces-slightly`, `little-or-no-difference`, `increases-slightly` or `increases`.",
        kind="choice",
        choices=Effect,
    )
    certainty: Grade = spec(
        "GRADE certainty of this outcome: `high`, `moderate`, `low` or `very-low`.", kind="choice", choices=Grade
    )
    scale: str | None = spec("What one unit means.", required=False, example="points on a 0-10 pain scale")
    estimate: float | None = spec(
        "The effect estimate; required unless `measure` is `narrative`.", kind="number", required=False, example=-0.34
    )
    ci: tuple[float, float] | None = spec(
        "95% confidence interval as `[low, high]`; required with `estimate`.",
        kind="interval",
        required=False,
        example=[-0.95, 0.27],
    )
    grading: Grading | None = spec(
        "GRADE's inputs for this outcome; when given they must compute `certainty`.", kind="record", item=Grading, required=False
    )
    result: str | None = spec("The result in a plain sentence; required when `measure` is `narrative`.", required=False)
    follow_up: str | None = spec("How long people were followed.", required=False, example="12 weeks")
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Claim:
    """One claim about the intervention, with the verdict of the evidence."""

    id: str = spec("Unique id across the whole database, kebab-case.", kind="id", example="vitamin-d-fracture-risk")
    title: str = spec("Short name of the claim, as a reader would ask it.", example="Vitamin D prevents fractures")
    statement: str = spec("What the evidence shows, in plain language (Markdown, short sentences).", kind="markdown")
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
        "How the evidence judges the claim as it is usually made: `supported`, `uncertain`, `not-supported` or `contradicted`.",
        kind="choice",
        choices=Verdict,
    )
    sources: tuple[Citation, ...] = spec("Sources cited, at least one.", kind="list", item=Citation)
    reviewed: str = spec("Date the evidence for this claim was last reviewed (YYYY-MM-DD).", kind="date", example="2026-11-22")
    dose: str | None = spec(
        "Dose the claim is about: a number or range, one of the site's `dose_units`, then optional words.",
        kind="dose",
        required=False,
        example="1-5 mg once daily",
    )
    added: str | None = spec("Date the claim was first published (YYYY-MM-DD).", kind="date", required=False)
    grade_rationale: str | None = spec(
        "Why the grade is higher than the cited designs allow, or differs from what `grading` computes. Shown on the site.",
        kind="markdown",
        required=False,
    )
    notes: str | None = spec("Further detail for readers (Markdown).", kind="markdown", required=False)
    grading: Grading | None = spec(
        "GRADE's inputs (starting level and each domain with its reason); they must compute `grade`.",
        kind="record",
        item=Grading,
        required=False,
    )
    outcomes: tuple[Outcome, ...] = spec(
        "Outcome-level results (a Summary-of-Findings table), each with its numbers, sources and certainty.",
        kind="list",
        item=Outcome,
        required=False,
        default=(),
    )
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
class LabelSection:
    """One section of a drug label, quoted word for word."""

    id: str = spec("Anchor of the section, kebab-case, unique within the label.", kind="id", example="overdose")
    topic: LabelTopic = spec(
        "What the section is about; decides where it is listed on the label page.", kind="choice", choices=LabelTopic
    )
    heading: str = spec("The label's own heading for the section.", example="Vulnerability to Opioid Overdose")
    locator: str = spec("The label's section number or name.", example="5.1")
    quote: str = spec("The label's text, word for word (at most 1,500 characters).", max_length=1500)
    location: Location = _location()


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Source:
    """`content/sources/<id>.yaml`: one cited source."""

    id: str = spec(
        "Id of the source; must equal the file name without `.yaml` (authorYEAR style).", kind="id", example="bruun2024"
    )
    kind: SourceKind = spec(
        "Design of the source; decides which tiers and grades it can support.", kind="choice", choices=SourceKind
    )
    title: str = spec("Full title, as published.")
    verified: str = spec(
        "Where every detail of this record was checked (the verified bibliography entry, or the search that found it)."
    )
    authors: tuple[str, ...] = spec(
        "Authors as 'Surname AB'; end with 'et al.' when shortened.", kind="list", item="text", required=False, default=()
    )
    publisher: str | None = spec("Journal, agency or website.", required=False, example="Lancet Rheumatol")
    year: int | None = spec("Year of publication.", kind="year", required=False, example=2024)
    date: str | None = spec("Exact date of publication, when known (YYYY-MM-DD).", kind="date", required=False)
    citation: str | None = spec("Volume, issue and pages.", required=False, example="6(1):e31-e39")
    pmid: str | None = spec("PubMed id (digits only).", kind="pmid", required=False, example="12345678")
    pmcid: str | None = spec("PubMed Central id.", kind="pmcid", required=False, example="PMC5298009")
    doi: str | None = spec("DOI, starting with '10.'.", kind="doi", required=False, example="10.1000/journal.2024.001")
    nct: str | None = spec("ClinicalTrials.gov registration.", kind="nct", required=False, example="NCT01234567")
    registration: str | None = spec("Any other trial registration (EudraCT, CTRI...).", required=False)
    dailymed_setid: str | None = spec("DailyMed set id of a drug label.", kind="uuid", required=False)
    url: str | None = spec("Web address (http or https).", kind="url", required=False)
    design: str | None = spec("The study design in a few words.", required=False)
    participants: int | None = spec("Number of people studied (or pooled).", kind="int", required=False, example=99)
    participants_detail: str | None = spec("How the participants break down.", required=False, example="49 treated, 50 placebo")
    finding: str | None = spec("The main result in one plain sentence, negative results included.", required=False)
    caveats: str | None = spec("Limits a reader should know about.", required=False)
    label_version: str | None = spec(
        "Only on a `regulatory-label`: the label's version or revision date, as verified.",
        required=False,
        example="Revised 11/2023",
    )
    sections: tuple[LabelSection, ...] = spec(
        "Only on a `regulatory-label`: the sections quoted on its label page, which claims cite by `section`.",
        kind="list",
        item=LabelSection,
        required=False,
        default=(),
    )
    registration_status: RegistrationStatus | None = spec(
        "Where a `trial-registration` (or `trial-protocol`) stands, as its registry says. Required on a `trial-registration`.",
        kind="choice",
        choices=RegistrationStatus,
        required=False,
    )
    results_posted: bool | None = spec(
        "Whether the registry shows results (`true` or `false`). Required on a `trial-registration`.",
        kind="bool",
        required=False,
        example=False,
    )
    example: bool = spec(
        "True for invented example content; `check` refuses it unless `site.yaml` declares the project an `example`.",
        kind="bool",
        required=False,
        default=False,
    )
    conditions: tuple[str, ...] = spec(
        "Ids of the conditions a `trial-registration` or `trial-protocol` studies: listed under "
        "'Research under way' on their pages.",
        kind="list",
        item="ref",
        required=False,
        default=(),
    )
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
