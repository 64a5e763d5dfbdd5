"""Write the site: the only place that writes output.

Files go to a staging folder beside the output folder; only when every file is
written is the staging folder swapped in, in one atomic step where the system allows
it (Linux's ``renameat2`` with ``RENAME_EXCHANGE``; elsewhere two renames). A failed
build therefore leaves the previous site untouched. A second write to the same path,
or a path that would land outside the output folder, is refused.

One process at a time writes an output folder: the writers hold a lock on a file beside
it (``OutputLock``), and a second build waits for the first. Staging and old folders
that a killed build left behind are removed by the next one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ldnsite.errors import LdnsiteError

Data = str | bytes | Iterable[str]
"""What a file holds: text, bytes, or text in pieces (written one after the other, as they come)."""

LOCK_TIMEOUT = 120.0
"""Seconds a build waits for another one writing the same output folder (``$LDNSITE_LOCK_TIMEOUT`` overrides)."""

STREAM_BLOCK = 1 << 20
"""Text in pieces is encoded and written in blocks of about this many characters."""


class WriteError(LdnsiteError):
    """A file could not be written where it was asked to be."""


class SiteWriter:
    """Collect output files in a staging folder, then swap it in with :meth:`commit`.

    Use as a context manager: leaving the block with an exception removes the staging
    folder and keeps the old output as it was. The output folder is locked from entering
    the block to leaving it.

    An output folder that is a mount point (a Docker volume, say) cannot be renamed, and a
    folder beside it is on another file system: its files are staged inside it, and
    :meth:`commit` swaps its entries one by one instead of the whole folder.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self.in_place = _is_mount(self.out_dir)
        home, prefix = (self.out_dir, "ldnsite") if self.in_place else (self.out_dir.parent, self.out_dir.name)
        self.staging = home / f".{prefix}-staging-{os.getpid()}"
        self._old = home / f".{prefix}-old-{os.getpid()}"
        self._lock = OutputLock(self.out_dir)
        self.written: set[str] = set()
        self.committed = False
        self._folders: set[str] = set()  # made already in the staging folder (by this process)
        self._staging_text = str(self.staging)

    def __enter__(self) -> SiteWriter:
        self._lock.acquire()
        try:
            remove_leftovers(self.out_dir)
            self.staging.mkdir(parents=True)
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # Leaving without commit (an exception, or a check that failed) discards everything staged.
        try:
            if not self.committed:
                _remove(self.staging)
                with contextlib.suppress(OSError):  # empty after a swap that was undone; else keep what it holds
                    self._old.rmdir()
        finally:
            self._lock.release()

    def target(self, relative: str) -> Path:
        """Return where ``relative`` would be written, refusing paths that escape the output folder."""
        # No resolve(): the staging folder is created empty by this writer and holds no links, so a
        # relative path without '..' cannot leave it, and resolving every one of thousands of files costs.
        return _checked(self.staging, relative)

    def write(self, relative: str, data: Data) -> None:
        """Write one file; a second write to the same path is an error (two pages claim one URL)."""
        self.reserve([relative])
        self.store(relative, data)

    def reserve(self, paths: Iterable[str]) -> None:
        """Claim paths before their files are stored (by worker processes); a path claimed twice is an error."""
        _claim(self.written, paths)

    def store(self, relative: str, data: Data) -> None:
        """Write the file of a reserved path. Safe to call from a forked worker process."""
        if _PLAIN_RELATIVE.fullmatch(relative):
            # Most paths: folder names and a file name, nothing _checked would refuse or change. Joined as text,
            # which costs a fraction of pathlib's objects, thousands of times a build.
            path = f"{self._staging_text}/{relative}"
            folder = path.rpartition("/")[0]
        else:
            checked = self.target(relative)
            path, folder = str(checked), str(checked.parent)
        if folder not in self._folders:  # one mkdir per folder, not per file: thousands of pages share one
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        _write_file(path, data)

    def commit(self) -> None:
        """Swap the staging folder in as the output folder, then remove the old one."""
        if self.in_place:
            _swap_contents(self.staging, self.out_dir, self._old)
        else:
            _swap(self.staging, self.out_dir, self._old)
        self.committed = True
        # After an exchange the staging folder holds the old site. A removal that fails is left to the next build.
        _remove(self.staging)
        _remove(self._old)


def replace_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` in place of ``target`` (atomically where possible), then remove the old one."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    _swap(new, target, old)
    _remove(new)  # after an exchange it holds the old folder
    _remove(old)


def _swap(staging: Path, out_dir: Path, old: Path) -> None:
    """Put ``staging`` in place of ``out_dir``: one atomic exchange where possible, else two renames."""
    if not os.path.lexists(out_dir):
        os.rename(staging, out_dir)
    elif not exchange(staging, out_dir):
        # Between the two renames a reader finds no output folder: the fallback where the system has no exchange.
        os.rename(out_dir, old)
        try:
            os.rename(staging, out_dir)
        except OSError:
            os.rename(old, out_dir)
            raise


def _swap_contents(staging: Path, out_dir: Path, trash: Path) -> None:
    """Swap the entries of ``out_dir`` (a mount point) with those of ``staging`` inside it, one by one.

    Each entry is exchanged atomically where possible; should a step fail, the steps done are undone
    in reverse, so the output is left as it was.
    """
    trash.mkdir()
    done: list[tuple[Path, Path, bool]] = []  # (from, to, exchanged)

    def move(source: Path, target: Path) -> None:
        os.rename(source, target)
        done.append((source, target, False))

    try:
        new = sorted(os.listdir(staging))
        for name in new:
            if not os.path.lexists(out_dir / name):
                move(staging / name, out_dir / name)
            elif exchange(staging / name, out_dir / name):
                done.append((staging / name, out_dir / name, True))
            else:
                move(out_dir / name, trash / name)
                move(staging / name, out_dir / name)
        for name in sorted(set(os.listdir(out_dir)) - set(new)):
            if not _OWN_INSIDE.fullmatch(name):
                move(out_dir / name, trash / name)
    except OSError:
        for source, target, exchanged in reversed(done):
            if exchanged:
                exchange(source, target)
            else:
                os.rename(target, source)
        raise


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = None
"""The C library's ``renameat2``, looked up on first use; False where there is none."""


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; return False where the system cannot (then nothing changed).

    Linux 3.15 and later, through glibc 2.28 and later: ``renameat2(..., RENAME_EXCHANGE)``. A reader
    of either path sees the old entry or the new one, never none. Some file systems do not support it
    (EINVAL), and other systems have no such call.
    """
    global _renameat2
    if _renameat2 is None:
        _renameat2 = _load_renameat2()
    if not _renameat2:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _load_renameat2():
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28, or not glibc
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _is_mount(path: Path) -> bool:
    """Return whether ``path`` is a folder that is a mount point (its own file system: it cannot be renamed)."""
    return path.is_dir() and not path.is_symlink() and os.path.ismount(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        path.unlink(missing_ok=True)


_OWN_INSIDE = re.compile(r"\.ldnsite-(?:staging-\d+|old-\d+|lock)")
"""Names of what the writer keeps inside an output folder that is a mount point."""


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Remove the staging and old folders of ``out_dir`` that builds killed before they finished left behind.

    Call with the output's lock held: no other build of this output is running then. A folder counts as a
    leftover only if its name is one this module gives (with the process id of the build that made it),
    it is a real folder (not a link), and that process no longer runs (or is this one). Return what was removed.
    """
    out_dir = out_dir.resolve()
    candidates = [(out_dir.parent, re.compile(rf"\.{re.escape(out_dir.name)}-(?:staging|old)-(\d+)"))]
    if out_dir.is_dir():
        candidates.append((out_dir, re.compile(r"\.ldnsite-(?:staging|old)-(\d+)")))
    removed = []
    for folder, pattern in candidates:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            match = pattern.fullmatch(entry.name)
            if match and entry.is_dir(follow_symlinks=False) and not _running(int(match[1])):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    """Return whether another process with this id runs (this process's own leftovers are stale: it holds the lock)."""
    if pid == os.getpid():
        return False
    if os.name != "posix":  # on Windows os.kill(pid, 0) would end the process: keep every folder there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or an id we cannot ask about: keep its folder
    return True


class OutputLock:
    """An exclusive lock on one output folder, so that two builds (or a build and ``serve``) never interleave.

    The lock is ``fcntl.flock`` on a file beside the folder (``.build.lock`` for ``build/``; inside it, for a
    mount point), which the system releases when the process ends, however it ends; the file is removed when
    the lock is given back (a killed process leaves it, unlocked and harmless). Within one process the
    lock is reentrant: ``serve --out`` holds it for the whole session, and each rebuild takes it again.
    A process that finds the lock taken says so and waits, up to ``timeout`` seconds, then fails clearly.
    """

    _held: dict[str, list[int]] = {}
    _guard = threading.Lock()

    def __init__(self, out_dir: Path, timeout: float | None = None) -> None:
        self.out_dir = out_dir.resolve()
        self.path = (
            self.out_dir / ".ldnsite-lock" if _is_mount(self.out_dir) else self.out_dir.parent / f".{self.out_dir.name}.lock"
        )
        self.timeout = _lock_timeout() if timeout is None else timeout

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock, waiting (with a message) while another process holds it."""
        key = str(self.path)
        with self._guard:
            if key in self._held:
                self._held[key][1] += 1
                return
        try:
            import fcntl
        except ImportError:  # not a POSIX system: no lock
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.timeout
        said = False
        while True:
            # O_NOFOLLOW: a link planted under the lock's name cannot make ldnsite create or open a file elsewhere.
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o644)
            try:
                said = self._wait(fcntl, descriptor, deadline, said)
                if _same_file(descriptor, self.path):
                    break
            except BaseException:
                os.close(descriptor)
                raise
            os.close(descriptor)  # the holder removed the file as it let go: lock the new one
        with self._guard:
            self._held[key] = [descriptor, 1]

    def _wait(self, fcntl, descriptor: int, deadline: float, said: bool) -> bool:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return said
            except BlockingIOError:
                pass
            if time.monotonic() >= deadline:
                raise WriteError(
                    f"another ldnsite process is still writing {self.out_dir} after {self.timeout:g} s "
                    f"(it holds {self.path}); wait for it to finish or stop it (`serve --out` holds its "
                    "folder until it stops), then run the command again"
                )
            if not said:
                print(
                    f"ldnsite: waiting for another ldnsite process to finish writing {self.out_dir} (it holds {self.path}) ...",
                    file=sys.stderr,
                    flush=True,
                )
                said = True
            time.sleep(0.1)

    def release(self) -> None:
        """Give the lock back (when this process has released it as often as it took it)."""
        key = str(self.path)
        with self._guard:
            held = self._held.get(key)
            if held is None:
                return
            held[1] -= 1
            if held[1]:
                return
            del self._held[key]
        # The file is removed while still locked, so none is left beside the output; a process waiting on it
        # then finds it is not the file at that name any more, and opens the new one (``_same_file``).
        self.path.unlink(missing_ok=True)
        os.close(held[0])


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        here, there = os.fstat(descriptor), os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _lock_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("LDNSITE_LOCK_TIMEOUT", LOCK_TIMEOUT)))
    except ValueError:
        return LOCK_TIMEOUT


class SiteUpdater:
    """Change an existing output folder in place, file by file: the incremental builder's writer.

    Swapping in a new folder would mean carrying every unchanged file over (a hard link each: a
    quarter of a second at 16,000 files), more than the whole rebuild after an edit. So the updater
    works in two steps, and only after every check passed, as the staging writer does:

    1. :meth:`store` writes each new or changed file to a hidden temporary file beside its target;
    2. :meth:`commit` renames every temporary file over its target (each rename is atomic: a reader
       sees the old page or the new one, never half of one), then removes the files listed in
       ``remove`` and any folder they leave empty.

    Leaving the block without commit (an exception, a disk full in step 1) deletes the temporary
    files and leaves the output as it was.
    """

    def __init__(self, out_dir: Path, *, remove: Iterable[str] = ()) -> None:
        self.out_dir = out_dir.resolve()
        self.remove = sorted(remove)
        self._staged: list[tuple[Path, Path]] = []
        self._reserved: set[str] = set()
        self._lock = OutputLock(self.out_dir)
        self.committed = False

    def __enter__(self) -> SiteUpdater:
        self._lock.acquire()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if not self.committed:
                for temporary, _ in self._staged:
                    temporary.unlink(missing_ok=True)
        finally:
            self._lock.release()

    def reserve(self, paths: Iterable[str]) -> None:
        """Claim paths before their files are stored; a path claimed twice is an error."""
        _claim(self._reserved, paths)

    def store(self, relative: str, data: Data) -> None:
        """Write the new content of one file beside it, under a temporary name."""
        target = _checked(self.out_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.ldnsite-{os.getpid()}")
        self._staged.append((temporary, target))  # before writing: a write that fails (a full disk) is removed on exit too
        _write_file(temporary, data)

    def commit(self) -> None:
        """Put every stored file in place, then remove the files that are no longer part of the site."""
        for temporary, target in self._staged:
            os.replace(temporary, target)
        self.committed = True
        folders = set()
        for relative in self.remove:
            path = _checked(self.out_dir, relative)
            path.unlink(missing_ok=True)
            folders.add(path.parent)
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            while folder != self.out_dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent


def _claim(taken: set[str], paths: Iterable[str]) -> None:
    """Add ``paths`` to ``taken`` (compared without case: not every file system has it), refusing one taken twice."""
    for relative in paths:
        key = relative.lower()
        if key in taken:
            raise WriteError(f"two outputs were written to the same path: {relative}")
        taken.add(key)


def _write_file(path: Path | str, data: Data) -> None:
    """Write ``data`` to ``path``; an OSError says which file (a full disk's error on write() names none)."""
    try:
        if isinstance(data, (str, bytes)):
            _write_whole(path, data.encode("utf-8") if isinstance(data, str) else data)
            return
        with open(path, "wb") as handle:  # text in pieces, written as they come: the JSON exports are never whole
            batch: list[str] = []
            size = 0
            for piece in data:
                batch.append(piece)
                size += len(piece)
                if size >= STREAM_BLOCK:
                    handle.write("".join(batch).encode("utf-8"))
                    batch, size = [], 0
            handle.write("".join(batch).encode("utf-8"))
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise


def _write_whole(path: Path | str, data: bytes) -> None:
    """Create or truncate ``path`` and write ``data`` to it, without a Python file object (a page is one write)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


_PLAIN_RELATIVE = re.compile(r"(?:(?!\.\.?(?:/|$))[^/\\\x00]+/)*(?!\.\.?$)[^/\\\x00]+")
"""A relative path of names that ``_checked`` takes as it is: no empty, '.' or '..' part, backslash or NUL."""


def _checked(root: Path, relative: str) -> Path:
    posix = PurePosixPath(relative)
    if posix.is_absolute() or ".." in posix.parts or not relative or "\\" in relative or "\x00" in relative:
        raise WriteError(f"refusing to write outside the output folder: {relative!r}")
    return root / posix
