"""GRADE computed: the certainty the inputs give, the steps shown under "Why this grade", and GRADE's sentences."""

import pytest

from ldnsite.content.grading import (
    allowed_start,
    computed_certainty,
    grading_steps,
    outcome_statement,
    plain_statement,
    start_for,
)
from ldnsite.content.model import (
    DoseResponse,
    DoseResponseRating,
    Downgrade,
    Effect,
    Grade,
    GradeStart,
    Grading,
    LargeEffect,
    LargeEffectRating,
    Measure,
    Outcome,
    Rating,
    Role,
    SourceKind,
)


def make_grading(start: str = "high", large_effect: str | None = None, dose_response: str | None = None, **ratings: str) -> Grading:
    def domain(name):
        return Downgrade(Rating(ratings.get(name, "none")), f"reason for {name}")

    return Grading(
        start=GradeStart(start),
        risk_of_bias=domain("risk_of_bias"), inconsistency=domain("inconsistency"), indirectness=domain("indirectness"),
        imprecision=domain("imprecision"), publication_bias=domain("publication_bias"),
        large_effect=LargeEffectRating(LargeEffect(large_effect), "big") if large_effect else None,
        dose_response=DoseResponseRating(DoseResponse(dose_response), "gradient") if dose_response else None,
    )


@pytest.mark.parametrize(("grading", "expected"), [
    (make_grading("high"), "high"),
    (make_grading("high", risk_of_bias="serious"), "moderate"),
    (make_grading("high", risk_of_bias="serious", inconsistency="serious"), "low"),
    (make_grading("high", imprecision="very-serious"), "low"),
    (make_grading("high", risk_of_bias="very-serious", imprecision="serious"), "very-low"),
    (make_grading("high", risk_of_bias="very-serious", inconsistency="very-serious", imprecision="very-serious"), "very-low"),
    (make_grading("low"), "low"),
    (make_grading("low", publication_bias="serious"), "very-low"),
    (make_grading("low", large_effect="large"), "moderate"),
    (make_grading("low", large_effect="very-large"), "high"),
    (make_grading("low", large_effect="large", dose_response="present"), "high"),
    (make_grading("low", large_effect="very-large", dose_response="present"), "high"),
    (make_grading("low", indirectness="serious", dose_response="present"), "low"),
    (make_grading("very-low"), "very-low"),
    (make_grading("very-low", risk_of_bias="serious"), "very-low"),
], ids=lambda value: value if isinstance(value, str) else "")
def test_certainty_is_the_start_minus_downgrades_plus_upgrades_kept_within_very_low_and_high(grading, expected):
    assert computed_certainty(grading) is Grade(expected)


def test_the_steps_follow_grades_order_with_each_change_and_reason():
    steps = grading_steps(make_grading("low", risk_of_bias="serious", imprecision="very-serious", large_effect="large"))
    assert [(s.label, s.rating, s.change, s.change_text, s.reason) for s in steps] == [
        ("Risk of bias", "serious concerns", -1, "down one level", "reason for risk_of_bias"),
        ("Inconsistency", "no serious concerns", 0, "no change", "reason for inconsistency"),
        ("Indirectness", "no serious concerns", 0, "no change", "reason for indirectness"),
        ("Imprecision", "very serious concerns", -2, "down two levels", "reason for imprecision"),
        ("Publication bias", "no serious concerns", 0, "no change", "reason for publication_bias"),
        ("Large effect", "large", 1, "up one level", "big"),
    ]


@pytest.mark.parametrize(("kind", "start"), [
    ("randomized-trial", "high"), ("systematic-review", "high"), ("regulatory-label", "high"), ("regulatory-approval", "high"),
    ("non-randomized-study", "low"), ("reference-work", "low"),
    ("case-series", "very-low"), ("case-report", "very-low"), ("narrative-review", "very-low"), ("preclinical", "very-low"),
    ("web-article", "very-low"), ("testimonial", "very-low"), ("commentary", "very-low"), ("trial-protocol", "very-low"),
    ("regulatory-record", "very-low"),
])
def test_grade_starts_high_for_randomized_evidence_low_for_observational_and_very_low_otherwise(kind, start):
    assert start_for(SourceKind(kind)) is GradeStart(start)


def test_the_allowed_start_is_set_by_the_best_design_cited_as_evidence_only():
    cited = [(Role.SUPPORTS, SourceKind.CASE_REPORT), (Role.CONTRADICTS, SourceKind.NON_RANDOMIZED_STUDY),
             (Role.BACKGROUND, SourceKind.RANDOMIZED_TRIAL), (Role.ASSERTS, SourceKind.SYSTEMATIC_REVIEW)]
    assert allowed_start(cited) == (GradeStart.LOW, SourceKind.NON_RANDOMIZED_STUDY)
    assert allowed_start([(Role.BACKGROUND, SourceKind.RANDOMIZED_TRIAL)]) == (GradeStart.VERY_LOW, None)


# Every combination of certainty and effect, written out from Santesso et al. 2020 (GRADE guidelines 26), with the
# wording agreed in the content format: the table in grading.py must produce exactly these.
STATEMENTS = {
    ("high", "reduces"): "LDN reduces pain",
    ("high", "reduces-slightly"): "LDN reduces pain slightly",
    ("high", "little-or-no-difference"): "LDN results in little or no difference to pain",
    ("high", "increases-slightly"): "LDN increases pain slightly",
    ("high", "increases"): "LDN increases pain",
    ("moderate", "reduces"): "LDN probably reduces pain",
    ("moderate", "reduces-slightly"): "LDN probably reduces pain slightly",
    ("moderate", "little-or-no-difference"): "LDN probably results in little or no difference to pain",
    ("moderate", "increases-slightly"): "LDN probably increases pain slightly",
    ("moderate", "increases"): "LDN probably increases pain",
    ("low", "reduces"): "LDN may reduce pain",
    ("low", "reduces-slightly"): "LDN may reduce pain slightly",
    ("low", "little-or-no-difference"): "LDN may result in little or no difference to pain",
    ("low", "increases-slightly"): "LDN may increase pain slightly",
    ("low", "increases"): "LDN may increase pain",
    ("very-low", "reduces"): "The evidence is very uncertain about the effect of LDN on pain",
    ("very-low", "reduces-slightly"): "The evidence is very uncertain about the effect of LDN on pain",
    ("very-low", "little-or-no-difference"): "The evidence is very uncertain about the effect of LDN on pain",
    ("very-low", "increases-slightly"): "The evidence is very uncertain about the effect of LDN on pain",
    ("very-low", "increases"): "The evidence is very uncertain about the effect of LDN on pain",
}


def test_the_statement_table_covers_every_certainty_and_effect():
    assert sorted(STATEMENTS) == sorted((g.value, e.value) for g in Grade for e in Effect)


@pytest.mark.parametrize(("certainty", "effect"), sorted(STATEMENTS))
def test_each_certainty_and_effect_gives_grades_plain_language_sentence(certainty, effect):
    assert plain_statement("LDN", "Pain", Grade(certainty), Effect(effect)) == STATEMENTS[(certainty, effect)]


def test_an_outcome_name_keeps_an_acronym_and_a_lowercase_intervention_starts_the_sentence_capitalised():
    assert plain_statement("LDN", "FIQR total score", Grade.MODERATE, Effect.REDUCES) == "LDN probably reduces FIQR total score"
    assert plain_statement("naltrexone", "Heavy drinking days", Grade.HIGH, Effect.REDUCES) == "Naltrexone reduces heavy drinking days"
    assert plain_statement("naltrexone", "Pain", Grade.VERY_LOW, Effect.INCREASES) == (
        "The evidence is very uncertain about the effect of naltrexone on pain")


def test_an_outcomes_sentence_comes_from_its_own_intervention_name_certainty_and_effect():
    outcome = Outcome(name="Sleep quality", intervention="LDN", measure=Measure.SMD, participants=40, studies=2,
                      sources=("a2020",), effect=Effect.INCREASES_SLIGHTLY, certainty=Grade.LOW, estimate=0.2, ci=(0.1, 0.4))
    assert outcome_statement(outcome) == "LDN may increase sleep quality slightly"
