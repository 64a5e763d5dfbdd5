"""The theme: the default templates and static files, and a project's overrides of them.

The default theme is package data (``ldnsite/theme``), read with ``importlib.resources``. Its source is
the repository's top-level ``templates/``, which the build configuration (pyproject.toml's
``force-include``) copies into the wheel. An editable install (``pip install -e .``) has no copy, so
the theme is then read from the repository's ``templates/`` itself.

A project's ``templates/`` comes first in the lookup order, as Hugo's layouts and MkDocs'
``custom_dir`` do: any single template or static file there replaces the default one, and
everything else is inherited. A project's ``base.html`` can still extend the default one as
``default/base.html`` and change a single block.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ldnsite.errors import TemplateError, UsageError

DEFAULT_PREFIX = "default"
"""Templates named ``default/NAME`` are the default theme's ``NAME``, even where the project overrides ``NAME``."""


def default_theme_dir() -> Path:
    """Return the folder of the default theme: the installed package data, else the repository's templates/."""
    packaged = resources.files("ldnsite").joinpath("theme")
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[3] / "templates"  # src/ldnsite/output/theme.py -> the repository
    if source.is_dir():
        return source
    raise TemplateError(f"the default theme is missing from the installed package ({packaged}); reinstall ldnsite")


def template_dirs(project_templates: Path) -> list[Path]:
    """Return the lookup order: the project's templates/ (when it exists), then the default theme."""
    default = default_theme_dir().resolve()
    if project_templates.is_dir() and project_templates.resolve() != default:
        return [project_templates, default]
    return [default]


def static_files(folders: list[Path]) -> list[tuple[str, Path]]:
    """Return (output path, file) for the static/ files of the theme, sorted; the first folder holding a path wins.

    Links are not followed.
    """
    chosen: dict[str, Path] = {}
    for folder in folders:
        static = folder / "static"
        if not static.is_dir():
            continue
        for file in static.rglob("*"):
            if file.is_file() and not file.is_symlink():
                chosen.setdefault(f"static/{file.relative_to(static).as_posix()}", file)
    return sorted(chosen.items())


def theme_files() -> list[str]:
    """Return the paths of every file of the default theme, relative to it, sorted."""
    root = default_theme_dir()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def eject(project_templates: Path, names: list[str], *, force: bool = False) -> list[Path]:
    """Copy default theme files (all when ``names`` is empty) into the project's templates/ and return them.

    Refuses to overwrite an existing file unless ``force``; nothing is copied when any name is refused.
    """
    available = theme_files()
    wanted = names or available
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise UsageError(f"not a file of the default theme: {', '.join(unknown)}; run `ldnsite theme list` to see them")
    root = default_theme_dir()
    if project_templates.resolve() == root.resolve():
        raise UsageError(f"{project_templates} is the default theme itself; nothing to eject")
    existing = [name for name in wanted if (project_templates / name).exists()]
    if existing and not force:
        raise UsageError(f"already in {project_templates}: {', '.join(existing)}; pass --force to overwrite")
    written = []
    for name in wanted:
        target = project_templates / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / name, target)
        written.append(target)
    return written
