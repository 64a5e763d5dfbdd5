"""The command line: exit codes 0/1/2, formats, strict mode, no tracebacks."""

import os
import subprocess
import sys

from conftest import FIXTURES, REPO, TEMPLATES, run_cli, write_project


def test_check_valid_project_exits_0(tmp_path):
    result = run_cli("check", "--project", write_project(tmp_path, {}))
    assert result.exit_code == 0
    assert result.output == "ldnsite: no problems found.\n"


def test_check_with_content_errors_exits_1_with_a_summary(tmp_path):
    project = write_project(tmp_path, {"content/conditions/fibromyalgia.yaml": "condition: [\n"})
    result = run_cli("check", "--project", project)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "ldnsite: 1 error, 0 warnings in 1 file."


def test_unknown_option_exits_2():
    result = run_cli("check", "--nope")
    assert result.exit_code == 2
    assert "No such option '--nope'" in result.output


def test_missing_content_folder_exits_2(tmp_path):
    result = run_cli("check", "--project", tmp_path)
    assert result.exit_code == 2
    assert "content folder not found" in result.output


def test_github_format_prints_annotations(tmp_path):
    project = write_project(tmp_path, {"content/sources/extra.yaml": "id: extra\nkind: preclinical\ntitle: x\nverified: t\n"})
    result = run_cli("check", "--project", project, "--format", "github")
    assert result.output.splitlines()[0] == (
        "::warning file=content/sources/extra.yaml,line=1,col=1,title=ref.unused-source::"
        "source 'extra' is not cited by any claim%0Acite it from a claim, or delete the file")


def test_github_format_is_the_default_on_github_actions(tmp_path):
    project = write_project(tmp_path, {"content/sources/extra.yaml": "id: extra\nkind: preclinical\ntitle: x\nverified: t\n"})
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    out = subprocess.run([sys.executable, "-m", "ldnsite", "check", "--project", str(project)], capture_output=True, text=True, env=env)
    assert out.stdout.startswith("::warning file=content/sources/extra.yaml")


def test_build_exits_0_and_says_where_to_open(tmp_path):
    result = run_cli("build", "--project", FIXTURES / "minimal", "--templates", TEMPLATES, "--out", tmp_path / "out", "--no-search")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1].startswith(f"ldnsite: wrote 34 files to {tmp_path / 'out'}; open ")


def test_build_strict_fails_on_a_warning_and_writes_nothing(tmp_path):
    project = write_project(tmp_path, {"content/sources/extra.yaml": "id: extra\nkind: preclinical\ntitle: x\nverified: t\n"})
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--strict", "--no-search")
    assert result.exit_code == 1
    assert not (project / "build").exists()


def test_no_traceback_for_hostile_content(tmp_path):
    project = write_project(tmp_path, {"content/conditions/fibromyalgia.yaml": b"\xff\xfe\x00garbage: [\n"})
    out = subprocess.run([sys.executable, "-m", "ldnsite", "check", "--project", str(project)], capture_output=True, text=True)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr


def test_version_and_help():
    assert run_cli("--version").output.startswith("ldnsite, version ")
    help_text = run_cli("--help").output
    for command in ("build", "check", "new", "schema", "serve"):
        assert f"  {command} " in help_text


def test_help_starts_without_importing_the_pipeline():
    code = "import sys, ldnsite.cli; print(sorted(m for m in sys.modules if m.startswith(('jinja2', 'markdown', 'yaml', 'nh3'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
