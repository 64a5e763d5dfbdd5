"""The writer: the only place output is written. Staged, atomic, never outside the output folder."""

import select
from pathlib import Path

import pytest

from conftest import TEMPLATES, run_cli, tree, write_project
from ldnsite.output.write import SiteUpdater, SiteWriter, WriteError


def test_files_appear_only_on_commit(tmp_path):
    out = tmp_path / "build"
    with SiteWriter(out) as writer:
        writer.write("a/b.html", "x")
        assert not out.exists()
        writer.commit()
    assert (out / "a" / "b.html").read_text() == "x"
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_second_write_to_one_path_is_refused(tmp_path):
    with SiteWriter(tmp_path / "build") as writer:
        writer.write("index.html", "a")
        with pytest.raises(WriteError, match="two outputs were written to the same path: INDEX.html"):
            writer.write("INDEX.html", "b")


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../x", "", "a\\b", "a\x00b"])
def test_paths_outside_the_output_folder_are_refused(tmp_path, path):
    with SiteWriter(tmp_path / "build") as writer, pytest.raises(WriteError, match="refusing to write outside"):
        writer.write(path, "x")


def test_an_exception_leaves_the_old_output_and_no_staging_folder(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "old.html").write_text("old")
    with pytest.raises(RuntimeError), SiteWriter(out) as writer:
        writer.write("new.html", "new")
        raise RuntimeError("boom")
    assert tree(out) == {"old.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_commit_replaces_the_whole_old_output(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "stale.html").write_text("stale")
    with SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.commit()
    assert tree(out) == {"index.html": b"new"}


def test_failed_build_leaves_the_previous_build_byte_for_byte(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search").exit_code == 0
    before = tree(project / "build")
    broken = (project / "content/conditions/fibromyalgia.yaml").read_text().replace("grade: low", "grade: best")
    (project / "content/conditions/fibromyalgia.yaml").write_text(broken)
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search")
    assert result.exit_code == 1
    assert tree(project / "build") == before
    assert sorted(p.name for p in project.iterdir()) == ["build", "content"]


def test_a_broken_template_leaves_the_previous_build(tmp_path):
    project = write_project(tmp_path, {})
    templates = tmp_path / "templates"
    import shutil

    shutil.copytree(TEMPLATES, templates)
    assert run_cli("build", "--project", project, "--no-search").exit_code == 0
    before = tree(project / "build")
    (templates / "claim.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}")
    result = run_cli("build", "--project", project, "--no-search")
    assert result.exit_code == 1
    assert "template claim.html failed while rendering claims/ldn-fibro-pain.html: 'nope' is undefined" in result.output
    assert tree(project / "build") == before


# The incremental builder's writer: changes build/ in place, after every check has passed.

def existing_site(tmp_path):
    out = tmp_path / "build"
    with SiteWriter(out) as writer:
        for path, text in {"index.html": "home", "claims/a.html": "a", "claims/b.html": "b", "old/gone.html": "x"}.items():
            writer.write(path, text)
        writer.commit()
    return out


def test_an_update_changes_only_what_it_stores_and_removes(tmp_path):
    out = existing_site(tmp_path)
    before = (out / "claims" / "b.html").stat().st_ino
    with SiteUpdater(out, remove=["old/gone.html"]) as updater:
        updater.reserve(["claims/a.html", "claims/c.html"])
        updater.store("claims/a.html", "a2")
        updater.store("claims/c.html", "c")
        assert tree(out)["claims/a.html"] == b"a"  # nothing visible before commit
        updater.commit()
    assert tree(out) == {"index.html": b"home", "claims/a.html": b"a2", "claims/b.html": b"b", "claims/c.html": b"c"}
    assert (out / "claims" / "b.html").stat().st_ino == before
    assert not (out / "old").exists()  # a folder left empty goes too, as a clean build would not have it


def test_an_update_that_fails_before_commit_leaves_the_site_as_it_was(tmp_path):
    out = existing_site(tmp_path)
    before = tree(out)
    with pytest.raises(RuntimeError), SiteUpdater(out, remove=["index.html"]) as updater:
        updater.store("claims/a.html", "half")
        raise RuntimeError("disk full")
    assert tree(out) == before
    assert not [p for p in out.rglob(".*")]  # no temporary file left behind


def test_an_update_replaces_a_file_rather_than_writing_into_it(tmp_path):
    out = existing_site(tmp_path)
    other = tmp_path / "elsewhere.html"
    (out / "claims" / "a.html").unlink()
    other.write_text("keep")
    (out / "claims" / "a.html").hardlink_to(other)
    with SiteUpdater(out) as updater:
        updater.store("claims/a.html", "new")
        updater.commit()
    assert other.read_text() == "keep"
    assert (out / "claims" / "a.html").read_text() == "new"


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../x", ""])
def test_an_update_refuses_paths_outside_the_output_folder(tmp_path, path):
    with SiteUpdater(existing_site(tmp_path)) as updater, pytest.raises(WriteError, match="refusing to write outside"):
        updater.store(path, "x")


# Streamed output: text in pieces is written in blocks as it comes, never whole.

def test_streamed_text_over_a_mebibyte_is_written_whole_and_in_order(tmp_path):
    pieces = [f"<p>{i} é ✓</p>\n" * 997 for i in range(300)]  # about 4.5 MB, with multi-byte characters
    with SiteWriter(tmp_path / "build") as writer:
        writer.write("big.html", iter(pieces))
        writer.commit()
    assert (tmp_path / "build" / "big.html").read_bytes() == "".join(pieces).encode("utf-8")


def test_streamed_text_reaches_the_disk_in_blocks_of_a_mebibyte(tmp_path):
    from ldnsite.output.write import STREAM_BLOCK

    target = tmp_path / "build"
    seen = []

    def pieces():
        yield "a" * STREAM_BLOCK  # exactly one block: written before the next piece is asked for
        seen.append(_staged_size(target))
        yield "b" * (STREAM_BLOCK // 2)
        seen.append(_staged_size(target))
        yield "c" * (STREAM_BLOCK // 2)  # the second block is full now: written before "d" is asked for
        seen.append(_staged_size(target))
        yield "d"

    with SiteWriter(target) as writer:
        writer.write("big.json", pieces())
        writer.commit()
    assert seen == [STREAM_BLOCK, STREAM_BLOCK, 2 * STREAM_BLOCK]
    assert (target / "big.json").stat().st_size == 2 * STREAM_BLOCK + 1


def _staged_size(out):
    [staging] = out.parent.glob(f".{out.name}-staging-*")
    return (staging / "big.json").stat().st_size


def test_bytes_and_text_are_written_as_given(tmp_path):
    with SiteWriter(tmp_path / "build") as writer:
        writer.write("a.bin", b"\x00\xff")
        writer.write("b.txt", "é\n")
        writer.write("c.txt", ["x", "", "y"])
        writer.commit()
    assert tree(tmp_path / "build") == {"a.bin": b"\x00\xff", "b.txt": "é\n".encode(), "c.txt": b"xy"}


# Claiming paths: two outputs for one path (compared without case) are refused, by whoever claims them.

def test_claiming_refuses_a_path_taken_before_in_any_case():
    from ldnsite.output.write import _claim

    taken = set()
    _claim(taken, ["a/Index.html", "b.html"])
    assert taken == {"a/index.html", "b.html"}
    with pytest.raises(WriteError) as info:
        _claim(taken, ["c.html", "A/INDEX.HTML"])
    assert str(info.value) == "two outputs were written to the same path: A/INDEX.HTML"
    assert "c.html" in taken  # paths before the clash were claimed


def test_claiming_refuses_a_path_twice_in_one_call():
    from ldnsite.output.write import _claim

    with pytest.raises(WriteError, match="same path: x.html"):
        _claim(set(), ["x.html", "y.html", "x.html"])


def test_reserved_paths_can_be_stored_but_not_written_again(tmp_path):
    with SiteWriter(tmp_path / "build") as writer:
        writer.reserve(["a.html", "b/c.html"])
        writer.store("b/c.html", "c")
        with pytest.raises(WriteError, match="same path: a.html"):
            writer.write("a.html", "again")
        writer.write("d.html", "d")
        writer.commit()
    assert tree(tmp_path / "build") == {"b/c.html": b"c", "d.html": b"d"}


@pytest.mark.parametrize("path", ["a..b.html", ".well-known/security.txt", "a/./b.html", "x/..y/z.html"])
def test_names_that_only_look_like_escapes_are_written(tmp_path, path):
    with SiteWriter(tmp_path / "build") as writer:
        writer.write(path, "x")
        writer.commit()
    assert (tmp_path / "build" / path).read_text() == "x"


@pytest.mark.parametrize("path", ["..", "a/..", "../build/x", "//x", "\\\\server\\share", "a/b\\..\\..\\c"])
def test_more_escaping_paths_are_refused_and_nothing_is_written(tmp_path, path):
    with SiteWriter(tmp_path / "build") as writer:
        with pytest.raises(WriteError) as info:
            writer.write(path, "x")
        assert str(info.value) == f"refusing to write outside the output folder: {path!r}"
        assert list(writer.staging.rglob("*")) == []


# The swap: one atomic exchange where the system has one; two renames otherwise.

def test_commit_exchanges_the_folders_so_build_is_never_missing(tmp_path):
    import threading

    out = tmp_path / "build"
    missing = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            if not out.is_dir():
                missing.append(1)

    with SiteWriter(out) as writer:
        writer.write("index.html", "0")
        writer.commit()
    reader = threading.Thread(target=watch)
    reader.start()
    try:
        for generation in range(1, 40):
            with SiteWriter(out) as writer:
                writer.write("index.html", str(generation))
                staged = writer.staging.stat().st_ino
                writer.commit()
            assert out.stat().st_ino == staged  # the staged folder itself became build/
    finally:
        stop.set()
        reader.join()
    assert missing == []
    assert (out / "index.html").read_text() == "39"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_exchange_swaps_two_folders(tmp_path):
    from ldnsite.output.write import exchange

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("b")
    assert exchange(tmp_path / "a", tmp_path / "b") is True
    assert ((tmp_path / "a" / "x").read_text(), (tmp_path / "b" / "x").read_text()) == ("b", "a")


def test_exchange_reports_a_real_failure(tmp_path):
    from ldnsite.output.write import exchange

    (tmp_path / "a").mkdir()
    with pytest.raises(FileNotFoundError) as info:
        exchange(tmp_path / "a", tmp_path / "missing")
    assert info.value.filename == str(tmp_path / "a") and info.value.filename2 == str(tmp_path / "missing")


def _no_exchange(monkeypatch, code):
    """Make renameat2 fail as it does on a system or file system without RENAME_EXCHANGE."""
    import ctypes

    import ldnsite.output.write as write

    def renameat2(*args):
        ctypes.set_errno(code)
        return -1

    monkeypatch.setattr(write, "_renameat2", renameat2)


@pytest.mark.parametrize("code", ["ENOSYS", "EINVAL", "EOPNOTSUPP"])
def test_without_exchange_the_swap_falls_back_to_two_renames(tmp_path, monkeypatch, code):
    import errno
    import os

    import ldnsite.output.write as write

    out = existing_site(tmp_path)
    _no_exchange(monkeypatch, getattr(errno, code))
    renames = []
    real_rename = os.rename
    monkeypatch.setattr(write.os, "rename", lambda a, b: (renames.append((a.name, b.name)), real_rename(a, b)))
    with SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.commit()
    pid = os.getpid()
    assert renames == [("build", f".build-old-{pid}"), (f".build-staging-{pid}", "build")]
    assert tree(out) == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_the_fallback_puts_the_old_output_back_if_the_second_rename_fails(tmp_path, monkeypatch):
    import errno
    import os

    import ldnsite.output.write as write

    out = existing_site(tmp_path)
    before = tree(out)
    _no_exchange(monkeypatch, errno.ENOSYS)
    real_rename = os.rename

    def rename(a, b):
        if "staging" in a.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(a))
        real_rename(a, b)

    monkeypatch.setattr(write.os, "rename", rename)
    with pytest.raises(PermissionError), SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.commit()
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_a_failed_exchange_leaves_the_old_output(tmp_path, monkeypatch):
    import errno

    out = existing_site(tmp_path)
    before = tree(out)
    _no_exchange(monkeypatch, errno.EIO)
    with pytest.raises(OSError, match="Input/output error"), SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.commit()
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_a_folder_is_replaced_by_another(tmp_path):
    from ldnsite.output.write import replace_folder

    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "x").write_text("new")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "y").write_text("old")
    replace_folder(tmp_path / "new", tmp_path / "old")
    assert tree(tmp_path) == {"old/x": b"new"}


# An output folder that is a mount point (a Docker volume): its contents are swapped, staged inside it.

def test_a_mount_point_has_its_contents_swapped(tmp_path, monkeypatch):
    import os

    import ldnsite.output.write as write

    out = existing_site(tmp_path)
    (out / ".hidden").write_text("old dotfile")
    monkeypatch.setattr(write, "_is_mount", lambda path: path == out)
    folder_inode = out.stat().st_ino
    with SiteWriter(out) as writer:
        assert writer.staging == out / f".ldnsite-staging-{os.getpid()}"
        writer.write("index.html", "new home")
        writer.write("claims/a.html", "new a")
        writer.write("fresh/x.html", "x")
        writer.commit()
    assert out.stat().st_ino == folder_inode  # the folder itself stayed: only what is in it changed
    assert tree(out) == {"index.html": b"new home", "claims/a.html": b"new a", "fresh/x.html": b"x"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_a_mount_point_swap_that_fails_midway_is_undone(tmp_path, monkeypatch):
    import errno
    import os

    import ldnsite.output.write as write

    out = existing_site(tmp_path)
    before = tree(out)
    monkeypatch.setattr(write, "_is_mount", lambda path: path == out)
    _no_exchange(monkeypatch, errno.ENOSYS)
    real_rename, calls = os.rename, []

    def rename(a, b):
        calls.append(a)
        if len(calls) == 4:
            raise OSError(errno.EIO, "Input/output error", str(a))
        real_rename(a, b)

    monkeypatch.setattr(write.os, "rename", rename)
    with pytest.raises(OSError, match="Input/output"), SiteWriter(out) as writer:
        for path in ("claims/a.html", "index.html", "new.html"):
            writer.write(path, "new")
        writer.commit()
    assert tree(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["claims", "index.html", "old"]


def test_the_mount_check_sees_a_real_mount_point(tmp_path):
    from ldnsite.output.write import _is_mount

    assert _is_mount(Path("/")) is True
    assert _is_mount(tmp_path) is False
    assert _is_mount(tmp_path / "missing") is False


# What killed builds leave: removed by the next build, if it is provably a dead build's.

def dead_pid() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_next_build_removes_what_dead_builds_left(tmp_path):
    import os

    out = existing_site(tmp_path)
    dead = dead_pid()
    for name in (f".build-staging-{dead}", f".build-old-{dead}", f".build-staging-{os.getpid()}"):
        (tmp_path / name / "claims").mkdir(parents=True)
        (tmp_path / name / "claims" / "x.html").write_text("left over")
    keep = [f".build-staging-{os.getppid()}", ".build-staging-x", ".other-staging-1", "build-staging-1", f".build-old-{dead}-2"]
    for name in keep:
        (tmp_path / name).mkdir()
    (tmp_path / f".build-old-{dead + 1}").symlink_to(tmp_path / ".build-staging-x")  # a link is never followed or removed
    (tmp_path / f".build-old-{dead + 2}").write_text("a file, not ours")
    with SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["build", *keep, f".build-old-{dead + 1}", f".build-old-{dead + 2}"])


def test_a_build_killed_with_sigkill_is_cleaned_up_by_the_next(tmp_path):
    import signal
    import subprocess
    import sys

    out = existing_site(tmp_path)
    script = ("import sys, time; from pathlib import Path; from ldnsite.output.write import SiteWriter\n"
              "w = SiteWriter(Path(sys.argv[1])).__enter__(); w.write('index.html', 'x' * 100000)\n"
              "print(w.staging, flush=True); time.sleep(60)\n")
    process = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True)
    staging = Path(process.stdout.readline().strip())
    assert (staging / "index.html").is_file()
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    assert staging.is_dir()  # what kill -9 leaves
    with SiteWriter(out) as writer:
        writer.write("index.html", "next")
        writer.commit()
    assert not staging.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


# The lock: one process writes an output folder at a time.

HOLD_LOCK = ("import sys, time; from pathlib import Path; from ldnsite.output.write import OutputLock\n"
             "lock = OutputLock(Path(sys.argv[1])); lock.acquire(); print('locked', flush=True)\n"
             "time.sleep(float(sys.argv[2])); print('releasing', flush=True); lock.release()\n")


def hold_lock(out, seconds):
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "locked\n"
    return process


def test_a_second_build_waits_for_the_first_with_a_message(tmp_path, capsys):
    out = existing_site(tmp_path)
    holder = hold_lock(out, 1.0)
    try:
        with SiteWriter(out) as writer:
            # the holder said it was giving the lock back before this writer could take it
            assert select.select([holder.stdout], [], [], 0)[0], "the second writer went on while the first held the lock"
            writer.write("index.html", "after")
            writer.commit()
        assert holder.stdout.readline() == "releasing\n"
    finally:
        assert holder.wait() == 0
        holder.stdout.close()
    assert capsys.readouterr().err == (f"ldnsite: waiting for another ldnsite process to finish writing {out} "
                                       f"(it holds {tmp_path / '.build.lock'}) ...\n")
    assert tree(out) == {"index.html": b"after"}
    assert not (tmp_path / ".build.lock").exists()  # removed when given back


def test_a_build_that_waits_too_long_fails_clearly_and_changes_nothing(tmp_path, monkeypatch):
    out = existing_site(tmp_path)
    before = tree(out)
    monkeypatch.setenv("LDNSITE_LOCK_TIMEOUT", "0.3")
    holder = hold_lock(out, 30)
    try:
        with pytest.raises(WriteError) as info, SiteWriter(out) as writer:
            writer.write("index.html", "never")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert str(info.value) == (f"another ldnsite process is still writing {out} after 0.3 s "
                               f"(it holds {tmp_path / '.build.lock'}); "
                               "wait for it to finish or stop it (`serve --out` holds its folder until it stops), "
                               "then run the command again")
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.lock", "build"]  # the killed holder's file


def test_the_lock_is_reentrant_within_a_process(tmp_path, monkeypatch):
    from ldnsite.output.write import OutputLock

    monkeypatch.setenv("LDNSITE_LOCK_TIMEOUT", "0")
    out = existing_site(tmp_path)
    with OutputLock(out), SiteWriter(out) as writer:  # serve --out holds the lock, and each rebuild takes it again
        writer.write("index.html", "inside")
        writer.commit()
        assert (tmp_path / ".build.lock").exists()
    assert not (tmp_path / ".build.lock").exists()


def test_a_lock_file_left_by_a_killed_process_does_not_block(tmp_path, monkeypatch):
    monkeypatch.setenv("LDNSITE_LOCK_TIMEOUT", "0")
    out = existing_site(tmp_path)
    (tmp_path / ".build.lock").write_text("")
    with SiteWriter(out) as writer:
        writer.write("index.html", "x")
        writer.commit()
    assert tree(out) == {"index.html": b"x"}


def test_the_updater_takes_the_lock_too(tmp_path, monkeypatch):
    monkeypatch.setenv("LDNSITE_LOCK_TIMEOUT", "0.2")
    out = existing_site(tmp_path)
    holder = hold_lock(out, 30)
    try:
        with pytest.raises(WriteError, match="another ldnsite process is still writing"), SiteUpdater(out):
            pass
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_without_renameat2_there_is_no_exchange(tmp_path, monkeypatch):
    import ldnsite.output.write as write

    monkeypatch.setattr(write, "_renameat2", None)
    monkeypatch.setattr(write.sys, "platform", "darwin")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert write.exchange(tmp_path / "a", tmp_path / "b") is False
    assert write._renameat2 is False  # looked up once


def test_an_output_path_holding_a_file_is_replaced_by_the_site(tmp_path):
    (tmp_path / "build").write_text("a file where the site goes")
    with SiteWriter(tmp_path / "build") as writer:
        writer.write("index.html", "x")
        writer.commit()
    assert tree(tmp_path / "build") == {"index.html": b"x"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_which_processes_count_as_running(tmp_path):
    import os

    from ldnsite.output.write import _running

    assert _running(os.getppid()) is True
    assert _running(dead_pid()) is False
    assert _running(os.getpid()) is False  # this process holds the lock: its own leftovers are stale
    assert _running(2**70) is True  # no such process id can exist: not a name we gave, so never removed


@pytest.mark.parametrize(("value", "seconds"), [("2.5", 2.5), ("0", 0.0), ("-3", 0.0), ("soon", 120.0), ("", 120.0)])
def test_the_lock_timeout_comes_from_the_environment(monkeypatch, value, seconds):
    from ldnsite.output.write import OutputLock

    monkeypatch.setenv("LDNSITE_LOCK_TIMEOUT", value)
    assert OutputLock(Path("build")).timeout == seconds


def test_a_commit_is_recorded(tmp_path):
    with SiteWriter(tmp_path / "build") as writer:
        writer.write("index.html", "x")
        assert writer.committed is False
        writer.commit()
        assert writer.committed is True


def test_a_failure_on_entering_gives_the_lock_back(tmp_path, monkeypatch):
    import ldnsite.output.write as write
    from ldnsite.output.write import OutputLock

    def broken(out_dir):
        raise OSError(5, "Input/output error", str(out_dir))

    monkeypatch.setattr(write, "remove_leftovers", broken)
    with pytest.raises(OSError), SiteWriter(tmp_path / "build"):
        pass
    assert not (tmp_path / ".build.lock").exists()
    with OutputLock(tmp_path / "build", timeout=0):
        pass


def test_a_mount_point_swap_undoes_its_exchanges_when_a_later_step_fails(tmp_path, monkeypatch):
    import os

    import ldnsite.output.write as write

    out = existing_site(tmp_path)
    before = tree(out)
    monkeypatch.setattr(write, "_is_mount", lambda path: path == out)
    real_rename = os.rename

    def rename(a, b):
        if Path(a).name == "old":  # moving the folder the new site no longer has: after index.html was exchanged
            raise OSError(5, "Input/output error", str(a))
        real_rename(a, b)

    monkeypatch.setattr(write.os, "rename", rename)
    with pytest.raises(OSError, match="Input/output"), SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.commit()
    assert tree(out) == before


def test_a_link_to_a_mount_point_is_not_one(tmp_path):
    from ldnsite.output.write import _is_mount

    (tmp_path / "root").symlink_to("/")
    assert _is_mount(tmp_path / "root") is False


def test_leftovers_inside_a_mount_point_are_removed(tmp_path, monkeypatch):
    import ldnsite.output.write as write
    from ldnsite.output.write import remove_leftovers

    out = existing_site(tmp_path)
    dead = dead_pid()
    (out / f".ldnsite-staging-{dead}").mkdir()
    (out / f".ldnsite-old-{dead}").mkdir()
    (out / f".build-staging-{dead}").mkdir()  # that name belongs beside the folder, not in it
    monkeypatch.setattr(write, "_is_mount", lambda path: path == out)
    assert sorted(p.name for p in remove_leftovers(out)) == [f".ldnsite-old-{dead}", f".ldnsite-staging-{dead}"]
    assert remove_leftovers(tmp_path / "missing" / "build") == []


def test_an_output_folder_in_folders_that_do_not_exist_yet(tmp_path):
    out = tmp_path / "a" / "b" / "build"
    with SiteWriter(out) as writer:
        writer.write("index.html", "x")
        writer.commit()
    assert tree(tmp_path) == {"a/b/build/index.html": b"x"}


def test_a_link_planted_as_the_lock_file_is_not_followed(tmp_path):
    import errno

    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / ".build.lock").symlink_to(victim)
    with pytest.raises(OSError) as info, SiteWriter(tmp_path / "build"):
        pass
    assert info.value.errno == errno.ELOOP  # refused, not followed
    assert victim.read_text() == "keep" and not (tmp_path / "build").exists()


def test_no_process_is_asked_about_where_that_would_end_it(monkeypatch):
    import os

    import ldnsite.output.write as write

    monkeypatch.setattr(write.os, "name", "nt")
    monkeypatch.setattr(write.os, "kill", lambda *args: pytest.fail("os.kill would end the process on Windows"))
    assert write._running(os.getpid() + 1) is True


def test_only_real_folders_count_as_leftovers(tmp_path):
    from ldnsite.output.write import remove_leftovers

    dead, other_dead = dead_pid(), dead_pid()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("keep")
    (tmp_path / f".build-old-{dead}").symlink_to(tmp_path / "elsewhere")
    (tmp_path / f".build-staging-{dead}").write_text("a file")
    (tmp_path / f".build-staging-{other_dead}").mkdir()
    assert remove_leftovers(tmp_path / "build") == [tmp_path / f".build-staging-{other_dead}"]
    assert (tmp_path / "elsewhere" / "keep.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".build-old-{dead}", f".build-staging-{dead}", "elsewhere"]


def _failing_unlink(monkeypatch, name):
    """Make every removal of a file called ``name`` fail, as a file the user may not delete would."""
    import errno
    import os

    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if os.fspath(path).endswith(name):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)


def test_a_folder_that_cannot_be_removed_does_not_fail_the_build_and_the_next_build_removes_it(tmp_path, monkeypatch):
    out = existing_site(tmp_path)
    (out / "stuck.html").unlink(missing_ok=True)
    with SiteWriter(out) as writer:  # the site now holds a file that cannot be removed
        writer.write("stuck.html", "old")
        writer.commit()
    dead = dead_pid()
    (tmp_path / f".build-old-{dead}").mkdir()
    (tmp_path / f".build-old-{dead}" / "stuck.html").write_text("left by a killed build")
    _failing_unlink(monkeypatch, "stuck.html")
    with SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.commit()  # the old site (holding stuck.html) is removed as far as it can be
    assert tree(out) == {"index.html": b"new"}
    left = {p.name: sorted(f.name for f in p.rglob("*") if f.is_file()) for p in tmp_path.iterdir() if p.name != "build"}
    assert left[f".build-old-{dead}"] == ["stuck.html"]  # the dead build's folder, as far as it could be removed
    assert len(left) == 2 and all(files == ["stuck.html"] for files in left.values())  # and the old site's
    monkeypatch.undo()
    with SiteWriter(out) as writer:
        writer.write("index.html", "newer")
        writer.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    assert tree(out) == {"index.html": b"newer"}


def test_a_write_that_fails_names_its_file_and_an_update_leaves_no_temporary_file(tmp_path):
    import errno
    import os

    out = existing_site(tmp_path)
    before = tree(out)

    def pieces():
        yield "{"
        raise OSError(errno.ENOSPC, "No space left on device")  # what write() raises on a full disk: no file name

    with pytest.raises(OSError) as info, SiteUpdater(out) as updater:
        updater.store("claims/a.html", "a2")
        updater.store("search.json", pieces())
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == str(out.resolve() / f".search.json.ldnsite-{os.getpid()}")
    assert tree(out) == before
    assert not [p for p in out.rglob(".*")]


def test_a_commit_that_fails_midway_raises_its_own_error_and_leaves_no_temporary_file(tmp_path):
    out = existing_site(tmp_path)
    with pytest.raises(IsADirectoryError), SiteUpdater(out) as updater:
        updater.store("index.html", "new home")  # put in place first
        updater.store("claims", "a file where a folder is")  # then this rename fails
        updater.commit()
    assert tree(out)["index.html"] == b"new home"
    assert tree(out)["claims/a.html"] == b"a"
    assert not [p for p in out.rglob(".*")]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b.html", "/", ".", "..", "...", ".a", "\\", "\x00", " ", "é", "-"]), max_size=8).map("".join))
def test_a_path_the_writer_joins_as_text_is_where_the_checked_path_points(relative):
    """``store``'s shortcut for plain paths lands where ``_checked`` would put the file, and takes nothing it refuses."""
    from pathlib import Path

    from ldnsite.output.write import _PLAIN_RELATIVE, WriteError, _checked

    root = Path("/site/.staging")
    if _PLAIN_RELATIVE.fullmatch(relative):
        assert f"{root}/{relative}" == str(_checked(root, relative))
    else:
        try:
            checked = _checked(root, relative)
        except WriteError:
            return
        assert checked.is_relative_to(root)  # the long way round, for what the shortcut leaves to it
