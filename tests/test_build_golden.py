"""Golden build: the whole output of tests/fixtures/minimal, byte for byte.

Regenerate after an intended template change with
LDNSITE_UPDATE_GOLDEN=1 pytest tests/test_build_golden.py, then review the HTML diff.
"""

import difflib
import shutil

from conftest import FIXTURES, TEMPLATES, UPDATE_GOLDEN, run_cli, tree

GOLDEN = FIXTURES.parent / "golden" / "minimal"


def test_minimal_fixture_builds_to_the_golden_tree(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    out = tmp_path / "build"
    result = run_cli("build", "--project", FIXTURES / "minimal", "--templates", TEMPLATES, "--out", out, "--no-search", "--strict")
    assert result.exit_code == 0, result.output
    if UPDATE_GOLDEN:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    actual, expected = tree(out), tree(GOLDEN)
    assert sorted(actual) == sorted(expected)
    for path in sorted(expected):
        if actual[path] != expected[path]:
            diff = difflib.unified_diff(expected[path].decode().splitlines(True), actual[path].decode().splitlines(True),
                                        f"golden/{path}", f"build/{path}")
            raise AssertionError(f"{path} differs from the golden file:\n" + "".join(list(diff)[:80]))
