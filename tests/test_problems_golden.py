"""The broken fixture project and its golden list of problems: the whole report, pinned.

Regenerate after an intended change with
LDNSITE_UPDATE_GOLDEN=1 pytest tests/test_problems_golden.py, then review the diff.
"""

import difflib

from conftest import FIXTURES, UPDATE_GOLDEN, run_cli

EXPECTED = FIXTURES / "broken" / "expected-problems.txt"


def test_broken_project_reports_exactly_the_golden_problems(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01: the future-date hint names it
    result = run_cli("check", "--project", FIXTURES / "broken")
    assert result.exit_code == 1
    if UPDATE_GOLDEN:
        EXPECTED.write_text(result.output, encoding="utf-8")
    expected = EXPECTED.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), result.output.splitlines(True), "expected", "actual"))
    assert result.output == expected, diff


def test_golden_report_covers_at_least_forty_problem_codes():
    codes = {line.rsplit("[", 1)[1].rstrip("]") for line in EXPECTED.read_text().splitlines() if line.endswith("]")}
    assert len(codes) >= 40, sorted(codes)


def test_build_of_the_broken_project_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    out = tmp_path / "build"
    result = run_cli("build", "--project", FIXTURES / "broken", "--out", out, "--templates", FIXTURES.parent.parent / "templates")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].endswith("nothing was written.")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
