"""Read a project folder as it was at a git revision."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from ldnsite.errors import UsageError


def export_folder(project_root: Path, folder: Path, revision: str, destination: Path, *, missing_ok: bool = False) -> Path:
    """Write ``folder`` as it was at ``revision`` into ``destination``; return the repository root there.

    With ``missing_ok``, a folder the revision does not have is left out instead of being an error.
    """
    try:
        top = _git(project_root, "rev-parse", "--show-toplevel").decode().strip()
        prefix = folder.resolve().relative_to(Path(top).resolve()).as_posix()
        commit = _git(project_root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except ValueError as exc:
        raise UsageError(f"the folder {folder} is not inside the git repository") from exc
    root = destination / Path(prefix).parent if Path(prefix).parent != Path(".") else destination
    if missing_ok and not _git(project_root, "ls-tree", "--name-only", commit, "--", prefix).strip():
        return root
    archive = _git(project_root, "archive", "--format=tar", commit, "--", prefix)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return root


def _git(cwd: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise UsageError("git is not installed") from exc
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip() or f"git {args[0]} failed"
        if args[0] == "rev-parse" and "--verify" in args:
            message = f"unknown revision '{args[-1].removesuffix('^{commit}')}'"
        raise UsageError(message)
    return result.stdout
