"""Editors' and reviewers' tooling: the CI workflow, pull-request files and the pre-commit hooks."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def runs(job: str) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: str) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def test_workflow_runs_on_pull_requests_and_the_default_branch():
    triggers = workflow()[True]  # YAML 1.1 reads the key 'on' as true
    assert set(triggers) >= {"pull_request", "push"}
    assert triggers["push"]["branches"] == ["main"]


def test_pull_requests_get_annotations_tests_a_strict_build_and_the_diff_summary():
    commands = runs("check")
    assert "ldnsite check --strict --format github" in commands
    assert "make test" in commands
    assert "ldnsite build --strict" in commands
    assert 'ldnsite diff "origin/$BASE_REF" HEAD --format markdown' in commands
    assert 'cat evidence-diff.md >> "$GITHUB_STEP_SUMMARY"' in commands
    assert next(s for s in steps("check") if s.get("uses", "").startswith("actions/checkout"))["with"]["fetch-depth"] == 0


def test_python_is_pinned_and_pip_cached_where_nothing_is_published():
    assert workflow()["env"]["PYTHON_VERSION"].count(".") == 2
    for job in ("check", "deploy"):
        setup = next(s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python"))
        assert setup["with"]["python-version"] == "${{ env.PYTHON_VERSION }}"
    assert next(s for s in steps("check") if s.get("uses", "").startswith("actions/setup-python"))["with"]["cache"] == "pip"
    # A cache restored into the job that publishes could be poisoned by another branch (zizmor's cache-poisoning).
    assert "cache" not in next(s for s in steps("deploy") if s.get("uses", "").startswith("actions/setup-python"))["with"]


def test_default_branch_deploys_to_pages_with_the_official_actions():
    deploy = workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "check"
    assert "refs/heads/main" in deploy["if"]
    assert uses("deploy")[-3:] == ["actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"]
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert '--base-url "$PAGES_BASE_URL/"' in runs("deploy")
    build = next(s for s in steps("deploy") if "--base-url" in s.get("run", ""))
    assert build["env"] == {"PAGES_BASE_URL": "${{ steps.pages.outputs.base_url }}"}


def test_actions_are_pinned_to_commit_shas_with_the_release_in_a_comment():
    lines = [line.strip() for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert len(lines) >= 8
    for line in lines:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+", line), line


def test_checkouts_keep_no_credentials_and_no_expression_is_expanded_in_a_script():
    for job in ("check", "deploy"):
        checkout = next(s for s in steps(job) if s.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["persist-credentials"] is False
        assert [s["name"] for s in steps(job) if "${{" in s.get("run", "")] == []


def test_pull_requests_get_the_built_site_and_one_sticky_diff_comment():
    upload = next(s for s in steps("check") if s.get("id") == "site-artifact")
    assert upload["if"] == "github.event_name == 'pull_request'" and upload["with"]["path"] == "build/"
    summary = next(s for s in steps("check") if s.get("name", "").startswith("Evidence diff (job summary)"))
    assert summary["env"]["SITE_URL"] == "${{ steps.site-artifact.outputs.artifact-url }}"
    assert "$SITE_URL" in summary["run"]
    comment = next(s for s in steps("check") if "comment" in s.get("name", ""))
    # Found by its hidden marker and edited in place, so a pull request has one comment however often it is pushed.
    assert 'startswith("<!-- ldnsite-diff -->")' in comment["run"]
    assert "--method PATCH" in comment["run"] and "--method POST" in comment["run"]
    assert workflow()["jobs"]["check"]["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_dependabot_keeps_actions_and_python_packages_current():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in config["updates"]} >= {"github-actions", "pip"}


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


@pytest.mark.parametrize("tool, args", [("actionlint", []), ("zizmor", ["--offline", "--persona", "pedantic"])])
def test_the_workflow_passes_its_linters(tool, args):
    executable = _tool(tool)
    if executable is None:
        pytest.skip(f"{tool} is not installed (zizmor is in the test extras; actionlint: see the README)")
    targets = [str(WORKFLOW)] + ([str(REPO / ".github" / "dependabot.yml")] if tool == "zizmor" else [])
    result = subprocess.run([executable, *args, *targets], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_template_has_the_reviewer_checklist():
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    for item in ("verified", "grade", "tier", "quote", "ldnsite diff"):
        assert item in template.lower()
    assert template.count("- [ ]") >= 6


def test_content_changes_need_a_reviewer():
    owners = (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert any(line.startswith("/content/ ") for line in owners.splitlines())


def test_contributing_has_a_worked_example_from_the_verified_bibliography():
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    source = (REPO / "content" / "sources" / "bruun2024.yaml").read_text(encoding="utf-8")
    for line in ("id: bruun2024", 'pmid: "38258677"', "doi: 10.1016/S2665-9913(23)00278-3"):
        assert line in guide and line in source


def test_build_accepts_a_base_url_override(tmp_path):
    from conftest import FIXTURES, TEMPLATES, run_cli

    result = run_cli("build", "--project", FIXTURES / "minimal", "--templates", TEMPLATES, "--out", tmp_path / "o",
                     "--no-search", "--base-url", "https://someone.github.io/repo")
    assert result.exit_code == 0, result.output
    assert "<loc>https://someone.github.io/repo/claims/" in (tmp_path / "o" / "sitemap.xml").read_text()
    assert run_cli("build", "--project", FIXTURES / "minimal", "--base-url", "ftp://x").exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_pre_commit_lets_a_source_in_before_its_claim_and_refuses_a_misspelt_key_once(tmp_path):
    pre_commit = Path(sys.executable).with_name("pre-commit")
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed in this environment (it is in the test extras)")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    # The documented set-up is `make site` then `pre-commit install`; the test's own venv stands in for `make site`.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(REPO / ".venv" / "pre-commit-home") if (REPO / ".venv").is_dir() else str(tmp_path / "pc")}
    subprocess.run([str(pre_commit), "install"], cwd=clone, check=True, capture_output=True, env=env)

    def commit(message):
        subprocess.run(["git", "add", "-A"], cwd=clone, check=True)
        return subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=T", "commit", "-qm", message],
                              cwd=clone, capture_output=True, text=True, env=env)

    # a new work: a copy of an existing source would share its PMID, DOI and NCT number (ref.duplicate-identifier, an error)
    new_source = "id: bruun2099\nkind: randomized-trial\ntitle: A trial not yet cited\nyear: 2025\nverified: test\n"
    (clone / "content" / "sources" / "bruun2099.yaml").write_text(new_source, encoding="utf-8")
    first = commit("a source before its claim")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "source 'bruun2099' is not cited by any claim [ref.unused-source]" in first.stdout + first.stderr
    target = clone / "content" / "conditions" / "fibromyalgia.yaml"
    text = target.read_text(encoding="utf-8")
    assert "\n    grade: low\n" in text
    target.write_text(text.replace("\n    grade: low\n", "\n    grdae: low\n", 1), encoding="utf-8")
    second = commit("typo")
    assert second.returncode != 0
    output = second.stdout + second.stderr
    assert output.count("unknown key 'grdae' [schema.unknown-key]") == 1
    assert "hint: did you mean 'grade'?" in output
    assert "grdae' was unexpected" not in output  # no second schema hook repeating it without a line number
    log = subprocess.run(["git", "log", "--oneline"], cwd=clone, capture_output=True, text=True).stdout
    assert log.splitlines()[0].endswith("a source before its claim")


def test_ci_stays_strict_about_unused_sources():
    assert "ldnsite check --strict --format github" in runs("check")
    hook = (REPO / "scripts" / "ldnsite-hook.sh").read_text(encoding="utf-8")
    assert "--strict" not in [word for line in hook.splitlines() if not line.startswith("#") for word in line.split()]
