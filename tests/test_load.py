"""Loading content/: sorted walk, and the file cache that `serve` keeps between rebuilds."""

import os
import time

from conftest import CONDITION_YAML, write_project
from ldnsite.load import FileCache, load_database


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
