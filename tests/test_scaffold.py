"""`ldnsite new`: scaffolds list every field, and pass `check` once filled in."""

import re

from conftest import run_cli, write_project


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = re.sub(rf"^(\s*(?:- )?{key}): TODO$", rf"\1: {value}", text, count=1, flags=re.MULTILINE)
    return re.sub(r"(: \|\n\s+)TODO$", r"\1Filled in.", text, flags=re.MULTILINE)


def test_new_source_lists_every_field_and_passes_once_filled(tmp_path):
    project = write_project(tmp_path, {})
    result = run_cli("new", "source", "smith2020", "--project", project)
    assert result.exit_code == 0, result.output
    path = project / "content/sources/smith2020.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/source.schema.json\n")
    for key in ("kind", "title", "verified", "# pmid:", "# doi:", "# participants:"):
        assert key in text
    assert run_cli("check", "--project", project).exit_code == 1
    path.write_text(fill(text, {"kind": "randomized-trial", "title": "A trial", "verified": "by hand"}))
    result = run_cli("check", "--project", project)
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if ": error:" in line] == []
    assert "source 'smith2020' is not cited by any claim [ref.unused-source]" in result.output


def test_new_condition_then_claim_pass_check_once_filled(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("new", "condition", "lupus", "--project", project).exit_code == 0
    assert run_cli("new", "claim", "ldn-lupus-fatigue", "--condition", "lupus", "--project", project).exit_code == 0
    path = project / "content/conditions/lupus.yaml"
    text = path.read_text()
    assert len(re.findall(r"^  - id: ", text, re.MULTILINE)) == 2
    values = {"name": "Lupus", "group": "pain", "title": "LDN helps lupus", "status": "off-label", "grade": "low",
              "direction": "benefit", "verdict": "uncertain", "id": "trial2020", "role": "supports"}
    for _ in range(2):
        text = fill(text, values)
    path.write_text(text)
    result = run_cli("check", "--project", project)
    assert result.exit_code == 0, result.output


def test_new_refuses_to_overwrite_and_bad_ids(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("new", "source", "trial2020", "--project", project).exit_code == 2
    assert run_cli("new", "source", "../evil", "--project", project).exit_code == 2
    assert run_cli("new", "claim", "x", "--project", project).exit_code == 2


def test_a_new_registration_with_its_commented_fields_uncommented_passes(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("new", "source", "nct01234567", "--project", project).exit_code == 0
    path = project / "content/sources/nct01234567.yaml"
    text = path.read_text()
    assert "# results_posted: false\n" in text
    text = fill(text, {"kind": "trial-registration", "title": "A registered trial", "verified": "ClinicalTrials.gov record"})
    text = text.replace("# results_posted: false", "results_posted: false").replace("# nct: NCT04270877", "nct: NCT04270877")
    path.write_text(text + "registration_status: recruiting\nconditions: [fibromyalgia]\n")
    result = run_cli("check", "--project", project)
    assert result.output.splitlines()[-1] == "ldnsite: no problems found.", result.output
