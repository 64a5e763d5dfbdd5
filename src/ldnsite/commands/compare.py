"""`ldnsite diff`: load the database at two revisions and compare them.

When the templates differ between the two revisions, the head's content is also built twice,
once with each revision's templates, and the pages whose files differ are listed: the pages a
theme edit changes, apart from the content edits already listed claim by claim.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ldnsite.commands.diff import compare_databases, format_markdown, format_text
from ldnsite.commands.revisions import export_folder
from ldnsite.content.load import load_database
from ldnsite.content.model import Database
from ldnsite.problems import format_report
from ldnsite.project import Project


def diff_revisions(project: Project, base: str, head: str | None, fmt: str) -> tuple[str, bool]:
    """Return (report, failed): the evidence changes from ``base`` to ``head`` (None: the working tree)."""
    with tempfile.TemporaryDirectory(prefix="ldnsite-diff-") as tmp:
        old_project = _project_at(project, base, Path(tmp) / "base")
        new_project = project if head is None else _project_at(project, head, Path(tmp) / "head")
        head_name = head or "working tree"
        old, old_report = _load(old_project, base)
        new, new_report = _load(new_project, "the working tree" if head is None else head)
        if old is None or new is None:
            return "\n".join(r for r in (old_report, new_report) if r), True
        pages, build_report = _theme_pages(old_project, new_project, Path(tmp), base, head_name)
    if build_report:
        return build_report, True
    changes = compare_databases(old, new, pages)
    report = format_markdown(changes, base, head_name) if fmt == "markdown" else format_text(changes, base, head_name)
    return report, False


def _project_at(project: Project, revision: str, destination: Path) -> Project:
    """Export the content and templates folders at ``revision``; return the project they make up."""
    root = export_folder(project.root, project.content, revision, destination)
    content = root / _relative(project, project.content, "content")
    templates = project.templates  # templates kept outside the project are the same at every revision
    if project.templates.is_relative_to(project.root):
        templates = root / project.templates.relative_to(project.root)
        export_folder(project.root, project.templates, revision, destination, missing_ok=True)
    return Project(root=root, content=content, templates=templates, out=destination / "out")


def _relative(project: Project, folder: Path, default: str) -> Path:
    return folder.relative_to(project.root) if folder.is_relative_to(project.root) else Path(default)


def _load(project: Project, label: str) -> tuple[Database | None, str]:
    db, problems = load_database(project.content, project.root)
    if db is None:
        return None, f"ldnsite: the content at {label} has errors; fix them first:\n{format_report(problems)}"
    return db, ""


def _theme_pages(old: Project, new: Project, tmp: Path, base: str, head: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """Return the pages whose output differs between the two revisions' templates, and a report if a build failed."""
    if _tree(old.templates) == _tree(new.templates):
        return (), ""
    from ldnsite.output.build import build_site

    outputs: list[dict[str, bytes]] = []
    for label, templates in ((base, old.templates), (head, new.templates)):
        out = tmp / f"site-{len(outputs)}"
        result = build_site(Project(new.root, new.content, templates, out), search=False, cache=False)
        if result.failed:
            return (), (
                f"ldnsite: the content at {head} does not build with the templates at {label}:\n{format_report(result.problems)}"
            )
        outputs.append(_tree(out))
    before, after = outputs
    return tuple(
        (path, "added" if path not in before else "removed" if path not in after else "changed")
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path)
    ), ""


def _tree(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder`` by POSIX path relative to it (empty if the folder is missing)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
