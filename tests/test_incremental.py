"""Incremental rebuilds (`ldnsite serve`) give byte-for-byte the output of a clean build, for every kind of edit."""

import os
import shutil

import pytest

from conftest import FIXTURES, TEMPLATES, tree
from ldnsite.output.build import build_site
from ldnsite.output.incremental import Builder
from ldnsite.project import Project


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    shutil.copytree(FIXTURES / "minimal", tmp_path / "project")
    shutil.copytree(TEMPLATES, tmp_path / "project" / "templates")
    project = Project.at(tmp_path / "project")
    builder = Builder(project)
    assert not builder.build().failed
    return project, builder


def clean_build(project: Project, tmp_path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    result = build_site(Project.at(project.root, out=out), search=False)
    assert not result.failed, [str(p) for p in result.problems]
    return tree(out)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9, path.stat().st_mtime_ns + 10**9))


def fibro(project):
    return project.content / "conditions" / "fibromyalgia.yaml"


NEW_CLAIM = """  - id: ldn-fibromyalgia-sleep
    title: LDN improves sleep in fibromyalgia
    statement: No study measured sleep well.
    status: anecdotal
    grade: very-low
    direction: not-reported
    verdict: not-supported
    sources:
      - id: web-article
        role: asserts
        quote: "a versatile and promising treatment"
    reviewed: 2026-02-01
"""

EDITS = {
    "change a claim": lambda p: edit(fibro(p), "A larger trial found no difference.", "The larger trial found no difference."),
    "add a claim": lambda p: fibro(p).write_text(fibro(p).read_text() + NEW_CLAIM),
    "delete a claim": lambda p: fibro(p).write_text(fibro(p).read_text().split("  - id: ldn-fibromyalgia-cure")[0]),
    "rename a claim": lambda p: edit(fibro(p), "id: ldn-fibromyalgia-cure", "id: ldn-fibromyalgia-cured"),
    "change a template": lambda p: edit(p.templates / "base.html", "<a class=\"skip-link\"", "<a data-edited class=\"skip-link\""),
    "change a source cited by many claims": lambda p: edit(p.content / "sources" / "web-article.yaml",
                                                           "title: LDN is a promising treatment", "title: LDN is promising"),
    "change the site settings": lambda p: edit(p.content / "site.yaml", "title: Fixture Evidence", "title: Fixture Evidence Site"),
    "change a static file": lambda p: (p.templates / "static" / "style.css").write_text(
        (p.templates / "static" / "style.css").read_text() + "\n/* edited */\n"),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_incremental_build_equals_a_clean_build(name, workspace, tmp_path):
    project, builder = workspace
    EDITS[name](project)
    result = builder.build()
    assert not result.failed, [str(p) for p in result.problems]
    assert tree(project.out) == clean_build(project, tmp_path)


def test_a_sequence_of_edits_stays_equal_to_clean_builds(workspace, tmp_path):
    project, builder = workspace
    order = ["change a claim", "add a claim", "rename a claim", "change a source cited by many claims", "change a template",
             "change a static file", "change the site settings", "delete a claim"]
    assert sorted(order) == sorted(EDITS)
    for name in order:
        EDITS[name](project)
        assert not builder.build().failed
        assert tree(project.out) == clean_build(project, tmp_path), name


def test_an_unchanged_rebuild_renders_nothing_and_one_edit_renders_few_pages(workspace):
    project, builder = workspace
    assert not builder.build().failed
    assert builder.last_rendered == 0
    EDITS["change a claim"](project)
    assert not builder.build().failed
    # the claim, its condition, the sources it cites, the evidence map and the bibliography show it
    assert 0 < builder.last_rendered <= 10


def test_a_failed_incremental_build_keeps_the_last_good_site(workspace):
    project, builder = workspace
    before = tree(project.out)
    edit(fibro(project), "grade: low", "grade: best")
    assert builder.build().failed
    assert tree(project.out) == before
    edit(fibro(project), "grade: best", "grade: low")
    assert not builder.build().failed
    assert tree(project.out) == before


def test_the_published_files_are_never_written_through(workspace):
    project, builder = workspace
    kept = project.out / "claims" / "naltrexone-alcohol-approved.html"
    changed = project.out / "claims" / "ldn-fibromyalgia-pain.html"
    old_bytes = changed.read_bytes()
    handle = changed.open("rb")  # a reader holding the old file keeps seeing the old version
    EDITS["change a claim"](project)
    assert not builder.build().failed
    assert handle.read() == old_bytes
    handle.close()
    assert kept.exists()


def test_a_statement_edit_leaves_the_lists_of_every_claim_and_source_unwritten(workspace):
    project, builder = workspace
    lists = [project.out / "evidence-map.html", project.out / "sources" / "index.html"]
    before = [(path.stat().st_ino, path.stat().st_mtime_ns) for path in lists]
    EDITS["change a claim"](project)  # a statement: the lists show titles, tiers and grades, not statements
    assert not builder.build().failed
    assert [(path.stat().st_ino, path.stat().st_mtime_ns) for path in lists] == before
    shown = lists[0].read_text()
    edit(fibro(project), "grade: low", "grade: very-low")  # a grade: the evidence map shows it
    edit(fibro(project), "inconsistency: {rating: serious", "inconsistency: {rating: very-serious")  # the inputs that compute it
    assert not builder.build().failed
    assert lists[0].read_text() != shown
