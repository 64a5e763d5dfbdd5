"""Rendering in forked worker processes gives byte-for-byte the output of rendering in one process.

Large sites are rendered by one worker per CPU (``render.render_pages``). The project's own content is
below the size where workers start, so these tests lower that threshold and set the number of CPUs.
"""

import shutil

import pytest

from conftest import REPO, TEMPLATES, tree
from ldnsite import render
from ldnsite.build import build_site
from ldnsite.incremental import Builder
from ldnsite.project import Project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    shutil.copytree(REPO / "content", tmp_path / "project" / "content")
    shutil.copytree(TEMPLATES, tmp_path / "project" / "templates")
    return Project.at(tmp_path / "project")


def build_with(project: Project, out, monkeypatch, cpus: int):
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(render, "_cpu_count", lambda: cpus)
    return build_site(Project.at(project.root, out=out), search=False, cache=False)


def test_two_workers_write_the_same_files_as_one_process(project, tmp_path, monkeypatch):
    single = build_with(project, tmp_path / "single", monkeypatch, cpus=1)
    parallel = build_with(project, tmp_path / "parallel", monkeypatch, cpus=2)

    assert not single.failed and not parallel.failed
    assert single.pages == parallel.pages > 100
    assert tree(tmp_path / "parallel") == tree(tmp_path / "single")


def test_serve_first_build_with_workers_matches_a_clean_single_process_build(project, tmp_path, monkeypatch):
    clean = build_with(project, tmp_path / "clean", monkeypatch, cpus=1)
    monkeypatch.setattr(render, "_cpu_count", lambda: 2)
    served = Builder(Project.at(project.root, out=tmp_path / "served")).build()

    assert not clean.failed and not served.failed
    assert tree(tmp_path / "served") == tree(tmp_path / "clean")


def test_a_broken_link_on_a_page_rendered_by_a_worker_fails_the_build_and_keeps_the_old_site(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert not build_with(project, out, monkeypatch, cpus=2).failed
    before = tree(out)
    claim_template = project.templates / "claim.html"
    text = claim_template.read_text(encoding="utf-8")
    marker = "{% block main %}"
    assert marker in text
    claim_template.write_text(text.replace(marker, marker + '<a href="{{ root }}nowhere.html">x</a>', 1), encoding="utf-8")

    result = build_with(project, out, monkeypatch, cpus=2)

    assert result.failed
    messages = [str(problem) for problem in result.problems]
    claim_pages = len(list((out / "claims").glob("*.html")))
    broken = [m for m in messages if "link '../nowhere.html' points at a page that does not exist" in m]
    assert len(broken) == claim_pages > 0, messages[:3]
    assert tree(out) == before
