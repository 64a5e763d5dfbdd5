"""Parsed content files kept on disk between runs, so that `check` and `build` read again only what changed.

Parsing is most of what ``ldnsite check`` does (YAML with positions, then the schema walk: about
3 seconds at 10,000 claims). A file whose size, modification time, inode and change time are unchanged since the
last run parses to the same result, so that result is kept: the ``FileResult`` (model objects and
the file's own problems) of every content file, pickled. Cross-file validation always runs again.

Where: ``$LDNSITE_CACHE_DIR``, else ``$XDG_CACHE_HOME/ldnsite`` (``~/.cache/ldnsite``), in a folder
per content folder. Not inside the project: a cache is code-adjacent data (pickle), and a folder
committed to a repository under review must never be loaded as one.

Who could have written a file (the chosen design, rather than a key to sign the files with: a key
file would need exactly these checks itself). A bucket is unpickled only when the cache root and
every folder below it down to the bucket belong to the current user and nobody else may write to
them, and the bucket is a regular file of the user's, not writable by others, at most
``MAX_BUCKET_BYTES`` long. Each folder is opened relative to the one above it (``dir_fd``), the
ones below the root and the file itself without following links (``O_NOFOLLOW``), and the file
without blocking (``O_NONBLOCK``: a FIFO planted there is never waited on); the checks are made
with ``fstat`` on what was opened, so nothing can be swapped in between check and read. The file is
read whole and then unpickled from memory, so that a length in a damaged file cannot make the
reader allocate more than the file holds, and the unpickler resolves only ldnsite's model classes:
even a file that passed every check could name no other code. Whatever goes wrong while reading a
bucket (a damaged, truncated, foreign or special file) makes it a miss: its files are parsed again.

Layout: one folder per version of ldnsite's code (a hash of its source files and the Python
version, so a cache written by other code is never read), holding the entries spread over 64
bucket files by path: after an edit only the bucket of the edited file is written again.
On a first run, the parsing processes write the buckets whose files they all parse (``_SavedByWorkers``).
Everything here is an optimisation: a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import stat
import sys
import tempfile
import zlib
from pathlib import Path

from ldnsite import processes
from ldnsite.content import load
from ldnsite.content.load import FileCache, FileResult, trusted_key

BUCKETS = 64
"""Bucket files per cache: an edit rewrites one, about 1/64 of the cache."""

MAX_BUCKET_BYTES = 256 * 1024 * 1024
"""A bucket file longer than this is not read (a bucket at 100,000 claims holds a few megabytes)."""

_MODEL_MODULES = ("ldnsite.content.model", "ldnsite.content.load", "ldnsite.problems")
"""The modules whose classes a cache file may name (with ``ldnsite.content.pickling._restore``)."""

_FINGERPRINT: str | None = None


def default_cache_root() -> Path:
    """Return the folder that holds ldnsite's caches (one subfolder per content folder)."""
    if os.environ.get("LDNSITE_CACHE_DIR"):
        return Path(os.environ["LDNSITE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ldnsite"


def code_fingerprint() -> str:
    """Return a hash of ldnsite's own source files and the Python version: results of other code are not reused."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        digest = hashlib.blake2b(sys.version.encode(), digest_size=8)
        package = Path(__file__).parents[1]  # ldnsite/, whose stages are sub-packages: every module of every one counts
        for source in sorted(package.rglob("*.py")):
            digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
        _FINGERPRINT = digest.hexdigest()
    return _FINGERPRINT


class DiskCache:
    """The parsed files of one content folder, loaded into a ``FileCache`` and saved back after a run."""

    def __init__(self, content_dir: Path, root: Path | None = None) -> None:
        content_dir = content_dir.resolve()
        name = hashlib.blake2b(str(content_dir).encode(), digest_size=6).hexdigest()
        self.folder = (root or default_cache_root()) / f"{content_dir.parent.name or 'content'}-{name}"
        self.files = self.folder / f"code-{code_fingerprint()}"

    def load(self) -> FileCache:
        """Return a ``FileCache`` holding every entry that can be read (an empty one if none can)."""
        cache = _SavedByWorkers(self)
        if not self.files.is_dir():
            return cache
        enabled = gc.isenabled()
        gc.disable()  # unpickling creates many objects, none of them garbage: collecting meanwhile triples the time
        try:
            for bucket in range(BUCKETS):
                entries = self._read(self.files / f"{bucket:02x}.pickle")
                if entries:
                    cache.entries.update(entries)
        finally:
            if enabled:
                gc.enable()
        return cache

    def save(self, cache: FileCache) -> None:
        """Write the buckets holding files read or forgotten since the last save."""
        changed = sorted({_bucket(path) for path in cache.changed})
        if not changed:
            return
        buckets: dict[int, dict[str, tuple]] = {bucket: {} for bucket in changed}
        for path, entry in cache.entries.items():
            bucket = buckets.get(_bucket(path))
            if bucket is not None and entry[0] is not None:  # an entry not to be trusted next time is not kept
                bucket[path] = entry
        try:
            if not self._prepare():
                return  # folders others may write to: what is written there would never be read, and could be redirected
            for number in changed:
                self._write(self.files / f"{number:02x}.pickle", buckets[number])
        except OSError:
            return  # a read-only or full disk: the next run parses again
        cache.changed.clear()

    def _prepare(self) -> bool:
        """Make the cache's folders, private; return whether they are the user's alone (else nothing is written)."""
        root = self.folder.parent
        if not self.files.is_dir():
            # Made private from the start: a folder others may write to is never read from (``_read_private``).
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.folder.mkdir(exist_ok=True, mode=0o700)
            if not _private_folders(root, self.folder):
                return False
            _write_tag(root / "CACHEDIR.TAG")
            for stale in self.folder.glob("code-*"):  # written by another version of ldnsite
                shutil.rmtree(stale, ignore_errors=True)
            self.files.mkdir(mode=0o700, exist_ok=True)
        return _private_folders(root, self.folder, self.files)

    @staticmethod
    def _read(file: Path) -> dict | None:
        try:
            data = _read_private(file)
            entries = _Unpickler(_Bytes(data)).load() if data is not None else None
        except Exception:  # noqa: BLE001 - anything a damaged file raises (MemoryError, OverflowError, ...) is a miss
            return None
        return entries if isinstance(entries, dict) else None

    def bucket_file(self, number: int) -> Path:
        return self.files / f"{number:02x}.pickle"

    @staticmethod
    def _write(file: Path, entries: dict) -> None:
        _write_bytes(file, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))


def _write_bytes(file: Path, data: bytes) -> None:
    """Write a bucket file whole, or not at all: a reader finds the old one or the new one."""
    handle = tempfile.NamedTemporaryFile(dir=file.parent, prefix=f".{file.name}-", delete=False)
    try:
        with handle:
            handle.write(data)
        os.chmod(handle.name, 0o600)
        os.replace(handle.name, file)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


class _SavedByWorkers(FileCache):
    """A ``FileCache`` whose parsing processes write the buckets they parse whole, as they parse them.

    On a first run (CI's clean clone, a cold build) every file is parsed, bucket by bucket, by this
    process and forked workers (``processes.share``). A worker, which pickles what it parses anyway
    to send it back, writes those same bytes as the bucket's file; this process pickles its own
    buckets as it goes. So no pickling of the whole cache is left for the end (it was a quarter of a
    second at 10,000 claims, between parsing and planning). A bucket that also holds files not
    parsed this run, or a run with too few files for workers, is saved by ``DiskCache.save``.
    """

    def __init__(self, disk: DiskCache) -> None:
        super().__init__()
        self._disk = disk

    def parse_stale(self, files: list[tuple[str, str]], keys: list, stale: list[int], settled_before: int) -> list[FileResult]:
        whole = self._whole_buckets(files, stale)
        if not whole or len(stale) < load.PARALLEL_MIN_FILES or processes.cpu_count() < 2 or not processes.can_fork():
            return super().parse_stale(files, keys, stale, settled_before)
        try:
            writable = self._disk._prepare()
        except OSError:
            writable = False
        tasks = [
            (self._disk.bucket_file(number) if writable else None, [(*files[i], keys[i]) for i in indices], settled_before)
            for number, indices in whole.items()
        ]
        done = {i for indices in whole.values() for i in indices}
        rest = [i for i in stale if i not in done]
        parsed: dict[int, FileResult] = dict(
            zip(rest, super().parse_stale(files, keys, rest, settled_before) if rest else [], strict=True)
        )
        done_buckets = processes.share(
            tasks, _parse_bucket_in_worker, _parse_bucket, processes.cpu_count(), "parsing content files", receive=_unpickled
        )
        for indices, (entries, saved) in zip(whole.values(), done_buckets, strict=True):
            for i in indices:
                file, key = files[i][0], keys[i]
                kept_key, parsed[i] = entries[file]
                if key is not None:  # a file that could not even be stat'ed is not kept
                    self.entries[file] = (kept_key, parsed[i])
                    if not saved:
                        self.changed.add(file)
        return [parsed[i] for i in stale]

    def _whole_buckets(self, files: list[tuple[str, str]], stale: list[int]) -> dict[int, list[int]]:
        """The buckets all of whose files are to be parsed: {bucket: their indices in ``files``}.

        Entries the bucket still holds for files that are gone are dropped afterwards (``keep_only``),
        which marks the bucket to be saved again, by this process.
        """
        buckets: dict[int, list[int]] = {}
        for i, (file, _) in enumerate(files):
            buckets.setdefault(_bucket(file), []).append(i)
        stale_set = set(stale)
        return {number: indices for number, indices in sorted(buckets.items()) if all(i in stale_set for i in indices)}


Task = tuple[Path | None, list[tuple[str, str, tuple | None]], int]
"""A bucket to parse: its file (None when the cache cannot be written), its files (path, display name, stat key), and
the time before which a file counts as settled."""


def _parse_bucket(task: Task) -> tuple[dict, bool]:
    """Parse one bucket's files and write its file; return the entries and whether the file was written.

    The entries hold every file, its result kept under ``trusted_key`` (None for a file not to be
    trusted next time, or one that has no stat key); the file holds only those with a key.
    """
    entries, _, saved = _parse_and_save(task, send=False)
    return entries, saved


def _parse_bucket_in_worker(task: Task) -> tuple[bytes, bool]:
    """``_parse_bucket`` in a forked worker: the entries go back pickled, the same bytes as the bucket's file where they can."""
    _, data, saved = _parse_and_save(task, send=True)
    assert data is not None, "pickled to be sent"
    return data, saved


def _unpickled(index: int, result: tuple[bytes, bool]) -> tuple[dict, bool]:
    data, saved = result
    return pickle.loads(data), saved  # from our own worker, not from disk


def _parse_and_save(task: Task, send: bool) -> tuple[dict, bytes | None, bool]:
    """Parse a bucket's files, write its file; return the entries, pickled (to ``send`` or for the file), and if written."""
    target, items, settled_before = task
    entries = {
        file: (trusted_key(key, settled_before) if key is not None else None, load.load_file(Path(file), display))
        for file, display, key in items
    }
    kept = {file: entry for file, entry in entries.items() if entry[0] is not None}
    whole = len(kept) == len(entries)
    data = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL) if send or (whole and target is not None) else None
    if target is None:
        return entries, data, False
    try:
        _write_bytes(target, data if whole and data is not None else pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return entries, data, False  # a full or read-only disk: saved again by this process, or parsed again next time
    return entries, data, True


def _bucket(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % BUCKETS


def _private_folders(root: Path, *below: Path) -> bool:
    """True when ``root`` (reached through links or not) and the folders ``below`` it (not links) are private."""
    infos = [os.stat(root)] + [os.lstat(folder) for folder in below]
    return all(stat.S_ISDIR(info.st_mode) and _private(info) for info in infos)


def _write_tag(tag: Path) -> None:
    """Write the CACHEDIR.TAG that tells backup tools to skip the cache, unless something is there already."""
    try:
        fd = os.open(tag, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _NONBLOCK, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write("Signature: 8a477f597d28d172789f06886806bc55\n# ldnsite's cache of parsed content files.\n")


def _private(info: os.stat_result) -> bool:
    """True when what ``info`` describes belongs to the current user and nobody else may write to it."""
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def cache_root_of(file: Path) -> Path:
    """Return the cache root a bucket file lies in (three levels up: root/<content folder>/code-<hash>/<bucket>)."""
    return file.parents[2]


def _read_private(file: Path) -> bytes | None:
    """Return the bytes of a bucket file if it and every folder from the cache root down to it are private, else None.

    Raises OSError when a folder or the file cannot be opened (a link where a folder or the file
    should be fails with ELOOP or ENOTDIR).
    """
    root = cache_root_of(file)
    chain = file.relative_to(root).parts
    fd = os.open(root, os.O_RDONLY | _DIRECTORY)  # the root itself may be reached through a link (~/.cache often is)
    try:
        for name in chain[:-1]:
            if not _private(os.fstat(fd)):
                return None
            below = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = below
        if not _private(os.fstat(fd)):
            return None
        below = os.open(chain[-1], os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=fd)
        os.close(fd)
        fd = below
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _private(info) or info.st_size > MAX_BUCKET_BYTES:
            return None
        return _read_exactly(fd, info.st_size)
    finally:
        os.close(fd)


def _read_exactly(fd: int, size: int) -> bytes | None:
    """Read ``size`` bytes (the size fstat gave); None if the file turns out longer or shorter (it is being rewritten)."""
    chunks, left = [], size + 1
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    data = b"".join(chunks)
    return data if len(data) == size else None


class _Bytes:
    """The bytes of a file, read by the unpickler through ``read`` and ``readline`` only.

    Not ``io.BytesIO``: given ``readinto``, the unpickler reads a damaged length's worth into a
    buffer it allocated first, which on the error that follows CPython reports at exit as a
    ``SystemError`` about exported buffers. The unpickler reads a whole frame (64 KiB) per call.
    """

    __slots__ = ("_data", "_at")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        start = self._at
        self._at = len(self._data) if size < 0 else min(len(self._data), start + size)
        return self._data[start : self._at]

    def readline(self) -> bytes:
        end = self._data.find(b"\n", self._at)
        return self.read(-1 if end < 0 else end + 1 - self._at)


class _Unpickler(pickle.Unpickler):
    """An unpickler that resolves only ldnsite's model classes and the restore function of ``pickling.py``."""

    def find_class(self, module: str, name: str):
        if module == "ldnsite.content.pickling" and name == "_restore":
            return super().find_class(module, name)
        if module in _MODEL_MODULES and not name.startswith("_"):
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"a cache file may not name {module}.{name}")
