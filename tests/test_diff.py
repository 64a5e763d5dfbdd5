"""`ldnsite diff`: evidence-level changes between two git revisions, as a reviewer needs them."""

import subprocess

import pytest

from conftest import CONDITION_YAML, SOURCE_RCT, run_cli, write_project

SECOND_SOURCE = "id: trial2021\nkind: randomized-trial\ntitle: Another trial\nyear: 2021\nverified: test\n"
NEW_CLAIM = """\
  - id: ldn-fibro-sleep
    title: LDN improves sleep
    statement: Not studied.
    status: off-label
    grade: very-low
    direction: mixed
    verdict: uncertain
    sources:
      - id: trial2021
        role: supports
    reviewed: 2024-02-01
"""


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    """A repository with two commits: the second edits, adds and removes claims and sources."""
    project = write_project(tmp_path, {
        "content/sources/trial2021.yaml": SECOND_SOURCE,
        "content/conditions/fibromyalgia.yaml": CONDITION_YAML + NEW_CLAIM.replace("ldn-fibro-sleep", "ldn-fibro-old"),
    })
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.email", "t@example.org")
    git(project, "config", "user.name", "Test")
    git(project, "add", ".")
    git(project, "commit", "-qm", "first")
    edited = CONDITION_YAML.replace("grade: low", "grade: moderate").replace(
        "imprecision: {rating: serious", "imprecision: {rating: none").replace(
        "statement: A trial found less pain.", "statement: A trial found a little less pain.").replace(
        "role: supports\n    reviewed: 2024-01-01", "role: supports\n    reviewed: 2024-03-01") + NEW_CLAIM
    (project / "content/conditions/fibromyalgia.yaml").write_text(edited)
    (project / "content/sources/trial2020.yaml").write_text(SOURCE_RCT.replace("title: A trial", "title: A renamed trial"))
    git(project, "commit", "-qam", "second")
    return project


def test_text_report_lists_every_change(repo):
    result = run_cli("diff", "HEAD~1", "HEAD", "--project", repo)
    assert result.exit_code == 0, result.output
    assert result.output == """\
Evidence changes from HEAD~1 to HEAD: 1 claim added, 1 claim changed, 1 claim removed, 1 source added, changed or removed

REMOVED claim 'ldn-fibro-old' (Fibromyalgia): LDN improves sleep
  !! claim removed: check that the evidence really no longer supports listing it

CHANGED claim 'ldn-fibro-pain' (Fibromyalgia): LDN reduces pain
  !! grade raised from 'low' to 'moderate' without a new source
  grade: low -> moderate
  last reviewed: 2024-01-01 -> 2024-03-01
  statement was:
    A trial found less pain.
  statement now:
    A trial found a little less pain.

ADDED claim 'ldn-fibro-sleep' (Fibromyalgia): LDN improves sleep
  tier: off-label
  grade: very-low
  direction: mixed
  verdict: uncertain
  + source trial2021

Sources:
CHANGED source 'trial2020' (title): A renamed trial
"""


def test_markdown_report_calls_out_the_unsupported_grade_rise(repo):
    result = run_cli("diff", "HEAD~1", "HEAD", "--project", repo, "--format", "markdown")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:8] == [
        "### Evidence changes",
        "",
        "From `HEAD~1` to `HEAD`: 1 claim added, 1 claim changed, 1 claim removed, 1 source added, changed or removed.",
        "",
        "> [!WARNING]",
        "> Needs a reviewer's attention:",
        "> - `ldn-fibro-old`: claim removed: check that the evidence really no longer supports listing it",
        "> - `ldn-fibro-pain`: grade raised from 'low' to 'moderate' without a new source",
    ]
    assert "| `ldn-fibro-pain` | Fibromyalgia | changed | grade: low → **moderate**; last reviewed: 2024-01-01 → **2024-03-01**; statement edited |" in lines


def test_a_grade_rise_with_a_new_source_is_not_called_out(repo):
    path = repo / "content/conditions/fibromyalgia.yaml"
    text = path.read_text().replace("      - id: trial2020\n        role: supports\n    reviewed: 2024-03-01",
                                    "      - id: trial2020\n        role: supports\n      - id: trial2021\n        role: supports\n    reviewed: 2024-03-01", 1)
    path.write_text(text)
    result = run_cli("diff", "HEAD~1", "--project", repo)
    assert "without a new source" not in result.output
    assert "  + source trial2021" in result.output


def test_default_head_is_the_working_tree_and_no_change_is_said_plainly(repo):
    assert run_cli("diff", "HEAD", "--project", repo).output == "No evidence changes between HEAD and working tree.\n"


def test_unknown_revision_is_a_usage_error(repo):
    result = run_cli("diff", "nope", "--project", repo)
    assert result.exit_code == 2
    assert "unknown revision 'nope'" in result.output


def test_invalid_content_at_a_revision_is_reported(repo):
    path = repo / "content/conditions/fibromyalgia.yaml"
    path.write_text(path.read_text().replace("grade: moderate", "grade: best"))
    result = run_cli("diff", "HEAD", "--project", repo)
    assert result.exit_code == 1
    assert result.output.startswith("ldnsite: the content at the working tree has errors; fix them first:\n"
                                    "content/conditions/fibromyalgia.yaml:11:12: error: claim 'ldn-fibro-pain': grade 'best'")
