"""The pipeline: load -> validate -> plan -> render -> check -> write.

``check_project`` runs the first half; ``build_site`` runs it all. Every output is
produced and checked in memory first; the writer only starts when there is nothing
left to fail on, and even then it writes to a staging folder that is swapped in last.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ldnsite.content.load import ContentDirError, load_database
from ldnsite.content.model import Database
from ldnsite.errors import LdnsiteError, UsageError, describe_os_error
from ldnsite.memo import Memo, NoMemo, call
from ldnsite.problems import ProblemList
from ldnsite.project import Project

Output = tuple[str, "str | bytes | Iterable[str]"]
"""A file to write: its path and what it holds (text, bytes, or text in pieces; ``render_extras`` makes them tuples)."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a check or build did: its problems, whether it failed, and what it wrote."""

    problems: ProblemList
    failed: bool
    pages: int = 0
    out_dir: Path | None = None


def check_project(project: Project, *, strict: bool = False, cache: bool = True) -> BuildResult:
    """Load and validate the content, and plan the site's paths, without rendering or writing.

    With ``cache``, files unchanged since the last run are not parsed again (``cache.py``).
    """
    with _collector_paused():
        return _check_project(project, strict, cache)


def _check_project(project: Project, strict: bool, cache: bool) -> BuildResult:
    db, problems = _load(project, cache)
    if db is not None:
        from ldnsite.plan.site import path_collisions, plan_paths

        problems.extend(path_collisions(plan_paths(db)))
    return BuildResult(problems, problems.fails(strict))


def build_site(
    project: Project, *, strict: bool = False, search: bool | None = None, base_url: str | None = None, cache: bool = True
) -> BuildResult:
    """Validate, render, check and write the whole site. The old output stays if anything fails.

    ``base_url`` overrides site.yaml's, for deployments whose address is known only at build time.
    With ``cache``, content files unchanged since the last run are not parsed again.
    """
    check_output_folder(project)
    try:
        with _collector_paused():
            db, problems, pages = _load_and_plan(project, strict, base_url, cache)
            if pages is None:
                return BuildResult(problems, True)
            _freeze_heap()
        try:
            return _render_and_write(project, db, pages, problems, strict, search)
        finally:
            gc.unfreeze()
    except OSError as exc:
        raise environment_failure(exc, project) from exc


def check_output_folder(project: Project) -> None:
    """Refuse an output folder that is, holds or lies inside the project's own folders: a build replaces it whole."""
    out = project.out
    for name, folder in (("project", project.root), ("content", project.content), ("templates", project.templates)):
        if folder.is_relative_to(out) or (name != "project" and out.is_relative_to(folder)):
            where = "is or holds" if folder.is_relative_to(out) else "is inside"
            raise UsageError(
                f"the output folder {out} {where} the {name} folder {folder}, and a build replaces its output "
                "folder whole; choose a folder of its own with --out, such as build/"
            )


def environment_failure(exc: OSError, project: Project) -> LdnsiteError:
    """Return the one-line error for a failure of the environment during a build: what, where, and that the old site stays."""
    return LdnsiteError(f"{describe_os_error(exc)}; {project.display(project.out)} was left as it was")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the content is loaded and planned.

    Loading and planning create millions of objects, all kept and none in reference cycles (a test
    checks it); the collector would walk them again and again (a fifth of the time at 100,000 claims)
    to find nothing. Garbage without cycles is still freed at once, by reference counting. Rendering
    does make cycles (Jinja's macros, the json module's encoder), so it runs with the collector on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _freeze_heap() -> None:
    """Leave every object alive now (the database and the plan) out of garbage collections until the build ends.

    The collector then walks only what rendering creates, and forked workers do not copy the parent's
    heap by walking it. Called while the collector is still paused: the first collection after
    loading would otherwise walk the millions of objects just made, once, for nothing (0.3 s at
    10,000 claims).
    """
    gc.freeze()


def _load_and_plan(project: Project, strict: bool, base_url: str | None, cache: bool):
    """Return the database, the problems so far and the planned pages (None when the build must stop)."""
    from ldnsite.plan.site import plan_site

    db, problems = _load(project, cache)
    if db is None:
        return None, problems, None
    if base_url is not None:
        db = dataclasses.replace(db, site=dataclasses.replace(db.site, base_url=_checked_base_url(base_url)))
    pages, collisions = plan_site(db)
    problems.extend(collisions)
    return db, problems, (None if problems.fails(strict) else pages)


def _render_and_write(
    project: Project, db: Database, pages: list, problems: ProblemList, strict: bool, search: bool | None
) -> BuildResult:
    from ldnsite.content.wording import words_for
    from ldnsite.output.integrity import PendingAnchors, WorkerLinkCheck, anchor_ids, check_pending_anchors
    from ldnsite.output.render import common_context, make_environment, render_pages
    from ldnsite.output.write import SiteWriter
    from ldnsite.plan.site import LONG_LIST_TEMPLATES, render_order

    env = make_environment(project.template_dirs, words=words_for(db.site))
    common = common_context(db, build_date())
    paths = [page.path for page in pages] + extra_paths(project)
    link_check = WorkerLinkCheck(
        paths, [page.path for page in pages], exempt=[p.path for p in pages if p.root_override is not None]
    )
    with SiteWriter(project.out) as writer:
        # Pages are rendered straight into the staging folder; build/ changes only at commit, after the checks.
        writer.reserve(paths)
        extras: dict[str, PendingAnchors] = {}

        def write_extras() -> None:
            # While the forked workers render: the exports take this process a good part of a second at 10,000 claims.
            for path, data in iter_extras(db, pages, project, env, common):
                writer.store(path, data)  # written at once and let go: the JSON and bibliography files are large
                if path.endswith(".html") and isinstance(data, str):
                    extras[path] = link_check(path, data)

        checked = render_pages(
            env, render_order(pages), common, writer.store, digest=link_check, stream=LONG_LIST_TEMPLATES, meanwhile=write_extras
        )
        checked.update(extras)
        for page in checked.values():
            problems.extend(page.problems)
        problems.extend(check_pending_anchors(checked, lambda path: anchor_ids(writer.target(path).read_text(encoding="utf-8"))))
        if problems.fails(strict):
            return BuildResult(problems, True)
        if _wants_search(search):
            from ldnsite.output.search import index_site

            index_site(writer.staging)
        writer.commit()
    return BuildResult(problems, False, len(writer.written), project.out)


def extra_paths(project: Project) -> list[str]:
    """Return the paths of the outputs that are not pages, as ``render_extras`` writes them, without rendering them."""
    from ldnsite.plan.citations import BIBLIOGRAPHY_EXPORTS
    from ldnsite.plan.site import FEED_PATH

    return [
        "api/claims.json",
        "api/sources.json",
        *(f"api/{name}" for name in BIBLIOGRAPHY_EXPORTS),
        FEED_PATH,
        "sitemap.xml",
        "robots.txt",
        *(path for path, _ in _static_files(project)),
    ]


def _static_files(project: Project) -> list[tuple[str, Path]]:
    """Return (output path, file) for every static file: the project's templates/static/ over the default theme's."""
    from ldnsite.output.theme import static_files

    return static_files(project.template_dirs)


def render_extras(db: Database, pages: list, project: Project, env, common, memo: Memo | NoMemo = call) -> list[Output]:
    """Render every output that is not a page: exports, feed, sitemap, robots.txt and static files.

    With a ``memo`` (the incremental builder's), export records and bibliography files whose data did
    not change are reused.
    """
    return [
        (path, data if isinstance(data, (str, bytes)) else tuple(data))
        for path, data in iter_extras(db, pages, project, env, common, memo)
    ]


def iter_extras(db: Database, pages: list, project: Project, env, common, memo: Memo | NoMemo = call) -> Iterator[Output]:
    """Yield the outputs of ``render_extras`` one by one, so that each can be written and let go."""
    from ldnsite.output.feed import atom_feed
    from ldnsite.output.render import render_page
    from ldnsite.plan.export import claims_json, sources_json
    from ldnsite.plan.site import FEED_PATH, Page

    claim_views = [p.view for p in pages if p.template == "claim.html"]
    source_views = [p.view for p in pages if p.template == "source.html"]
    yield "api/claims.json", claims_json(db, claim_views, memo)
    yield "api/sources.json", sources_json(db, source_views, memo)
    yield from memo(_bibliography_exports, db.sources)
    yield FEED_PATH, atom_feed(db.site, claim_views)
    entries = tuple((p.path, p.lastmod) for p in pages if p.in_sitemap)
    # Keyed by value: a page's path and date rarely change, while its plan does on every edit.
    sitemap = Page("sitemap.xml", "sitemap.xml", "sitemap.xml", "", {"entries": entries}, in_sitemap=False)
    yield "sitemap.xml", memo.by_value((env, entries, common["site"].base_url), lambda: render_page(env, sitemap, common))
    yield "robots.txt", render_page(env, Page("robots.txt", "robots.txt", "robots.txt", "", {}, in_sitemap=False), common)
    for path, file in _static_files(project):
        yield path, file.read_bytes()


def _bibliography_exports(sources: tuple) -> list[Output]:
    from ldnsite.plan.citations import BIBLIOGRAPHY_EXPORTS

    return [(f"api/{name}", export(sources)) for name, (_, export) in BIBLIOGRAPHY_EXPORTS.items()]


def _checked_base_url(url: str) -> str:
    from ldnsite.content.schema import _FORMATS

    if not _FORMATS["url"][0].match(url):
        raise UsageError(f"--base-url '{url}' is not an http:// or https:// address")
    parts = urlsplit(url)
    # Every page's links and the sitemap are made by appending paths to it: a query or fragment would end up in the
    # middle of each address, and a user name or password would be published on every page.
    for present, what in (
        ("?" in url, "a query ('?')"),
        ("#" in url, "a fragment ('#')"),
        ("@" in parts.netloc, "a user name or password ('user:pass@')"),
    ):
        if present:
            raise UsageError(
                f"--base-url '{url}' has {what}; give the address of the site's folder only, like 'https://example.org/evidence/'"
            )
    return url if url.endswith("/") else url + "/"


def _load(project: Project, cache: bool = False) -> tuple[Database | None, ProblemList]:
    if not cache:
        return _load_cached(project, None)
    from ldnsite.content.cache import DiskCache

    disk = DiskCache(project.content)
    files = disk.load()
    result = _load_cached(project, files)
    disk.save(files)
    return result


def _load_cached(project: Project, cache, memo: Memo | NoMemo = call) -> tuple[Database | None, ProblemList]:
    try:
        return load_database(project.content, project.root, cache=cache, memo=memo)
    except ContentDirError as exc:
        raise UsageError(str(exc)) from exc


def _wants_search(search: bool | None) -> bool:
    if search is not None:
        return search
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


def build_date() -> str | None:
    """Return the build date from SOURCE_DATE_EPOCH, or None: the wall clock never reaches output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
