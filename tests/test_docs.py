"""Everything an editor needs is documented: a test fails when the user guide in docs/ falls behind the code."""

import dataclasses
import re

import pytest

from conftest import REPO
from ldnsite.content.model import (Claim, Citation, Condition, ConditionGroup, Direction, DoseResponse, DoseResponseRating, Downgrade, Effect,
                           Grade, GradeStart, Grading, LabelSection, LabelTopic, LargeEffect, LargeEffectRating, Measure, Outcome, Rating,
                           RegistrationStatus, Role, Site, Source, SourceKind, Status, Verdict)

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = REPO / "docs"
PROBLEM_CODES = (DOCS / "problem-codes.md").read_text(encoding="utf-8")
CONTENT_FORMAT = (DOCS / "content-format.md").read_text(encoding="utf-8")
COMMAND_LINE = (DOCS / "command-line.md").read_text(encoding="utf-8")
USER_GUIDE = "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))
SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "src" / "ldnsite").rglob("*.py")))


def codes_in_source() -> set[str]:
    return set(re.findall(r'"((?:yaml|schema|load|ref|rule|site|grade|outcome)\.[a-z][a-z-]+)"', SOURCE)) - {"site.yaml"}


def test_every_problem_code_is_documented():
    missing = sorted(code for code in codes_in_source() if f"`{code}`" not in PROBLEM_CODES)
    assert missing == []


def test_no_documented_code_is_stale():
    documented = set(re.findall(r"^\| `((?:yaml|schema|load|ref|rule|site|grade|outcome)\.[a-z-]+)` \|", PROBLEM_CODES, re.MULTILINE))
    assert sorted(documented - codes_in_source()) == []


@pytest.mark.parametrize("cls", [Site, ConditionGroup, Condition, Claim, Citation, Grading, Downgrade, LargeEffectRating,
                                 DoseResponseRating, Outcome, Source, LabelSection])
def test_every_field_is_in_its_table(cls):
    section = CONTENT_FORMAT.split(f"### {cls.__name__}\n", 1)[1].split("\n#", 1)[0]
    fields = [f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal")]
    assert [name for name in fields if f"| `{name}` |" not in section] == []


@pytest.mark.parametrize("enum", [Status, Grade, Direction, Verdict, Role, SourceKind, LabelTopic, RegistrationStatus,
                                  GradeStart, Rating, LargeEffect, DoseResponse, Measure, Effect])
def test_every_choice_is_documented(enum):
    assert [member.value for member in enum if f"`{member.value}`" not in USER_GUIDE] == []


def test_every_exit_code_is_documented():
    table = COMMAND_LINE.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    assert [code for code in ("0", "1", "2") if f"| `{code}` |" not in table] == []
    used = set(re.findall(r"sys\.exit\((\d)", SOURCE)) | {"2"}
    assert used <= {"0", "1", "2"}


def test_every_cli_command_is_documented():
    from ldnsite.cli import cli

    assert [name for name in cli.commands if f"ldnsite {name}" not in COMMAND_LINE] == []


def test_quick_start_is_exactly_two_commands():
    quick = README.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in quick.strip().splitlines()] == ["make site", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_the_readme_links_every_page_of_the_guide():
    pages = [p.relative_to(REPO).as_posix() for p in sorted(DOCS.rglob("*.md"))]
    assert [page for page in pages if f"]({page}" not in README and f"]({page.removeprefix('docs/')}" not in
            (DOCS / "README.md").read_text(encoding="utf-8")] == []
