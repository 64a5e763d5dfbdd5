"""The parse cache kept between runs: reused only when it is safe, and never changing what is reported."""

import os
import pickle
import time

import pytest

import ldnsite.content.cache
import ldnsite.content.load
import ldnsite.processes
from conftest import CONDITION_YAML, run_cli, write_project
from ldnsite.output.build import check_project
from ldnsite.content.cache import DiskCache
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
    real = ldnsite.content.load.load_file

    def counting(file, display):
        seen.append(display)
        return real(file, display)

    monkeypatch.setattr(ldnsite.content.load, "load_file", counting)
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
    monkeypatch.setattr(ldnsite.content.cache, "_FINGERPRINT", "another-version")
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


# Security: a cache file is code-adjacent data (pickle). Nothing someone else could have written is read,
# and whatever a bucket holds, reading it ends in a hit or a miss, never in an exception or a wait.

OTHER_UID = 12345


def cached_project(tmp_path):
    """A project checked once, so that its cache exists; return it and its bucket files."""
    project = settled_project(tmp_path)
    check_project(project)
    buckets = sorted(DiskCache(project.content).files.glob("*.pickle"))
    assert buckets
    return project, buckets


def test_the_cache_folders_are_made_private(tmp_path, cache_dir):
    project, buckets = cached_project(tmp_path)
    disk = DiskCache(project.content)
    for folder in (cache_dir, disk.folder, disk.files):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert {bucket.stat().st_mode & 0o777 for bucket in buckets} == {0o600}


def test_the_default_location_is_xdg_cache_home_then_dot_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("LDNSITE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert ldnsite.content.cache.default_cache_root() == tmp_path / "xdg" / "ldnsite"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert ldnsite.content.cache.default_cache_root() == tmp_path / "home" / ".cache" / "ldnsite"
    monkeypatch.setenv("LDNSITE_CACHE_DIR", str(tmp_path / "explicit"))
    assert ldnsite.content.cache.default_cache_root() == tmp_path / "explicit"


def test_a_cache_in_the_default_location_is_written_and_read(tmp_path, monkeypatch, parsed):
    monkeypatch.delenv("LDNSITE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    project = settled_project(tmp_path)
    check_project(project)
    assert (tmp_path / "xdg/ldnsite/CACHEDIR.TAG").is_file()
    parsed.clear()
    check_project(project)
    assert parsed == []


def test_another_users_bucket_is_never_unpickled(tmp_path, cache_dir, parsed):
    project, buckets = cached_project(tmp_path)
    for bucket in buckets:
        os.chown(bucket, OTHER_UID, -1)
    parsed.clear()
    check_project(project)
    assert len(parsed) == 3


@pytest.mark.parametrize("level", ["root", "content folder", "code folder"])
def test_a_bucket_in_a_folder_others_own_or_may_write_to_is_never_unpickled(tmp_path, cache_dir, parsed, level):
    project, _ = cached_project(tmp_path)
    disk = DiskCache(project.content)
    folder = {"root": cache_dir, "content folder": disk.folder, "code folder": disk.files}[level]
    for change in (lambda: folder.chmod(0o770), lambda: folder.chmod(0o707),
                   lambda: (folder.chmod(0o700), os.chown(folder, OTHER_UID, -1))):
        change()
        parsed.clear()
        check_project(project, cache=True)
        assert len(parsed) == 3, (level, oct(folder.stat().st_mode))


def test_the_owner_check_compares_with_the_current_user(tmp_path, cache_dir, parsed, monkeypatch):
    """Where the tests cannot chown (not root), another user is simulated: the files are then not the current user's."""
    project, _ = cached_project(tmp_path)
    monkeypatch.setattr(os, "getuid", lambda: OTHER_UID)
    parsed.clear()
    check_project(project)
    assert len(parsed) == 3


def test_a_bucket_that_is_a_link_is_never_followed(tmp_path, cache_dir, parsed):
    project, buckets = cached_project(tmp_path)
    planted = tmp_path / "planted.pickle"
    for bucket in buckets:  # a link to a file with the same (valid, private) content: still not read
        planted.write_bytes(bucket.read_bytes())
        planted.chmod(0o600)
        bucket.unlink()
        bucket.symlink_to(planted)
    parsed.clear()
    check_project(project)
    assert len(parsed) == 3


def test_a_code_folder_that_is_a_link_is_never_followed(tmp_path, cache_dir, parsed):
    project, _ = cached_project(tmp_path)
    disk = DiskCache(project.content)
    moved = tmp_path / "elsewhere"
    disk.files.rename(moved)
    disk.files.symlink_to(moved)
    parsed.clear()
    check_project(project)
    assert len(parsed) == 3


def test_a_fifo_in_the_cache_is_a_miss_not_a_hang(tmp_path, cache_dir, parsed):
    project, buckets = cached_project(tmp_path)
    for bucket in buckets:
        bucket.unlink()
        os.mkfifo(bucket, 0o600)
    parsed.clear()
    assert not check_project(project).failed  # a blocking open would wait here for ever
    assert len(parsed) == 3


def test_an_oversized_bucket_is_not_read(tmp_path, cache_dir, parsed, monkeypatch):
    project, _ = cached_project(tmp_path)
    monkeypatch.setattr(ldnsite.content.cache, "MAX_BUCKET_BYTES", 10)
    parsed.clear()
    check_project(project)
    assert len(parsed) == 3


def test_a_bucket_may_name_only_the_model_classes(tmp_path, cache_dir, parsed):
    project, buckets = cached_project(tmp_path)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    import pickle

    for bucket in buckets:
        bucket.write_bytes(pickle.dumps({"x": Payload()}))
    parsed.clear()
    check_project(project)
    assert not marker.exists()
    assert len(parsed) == 3


def test_the_crafted_eleven_byte_bucket_and_its_kin_are_misses(tmp_path, cache_dir, parsed):
    import struct

    project, buckets = cached_project(tmp_path)
    crafted = [
        b"\x80\x04\x8e" + struct.pack("<Q", 2**62),  # BINBYTES8 claiming 4 EiB: MemoryError
        b"\x80\x04\x95" + struct.pack("<Q", 2**63 - 1),  # a frame too long to exist
        b"\x80\x04\x8a\xff\xff\xff\xff",  # LONG1 longer than the file
        b"\x80\x04N(t\x85R.",  # REDUCE on nothing callable
        b"\x80\x04K\x01.",  # a valid pickle of something not a dict
        b"",
    ]
    for data in crafted:
        for bucket in buckets:
            bucket.write_bytes(data)
        parsed.clear()
        assert not check_project(project, cache=True).failed
        assert len(parsed) == 3, data


# The reader, fuzzed: random bytes, every truncation of a real bucket, and real buckets with bytes changed.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def real_bucket(tmp_path_factory):
    """The bytes of a real bucket, and a private file in a private cache where fuzzed bytes are put to be read."""
    base = tmp_path_factory.mktemp("fuzz")
    base.chmod(0o700)
    project = write_project(base / "p", {})
    cache = DiskCache(project.resolve() / "content", root=base / "cache")
    from ldnsite.content.load import FileCache

    files = FileCache()
    ldnsite.content.load.load_database(project / "content", project, cache=files)
    for entry in list(files.entries):
        files.entries[entry] = (("settled",), files.entries[entry][1])
    cache.save(files)
    bucket = max(cache.files.glob("*.pickle"), key=lambda p: p.stat().st_size)
    assert DiskCache._read(bucket)
    return bucket.read_bytes(), bucket


def read_back(bucket, data: bytes):
    bucket.write_bytes(data)
    bucket.chmod(0o600)
    result = DiskCache._read(bucket)
    assert result is None or isinstance(result, dict)
    return result


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_are_a_miss_or_a_dict(real_bucket, data):
    read_back(real_bucket[1], data)


@FUZZ
@given(data=st.data())
def test_every_truncation_of_a_real_bucket_is_a_miss(real_bucket, data):
    original, bucket = real_bucket
    cut = data.draw(st.integers(0, len(original) - 1))
    assert read_back(bucket, original[:cut]) is None


@FUZZ
@given(data=st.data())
def test_a_real_bucket_with_bytes_changed_never_raises(real_bucket, data):
    original, bucket = real_bucket
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    read_back(bucket, bytes(damaged))


@FUZZ
@given(prefix=st.sampled_from([b"\x80\x04\x95", b"\x80\x04\x8e", b"\x80\x04\x8d", b"\x80\x05\x96", b"\x80\x04\x8c",
                               b"\x80\x04\x8a", b"\x80\x04\x8b", b"\x80\x04X", b"\x80\x04B", b"\x80\x02\x8a"]),
       length=st.integers(0, 2**64 - 1), tail=st.binary(max_size=20))
def test_crafted_lengths_are_a_miss(real_bucket, prefix, length, tail):
    """Opcodes that announce a length (frames, bytes, strings, long integers) followed by a lie about it."""
    width = {b"\x8c": 1, b"\x8a": 1, b"\x8b": 4, b"X": 4, b"B": 4}.get(prefix[-1:], 8)
    read_back(real_bucket[1], prefix + (length % 2 ** (8 * width)).to_bytes(width, "little") + tail)


def test_a_bucket_of_exactly_the_size_limit_is_read(tmp_path, cache_dir, parsed, monkeypatch):
    project, buckets = cached_project(tmp_path)
    monkeypatch.setattr(ldnsite.content.cache, "MAX_BUCKET_BYTES", max(bucket.stat().st_size for bucket in buckets))
    parsed.clear()
    check_project(project)
    assert parsed == []


def test_the_code_fingerprint_changes_with_any_source_file(tmp_path, monkeypatch):
    package = tmp_path / "ldnsite"
    (package / "content").mkdir(parents=True)
    (package / "output").mkdir()
    (package / "a.py").write_text("x = 1\n")
    (package / "content" / "b.py").write_text("y = 2\n")
    (package / "output" / "c.py").write_text("z = 3\n")
    monkeypatch.setattr(ldnsite.content.cache, "__file__", str(package / "content" / "cache.py"))

    def fingerprint():
        monkeypatch.setattr(ldnsite.content.cache, "_FINGERPRINT", None)
        return ldnsite.content.cache.code_fingerprint()

    first = fingerprint()
    assert fingerprint() == first
    (package / "content" / "b.py").write_text("y = 3\n")
    second = fingerprint()
    assert second != first
    (package / "output" / "c.py").write_text("z = 4\n")  # a module of another stage counts as well
    third = fingerprint()
    assert third != second
    (package / "output" / "c.py").rename(package / "c.py")  # so does a module moved to another stage
    fourth = fingerprint()
    assert fourth != third
    (package / "content" / "notes.txt").write_text("not code")
    assert fingerprint() == fourth


def test_the_reader_reads_a_pickle_of_any_protocol():
    import pickle

    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps({"a.yaml": ("key", [1, "two\nlines"])}, protocol=protocol)
        assert ldnsite.content.cache._Unpickler(ldnsite.content.cache._Bytes(data)).load() == {"a.yaml": ("key", [1, "two\nlines"])}


def test_nothing_is_written_into_a_cache_folder_others_may_write_to(tmp_path, cache_dir):
    cache_dir.mkdir(mode=0o777)
    cache_dir.chmod(0o777)  # a shared folder, as /tmp is
    project = settled_project(tmp_path)
    check_project(project)
    assert sorted(p.name for p in cache_dir.iterdir()) == [DiskCache(project.content).folder.name]
    assert list(DiskCache(project.content).folder.iterdir()) == []


def test_a_planted_cache_tag_is_neither_followed_nor_waited_on(tmp_path, cache_dir):
    cache_dir.mkdir(mode=0o700)
    os.mkfifo(cache_dir / "CACHEDIR.TAG")  # a plain open for writing would wait for a reader for ever
    project = settled_project(tmp_path)
    check_project(project)
    assert sorted(DiskCache(project.content).files.glob("*.pickle"))
    (cache_dir / "CACHEDIR.TAG").unlink()
    target = tmp_path / "precious.txt"
    target.write_text("mine")
    (cache_dir / "CACHEDIR.TAG").symlink_to(target)
    ldnsite.content.cache._write_tag(cache_dir / "CACHEDIR.TAG")
    assert target.read_text() == "mine"


def test_two_content_folders_of_the_same_name_have_caches_of_their_own(tmp_path, cache_dir):
    first, second = (tmp_path / "a" / "site", tmp_path / "b" / "site")
    for folder in (first, second):
        (folder / "content").mkdir(parents=True)
    assert DiskCache(first / "content").folder != DiskCache(second / "content").folder
    assert DiskCache(first / "content").folder.name.startswith("site-")


@pytest.mark.parametrize("payload", ["subprocess.Popen", "os.system", "builtins.eval", "ldnsite.content.load._stat_key"])
def test_a_bucket_naming_anything_but_a_model_class_is_refused(tmp_path, payload):
    import pickle
    import subprocess

    marker = tmp_path / "ran"
    name = payload.rsplit(".", 1)[1]
    target = {"subprocess.Popen": subprocess.Popen, "os.system": os.system, "builtins.eval": eval,
              "ldnsite.content.load._stat_key": ldnsite.content.load._stat_key}[payload]
    argument = {"subprocess.Popen": (["touch", str(marker)],), "os.system": (f"touch {marker}",),
                "builtins.eval": (f"open({str(marker)!r}, 'w')",), "ldnsite.content.load._stat_key": ("x", "y")}[payload]

    class Payload:
        def __reduce__(self):
            return (target, argument)

    data = pickle.dumps({"x": Payload()}, protocol=4)
    with pytest.raises(pickle.UnpicklingError, match=f"a cache file may not name {target.__module__}.{name}"):
        ldnsite.content.cache._Unpickler(ldnsite.content.cache._Bytes(data)).load()
    assert not marker.exists()


def test_the_reader_s_lines_end_after_each_newline():
    reader = ldnsite.content.cache._Bytes(b"\nab\ncd")
    assert [reader.readline(), reader.readline(), reader.readline(), reader.readline()] == [b"\n", b"ab\n", b"cd", b""]


# A first run: the parsing workers write the buckets they parse whole; this process pickles none of them again.


@pytest.fixture
def parsing_workers(monkeypatch):
    """Parse in two forked workers, whatever the number of files and CPUs."""
    monkeypatch.setattr(ldnsite.content.load, "PARALLEL_MIN_FILES", 0)
    monkeypatch.setattr(ldnsite.processes, "cpu_count", lambda: 2)


@pytest.fixture
def parsed_anywhere(tmp_path, monkeypatch):
    """The display names of the files parsed since the test started, here or in a worker process (read it by calling it)."""
    log = tmp_path / "parsed.log"
    log.write_text("")
    real = ldnsite.content.load.load_file

    def logging(file, display):
        with log.open("a") as handle:
            handle.write(display + "\n")
        return real(file, display)

    monkeypatch.setattr(ldnsite.content.load, "load_file", logging)

    def read_and_clear():
        names = log.read_text().splitlines()
        log.write_text("")
        return sorted(names)

    return read_and_clear


@pytest.fixture
def pickled_here(monkeypatch):
    """The buckets this process pickled and wrote itself (``DiskCache.save``), by file name."""
    written = []
    real = DiskCache._write

    def recording(file, entries):
        written.append(file.name)
        real(file, entries)

    monkeypatch.setattr(DiskCache, "_write", staticmethod(recording))
    return written


def test_on_a_first_run_the_parsing_workers_write_the_buckets(tmp_path, cache_dir, parsing_workers, pickled_here, parsed_anywhere):
    project = settled_project(tmp_path, {"content/sources/extra.yaml": "id: extra\nkind: preclinical\ntitle: x\nverified: t\n"})
    first = check_project(project)
    assert len(parsed_anywhere()) == 4 and pickled_here == []
    disk = DiskCache(project.content)
    kept = disk.load().entries
    assert len(kept) == 4
    assert len(list(disk.files.glob("*.pickle"))) == len({ldnsite.content.cache._bucket(file) for file in kept})
    second = check_project(project)
    assert parsed_anywhere() == [] and pickled_here == []
    assert report(second) == report(first) == report(check_project(project, cache=False))


def test_a_file_changed_just_before_a_first_run_is_left_out_of_its_workers_bucket(
    tmp_path, cache_dir, parsing_workers, pickled_here, parsed_anywhere
):
    project = settled_project(tmp_path)
    fresh = project.content / "conditions/fibromyalgia.yaml"
    fresh.write_text(fresh.read_text())  # changed a moment ago: read again next time, whatever its stat says
    check_project(project)
    assert len(parsed_anywhere()) == 3
    check_project(project)
    assert parsed_anywhere() == ["content/conditions/fibromyalgia.yaml"]


def test_a_new_file_beside_cached_ones_is_saved_by_this_process_with_the_rest_of_its_bucket(
    tmp_path, cache_dir, parsing_workers, pickled_here, parsed_anywhere
):
    project = settled_project(tmp_path)
    check_project(project)
    parsed_anywhere()
    cached = next(file for file in DiskCache(project.content).load().entries if file.endswith("fibromyalgia.yaml"))
    bucket = ldnsite.content.cache._bucket(cached)
    name = next(
        name
        for name in (f"extra{n}" for n in range(1000))
        if ldnsite.content.cache._bucket(cached.replace("conditions/fibromyalgia.yaml", f"sources/{name}.yaml")) == bucket
    )
    new = project.content / f"sources/{name}.yaml"
    new.write_text(f"id: {name}\nkind: preclinical\ntitle: x\nverified: t\n")
    past = time.time_ns() - 10_000_000_000
    os.utime(new, ns=(past, past))
    check_project(project)
    assert parsed_anywhere() == [f"content/sources/{name}.yaml"]
    assert pickled_here == [f"{bucket:02x}.pickle"]
    check_project(project)
    assert parsed_anywhere() == []


def test_workers_that_cannot_write_the_cache_only_cost_time(tmp_path, monkeypatch, parsing_workers, parsed_anywhere):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("LDNSITE_CACHE_DIR", str(blocker / "cache"))
    project = settled_project(tmp_path)
    assert not check_project(project).failed
    assert len(parsed_anywhere()) == 3


def test_the_whole_model_of_the_sites_content_comes_back_from_pickle_equal():
    """Every model class pickles by its slots (``pickling.py``): what is read back is what was written."""
    from conftest import REPO
    from ldnsite.content import pickling
    from ldnsite.content.load import load_database

    db, problems = load_database(REPO / "content", REPO)
    assert db is not None, problems
    back = pickle.loads(pickle.dumps(db, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == db
    assert len(pickling._SETTERS) >= 10  # the model's classes, each with its slots' setters
