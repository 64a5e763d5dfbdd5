"""Command-line interface: a thin click layer over the library.

Each command imports its stage lazily (so `ldnsite --help` starts fast), calls one
library function, prints the report and sets the exit code: 0 success, 1 content
problems (or warnings under --strict), 2 usage errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ldnsite import __version__

HELP_PROJECT = "Project folder holding content/ and templates/ (default: current folder)."
HELP_CONTENT = "Content folder (default: PROJECT/content)."
HELP_TEMPLATES = "Templates folder (default: PROJECT/templates)."
HELP_OUT = "Output folder (default: PROJECT/build)."
HELP_STRICT = "Treat warnings as errors (use in CI)."
HELP_FORMAT = "Report format: 'text', or 'github' for GitHub Actions annotations (default when GITHUB_ACTIONS is set)."
HELP_CACHE = ("Reuse the parsed content files of earlier runs, kept in $LDNSITE_CACHE_DIR or ~/.cache/ldnsite "
              "(default: on; --no-cache parses everything).")
HELP_SEARCH = "Build the Pagefind search index (needs the 'pagefind' package; default: when installed)."


def _paths_options(func):
    func = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_OUT)(func)
    func = click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_TEMPLATES)(func)
    func = click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_CONTENT)(func)
    func = click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help=HELP_PROJECT)(func)
    return func


def _cache_option(func):
    return click.option("--cache/--no-cache", default=True, help=HELP_CACHE)(func)


def _report_options(func):
    default_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    func = click.option("--format", "fmt", type=click.Choice(["text", "github"]), default=default_format, show_default=False, help=HELP_FORMAT)(func)
    func = click.option("--strict", is_flag=True, help=HELP_STRICT)(func)
    return func


def _project(project_dir: Path, content_dir: Path | None, templates_dir: Path | None, out_dir: Path | None):
    from ldnsite.project import Project

    return _guard(lambda: Project.at(project_dir, content=content_dir, templates=templates_dir, out=out_dir))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ldnsite")
def cli() -> None:
    """Build an evidence-summary website from a YAML claims database."""


@cli.command()
@_paths_options
@_report_options
@_cache_option
def check(project_dir, content_dir, templates_dir, out_dir, strict, fmt, cache) -> None:
    """Validate content/ and report every problem; write nothing."""
    from ldnsite.build import check_project

    project = _project(project_dir, content_dir, templates_dir, out_dir)
    result = _guard(lambda: check_project(project, strict=strict, cache=cache))
    _print_report(result.problems, fmt, strict, wrote_nothing=False)
    sys.exit(1 if result.failed else 0)


@cli.command()
@_paths_options
@_report_options
@click.option("--search/--no-search", default=None, help=HELP_SEARCH)
@click.option("--base-url", help="Publish under this absolute URL instead of site.yaml's base_url (e.g. the GitHub Pages address).")
@_cache_option
def build(project_dir, content_dir, templates_dir, out_dir, strict, fmt, search, base_url, cache) -> None:
    """Validate content/, then render the whole site into build/ (nothing is written on a problem)."""
    from ldnsite.build import build_site

    project = _project(project_dir, content_dir, templates_dir, out_dir)
    result = _guard(lambda: build_site(project, strict=strict, search=search, base_url=base_url, cache=cache))
    _print_report(result.problems, fmt, strict, wrote_nothing=result.failed)
    if result.failed:
        sys.exit(1)
    click.echo(f"ldnsite: wrote {result.pages} files to {result.out_dir}; open {result.out_dir / 'index.html'}"
               " or run `ldnsite serve`.")


@cli.command()
@_paths_options
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
@click.option("--watch/--no-watch", default=True, show_default=True, help="Rebuild when content/ or templates/ change.")
@_cache_option
def serve(project_dir, content_dir, templates_dir, out_dir, bind, port, watch, cache) -> None:
    """Build, serve build/ locally, rebuild on change and reload the browser."""
    from ldnsite.serve import serve_site

    project = _project(project_dir, content_dir, templates_dir, out_dir)
    _guard(lambda: serve_site(project, bind=bind, port=port, watch=watch, echo=click.echo, cache=cache))


@cli.command()
@click.argument("kind", type=click.Choice(["condition", "claim", "source", "site"]))
@click.argument("ident")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help=HELP_PROJECT)
@click.option("--condition", "condition_id", help="For a claim: the condition file to add it to.")
def new(kind, ident, project_dir, condition_id) -> None:
    """Scaffold a condition, claim, source or site file, every field explained."""
    from ldnsite.scaffold import scaffold

    project = _project(project_dir, None, None, None)
    written = _guard(lambda: scaffold(project, kind, ident, condition_id=condition_id))
    click.echo(f"ldnsite: wrote {written}; fill in every field, then run `ldnsite check`.")


@cli.command()
@click.argument("base")
@click.argument("head", required=False)
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help=HELP_PROJECT)
@click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_CONTENT)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="'markdown' for a pull-request comment or a GitHub job summary.")
def diff(base, head, project_dir, content_dir, fmt) -> None:
    """Show what changed in the evidence between git revision BASE and HEAD (default: the working tree)."""
    from ldnsite.compare import diff_revisions

    project = _project(project_dir, content_dir, None, None)
    report, failed = _guard(lambda: diff_revisions(project, base, head, fmt))
    click.echo(report)
    sys.exit(1 if failed else 0)


@cli.command("import", short_help="Write source files from a BibTeX, RIS, .nbib or CSL-JSON export.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help=HELP_PROJECT)
@click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_CONTENT)
@click.option("--format", "fmt", type=click.Choice(["bibtex", "ris", "nbib", "csl-json"]),
              help="Format of FILE (default: from its name or its first line).")
def import_(file, project_dir, content_dir, fmt) -> None:
    """Write a source file per record of a BibTeX, RIS, PubMed (.nbib) or CSL-JSON export, to be checked."""
    from ldnsite.importer import import_file

    project = _project(project_dir, content_dir, None, None)
    result = _guard(lambda: import_file(project, file, fmt))
    for path in result.written:
        click.echo(f"ldnsite: wrote {path}")
    for message in result.skipped:
        click.echo(f"ldnsite: skipped {message}")
    click.echo(f"ldnsite: {len(result.written)} written, {len(result.skipped)} skipped as duplicates; confirm each "
               "'kind', fill in 'verified', then run `ldnsite check`.")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"), show_default=True,
              help="Folder to write the JSON Schema files to.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if the files in --out are stale.")
def schema(out_dir, check_only) -> None:
    """Write JSON Schemas of the content files, for editors (generated from the model)."""
    from ldnsite.jsonschema import build_schemas

    stale = []
    for name, text in build_schemas().items():
        target = out_dir / name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check_only:
            out_dir.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    if check_only and stale:
        click.echo(f"ldnsite: stale JSON Schema in {out_dir}: {', '.join(stale)}; run `ldnsite schema` and commit.")
        sys.exit(1)
    click.echo(f"ldnsite: JSON Schema in {out_dir} is up to date." if not stale else f"ldnsite: wrote {', '.join(stale)} to {out_dir}.")


def _guard(action):
    """Run a library call, turning its domain errors into click errors (exit 2 for usage, 1 otherwise)."""
    from ldnsite.errors import LdnsiteError, UsageError

    try:
        return action()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except LdnsiteError as exc:
        raise click.ClickException(str(exc)) from None


def _print_report(problems, fmt: str, strict: bool, *, wrote_nothing: bool) -> None:
    from ldnsite.problems import format_report, format_summary

    if len(problems):
        click.echo(format_report(problems, fmt))
    click.echo(format_summary(problems, strict, wrote_nothing=wrote_nothing))


def main() -> None:
    """Run the command line."""
    cli(prog_name="ldnsite")
