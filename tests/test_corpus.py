"""Hostile and broken content: every case is reported at its exact line, with exit code 1, no traceback,
and the previous build left byte for byte as it was.
"""

import shutil
import subprocess
import sys

import pytest

from conftest import TEMPLATES, run_cli, tree, write_project
from corpus.cases import CASES, EXPECTED, HINTS

STRICT = {"unused-source-strict", "grade-missing-inputs-strict"}


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """A site built from the valid base project, copied under every case."""
    project = write_project(tmp_path_factory.mktemp("good"), {})
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search")
    assert result.exit_code == 0, result.output
    return project / "build"


def test_the_corpus_is_large_and_every_case_has_its_expected_line():
    assert len(CASES) >= 60
    assert sorted(CASES) == sorted(EXPECTED)
    assert set(HINTS) <= set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_content_is_reported_exactly_and_the_old_build_survives(name, tmp_path, good_build):
    files = CASES[name]
    project = write_project(tmp_path, files)
    shutil.copytree(good_build, project / "build")
    before = tree(project / "build")
    args = ["build", "--project", project, "--templates", TEMPLATES, "--no-search"] + (["--strict"] if name in STRICT else [])
    result = run_cli(*args)  # catch_exceptions=False: any exception fails the test with its traceback
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert EXPECTED[name] in lines
    if name in HINTS:
        assert lines[lines.index(EXPECTED[name]) + 1] == f"    hint: {HINTS[name]}"
    assert lines[-1].endswith("nothing was written.")
    assert tree(project / "build") == before
    assert sorted(p.name for p in project.iterdir()) == ["build", "content"]


@pytest.mark.parametrize("name", ["alias-bomb", "deep-nesting", "null-byte", "non-utf8-bytes", "python-object-tag", "huge-file",
                                  "fifo-as-source", "markdown-nested-list-items"])
def test_hostile_files_end_cleanly_in_a_separate_process(name, tmp_path):
    project = write_project(tmp_path, CASES[name])
    out = subprocess.run([sys.executable, "-m", "ldnsite", "check", "--project", str(project)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert EXPECTED[name] in out.stdout.splitlines()
