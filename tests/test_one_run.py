"""Every problem in one run (issue 16): a record with schema errors is skipped, but the rest of its file,
and every other file, still gets the rule checks; rule errors point at the key they are about."""

from conftest import CONDITION_YAML, SITE_YAML, check_lines, grading_yaml, write_project

C = "content/conditions/fibromyalgia.yaml"

SECOND_CLAIM = f"""\
  - id: ldn-fibro-sleep
    title: LDN helps sleep
    statement: A trial found better sleep.
    status: fda-approved
    grade: high
    direction: benefit
    verdict: supported
    sources:
      - id: trial2020
        role: supports
    reviewed: 2999-01-01
    grading: {grading_yaml()}
"""

BROKEN = CONDITION_YAML.replace("group: pain", "group: pian").replace("    grade: low", "    grade: lowx") + SECOND_CLAIM


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.startswith("    hint:")]


def test_schema_and_rule_errors_of_one_file_are_all_reported_in_the_first_run(tmp_path):
    project = write_project(tmp_path, {C: BROKEN})
    assert errors(check_lines(project)) == [
        f"{C}:4:3: error: condition 'fibromyalgia' names unknown group 'pian' [ref.unknown-group]",
        f"{C}:11:12: error: claim 'ldn-fibro-pain': grade 'lowx' is not one of high, moderate, low, very-low [schema.choice]",
        f"{C}:22:5: error: claim 'ldn-fibro-sleep' has status 'fda-approved' but cites no FDA label or approval as support [rule.fda-needs-label]",
        f"{C}:23:5: error: claim 'ldn-fibro-sleep' is graded 'high' but its evidence supports at most 'moderate' [rule.grade-exceeds-evidence]",
        f"{C}:29:5: error: claim 'ldn-fibro-sleep': 'reviewed' date 2999-01-01 is in the future [rule.future-date]",
    ]


def test_fixing_the_reported_errors_leaves_none_for_a_second_run(tmp_path):
    fixed = BROKEN.replace("pian", "pain").replace("lowx", "low").replace("fda-approved", "off-label")
    fixed = fixed.replace("    grade: high", "    grade: moderate").replace("2999-01-01", "2024-01-01")
    fixed = fixed.replace(grading_yaml(), grading_yaml(imprecision="serious"))
    project = write_project(tmp_path, {C: fixed})
    assert check_lines(project) == []


def test_a_condition_with_a_schema_error_still_has_its_claims_and_group_checked(tmp_path):
    broken = CONDITION_YAML.replace("group: pain", "group: pian").replace("  summary: LDN may help.\n", "")
    project = write_project(tmp_path, {C: broken + SECOND_CLAIM})
    codes = [line.rsplit(" [", 1)[1] for line in errors(check_lines(project))]
    assert codes == ["schema.required]", "rule.fda-needs-label]", "rule.grade-exceeds-evidence]", "rule.future-date]"]


def test_a_broken_site_file_does_not_hide_the_problems_of_the_other_files(tmp_path):
    site = SITE_YAML.replace("title: Test Evidence", "title: [Test]")
    project = write_project(tmp_path, {"content/site.yaml": site, C: BROKEN})
    lines = errors(check_lines(project))
    assert lines[0] == f"{C}:4:3: error: condition 'fibromyalgia' names unknown group 'pian' [ref.unknown-group]"
    assert len(lines) == 6
    assert lines[-1].startswith("content/site.yaml:1:8: error: site settings: title must be text")


def test_when_the_site_groups_are_unreadable_no_group_is_called_unknown(tmp_path):
    site = SITE_YAML.split("condition_groups:")[0] + "condition_groups: pain\n"
    project = write_project(tmp_path, {"content/site.yaml": site})
    assert [line for line in check_lines(project) if "unknown-group" in line] == []


def test_the_unknown_group_hint_lists_the_groups(tmp_path):
    site = SITE_YAML + "  - id: sleep\n    name: Sleep\n"
    project = write_project(tmp_path, {"content/site.yaml": site,
                                       C: CONDITION_YAML.replace("group: pain", "group: mood")})
    assert check_lines(project) == [
        f"{C}:4:3: error: condition 'fibromyalgia' names unknown group 'mood' [ref.unknown-group]",
        "    hint: The groups in content/site.yaml are: pain, sleep",
    ]


def test_rule_errors_point_at_the_key_they_are_about(tmp_path):
    claim = CONDITION_YAML.replace("verdict: uncertain", "verdict: contradicted").replace(
        "reviewed: 2024-01-01", "reviewed: 2024-01-01\n    added: 2024-02-01")
    project = write_project(tmp_path, {C: claim})
    assert errors(check_lines(project)) == [
        f"{C}:12:5: error: claim 'ldn-fibro-pain' has verdict 'contradicted' but direction 'benefit'; with 'contradicted' the direction is one of no-benefit, mixed, harm, no-harm, not-applicable [rule.verdict-direction]",
        f"{C}:13:5: error: claim 'ldn-fibro-pain' has verdict 'contradicted' but cites no source with role 'contradicts' [rule.contradicted-needs-source]",
        f"{C}:18:5: error: claim 'ldn-fibro-pain' was added (2024-02-01) after it was last reviewed (2024-01-01) [rule.future-date]",
    ]


def test_a_duplicate_key_in_one_claim_does_not_hide_the_rest_of_its_file(tmp_path):
    broken = BROKEN.replace("lowx", "low").replace("    status: off-label\n", "    status: off-label\n    status: anecdotal\n", 1)
    project = write_project(tmp_path, {C: broken})
    assert errors(check_lines(project)) == [
        f"{C}:4:3: error: condition 'fibromyalgia' names unknown group 'pian' [ref.unknown-group]",
        f"{C}:11:5: error: duplicate key 'status' (first set at line 10) [yaml.duplicate-key]",
        f"{C}:23:5: error: claim 'ldn-fibro-sleep' has status 'fda-approved' but cites no FDA label or approval as support [rule.fda-needs-label]",
        f"{C}:24:5: error: claim 'ldn-fibro-sleep' is graded 'high' but its evidence supports at most 'moderate' [rule.grade-exceeds-evidence]",
        f"{C}:30:5: error: claim 'ldn-fibro-sleep': 'reviewed' date 2999-01-01 is in the future [rule.future-date]",
    ]


def test_a_refused_value_reports_once_not_again_as_a_schema_error(tmp_path):
    broken = CONDITION_YAML.replace("    grade: low", "    grade: !!python/name:os.system low")
    project = write_project(tmp_path, {C: broken + SECOND_CLAIM})
    codes = [line.rsplit(" [", 1)[1] for line in errors(check_lines(project))]
    assert codes == ["yaml.tag]", "rule.fda-needs-label]", "rule.grade-exceeds-evidence]", "rule.future-date]"]


def test_a_damaged_condition_leaves_its_claims_checked_and_reports_no_unused_source(tmp_path):
    broken = CONDITION_YAML.replace("  name: Fibromyalgia\n", "  name: Fibromyalgia\n  name: FM\n")
    project = write_project(tmp_path, {C: broken + SECOND_CLAIM})
    codes = [line.rsplit(" [", 1)[1] for line in errors(check_lines(project))]
    assert codes == ["yaml.duplicate-key]", "rule.fda-needs-label]", "rule.grade-exceeds-evidence]", "rule.future-date]"]
