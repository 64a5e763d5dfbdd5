"""Incremental builds for `ldnsite serve`: after an edit, redo only what the edit changed.

A ``Builder`` keeps, between builds, the parsed content files (``FileCache``), every page as it
was planned with its rendered HTML and link index, and the extra outputs. After an edit it:

- reads again only the files whose size, modification time or inode changed;
- validates and plans the whole site (cheap), then renders a page again only when its planned
  ``Page`` differs from last time: unchanged content yields identical model objects, so the
  comparison stops at the first shared object;
- checks the links of changed pages only, unless pages appeared, vanished or changed their anchors;
- writes only changed files, carrying the rest over by hard link into the staging folder, which is
  swapped in as a whole, as in a clean build.

The result is byte-for-byte the output of a clean build (tests/test_incremental.py asserts it).
A change to a template or to the site settings renders everything again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ldnsite.build import BuildResult, _checked_base_url, _load_cached, build_date, render_extras
from ldnsite.integrity import PageLinks, check_link_index, extract_links
from ldnsite.load import FileCache
from ldnsite.project import Project


@dataclass(slots=True)
class _Rendered:
    page: object
    links: PageLinks


class Builder:
    """Builds a project again and again, redoing only what changed since the previous build."""

    def __init__(self, project: Project, *, base_url: str | None = None) -> None:
        self.project = project
        self.base_url = _checked_base_url(base_url) if base_url else None
        self.files = FileCache()
        self._pages: dict[str, _Rendered] = {}
        self._extras: dict[str, str | bytes] = {}
        self._templates_key: tuple | None = None
        self._common: dict | None = None
        self._env = None
        self._memo: dict = {}
        self.last_rendered = 0
        """How many pages the last build rendered (the rest were reused)."""

    def build(self, *, strict: bool = False) -> BuildResult:
        """Build, reusing what the previous build of this Builder did. The old output stays if anything fails."""
        from ldnsite.render import common_context, make_environment, render_page
        from ldnsite.site import plan_site
        from ldnsite.write import SiteWriter

        db, problems = _load_cached(self.project, self.files)
        if db is None:
            return BuildResult(problems, True)
        if self.base_url:
            db = dataclasses.replace(db, site=dataclasses.replace(db.site, base_url=self.base_url))
        pages, collisions = plan_site(db)
        problems.extend(collisions)
        if problems.fails(strict):
            return BuildResult(problems, True)
        templates_key = _fingerprint(self.project.templates)
        common = common_context(db, build_date())
        if templates_key != self._templates_key or common != self._common or not self.project.out.is_dir():
            self._pages, self._extras, self._memo = {}, {}, {}
            self._env = make_environment(self.project.templates)
        rendered: dict[str, str] = {}
        index: dict[str, PageLinks] = {}
        for page in pages:
            old = self._pages.get(page.path)
            if old is not None and old.page == page:
                index[page.path] = old.links
                continue
            html = render_page(self._env, page, common)
            rendered[page.path] = html
            index[page.path] = extract_links(html)
        extras = dict(render_extras(db, pages, self.project, self._env, common, self._memo))
        changed_extras = {path: data for path, data in extras.items() if self._extras.get(path) != data}
        for path, data in changed_extras.items():
            if path.endswith(".html") and isinstance(data, str):
                index[path] = extract_links(data)
        paths = set(index) | set(extras)
        structure_changed = set(self._pages) | set(self._extras) != paths or any(
            index[path].ids != self._pages[path].links.ids for path in rendered if path in self._pages)
        to_check = None if structure_changed else set(rendered) | {p for p in changed_extras if p in index}
        problems.extend(check_link_index(index, paths, exempt=[p.path for p in pages if p.root_override is not None], only=to_check))
        if problems.fails(strict):
            return BuildResult(problems, True)
        keep = [path for path in paths if path not in rendered and path not in changed_extras
                and (path in self._pages or path in self._extras)]
        with SiteWriter(self.project.out, keep=keep) as writer:
            writer.reserve(rendered)
            for path, html in rendered.items():
                writer.store(path, html)
            writer.reserve(changed_extras)
            for path, data in changed_extras.items():
                writer.store(path, data)
            writer.commit()
        self._pages = {page.path: _Rendered(page, index[page.path]) for page in pages}
        self._extras = extras
        self._templates_key, self._common = templates_key, common
        self.last_rendered = len(rendered)
        return BuildResult(problems, False, len(paths), self.project.out)


def _fingerprint(folder: Path) -> tuple:
    """Size, modification time and inode of every template and static file."""
    entries = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            entries.append((path.relative_to(folder).as_posix(), info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(entries)
