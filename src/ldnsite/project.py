"""Where a project's folders are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ldnsite.errors import UsageError


@dataclass(frozen=True, slots=True)
class Project:
    """The folders ldnsite reads and writes, all absolute."""

    root: Path
    content: Path
    templates: Path
    """The project's own templates/: it may be missing; what it holds overrides the default theme's file of that name."""
    out: Path

    @classmethod
    def at(cls, root: Path, *, content: Path | None = None, templates: Path | None = None, out: Path | None = None) -> Project:
        """Return the project rooted at ``root``; folders default to content/, templates/ and build/ inside it."""
        root = root.resolve()
        project = cls(
            root=root,
            content=(content or root / "content").resolve(),
            templates=(templates or root / "templates").resolve(),
            out=(out or root / "build").resolve(),
        )
        try:
            found = project.content.is_dir()
        except OSError as exc:  # a name too long, say: the folder given cannot be used (a usage error, exit code 2)
            from ldnsite.errors import describe_os_error

            raise UsageError(f"content folder cannot be used: {describe_os_error(exc)}") from exc
        if not found:
            raise UsageError(f"content folder not found: {project.content} (use --project or --content)")
        if templates is not None and not project.templates.is_dir():
            raise UsageError(f"templates folder not found: {project.templates} (leave out --templates to use the default theme)")
        return project

    @property
    def template_dirs(self) -> list[Path]:
        """The template lookup order: the project's templates/ (when it exists), then the default theme."""
        from ldnsite.output.theme import template_dirs

        return template_dirs(self.templates)

    def display(self, path: Path) -> str:
        """Return ``path`` relative to the project root, POSIX style, for messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def content_path(self, *parts: str) -> Path:
        """Return the path of ``parts`` inside content/; a UsageError if it would lie outside (through '..' or a link)."""
        path = self.content.joinpath(*parts)
        if not path.resolve().is_relative_to(self.content):
            raise UsageError(f"{self.display(path)} lies outside {self.display(self.content)}/; give an id, not a path")
        return path
