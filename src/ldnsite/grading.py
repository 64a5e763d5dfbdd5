"""GRADE, computed: the certainty its inputs give, the steps that lead there, and the plain-language sentence.

Pure functions of the model. The validator compares what they compute with the grade an editor
wrote (``evidence.py``); the pages show the steps ("Why this grade") and the sentences (the
Summary-of-Findings table), so that no grade and no GRADE sentence is ever written by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ldnsite.model import DOWNGRADE_DOMAINS, UPGRADE_DOMAINS, Effect, Grade, GradeStart, Grading, Outcome, Role, SourceKind

_START_FOR_KIND = {
    SourceKind.RANDOMIZED_TRIAL: GradeStart.HIGH,
    SourceKind.SYSTEMATIC_REVIEW: GradeStart.HIGH,
    SourceKind.REGULATORY_LABEL: GradeStart.HIGH,
    SourceKind.REGULATORY_APPROVAL: GradeStart.HIGH,
    SourceKind.NON_RANDOMIZED_STUDY: GradeStart.LOW,
    SourceKind.REFERENCE_WORK: GradeStart.LOW,
}
"""GRADE's starting level by design; any design not listed (case reports, articles, lab work...) starts very low."""

_START_RANK = {GradeStart.HIGH: 4, GradeStart.LOW: 2, GradeStart.VERY_LOW: 1}


def start_for(kind: SourceKind) -> GradeStart:
    """Return the level GRADE starts at for evidence of this design."""
    return _START_FOR_KIND.get(kind, GradeStart.VERY_LOW)


def allowed_start(cited: Iterable[tuple[Role, SourceKind]]) -> tuple[GradeStart, SourceKind | None]:
    """Return the highest start the evidence cited (supports or contradicts) allows, and the design that allows it."""
    best: tuple[GradeStart, SourceKind | None] = (GradeStart.VERY_LOW, None)
    for role, kind in cited:
        if role.is_evidence and (best[1] is None or _START_RANK[start_for(kind)] > _START_RANK[best[0]]):
            best = (start_for(kind), kind)
    return best


def start_rank(start: GradeStart) -> int:
    """Return the start's level: 4 for high, 2 for low, 1 for very low (as ``Grade.rank``)."""
    return _START_RANK[start]


@dataclass(frozen=True, slots=True)
class Step:
    """One GRADE domain as applied: its label, rating, the change in levels (-2 to +2) and the reason."""

    label: str
    rating: str
    change: int
    reason: str

    @property
    def kind(self) -> str:
        """'down', 'up' or 'same': for styling."""
        return "down" if self.change < 0 else ("up" if self.change > 0 else "same")

    @property
    def change_text(self) -> str:
        """The change in words: 'no change', 'down one level', 'up two levels'..."""
        if not self.change:
            return "no change"
        levels = "one level" if abs(self.change) == 1 else "two levels"
        return f"{'down' if self.change < 0 else 'up'} {levels}"


_CONCERN = ("no serious concerns", "serious concerns", "very serious concerns")


def grading_steps(grading: Grading) -> tuple[Step, ...]:
    """Return every domain of ``grading`` in GRADE's order: the five downgrades, then any upgrade given."""
    steps = []
    for name, label in DOWNGRADE_DOMAINS:
        domain = getattr(grading, name)
        steps.append(Step(label, _CONCERN[domain.rating.steps], -domain.rating.steps, domain.reason))
    for name, label in UPGRADE_DOMAINS:
        domain = getattr(grading, name)
        if domain is not None:
            steps.append(Step(label, domain.rating.value.replace("-", " "), domain.rating.steps, domain.reason))
    return tuple(steps)


def computed_certainty(grading: Grading) -> Grade:
    """Return the certainty the inputs give: the start, minus downgrades, plus upgrades, kept within very low..high."""
    level = _START_RANK[grading.start] + sum(step.change for step in grading_steps(grading))
    level = max(Grade.VERY_LOW.rank, min(Grade.HIGH.rank, level))
    return next(grade for grade in Grade if grade.rank == level)


def describe_steps(grading: Grading) -> str:
    """Return the computation in one line, for messages: 'start high, risk of bias -1, inconsistency -1'."""
    parts = [f"start {grading.start.value}"]
    parts += [f"{step.label.lower()} {step.change:+d}" for step in grading_steps(grading) if step.change]
    return ", ".join(parts)


# GRADE's informative statements (Santesso N, et al. GRADE guidelines 26. J Clin Epidemiol 2020;119:126-135),
# by certainty and effect. {i} is the intervention, {o} the outcome. Very low certainty has one statement
# whatever the effect: at that certainty the direction itself is not known.
_STATEMENTS: dict[Grade, dict[Effect, str]] = {
    Grade.HIGH: {
        Effect.REDUCES: "{i} reduces {o}",
        Effect.REDUCES_SLIGHTLY: "{i} reduces {o} slightly",
        Effect.LITTLE_OR_NO_DIFFERENCE: "{i} results in little or no difference to {o}",
        Effect.INCREASES_SLIGHTLY: "{i} increases {o} slightly",
        Effect.INCREASES: "{i} increases {o}",
    },
    Grade.MODERATE: {
        Effect.REDUCES: "{i} probably reduces {o}",
        Effect.REDUCES_SLIGHTLY: "{i} probably reduces {o} slightly",
        Effect.LITTLE_OR_NO_DIFFERENCE: "{i} probably results in little or no difference to {o}",
        Effect.INCREASES_SLIGHTLY: "{i} probably increases {o} slightly",
        Effect.INCREASES: "{i} probably increases {o}",
    },
    Grade.LOW: {
        Effect.REDUCES: "{i} may reduce {o}",
        Effect.REDUCES_SLIGHTLY: "{i} may reduce {o} slightly",
        Effect.LITTLE_OR_NO_DIFFERENCE: "{i} may result in little or no difference to {o}",
        Effect.INCREASES_SLIGHTLY: "{i} may increase {o} slightly",
        Effect.INCREASES: "{i} may increase {o}",
    },
    Grade.VERY_LOW: {effect: "The evidence is very uncertain about the effect of {i} on {o}" for effect in Effect},
}


def plain_statement(intervention: str, outcome: str, certainty: Grade, effect: Effect) -> str:
    """Return GRADE's plain-language sentence for an effect at a certainty, e.g. 'Vitamin D may reduce pain'."""
    text = _STATEMENTS[certainty][effect].format(i=intervention, o=_lower_first(outcome))
    return text[:1].upper() + text[1:]


def outcome_statement(outcome: Outcome) -> str:
    """Return the plain-language sentence of one outcome."""
    return plain_statement(outcome.intervention, outcome.name, outcome.certainty, outcome.effect)


def _lower_first(name: str) -> str:
    """'Pain' -> 'pain', but an acronym such as 'FIQR score' or 'HIV viral load' keeps its capitals."""
    if name[1:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def format_number(value: float) -> str:
    """Return a number as an editor wrote it: 2 rather than 2.0, -0.34 as -0.34."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
