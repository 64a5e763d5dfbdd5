"""GRADE, computed: the certainty its inputs give, the steps that lead there, and the plain-language sentence.

Pure functions of the model. The validator compares what they compute with the grade an editor
wrote (``evidence.py``); the pages show the steps ("Why this grade") and the sentences (the
Summary-of-Findings table), so that no grade and no GRADE sentence is ever written by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ldnsite.content.model import (
    DOWNGRADE_DOMAINS,
    UPGRADE_DOMAINS,
    Effect,
    Grade,
    GradeStart,
    Grading,
    Outcome,
    Role,
    SourceKind,
)
from ldnsite.content.wording import Words, default_words

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
_GRADE_OF_RANK = {grade.rank: grade for grade in Grade}


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
    """One GRADE domain as applied: its label, rating, the change in levels (-2 to +2) and the reason.

    ``label``, ``rating`` and ``change_text`` ('no change', 'down one level'...) are in the words of the locale.
    """

    label: str
    rating: str
    change: int
    reason: str
    change_text: str

    @property
    def kind(self) -> str:
        """'down', 'up' or 'same': for styling."""
        return "down" if self.change < 0 else ("up" if self.change > 0 else "same")


def _change_key(change: int) -> str:
    return "grading.change." + ("none" if not change else f"{'down' if change < 0 else 'up'}-{abs(change)}")


def grading_steps(grading: Grading, words: Words | None = None) -> tuple[Step, ...]:
    """Return every domain of ``grading`` in GRADE's order: the five downgrades, then any upgrade given.

    ``words`` are the site's (the English defaults without them).
    """
    words = words or default_words()
    return tuple(
        Step(
            words(f"grading.domain.{name}"),
            words(f"grading.{group}.{domain.rating.value}"),
            change,
            domain.reason,
            words(_change_key(change)),
        )
        for name, domain, change, group in _applied_domains(grading)
    )


def _applied_domains(grading: Grading) -> Iterator[tuple[str, Any, int, str]]:
    """Each domain given, in GRADE's order: its name, its rating and reason, its change in levels, and the
    locale's group of words for its rating ('concern' for a downgrade, 'upgrade')."""
    for name, _ in DOWNGRADE_DOMAINS:
        domain = getattr(grading, name)
        yield name, domain, -domain.rating.steps, "concern"
    for name, _ in UPGRADE_DOMAINS:
        domain = getattr(grading, name)
        if domain is not None:
            yield name, domain, domain.rating.steps, "upgrade"


def computed_certainty(grading: Grading) -> Grade:
    """Return the certainty the inputs give: the start, minus downgrades, plus upgrades, kept within very low..high.

    Asked for by validation for every claim: it sums the changes without looking up the steps' words.
    """
    level = _START_RANK[grading.start] + sum(change for _, _, change, _ in _applied_domains(grading))
    return _GRADE_OF_RANK[max(Grade.VERY_LOW.rank, min(Grade.HIGH.rank, level))]


def describe_steps(grading: Grading) -> str:
    """Return the computation in one line, for messages: 'start high, risk of bias -1, inconsistency -1'."""
    parts = [f"start {grading.start.value}"]
    parts += [f"{step.label.lower()} {step.change:+d}" for step in grading_steps(grading) if step.change]
    return ", ".join(parts)


def plain_statement(intervention: str, outcome: str, certainty: Grade, effect: Effect, words: Words | None = None) -> str:
    """Return GRADE's plain-language sentence for an effect at a certainty, e.g. 'Vitamin D may reduce pain'.

    The sentences are the locale's ``statement.<certainty>.<effect>`` (GRADE's informative statements, Santesso N,
    et al. GRADE guidelines 26. J Clin Epidemiol 2020;119:126-135), with the intervention and outcome filled in.
    """
    text = (words or default_words())(
        f"statement.{certainty.value}.{effect.value}", intervention=intervention, outcome=_lower_first(outcome)
    )
    return text[:1].upper() + text[1:]


def outcome_statement(outcome: Outcome, words: Words | None = None) -> str:
    """Return the plain-language sentence of one outcome."""
    return plain_statement(outcome.intervention, outcome.name, outcome.certainty, outcome.effect, words)


def _lower_first(name: str) -> str:
    """'Pain' -> 'pain', but an acronym such as 'FIQR score' or 'HIV viral load' keeps its capitals."""
    if name[1:2].isupper():
        return name
    return name[:1].lower() + name[1:]


def format_number(value: float) -> str:
    """Return a number as an editor wrote it: 2 rather than 2.0, -0.34 as -0.34."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
