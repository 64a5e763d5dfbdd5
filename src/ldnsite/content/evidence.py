"""Rules for a claim's GRADE inputs and its outcomes: the numbers, the sources, and the certainty they compute.

Called by ``validate.py`` for each claim, with the sources it cites (None for an unknown one). Rules
that depend on the designs of the sources are skipped when one of them is unknown: the unknown id
is reported already, and a ceiling judged on half the evidence would be wrong.
"""

from __future__ import annotations

from collections.abc import Iterator

from ldnsite.content.grading import allowed_start, computed_certainty, describe_steps, start_rank
from ldnsite.content.grading import format_number as _num
from ldnsite.content.model import UPGRADE_DOMAINS, Claim, Grade, GradeStart, Grading, Measure, Outcome, Role, Source, SourceKind
from ldnsite.problems import Problem, error, warning


def check_evidence(claim: Claim, cited_sources: tuple[Source | None, ...]) -> list[Problem]:
    """Return every problem with the claim's ``grading`` and ``outcomes``."""
    known = None not in cited_sources
    cited = {c.id: (c.role, s) for c, s in zip(claim.sources, cited_sources, strict=True)}
    evidence = [(role, s.kind) for role, s in cited.values() if s is not None]
    problems = list(_claim_grading(claim, evidence, known))
    for outcome in claim.outcomes:
        label = f"claim '{claim.id}', outcome '{outcome.name}'"
        problems += _numbers(outcome, label)
        problems += _outcome_sources(outcome, label, cited, known)
        problems += _outcome_grading(outcome, label, cited, known)
    return problems


def grading_differs(claim: Claim) -> bool:
    """True when the claim's grading computes another grade than it states (its rationale must explain why)."""
    return claim.grading is not None and computed_certainty(claim.grading) is not claim.grade


def _claim_grading(claim: Claim, evidence: list[tuple[Role, SourceKind]], known: bool) -> Iterator[Problem]:
    label = f"claim '{claim.id}'"
    if claim.grading is None:
        yield warning(
            claim.location.key("grade"),
            "grade.missing-inputs",
            f"{label} is graded '{claim.grade}' but does not record GRADE's inputs ('grading')",
            "add 'grading:' with 'start' and the five domains (risk_of_bias, inconsistency, indirectness, "
            "imprecision, publication_bias), each with a 'rating' and a one-line 'reason'",
        )
        return
    yield from _grading(claim.grading, label, evidence if known else None)
    computed = computed_certainty(claim.grading)
    if computed is not claim.grade and not claim.grade_rationale:
        yield error(
            claim.location.key("grade"),
            "grade.mismatch",
            f"{label} is graded '{claim.grade}' but its grading computes '{computed}' ({describe_steps(claim.grading)})",
            f"set 'grade: {computed}', correct the ratings in 'grading', or explain the exception in 'grade_rationale'",
        )


def _grading(grading: Grading, label: str, evidence: list[tuple[Role, SourceKind]] | None) -> Iterator[Problem]:
    """The inputs' own rules: a start the designs allow (when every source is known), upgrades only from low."""
    if evidence is not None:
        allowed, kind = allowed_start(evidence)
        if start_rank(grading.start) > start_rank(allowed):
            why = (
                f"the best design it cites as evidence ({kind.label.lower()}) starts at '{allowed}'"
                if kind
                else f"it cites no source as evidence (supports or contradicts), so GRADE starts at '{allowed}'"
            )
            yield error(
                grading.location.key("start"),
                "grade.start-exceeds-design",
                f"{label}: grading starts at '{grading.start}' but {why}",
                f"set 'start: {allowed}'; GRADE starts high only for randomized trials, systematic reviews and labels, "
                "low for non-randomized studies",
            )
    for name, text in UPGRADE_DOMAINS:
        domain = getattr(grading, name)
        if domain is not None and domain.rating.steps and grading.start is not GradeStart.LOW:
            yield error(
                domain.location,
                "grade.upgrade-not-low",
                f"{label}: grading raises the certainty for {text.lower()}, but it starts at '{grading.start}'; "
                "only evidence that starts 'low' (observational studies) can be raised",
                f"set the {name} rating to 'none'",
            )


def _numbers(outcome: Outcome, label: str) -> Iterator[Problem]:
    measure, estimate, ci = outcome.measure, outcome.estimate, outcome.ci
    if measure is Measure.NARRATIVE:
        if estimate is not None or ci is not None:
            key, what = ("estimate", "an estimate") if estimate is not None else ("ci", "a CI")
            yield error(
                outcome.location.key(key),
                "outcome.narrative-estimate",
                f"{label}: measure is 'narrative' but the outcome gives {what}",
                "name the measure the numbers are in (MD, SMD, RR, OR or RD), or remove the numbers",
            )
        if not outcome.result:
            yield error(
                outcome.location.key("measure"),
                "outcome.missing-result",
                f"{label}: measure is 'narrative' but no 'result' says what was found",
                "add 'result:' with what the sources found, in one plain sentence",
            )
        return
    if estimate is None or ci is None:
        missing = (
            "an 'estimate' and its 'ci'"
            if estimate is None and ci is None
            else "an 'estimate'"
            if estimate is None
            else "its 95% 'ci'"
        )
        yield error(
            outcome.location.key("measure"),
            "outcome.missing-estimate",
            f"{label}: measure '{measure}' needs {missing}",
            "give the numbers as the source reports them, or set 'measure: narrative' and describe the result in 'result'",
        )
        return
    low, high = ci
    if not low < high:
        yield error(
            outcome.location.key("ci"),
            "outcome.ci-order",
            f"{label}: 95% CI [{_num(low)}, {_num(high)}] is not in order: low must be below high",
            "write the interval as [low, high], as the source reports it",
        )
    elif not low <= estimate <= high:
        yield error(
            outcome.location.key("estimate"),
            "outcome.ci-excludes-estimate",
            f"{label}: estimate {_num(estimate)} lies outside its 95% CI [{_num(low)}, {_num(high)}]",
            "check both against the source: a confidence interval contains its estimate",
        )
    if measure.is_ratio:
        for key, value in (("estimate", estimate), ("ci", low), ("ci", high)):
            if value <= 0:
                what = "the estimate" if key == "estimate" else "a CI bound"
                yield error(
                    outcome.location.key(key),
                    "outcome.ratio-not-positive",
                    f"{label}: measure '{measure}' is a ratio, but {what} {_num(value)} is not above 0",
                    "a risk or odds ratio is above 0 (1 means no difference); "
                    "if the source gives a difference, use RD, MD or SMD",
                )
                break


def _outcome_sources(
    outcome: Outcome, label: str, cited: dict[str, tuple[Role, Source | None]], known: bool
) -> Iterator[Problem]:
    uncited = [sid for sid in outcome.sources if sid not in cited]
    for sid in uncited:
        yield error(
            outcome.location.key("sources"),
            "outcome.uncited-source",
            f"{label}: source '{sid}' is not cited by the claim",
            "cite it in the claim's 'sources' (role 'supports' or 'contradicts'), or fix the id; "
            f"the claim cites: {', '.join(cited)}",
        )
    if uncited or not known:
        return
    # Every source is known here, so none of these is None.
    mine = [(role, source) for role, source in (cited[sid] for sid in dict.fromkeys(outcome.sources)) if source is not None]
    sizes = [source.participants for _, source in mine if source.participants is not None]
    if len(sizes) == len(mine) and outcome.participants > sum(sizes):
        detail = ", ".join(f"{source.id} {source.participants:,}" for _, source in mine)
        yield error(
            outcome.location.key("participants"),
            "outcome.participants-exceed-sources",
            f"{label}: {outcome.participants:,} participants is more than its sources studied ({sum(sizes):,}: {detail})",
            "count only the people these sources report on, or add the source the others come from",
        )
    evidence = [(role, source.kind) for role, source in mine]
    ceiling = _ceiling(evidence)
    if outcome.certainty.rank > ceiling.rank:
        yield error(
            outcome.location.key("certainty"),
            "outcome.certainty-exceeds-evidence",
            f"{label}: certainty '{outcome.certainty}' is above what its sources' designs support ('{ceiling}')",
            f"lower it to '{ceiling}', or add the stronger evidence this outcome rests on to its 'sources'",
        )


def _outcome_grading(
    outcome: Outcome, label: str, cited: dict[str, tuple[Role, Source | None]], known: bool
) -> Iterator[Problem]:
    if outcome.grading is None:
        return
    ids = list(dict.fromkeys(outcome.sources))
    judged = known and all(sid in cited for sid in ids)
    evidence = None
    if judged:  # every source is known, so none of these is None
        evidence = [(role, source.kind) for role, source in (cited[sid] for sid in ids) if source is not None]
    yield from _grading(outcome.grading, label, evidence)
    computed = computed_certainty(outcome.grading)
    if computed is not outcome.certainty:
        steps = describe_steps(outcome.grading)
        yield error(
            outcome.location.key("certainty"),
            "grade.mismatch",
            f"{label}: certainty is '{outcome.certainty}' but its grading computes '{computed}' ({steps})",
            f"set 'certainty: {computed}', or correct the ratings in its 'grading'",
        )


def _ceiling(evidence: list[tuple[Role, SourceKind]]) -> Grade:
    from ldnsite.content.validate import allowed_grade  # validate imports this module

    return allowed_grade(evidence)
