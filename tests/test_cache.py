"""The parse cache kept between runs: reused only when it is safe, and never changing what is reported."""

import os
import time

import pytest

import ldnsite.cache
import ldnsite.load
from conftest import CONDITION_YAML, run_cli, write_project
from ldnsite.build import check_project
from ldnsite.cache import DiskCache
from ldnsite.project import Project


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LDNSITE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def parsed(monkeypatch):
    """The display names of the files parsed (not taken from a cache) since the test started."""
    seen = []
    real = ldnsite.load.load_file

    def counting(file, display):
        seen.append(display)
        return real(file, display)

    monkeypatch.setattr(ldnsite.load, "load_file", counting)
    return seen


def settled_project(tmp_path, files=None):
    """A project whose files were last changed 10 s ago: files changed just before a run are never trusted."""
    project = write_project(tmp_path / "p", files or {})
    past = time.time_ns() - 10_000_000_000
    for file in (project / "content").rglob("*.yaml"):
        os.utime(file, ns=(past, past))
    return Project.at(project)


def report(result):
    return [str(problem) for problem in result.problems]


def test_a_second_check_parses_nothing_and_reports_the_same(tmp_path, cache_dir, parsed):
    project = settled_project(tmp_path, {"content/sources/extra.yaml": "id: extra\nkind: preclinical\ntitle: x\nverified: t\n"})
    first = check_project(project)
    assert len(parsed) == 4
    parsed.clear()
    second = check_project(project)
    assert parsed == []
    assert report(second) == report(first) == report(check_project(project, cache=False))
    assert "ref.unused-source" in " ".join(report(second))


def test_an_edited_file_is_parsed_again_and_its_problems_reported(tmp_path, cache_dir, parsed):
    project = settled_project(tmp_path)
    assert not check_project(project).failed
    parsed.clear()
    (project.content / "conditions/fibromyalgia.yaml").write_text(CONDITION_YAML.replace("grade: low", "grade: lowish"))
    result = check_project(project)
    assert parsed == ["content/conditions/fibromyalgia.yaml"]
    assert result.failed
    assert "'lowish'" in " ".join(report(result))


def test_a_file_changed_just_before_a_run_is_not_kept(tmp_path, cache_dir, parsed):
    project = Project.at(write_project(tmp_path / "p", {}))  # every file written a moment ago
    check_project(project)
    parsed.clear()
    check_project(project)
    assert len(parsed) == 3


def test_a_cache_written_by_other_code_is_not_read(tmp_path, cache_dir, parsed, monkeypatch):
    project = settled_project(tmp_path)
    check_project(project)
    parsed.clear()
    monkeypatch.setattr(ldnsite.cache, "_FINGERPRINT", "another-version")
    check_project(project)
    assert len(parsed) == 3
    assert [p.name for p in DiskCache(project.content).folder.iterdir()] == ["code-another-version"]


def test_a_cache_file_others_may_write_to_is_never_unpickled(tmp_path, cache_dir, parsed):
    project = settled_project(tmp_path)
    check_project(project)
    for bucket in DiskCache(project.content).files.glob("*.pickle"):
        bucket.chmod(0o666)
    parsed.clear()
    check_project(project)
    assert len(parsed) == 3


def test_a_damaged_cache_is_ignored_and_replaced(tmp_path, cache_dir, parsed):
    project = settled_project(tmp_path)
    first = check_project(project)
    for bucket in DiskCache(project.content).files.glob("*.pickle"):
        bucket.write_bytes(b"not a pickle")
    parsed.clear()
    assert report(check_project(project)) == report(first)
    assert len(parsed) == 3
    parsed.clear()
    check_project(project)
    assert parsed == []


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("LDNSITE_CACHE_DIR", str(blocker / "cache"))
    project = settled_project(tmp_path)
    assert not check_project(project).failed


def test_no_cache_writes_no_cache(tmp_path, cache_dir):
    project = settled_project(tmp_path)
    assert run_cli("check", "--no-cache", "--project", str(project.root)).exit_code == 0
    assert not cache_dir.exists()
    assert run_cli("check", "--project", str(project.root)).exit_code == 0
    assert (cache_dir / "CACHEDIR.TAG").is_file()


def test_the_cache_is_kept_out_of_the_project(tmp_path, cache_dir):
    project = settled_project(tmp_path)
    check_project(project)
    assert DiskCache(project.content).folder.parent == cache_dir
    assert sorted(p.name for p in project.root.iterdir()) == ["content"]
