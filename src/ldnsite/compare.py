"""`ldnsite diff`: load the database at two revisions and compare them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ldnsite.diff import compare_databases, format_markdown, format_text
from ldnsite.load import load_database
from ldnsite.model import Database
from ldnsite.problems import format_report
from ldnsite.project import Project
from ldnsite.revisions import export_content


def diff_revisions(project: Project, base: str, head: str | None, fmt: str) -> tuple[str, bool]:
    """Return (report, failed): the evidence changes from ``base`` to ``head`` (None: the working tree)."""
    with tempfile.TemporaryDirectory(prefix="ldnsite-diff-") as tmp:
        old, old_report = _load_at(project, base, Path(tmp) / "base")
        if head is None:
            new, new_report = _load(project.content, project.root, "the working tree")
        else:
            new, new_report = _load_at(project, head, Path(tmp) / "head")
    if old is None or new is None:
        return "\n".join(r for r in (old_report, new_report) if r), True
    changes = compare_databases(old, new)
    head_name = head or "working tree"
    report = format_markdown(changes, base, head_name) if fmt == "markdown" else format_text(changes, base, head_name)
    return report, False


def _load_at(project: Project, revision: str, destination: Path) -> tuple[Database | None, str]:
    root = export_content(project.root, project.content, revision, destination)
    relative = project.content.relative_to(project.root) if project.content.is_relative_to(project.root) else Path("content")
    return _load(root / relative, root, revision)


def _load(content: Path, root: Path, label: str) -> tuple[Database | None, str]:
    db, problems = load_database(content, root)
    if db is None:
        return None, f"ldnsite: the content at {label} has errors; fix them first:\n{format_report(problems)}"
    return db, ""
