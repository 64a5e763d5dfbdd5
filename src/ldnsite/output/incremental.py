"""Incremental builds for `ldnsite serve`: after an edit, redo only what the edit changed.

A ``Builder`` keeps, between builds, the parsed content files (``FileCache``), every page as it
was planned with its rendered HTML and link index, and the extra outputs. After an edit it:

- reads again only the files whose size, modification time or inode changed;
- validates and plans the whole site through a ``Memo``: unchanged content yields the very same
  model objects, so a claim's checks, its view, its page plan, its rows in the long lists and its
  export record are reused, found by identity (``memo.py``);
- renders a page again only when its planned ``Page`` differs from last time (an unchanged page is
  the same object, or compares equal at the first shared object);
- checks the links of changed pages only, unless pages appeared, vanished or changed their anchors;
- updates the output in place after every check passed: each changed file is written beside its
  target and renamed over it, so a reader sees a page either old or new (``SiteUpdater``).

The first build, and any build after a template or site setting changed, renders everything into
a staging folder that is swapped in, as a clean build does.

The result is byte-for-byte the output of a clean build (tests/test_incremental.py asserts it).
A change to a template or to the site settings renders everything again.
"""

from __future__ import annotations

import dataclasses
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ldnsite.content.load import FileCache
from ldnsite.memo import Memo
from ldnsite.output.build import BuildResult, _checked_base_url, _load_cached, build_date, render_extras
from ldnsite.output.integrity import PageLinks, check_link_index, extract_links
from ldnsite.output.render import common_context
from ldnsite.plan.site import LONG_LIST_TEMPLATES, render_order
from ldnsite.project import Project

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(slots=True)
class _Rendered:
    page: object
    links: PageLinks


class Builder:
    """Builds a project again and again, redoing only what changed since the previous build."""

    def __init__(self, project: Project, *, base_url: str | None = None, disk_cache: bool = False, search: bool = False) -> None:
        """With ``disk_cache``, parsed files are read from and saved to the cache `check` and `build` use.

        With ``search``, a full build indexes the site with Pagefind before it is swapped in. After a build
        that changed files in place, ``index_stale`` is set: the caller makes the index again and clears it
        (``serve`` does it in the background, so that a rebuild stays fast).
        """
        self.project = project
        self.search = search
        self.index_stale = False
        """Whether files changed since the search index was made (only with ``search``)."""
        self.base_url = _checked_base_url(base_url) if base_url else None
        self.disk = None
        if disk_cache:
            from ldnsite.content.cache import DiskCache

            self.disk = DiskCache(project.content)
        self.files = self.disk.load() if self.disk else FileCache()
        self.memo = Memo()
        self._pages: dict[str, _Rendered] = {}
        self._extras: dict[str, str | bytes] = {}
        self._long_html: dict[str, str] = {}
        """The HTML of the pages that list every claim or source, as last written."""
        self._templates_key: tuple | None = None
        self._common: dict | None = None
        self._env: Environment | None = None
        self._last_ok = False
        self.last_rendered = 0
        """How many pages the last build rendered (the rest were reused)."""

    def forget(self) -> None:
        """Drop everything kept from earlier builds, so that the next build is a full one (after an unexpected error)."""
        self.memo = Memo()
        self._pages, self._extras, self._long_html = {}, {}, {}
        self._templates_key, self._common, self._env = None, None, None
        self._last_ok = False

    def build(self, *, strict: bool = False) -> BuildResult:
        """Build, reusing what the previous build of this Builder did. The old output stays if anything fails."""
        # The cyclic garbage collector would walk the whole kept site (millions of objects at 10,000 claims)
        # several times per build, for garbage that is nearly all freed by reference counting anyway. It is
        # paused during a build; afterwards what the build keeps is frozen (left out of later collections)
        # and the collector runs once over what is left.
        gc.disable()
        try:
            return self._build(strict)
        finally:
            gc.enable()
            gc.collect()
            gc.freeze()

    def _build(self, strict: bool) -> BuildResult:
        from ldnsite.plan.site import plan_site

        if self._last_ok:
            # After a failed build the memo keeps what both builds used, so fixing the error is not a cold build.
            self.memo.next_build()
        self._last_ok = False
        db, problems = _load_cached(self.project, self.files, self.memo)
        if self.disk is not None:
            self.disk.save(self.files)
        if db is None:
            return BuildResult(problems, True)
        if self.base_url:
            db = dataclasses.replace(db, site=self.memo(_with_base_url, db.site, self.base_url))
        pages, collisions = plan_site(db, self.memo)
        problems.extend(collisions)
        if problems.fails(strict):
            return BuildResult(problems, True)
        templates_key = tuple(_fingerprint(folder) for folder in self.project.template_dirs)
        common = common_context(db, build_date())
        if templates_key != self._templates_key or common != self._common or not self._pages or not self.project.out.is_dir():
            result = self._build_all(db, pages, common, problems, strict, templates_key)
        else:
            result = self._build_changes(db, pages, common, problems, strict)
        self._last_ok = not result.failed
        return result

    def _build_all(self, db, pages, common, problems, strict, templates_key) -> BuildResult:
        """Render everything into a staging folder and swap it in, as a clean build does."""
        from ldnsite.content.wording import words_for
        from ldnsite.output.render import make_environment, render_pages
        from ldnsite.output.write import SiteWriter

        self._pages, self._extras, self._long_html = {}, {}, {}
        self._env = make_environment(self.project.template_dirs, self.memo, words_for(db.site))
        self._templates_key, self._common = None, None
        # The long lists are rendered here, not in a worker, so that their rows stay in this process's memo.
        in_parent = [page for page in pages if page.template in LONG_LIST_TEMPLATES]
        others = [page for page in render_order(pages) if page.template not in LONG_LIST_TEMPLATES]
        with SiteWriter(self.project.out) as writer:
            writer.reserve(page.path for page in pages)
            long_paths = {page.path for page in in_parent}

            def store(path: str, html: str) -> None:
                if path in long_paths:  # rendered in this process: kept, to tell whether the next build changes it
                    self._long_html[path] = html
                writer.store(path, html)

            index = render_pages(self._env, others, common, store, in_parent=in_parent)
            extras = dict(render_extras(db, pages, self.project, self._env, common, self.memo))
            for path, data in extras.items():
                writer.write(path, data)
                if path.endswith(".html") and isinstance(data, str):
                    index[path] = extract_links(data)
            paths = set(index) | set(extras)
            problems.extend(check_link_index(index, paths, exempt=_exempt(pages)))
            if problems.fails(strict):
                return BuildResult(problems, True)
            if self.search:
                from ldnsite.output.search import index_site

                index_site(writer.staging)
            writer.commit()
        self.index_stale = False
        self._remember(pages, index, extras, common, templates_key)
        self.last_rendered = len(pages)
        return BuildResult(problems, False, len(paths), self.project.out)

    def _build_changes(self, db, pages, common, problems, strict) -> BuildResult:
        """Render only pages whose plan changed, check their links, and update the output in place."""
        from ldnsite.output.render import render_page
        from ldnsite.output.write import SiteUpdater

        env = self._env
        assert env is not None, "changes are built only after a full build, which makes the environment"

        rendered: dict[str, str] = {}
        index: dict[str, PageLinks] = {}
        renders = 0
        for page in pages:
            old = self._pages.get(page.path)
            if old is not None and (old.page is page or old.page == page):
                index[page.path] = old.links
                continue
            html = render_page(env, page, common)
            renders += 1
            if page.template in LONG_LIST_TEMPLATES:
                if old is not None and self._long_html.get(page.path) == html:
                    # A list of every claim shows each one's title and grades, not its statement: after most
                    # edits it comes out the same, and its 10 MB need neither a link search nor a write.
                    index[page.path] = old.links
                    continue
                self._long_html[page.path] = html
            rendered[page.path] = html
            index[page.path] = extract_links(html)
        extras = dict(render_extras(db, pages, self.project, env, common, self.memo))
        changed_extras = {path: data for path, data in extras.items() if self._extras.get(path) != data}
        for path, data in changed_extras.items():
            if path.endswith(".html") and isinstance(data, str):
                index[path] = extract_links(data)
        paths = set(index) | set(extras)
        old_paths = set(self._pages) | set(self._extras)
        structure_changed = old_paths != paths or any(
            index[path].ids != self._pages[path].links.ids for path in rendered if path in self._pages
        )
        if structure_changed:
            problems.extend(check_link_index(index, paths, exempt=_exempt(pages)))
        else:
            # Every path and anchor is where it was, so a link the page already had still resolves: check the new ones.
            changed = set(rendered) | {p for p in changed_extras if p in index}
            problems.extend(check_link_index(_new_links(index, changed, self._pages), paths, exempt=_exempt(pages), only=changed))
        if problems.fails(strict):
            return BuildResult(problems, True)
        with SiteUpdater(self.project.out, remove=old_paths - paths) as writer:
            writer.reserve(paths)
            for path, data in (*rendered.items(), *changed_extras.items()):
                writer.store(path, data)
            writer.commit()
        self.index_stale = self.index_stale or (self.search and bool(rendered or changed_extras or old_paths - paths))
        self._remember(pages, index, extras, common, self._templates_key)
        self.last_rendered = renders
        return BuildResult(problems, False, len(paths), self.project.out)

    def _remember(self, pages, index, extras, common, templates_key) -> None:
        self._pages = {page.path: _Rendered(page, index[page.path]) for page in pages}
        self._long_html = {path: html for path, html in self._long_html.items() if path in self._pages}
        self._extras = extras
        self._templates_key, self._common = templates_key, common


def _new_links(index: dict[str, PageLinks], changed: set[str], before: dict[str, _Rendered]) -> dict[str, PageLinks]:
    """Return ``index`` with the links of each ``changed`` page reduced to those it did not have in the previous build."""
    reduced = dict(index)
    for path in changed:
        old = before.get(path)
        if old is not None:
            known = set(old.links.links)
            reduced[path] = PageLinks(tuple(link for link in index[path].links if link not in known), index[path].ids)
    return reduced


def _with_base_url(site, base_url: str):
    return dataclasses.replace(site, base_url=base_url)


def _exempt(pages) -> list[str]:
    return [page.path for page in pages if page.root_override is not None]


def _fingerprint(folder: Path) -> tuple:
    """Size, modification time, inode and change time of every template and static file."""
    entries = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            entries.append((path.relative_to(folder).as_posix(), info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns))
    return tuple(entries)
