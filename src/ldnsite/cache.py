"""Parsed content files kept on disk between runs, so that `check` and `build` read again only what changed.

Parsing is most of what ``ldnsite check`` does (YAML with positions, then the schema walk: about
3 seconds at 10,000 claims). A file whose size, modification time and inode are unchanged since the
last run parses to the same result, so that result is kept: the ``FileResult`` (model objects and
the file's own problems) of every content file, pickled. Cross-file validation always runs again.

Where: ``$LDNSITE_CACHE_DIR``, else ``$XDG_CACHE_HOME/ldnsite`` (``~/.cache/ldnsite``), in a folder
per content folder. Not inside the project: a cache is code-adjacent data (pickle), and a folder
committed to a repository under review must never be loaded as one. For the same reason a cache
file is read only when it belongs to the current user and nobody else may write to it.

Layout: one folder per version of ldnsite's code (a hash of its source files and the Python
version, so a cache written by other code is never read), holding the entries spread over 64
bucket files by path: after an edit only the bucket of the edited file is written again.
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

from ldnsite.load import FileCache

BUCKETS = 64
"""Bucket files per cache: an edit rewrites one, about 1/64 of the cache."""

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
        package = Path(__file__).parent
        for source in sorted(package.glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
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
        cache = FileCache()
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
            self._prepare()
            for bucket in changed:
                self._write(self.files / f"{bucket:02x}.pickle", buckets[bucket])
        except OSError:
            return  # a read-only or full disk: the next run parses again
        cache.changed.clear()

    def _prepare(self) -> None:
        if self.files.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        root = self.folder.parent
        tag = root / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# ldnsite's cache of parsed content files.\n")
        for stale in self.folder.glob("code-*"):  # written by another version of ldnsite
            shutil.rmtree(stale, ignore_errors=True)
        self.files.mkdir(mode=0o700, exist_ok=True)

    @staticmethod
    def _read(file: Path) -> dict | None:
        try:
            with open(file, "rb") as handle:
                info = os.fstat(handle.fileno())
                if (hasattr(os, "getuid") and info.st_uid != os.getuid()) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                    return None  # not ours alone: never unpickle what someone else could have written
                entries = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return entries if isinstance(entries, dict) else None

    @staticmethod
    def _write(file: Path, entries: dict) -> None:
        handle = tempfile.NamedTemporaryFile(dir=file.parent, prefix=f".{file.name}-", delete=False)
        try:
            with handle:
                pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.chmod(handle.name, 0o600)
            os.replace(handle.name, file)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise


def _bucket(path: str) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % BUCKETS
