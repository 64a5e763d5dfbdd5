"""The pipeline: load -> validate -> plan -> render -> write.

``check_project`` runs the first half; ``build_site`` runs it all, and writes nothing
unless the first half found no blocking problem.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ldnsite.errors import UsageError
from ldnsite.load import ContentDirError, load_database
from ldnsite.model import Database
from ldnsite.problems import ProblemList
from ldnsite.project import Project


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a check or build did: its problems, whether it failed, and what it wrote."""

    problems: ProblemList
    failed: bool
    pages: int = 0
    out_dir: Path | None = None


def check_project(project: Project, *, strict: bool = False) -> BuildResult:
    """Load and validate the content, and plan the site, without rendering or writing."""
    db, problems = _load(project)
    if db is not None:
        from ldnsite.site import plan_site

        _, collisions = plan_site(db)
        problems.extend(collisions)
    return BuildResult(problems, problems.fails(strict))


def build_site(project: Project, *, strict: bool = False, search: bool | None = None) -> BuildResult:
    """Validate, then render and write the whole site. The old output stays if anything fails."""
    from ldnsite.render import common_context, make_environment, render_page
    from ldnsite.site import plan_site
    from ldnsite.write import SiteWriter

    db, problems = _load(project)
    if db is None:
        return BuildResult(problems, True)
    pages, collisions = plan_site(db)
    problems.extend(collisions)
    if problems.fails(strict):
        return BuildResult(problems, True)
    env = make_environment(project.templates)
    common = common_context(db, build_date())
    rendered = [(page.path, render_page(env, page, common)) for page in pages]
    with SiteWriter(project.out) as writer:
        for path, html in rendered:
            writer.write(path, html)
        _write_extras(writer, db, pages, env, common, project)
        if _wants_search(search):
            from ldnsite.search import index_site

            index_site(writer.staging)
        writer.commit()
    return BuildResult(problems, False, len(writer.written), project.out)


def _load(project: Project) -> tuple[Database | None, ProblemList]:
    try:
        return load_database(project.content, project.root)
    except ContentDirError as exc:
        raise UsageError(str(exc)) from exc


def _write_extras(writer, db: Database, pages, env, common, project: Project) -> None:
    from ldnsite.export import export_claims, export_sources
    from ldnsite.site import Page

    claim_views = [p.context["view"] for p in pages if p.template == "claim.html"]
    source_views = [p.context["view"] for p in pages if p.template == "source.html"]
    writer.write("api/claims.json", export_claims(db, claim_views))
    writer.write("api/sources.json", export_sources(db, source_views))
    for name, template in (("sitemap.xml", "sitemap.xml"), ("robots.txt", "robots.txt")):
        page = Page(name, template, name, "", {"pages": [p for p in pages if p.in_sitemap]}, in_sitemap=False)
        from ldnsite.render import render_page

        writer.write(name, render_page(env, page, common))
    static = project.templates / "static"
    if static.is_dir():
        writer.copy_tree(static, "static")


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
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
