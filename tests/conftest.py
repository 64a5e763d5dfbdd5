"""Shared helpers: scratch projects written from inline text, CLI runner, golden files."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ldnsite.cli import cli

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEMPLATES = REPO / "templates"
UPDATE_GOLDEN = os.environ.get("LDNSITE_UPDATE_GOLDEN") == "1"

@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """Keep the parsed-file cache of every command the tests run out of the user's ~/.cache."""
    os.environ["LDNSITE_CACHE_DIR"] = str(tmp_path_factory.mktemp("ldnsite-cache"))
    yield
    del os.environ["LDNSITE_CACHE_DIR"]


SITE_YAML = """\
title: Test Evidence
tagline: A scratch project.
base_url: https://example.org/ldn/
language: en
disclaimer: Not medical advice.
condition_groups:
  - id: pain
    name: Pain
"""

SOURCE_RCT = """\
id: trial2020
kind: randomized-trial
title: A trial
year: 2020
verified: test
"""

CONDITION_YAML = """\
condition:
  id: fibromyalgia
  name: Fibromyalgia
  group: pain
  summary: LDN may help.
claims:
  - id: ldn-fibro-pain
    title: LDN reduces pain
    statement: A trial found less pain.
    status: off-label
    grade: low
    direction: benefit
    verdict: uncertain
    sources:
      - id: trial2020
        role: supports
    reviewed: 2024-01-01
    grading: {start: high, risk_of_bias: {rating: serious, reason: One small trial.}, inconsistency: {rating: none, reason: One trial.}, indirectness: {rating: none, reason: The claim's population.}, imprecision: {rating: serious, reason: Few participants.}, publication_bias: {rating: none, reason: None suspected.}}
"""

"""The base claim: one small trial, graded low, with the GRADE inputs that compute low (high, -1 risk of bias, -1 imprecision)."""

DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")


OUTCOME_YAML = """\
    outcomes:
      - name: Pain
        intervention: LDN
        measure: MD
        estimate: -0.5
        ci: [-1.0, 0.1]
        participants: 40
        studies: 1
        sources: [trial2020]
        effect: reduces-slightly
        certainty: low
"""
"""One outcome of the base claim, to append after its grading."""


def grading_yaml(start: str = "high", **ratings: str) -> str:
    """Return a claim's `grading` as one line of YAML: every domain rated `none` unless given (upgrades only when given)."""
    parts = [f"start: {start}"]
    parts += [f"{name}: {{rating: {ratings.pop(name, 'none')}, reason: A reason.}}" for name in DOMAINS]
    parts += [f"{name}: {{rating: {rating}, reason: A reason.}}" for name, rating in ratings.items()]
    return "{" + ", ".join(parts) + "}"


FIFO = "<a FIFO: a named pipe, which blocks whoever opens it to read until a writer comes>"
"""A value of ``write_project``'s files: make a FIFO at that path instead of a file."""


def write_project(root: Path, files: dict[str, str], *, base: bool = True) -> Path:
    """Write a scratch project; with ``base``, start from a minimal valid one and override files (``FIFO``: a FIFO)."""
    contents = {}
    if base:
        contents = {
            "content/site.yaml": SITE_YAML,
            "content/sources/trial2020.yaml": SOURCE_RCT,
            "content/conditions/fibromyalgia.yaml": CONDITION_YAML,
        }
    contents.update(files)
    for relative, text in contents.items():
        if text is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is FIFO:
            os.mkfifo(path)
        elif isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    return root


def copy_fixture(name: str, destination: Path) -> Path:
    """Copy a fixture project to ``destination`` and return it."""
    shutil.copytree(FIXTURES / name, destination)
    return destination


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_cli(*args: str):
    """Run the CLI in-process; return the click Result."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def check_lines(project: Path, *extra: str) -> list[str]:
    """Run `ldnsite check` and return its output lines without the summary."""
    result = run_cli("check", "--project", project, *extra)
    return [line for line in result.output.splitlines() if not line.startswith("ldnsite:")]


def tree(root: Path) -> dict[str, bytes]:
    """Return {relative posix path: bytes} for every file below ``root``."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def built_pages(pages) -> dict:
    """The planned pages by path, each lazy one built (as rendering builds it)."""
    from ldnsite.plan.site import LazyPage

    return {page.path: page.page() if isinstance(page, LazyPage) else page for page in pages}
