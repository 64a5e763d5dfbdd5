"""ruff (lint and format) and mypy hold the whole of src/, and every route to main runs them."""

import re

import yaml

from conftest import REPO

MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def _rule(target: str) -> tuple[list[str], list[str]]:
    """Return a Makefile target's prerequisites and recipe lines."""
    match = re.search(rf"^{target}:([^\n]*)\n((?:\t[^\n]*\n)*)", MAKEFILE, re.MULTILINE)
    assert match, f"the Makefile has no '{target}' target"
    return match.group(1).split(), [line.strip() for line in match.group(2).splitlines()]


def test_make_lint_checks_the_whole_of_src_with_ruff_and_mypy():
    assert re.search(r"^LINT_FILES \?= src$", MAKEFILE, re.MULTILINE)
    _, recipe = _rule("lint")
    assert recipe == [
        "$(BIN)/ruff check $(LINT_FILES)",
        "$(BIN)/ruff format --check $(LINT_FILES)",
        "$(BIN)/mypy $(LINT_FILES)",
    ]


def test_make_test_runs_lint_before_the_suite():
    prerequisites, _ = _rule("test")
    assert "lint" in prerequisites


def test_pre_commit_runs_make_lint_when_src_changes():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["lint"]["entry"] == "make lint"
    assert re.match(hooks["lint"]["files"], "src/ldnsite/output/build.py")


def test_ci_runs_make_test_so_lint():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    assert "make test" in [step.get("run") for step in workflow["jobs"]["check"]["steps"]]
