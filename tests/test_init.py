"""`ldnsite init DIR --intervention NAME` (issue 14): a complete project that passes `check --strict` and builds."""

from __future__ import annotations

import dataclasses
import re

import pytest
import yaml

from conftest import run_cli
from ldnsite.content.jsonschema import build_schemas
from ldnsite.content.model import Site

EXPECTED_FILES = [
    ".github/workflows/site.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "content/conditions/.gitkeep",
    "content/site.yaml",
    "content/sources/.gitkeep",
    *(f"schema/{name}" for name in sorted(build_schemas())),
]


def files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "vitamin-d"
    result = run_cli("init", target, "--intervention", "Vitamin D")
    assert result.exit_code == 0, result.output
    return target


def test_init_writes_a_complete_project(project):
    assert files(project) == sorted(EXPECTED_FILES)


def test_the_new_project_passes_check_strict_and_builds(project):
    check = run_cli("check", "--project", project, "--strict", "--no-cache")
    assert check.exit_code == 0, check.output
    build = run_cli("build", "--project", project, "--strict", "--no-search", "--no-cache")
    assert build.exit_code == 0, build.output
    assert not (project / "templates").exists(), "the build used the default theme"


def test_the_empty_site_says_how_to_add_the_first_source_and_condition(project):
    run_cli("build", "--project", project, "--no-search", "--no-cache")
    home = (project / "build" / "index.html").read_text(encoding="utf-8")
    assert "ldnsite new source" in home and "ldnsite new condition" in home
    assert "<title>Vitamin D Evidence</title>" in home


def test_every_setting_of_site_yaml_is_there_under_a_comment(project):
    lines = (project / "content" / "site.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema/site.schema.json"
    keys = [(i, m.group(1)) for i, line in enumerate(lines) if (m := re.match(r"(?:# )?([a-z_]+):", line))]
    names = [f.name for f in dataclasses.fields(Site) if not f.metadata.get("internal")]
    assert [key for _, key in keys] == names
    for i, key in keys:
        assert lines[i - 1].startswith("# ") and not re.match(r"# [a-z_]+:", lines[i - 1]), f"no explanation above {key}"


def test_the_schemas_are_the_ones_the_modelines_point_to(project):
    for name, text in build_schemas().items():
        assert (project / "schema" / name).read_text(encoding="utf-8") == text


def test_the_ci_pre_commit_and_gitignore_files_are_usable(project):
    workflow = yaml.safe_load((project / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "ldnsite check --strict --format github" in steps
    assert any("ldnsite build --strict" in run for run in steps)
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert [(hook["id"], hook["entry"]) for hook in hooks] == [("ldnsite-check", "ldnsite check")]  # one hook, not strict
    assert "build/" in (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "ldnsite new source" in (project / "README.md").read_text(encoding="utf-8")


def test_a_name_with_quotes_and_a_colon_still_makes_valid_yaml(tmp_path):
    target = tmp_path / "site"
    assert run_cli("init", target, "--intervention", 'Vitamin D: "sunshine" #1').exit_code == 0
    assert yaml.safe_load((target / "content" / "site.yaml").read_text(encoding="utf-8"))["title"] == \
        'Vitamin D: "sunshine" #1 Evidence'
    assert run_cli("check", "--project", target, "--strict", "--no-cache").exit_code == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", tmp_path, "--intervention", "Vitamin D")
    assert result.exit_code == 2
    assert "is not empty" in result.output and "--force" in result.output
    assert files(tmp_path) == ["notes.txt"]


def test_init_with_force_writes_into_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert run_cli("init", tmp_path, "--intervention", "Vitamin D", "--force").exit_code == 0
    assert files(tmp_path) == sorted([*EXPECTED_FILES, "notes.txt"])


def test_init_into_an_empty_existing_folder_needs_no_force(tmp_path):
    assert run_cli("init", tmp_path, "--intervention", "Vitamin D").exit_code == 0


def test_init_without_an_intervention_is_a_usage_error(tmp_path):
    result = run_cli("init", tmp_path / "site")
    assert result.exit_code == 2
    assert "--intervention" in result.output
    assert not (tmp_path / "site").exists()


def test_new_site_is_gone_and_points_to_init(project):
    result = run_cli("new", "site", "x", "--project", project)
    assert result.exit_code == 2
    assert "ldnsite init DIR --intervention NAME" in result.output
