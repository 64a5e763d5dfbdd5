"""`ldnsite new`: scaffolds list every field, and pass `check` once filled in."""

import datetime as dt
import re
from pathlib import Path

from conftest import SITE_YAML, check_lines, run_cli, write_project

ROOT = Path(__file__).resolve().parents[1]


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
    nct = "# nct: TODO NCT and 8 digits, from the ClinicalTrials.gov address\n"
    assert "# results_posted: false\n" in text and nct in text
    text = fill(text, {"kind": "trial-registration", "title": "A registered trial", "verified": "ClinicalTrials.gov record"})
    text = text.replace("# results_posted: false", "results_posted: false").replace(nct, "nct: NCT01234567\n")
    path.write_text(text + "registration_status: recruiting\nconditions: [fibromyalgia]\n")
    result = run_cli("check", "--project", project)
    assert result.output.splitlines()[-1] == "ldnsite: no problems found.", result.output


def test_new_claim_is_dated_today_in_utc(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("new", "claim", "ldn-fibro-sleep", "--condition", "fibromyalgia", "--project", project).exit_code == 0
    today = dt.datetime.now(tz=dt.UTC).date().isoformat()
    text = (project / "content/conditions/fibromyalgia.yaml").read_text()
    assert f"\n    reviewed: {today}\n" in text
    assert f"\n    added: {today}\n" in text


def test_example_identifiers_describe_their_shape_and_copy_no_real_paper(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("new", "source", "smith2020", "--project", project).exit_code == 0
    path = project / "content/sources/smith2020.yaml"
    text = path.read_text()
    assert "# pmid: TODO digits, from the PubMed address (pubmed.ncbi.nlm.nih.gov/DIGITS/)\n" in text
    assert "# doi: TODO 10.NUMBER/SUFFIX, from the doi.org address\n" in text
    assert "# nct: TODO NCT and 8 digits, from the ClinicalTrials.gov address\n" in text
    real = set()
    for source in (ROOT / "content/sources").glob("*.yaml"):
        real |= set(re.findall(r"^(?:pmid|pmcid|doi|nct|citation): '?([^'\n]+)", source.read_text(), re.MULTILINE))
    assert len(real) > 50
    assert [value for value in real if value in text] == []


def test_every_optional_line_uncommented_but_not_filled_in_is_refused(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("new", "source", "smith2020", "--project", project).exit_code == 0
    path = project / "content/sources/smith2020.yaml"
    text = fill(path.read_text(), {"kind": "randomized-trial", "title": "A trial", "verified": "by hand"})
    uncommented = re.sub(r"^# ([a-z_]+: .*)$", r"\1", text, flags=re.MULTILINE)
    path.write_text(uncommented)
    errors = [line for line in check_lines(project) if ": error: " in line]
    for key in ("publisher", "year", "citation", "pmid", "pmcid", "doi", "nct", "participants", "participants_detail"):
        assert any(f"'{key}'" in line or f" {key} " in line for line in errors), key


def test_new_claim_refuses_an_id_that_exists_and_says_where(tmp_path):
    project = write_project(tmp_path, {})
    before = (project / "content/conditions/fibromyalgia.yaml").read_text()
    result = run_cli("new", "claim", "ldn-fibro-pain", "--condition", "fibromyalgia", "--project", project)
    assert result.exit_code == 2
    assert ("claim id 'ldn-fibro-pain' is already used at content/conditions/fibromyalgia.yaml:7:9; "
            "choose another id, or edit that claim") in result.output
    assert (project / "content/conditions/fibromyalgia.yaml").read_text() == before


def test_new_condition_lists_the_groups_in_site_yaml(tmp_path):
    site = SITE_YAML + "  - id: gut\n    name: Gut\n"
    project = write_project(tmp_path, {"content/site.yaml": site})
    assert run_cli("new", "condition", "lupus", "--project", project).exit_code == 0
    text = (project / "content/conditions/lupus.yaml").read_text()
    assert "  # One of the groups in site.yaml: pain, gut.\n  group: TODO\n" in text
