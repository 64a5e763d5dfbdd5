"""Loading content/: sorted walk, and the file cache that `serve` keeps between rebuilds."""

import os
import time
from pathlib import Path

from conftest import CONDITION_YAML, write_project
from ldnsite.content.load import FileCache, load_database
from ldnsite.problems import format_text


def settle(project):
    """Date every content file 10 s back: a file modified just before it is read is never trusted from the cache."""
    past = time.time_ns() - 10_000_000_000
    for file in (project / "content").rglob("*.yaml"):
        os.utime(file, ns=(past, past))


def test_cache_reuses_unchanged_files_and_rereads_changed_ones(tmp_path):
    project = write_project(tmp_path, {})
    settle(project)
    cache = FileCache()
    first, _ = load_database(project / "content", project, cache=cache)
    second, _ = load_database(project / "content", project, cache=cache)
    assert second.claims[0] is first.claims[0]
    assert second.sources[0] is first.sources[0]
    path = project / "content/conditions/fibromyalgia.yaml"
    path.write_text(CONDITION_YAML.replace("title: LDN reduces pain", "title: LDN eases pain"))
    os.utime(path, ns=(1, 1))  # a different modification time, whatever the clock's resolution
    third, _ = load_database(project / "content", project, cache=cache)
    assert third.claims[0].title == "LDN eases pain"
    assert third.sources[0] is first.sources[0]


def test_a_file_changed_just_before_it_was_read_is_read_again_even_if_its_stat_matches(tmp_path):
    project = write_project(tmp_path, {})
    cache = FileCache()
    first, _ = load_database(project / "content", project, cache=cache)  # written a moment ago: racy
    second, _ = load_database(project / "content", project, cache=cache)
    assert second.claims[0] is not first.claims[0]
    assert second.claims[0] == first.claims[0]


def test_cache_forgets_deleted_files_and_reports_their_absence(tmp_path):
    project = write_project(tmp_path, {"content/sources/extra.yaml": "id: extra\nkind: preclinical\ntitle: x\nverified: t\n"})
    cache = FileCache()
    _, problems = load_database(project / "content", project, cache=cache)
    assert [p.code for p in problems] == ["ref.unused-source"]
    (project / "content/sources/trial2020.yaml").unlink()
    db, problems = load_database(project / "content", project, cache=cache)
    assert db is None
    assert "ref.unknown-source" in [p.code for p in problems]


def test_cached_and_uncached_loads_report_the_same_problems(tmp_path):
    project = write_project(tmp_path, {"content/sources/bad.yaml": "id: bad\nkind: nope\n"})
    cache = FileCache()
    plain = [str(p) for p in load_database(project / "content", project)[1]]
    cached = [str(p) for p in load_database(project / "content", project, cache=cache)[1]]
    again = [str(p) for p in load_database(project / "content", project, cache=cache)[1]]
    assert plain == cached == again


def test_a_fifo_in_content_is_refused_at_its_path_without_being_opened(tmp_path):
    project = write_project(tmp_path, {})
    os.mkfifo(project / "content/sources/pipe2020.yaml")  # opening it to read would block until a writer comes
    db, problems = load_database(project / "content", project)
    assert db is None
    assert [format_text(p) for p in problems] == [
        "content/sources/pipe2020.yaml: error: not a regular file (a FIFO, socket or device) [load.not-a-file]\n"
        "    hint: content/ holds regular YAML files only; remove it"]


def test_a_fifo_anywhere_in_content_is_refused_whatever_its_name(tmp_path):
    project = write_project(tmp_path, {})
    os.mkfifo(project / "content/notes.txt")
    _, problems = load_database(project / "content", project)
    assert [(p.location.path, p.code) for p in problems] == [("content/notes.txt", "load.not-a-file")]


def test_a_special_file_that_appears_after_the_walk_is_refused_when_read(tmp_path):
    from ldnsite.content.yamlsource import read_yaml

    os.mkfifo(tmp_path / "x.yaml")
    doc, problems = read_yaml(tmp_path / "x.yaml", "content/sources/x.yaml")
    assert doc is None
    assert [p.code for p in problems] == ["load.not-a-file"]


def test_a_huge_sparse_file_is_refused_by_its_size_without_being_read(tmp_path, monkeypatch):
    project = write_project(tmp_path, {})
    with open(project / "content/sources/big2020.yaml", "wb") as handle:
        handle.truncate(50 * 1024**3)  # 50 GB of holes: reading it would exhaust memory
    real_fdopen, real_read = os.fdopen, os.read

    def guarded(real):
        def call(fd, *args, **kwargs):
            assert os.fstat(fd).st_size < 1024**3, "the sparse file was opened for reading"
            return real(fd, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "fdopen", guarded(real_fdopen))
    monkeypatch.setattr(os, "read", guarded(real_read))
    monkeypatch.setattr(Path, "read_bytes", None)
    _, problems = load_database(project / "content", project)
    assert [format_text(p).splitlines()[0] for p in problems] == [
        "content/sources/big2020.yaml:1:1: error: file is 53,687,091,200 bytes; the limit is 1,048,576 [yaml.too-large]"]


def test_a_link_that_replaces_a_file_after_the_walk_is_not_followed(tmp_path):
    from ldnsite.content.yamlsource import read_yaml

    (tmp_path / "target.yaml").write_text("id: x\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "target.yaml")
    doc, problems = read_yaml(tmp_path / "link.yaml", "content/sources/link.yaml")
    assert doc is None
    assert [p.code for p in problems] == ["load.symlink"]


def test_a_file_rewritten_in_place_with_its_size_and_time_restored_is_read_again(tmp_path):
    project = write_project(tmp_path, {})
    settle(project)
    cache = FileCache()
    load_database(project / "content", project, cache=cache)
    path = project / "content/conditions/fibromyalgia.yaml"
    before = path.stat()
    with open(path, "r+b") as handle:  # same inode, same size: only the change time tells
        handle.write(CONDITION_YAML.replace("title: LDN reduces pain", "title: LDN reduces PAIN").encode())
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    second, _ = load_database(project / "content", project, cache=cache)
    assert second.claims[0].title == "LDN reduces PAIN"


def test_check_with_fifos_in_content_and_in_the_cache_ends_promptly_in_a_separate_process(tmp_path):
    import subprocess
    import sys

    project = write_project(tmp_path / "p", {})
    settle(project)
    cache = tmp_path / "cache"
    env = {**os.environ, "LDNSITE_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "ldnsite", "check", "--project", str(project)]
    assert subprocess.run(command, env=env, capture_output=True, timeout=60).returncode == 0
    for bucket in cache.rglob("*.pickle"):
        bucket.unlink()
        os.mkfifo(bucket, 0o600)
    os.mkfifo(project / "content/sources/pipe2020.yaml")
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert "content/sources/pipe2020.yaml: error: not a regular file (a FIFO, socket or device) [load.not-a-file]" in out.stdout
