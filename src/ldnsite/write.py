"""Write the site: the only place that writes output.

Files go to a staging folder beside the output folder; only when every file is
written is the staging folder swapped in. A failed build therefore leaves the
previous site untouched. A second write to the same path, or a path that would land
outside the output folder, is refused.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ldnsite.errors import LdnsiteError


Data = str | bytes | Iterable[str]
"""What a file holds: text, bytes, or text in pieces (written one after the other, as they come)."""


class WriteError(LdnsiteError):
    """A file could not be written where it was asked to be."""


class SiteWriter:
    """Collect output files in a staging folder, then swap it in with :meth:`commit`.

    Use as a context manager: leaving the block with an exception removes the staging
    folder and keeps the old output as it was.
    """

    def __init__(self, out_dir: Path, *, keep: Iterable[str] = ()) -> None:
        """``keep`` lists files of the current output to carry over unchanged (an incremental build).

        They are hard-linked into the staging folder, so carrying over thousands of files costs
        little; :meth:`store` never writes into a linked file, it replaces it.
        """
        self.out_dir = out_dir.resolve()
        self.keep = sorted(keep)
        self.staging = self.out_dir.parent / f".{self.out_dir.name}-staging-{os.getpid()}"
        self.written: set[str] = set()
        self.committed = False

    def __enter__(self) -> SiteWriter:
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        for relative in self.keep:
            self._carry_over(relative)
        return self

    def _carry_over(self, relative: str) -> None:
        # The path was checked when it was first written; a plain join keeps carrying thousands of files cheap.
        source, target = self.out_dir / relative, self.staging / relative
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        self.written.add(relative.lower())

    def __exit__(self, exc_type, exc, tb) -> None:
        # Leaving without commit (an exception, or a check that failed) discards everything staged.
        if not self.committed and self.staging.exists():
            shutil.rmtree(self.staging)

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
        path = self.target(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # never write through a hard link into the published build
        _write_file(path, data)

    def copy_tree(self, source: Path, prefix: str) -> None:
        """Copy every file below ``source`` to ``prefix/`` in sorted order."""
        for file in sorted(source.rglob("*")):
            if file.is_file() and not file.is_symlink():
                self.write(f"{prefix}/{file.relative_to(source).as_posix()}", file.read_bytes())

    def commit(self) -> None:
        """Swap the staging folder in as the output folder."""
        old = self.out_dir.parent / f".{self.out_dir.name}-old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        if self.out_dir.exists():
            os.replace(self.out_dir, old)
        os.replace(self.staging, self.out_dir)
        self.committed = True
        if old.exists():
            shutil.rmtree(old)


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
        self.committed = False

    def __enter__(self) -> SiteUpdater:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.committed:
            for temporary, _ in self._staged:
                temporary.unlink(missing_ok=True)

    def reserve(self, paths: Iterable[str]) -> None:
        """Claim paths before their files are stored; a path claimed twice is an error."""
        _claim(self._reserved, paths)

    def store(self, relative: str, data: Data) -> None:
        """Write the new content of one file beside it, under a temporary name."""
        target = _checked(self.out_dir, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.ldnsite-{os.getpid()}")
        _write_file(temporary, data)
        self._staged.append((temporary, target))

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


def _write_file(path: Path, data: Data) -> None:
    if isinstance(data, (str, bytes)):
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return
    with open(path, "wb") as handle:  # text in pieces, written as they come: the JSON exports are never whole
        batch: list[str] = []
        size = 0
        for piece in data:
            batch.append(piece)
            size += len(piece)
            if size >= 1 << 20:
                handle.write("".join(batch).encode("utf-8"))
                batch, size = [], 0
        handle.write("".join(batch).encode("utf-8"))


def _checked(root: Path, relative: str) -> Path:
    posix = PurePosixPath(relative)
    if posix.is_absolute() or ".." in posix.parts or not relative or "\\" in relative or "\x00" in relative:
        raise WriteError(f"refusing to write outside the output folder: {relative!r}")
    return root / posix
