"""Each grade.* and outcome.* problem code, with its exact report line: grades and outcome numbers are checked, not trusted.

The base claim (conftest.CONDITION_YAML) cites one randomized trial and is graded low with inputs that compute low.
OUTCOME adds one outcome, valid as written; each test changes one thing.
"""

from conftest import CONDITION_YAML, OUTCOME_YAML, SOURCE_RCT, check_lines, grading_yaml, run_cli, write_project

CLAIM_FILE = "content/conditions/fibromyalgia.yaml"
BASE_GRADING = "    grading: " + CONDITION_YAML.split("    grading: ")[1]

OUTCOME = OUTCOME_YAML


def claim_with(old: str, new: str, outcome: bool = False) -> str:
    text = CONDITION_YAML + (OUTCOME if outcome else "")
    assert old in text, old
    return text.replace(old, new, 1)


def outcome_with(old: str, new: str) -> str:
    return claim_with(old, new, outcome=True)


def check(tmp_path, condition: str, **files: str) -> list[str]:
    return check_lines(write_project(tmp_path, {CLAIM_FILE: condition, **files}))


def test_the_base_claim_and_its_outcome_are_valid(tmp_path):
    assert check(tmp_path / "a", CONDITION_YAML) == []
    assert check(tmp_path / "b", CONDITION_YAML + OUTCOME) == []


# --- GRADE inputs ---------------------------------------------------------------------------------------

def test_a_claim_without_grade_inputs_is_a_warning_that_fails_strict_mode(tmp_path):
    project = write_project(tmp_path, {CLAIM_FILE: claim_with(BASE_GRADING, "")})
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:11:5: warning: claim 'ldn-fibro-pain' is graded 'low' but does not record GRADE's inputs ('grading') [grade.missing-inputs]",
        "    hint: add 'grading:' with 'start' and the five domains (risk_of_bias, inconsistency, indirectness, imprecision, publication_bias), each with a 'rating' and a one-line 'reason'",
    ]
    assert run_cli("check", "--project", project).exit_code == 0
    assert run_cli("check", "--project", project, "--strict").exit_code == 1


def test_a_grade_other_than_the_inputs_compute_is_an_error_at_the_grade(tmp_path):
    assert check(tmp_path, claim_with("grade: low", "grade: moderate")) == [
        "content/conditions/fibromyalgia.yaml:11:5: error: claim 'ldn-fibro-pain' is graded 'moderate' but its grading computes 'low' (start high, risk of bias -1, imprecision -1) [grade.mismatch]",
        "    hint: set 'grade: low', correct the ratings in 'grading', or explain the exception in 'grade_rationale'",
    ]


def test_a_rationale_explains_a_grade_the_inputs_do_not_compute_and_is_then_not_needless(tmp_path):
    condition = claim_with("grade: low", "grade: moderate").replace("    reviewed:", "    grade_rationale: An exception.\n    reviewed:")
    assert check(tmp_path, condition) == []


def test_a_start_above_the_best_design_cited_as_evidence_is_an_error_at_the_start(tmp_path):
    case = "id: case2020\nkind: case-report\ntitle: A case\nverified: test\n"
    condition = claim_with("status: off-label", "status: anecdotal").replace("id: trial2020", "id: case2020").replace(
        BASE_GRADING, f"    grading: {grading_yaml('low', risk_of_bias='serious')}\n").replace("grade: low", "grade: very-low")
    assert check(tmp_path, condition, **{"content/sources/case2020.yaml": case, "content/sources/trial2020.yaml": None}) == [
        "content/conditions/fibromyalgia.yaml:18:15: error: claim 'ldn-fibro-pain': grading starts at 'low' but the best design it cites as evidence (case report) starts at 'very-low' [grade.start-exceeds-design]",
        "    hint: set 'start: very-low'; GRADE starts high only for randomized trials, systematic reviews and labels, low for non-randomized studies",
    ]


def test_an_upgrade_of_evidence_that_does_not_start_low_is_an_error_at_the_domain(tmp_path):
    inputs = grading_yaml("high", risk_of_bias="serious", imprecision="very-serious", large_effect="large")
    assert check(tmp_path, claim_with(BASE_GRADING, f"    grading: {inputs}\n")) == [
        "content/conditions/fibromyalgia.yaml:18:302: error: claim 'ldn-fibro-pain': grading raises the certainty for large effect, but it starts at 'high'; only evidence that starts 'low' (observational studies) can be raised [grade.upgrade-not-low]",
        "    hint: set the large_effect rating to 'none'",
    ]


def test_upgrades_raise_observational_evidence_that_starts_low(tmp_path):
    cohort = "id: cohort2020\nkind: non-randomized-study\ntitle: A cohort\nverified: test\n"
    inputs = grading_yaml("low", large_effect="large", dose_response="present")
    condition = claim_with("id: trial2020", "id: cohort2020").replace(BASE_GRADING, f"    grading: {inputs}\n").replace(
        "grade: low", "grade: high").replace("    reviewed:", "    grade_rationale: A large effect with a dose-response gradient.\n    reviewed:")
    assert check(tmp_path, condition, **{"content/sources/cohort2020.yaml": cohort, "content/sources/trial2020.yaml": None}) == []


def test_a_grading_with_a_domain_missing_is_a_schema_error_naming_the_domain(tmp_path):
    assert check(tmp_path, claim_with(", publication_bias: {rating: none, reason: None suspected.}", "")) == [
        "content/conditions/fibromyalgia.yaml:18:14: error: claim 'ldn-fibro-pain', grading: missing required key 'publication_bias' [schema.required]",
        "    hint: add 'publication_bias:' (concerns that studies are missing (publication bias).)",
    ]


# --- outcomes -------------------------------------------------------------------------------------------

def test_a_ci_whose_low_bound_is_not_below_its_high_bound_is_an_error_at_the_ci(tmp_path):
    assert check(tmp_path, outcome_with("ci: [-1.0, 0.1]", "ci: [0.1, -1.0]")) == [
        "content/conditions/fibromyalgia.yaml:24:9: error: claim 'ldn-fibro-pain', outcome 'Pain': 95% CI [0.1, -1] is not in order: low must be below high [outcome.ci-order]",
        "    hint: write the interval as [low, high], as the source reports it",
    ]


def test_an_estimate_outside_its_ci_is_an_error_at_the_estimate(tmp_path):
    assert check(tmp_path, outcome_with("estimate: -0.5", "estimate: 0.5")) == [
        "content/conditions/fibromyalgia.yaml:23:9: error: claim 'ldn-fibro-pain', outcome 'Pain': estimate 0.5 lies outside its 95% CI [-1, 0.1] [outcome.ci-excludes-estimate]",
        "    hint: check both against the source: a confidence interval contains its estimate",
    ]


def test_an_estimate_on_a_bound_is_inside_the_ci(tmp_path):
    assert check(tmp_path, outcome_with("estimate: -0.5", "estimate: 0.1")) == []


def test_a_ratio_with_a_bound_at_zero_is_an_error(tmp_path):
    numbers = "measure: RR\n        estimate: 0.8\n        ci: [0, 1.2]"
    assert check(tmp_path, outcome_with("measure: MD\n        estimate: -0.5\n        ci: [-1.0, 0.1]", numbers)) == [
        "content/conditions/fibromyalgia.yaml:24:9: error: claim 'ldn-fibro-pain', outcome 'Pain': measure 'RR' is a ratio, but a CI bound 0 is not above 0 [outcome.ratio-not-positive]",
        "    hint: a risk or odds ratio is above 0 (1 means no difference); if the source gives a difference, use RD, MD or SMD",
    ]


def test_a_negative_ratio_estimate_is_reported_once_at_the_estimate(tmp_path):
    numbers = "measure: OR\n        estimate: -0.8\n        ci: [-1.0, 1.2]"
    lines = check(tmp_path, outcome_with("measure: MD\n        estimate: -0.5\n        ci: [-1.0, 0.1]", numbers))
    assert [line for line in lines if "[outcome.ratio-not-positive]" in line] == [
        "content/conditions/fibromyalgia.yaml:23:9: error: claim 'ldn-fibro-pain', outcome 'Pain': measure 'OR' is a ratio, but the estimate -0.8 is not above 0 [outcome.ratio-not-positive]",
    ]


def test_a_numeric_measure_without_its_estimate_is_an_error_at_the_measure(tmp_path):
    assert check(tmp_path, outcome_with("        estimate: -0.5\n", "")) == [
        "content/conditions/fibromyalgia.yaml:22:9: error: claim 'ldn-fibro-pain', outcome 'Pain': measure 'MD' needs an 'estimate' [outcome.missing-estimate]",
        "    hint: give the numbers as the source reports them, or set 'measure: narrative' and describe the result in 'result'",
    ]


def test_a_narrative_outcome_needs_a_result(tmp_path):
    assert check(tmp_path, outcome_with("measure: MD\n        estimate: -0.5\n        ci: [-1.0, 0.1]", "measure: narrative")) == [
        "content/conditions/fibromyalgia.yaml:22:9: error: claim 'ldn-fibro-pain', outcome 'Pain': measure is 'narrative' but no 'result' says what was found [outcome.missing-result]",
        "    hint: add 'result:' with what the sources found, in one plain sentence",
    ]


def test_a_narrative_outcome_takes_no_numbers(tmp_path):
    narrative = "measure: narrative\n        estimate: 1\n        result: Less pain."
    assert check(tmp_path, outcome_with("measure: MD\n        estimate: -0.5\n        ci: [-1.0, 0.1]", narrative)) == [
        "content/conditions/fibromyalgia.yaml:23:9: error: claim 'ldn-fibro-pain', outcome 'Pain': measure is 'narrative' but the outcome gives an estimate [outcome.narrative-estimate]",
        "    hint: name the measure the numbers are in (MD, SMD, RR, OR or RD), or remove the numbers",
    ]


def test_an_outcome_source_the_claim_does_not_cite_is_an_error(tmp_path):
    assert check(tmp_path, outcome_with("sources: [trial2020]", "sources: [trial2020, other2020]")) == [
        "content/conditions/fibromyalgia.yaml:27:9: error: claim 'ldn-fibro-pain', outcome 'Pain': source 'other2020' is not cited by the claim [outcome.uncited-source]",
        "    hint: cite it in the claim's 'sources' (role 'supports' or 'contradicts'), or fix the id; the claim cites: trial2020",
    ]


def test_more_participants_than_the_sources_studied_is_an_error(tmp_path):
    sized = {"content/sources/trial2020.yaml": SOURCE_RCT + "participants: 99\n"}
    assert check(tmp_path, outcome_with("participants: 40", "participants: 140"), **sized) == [
        "content/conditions/fibromyalgia.yaml:25:9: error: claim 'ldn-fibro-pain', outcome 'Pain': 140 participants is more than its sources studied (99: trial2020 99) [outcome.participants-exceed-sources]",
        "    hint: count only the people these sources report on, or add the source the others come from",
    ]


def test_participants_are_not_judged_when_a_source_does_not_say_how_many_it_studied(tmp_path):
    assert check(tmp_path, outcome_with("participants: 40", "participants: 140")) == []


def test_an_outcome_certainty_above_what_its_sources_designs_support_is_an_error(tmp_path):
    assert check(tmp_path, outcome_with("certainty: low", "certainty: high")) == [
        "content/conditions/fibromyalgia.yaml:29:9: error: claim 'ldn-fibro-pain', outcome 'Pain': certainty 'high' is above what its sources' designs support ('moderate') [outcome.certainty-exceeds-evidence]",
        "    hint: lower it to 'moderate', or add the stronger evidence this outcome rests on to its 'sources'",
    ]


def test_an_outcome_whose_grading_computes_another_certainty_is_an_error_at_the_certainty(tmp_path):
    graded = "certainty: low\n        grading: " + grading_yaml("high", imprecision="serious")
    assert check(tmp_path, outcome_with("certainty: low", graded)) == [
        "content/conditions/fibromyalgia.yaml:29:9: error: claim 'ldn-fibro-pain', outcome 'Pain': certainty is 'low' but its grading computes 'moderate' (start high, imprecision -1) [grade.mismatch]",
        "    hint: set 'certainty: moderate', or correct the ratings in its 'grading'",
    ]


def test_an_outcome_whose_grading_computes_its_certainty_passes(tmp_path):
    graded = "certainty: low\n        grading: " + grading_yaml("high", imprecision="very-serious")
    assert check(tmp_path, outcome_with("certainty: low", graded)) == []


def test_outcome_numbers_are_numbers_and_counts_are_at_least_one(tmp_path):
    assert check(tmp_path / "a", outcome_with("ci: [-1.0, 0.1]", "ci: [-1.0, 0.1, 2]")) == [
        "content/conditions/fibromyalgia.yaml:24:13: error: claim 'ldn-fibro-pain', outcome #1: ci must be two numbers [low, high], found a list of 3 [schema.type]",
        "    hint: write the 95% confidence interval as [low, high], like [-0.95, 0.27]",
    ]
    assert check(tmp_path / "b", outcome_with("estimate: -0.5", "estimate: '-0.5'")) == [
        "content/conditions/fibromyalgia.yaml:23:19: error: claim 'ldn-fibro-pain', outcome #1: estimate must be a number, found text '-0.5' [schema.type]",
        "    hint: write the number without quotes, like -0.34 or 1.5",
    ]
    assert check(tmp_path / "c", outcome_with("participants: 40", "participants: 0")) == [
        "content/conditions/fibromyalgia.yaml:25:23: error: claim 'ldn-fibro-pain', outcome #1: participants must be at least 1, found 0 [schema.type]",
    ]
