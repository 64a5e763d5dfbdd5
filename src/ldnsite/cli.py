"""Command-line interface: a thin click layer over the library.

Each command imports its stage lazily (so `ldnsite --help` starts fast), calls one
library function, prints the report and sets the exit code: 0 success, 1 content
problems (or warnings under --strict), 2 usage errors.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from ldnsite import __version__

HELP_PROJECT = "Project folder holding content/ and templates/ (default: current folder)."
HELP_CONTENT = "Content folder (default: PROJECT/content)."
HELP_TEMPLATES = "Templates folder (default: PROJECT/templates)."
HELP_OUT = "Output folder (default: PROJECT/build; for serve, a temporary folder)."
HELP_STRICT = "Treat warnings as errors (use in CI)."
HELP_FORMAT = "Report format: 'text', or 'github' for GitHub Actions annotations (default when GITHUB_ACTIONS is set)."
HELP_CACHE = (
    "Reuse the parsed content files of earlier runs, kept in $LDNSITE_CACHE_DIR or ~/.cache/ldnsite "
    "(default: on; --no-cache parses everything)."
)
HELP_BASE_URL = "Publish under this absolute URL instead of site.yaml's base_url (e.g. the GitHub Pages address)."
HELP_SEARCH = "Build the Pagefind search index (needs the 'pagefind' package; default: when installed)."


def _project_options(func):
    """Add --project, --content and --templates: every command that reads a project takes these three, the same way."""
    func = click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_TEMPLATES)(
        func
    )
    func = click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_CONTENT)(func)
    func = click.option(
        "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help=HELP_PROJECT
    )(func)
    return func


def _out_option(func):
    return click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_OUT)(func)


def _cache_option(func):
    return click.option("--cache/--no-cache", default=True, help=HELP_CACHE)(func)


def _report_options(func):
    default_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    func = click.option(
        "--format", "fmt", type=click.Choice(["text", "github"]), default=default_format, show_default=False, help=HELP_FORMAT
    )(func)
    func = click.option("--strict", is_flag=True, help=HELP_STRICT)(func)
    return func


def _project(project_dir: Path, content_dir: Path | None, templates_dir: Path | None, out_dir: Path | None):
    from ldnsite.project import Project

    return _guard(lambda: Project.at(project_dir, content=content_dir, templates=templates_dir, out=out_dir))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ldnsite")
def cli() -> None:
    """Build an evidence-summary website from a YAML claims database."""


@cli.command(short_help="Validate content/ and report every problem.")
@_project_options
@_report_options
@_cache_option
def check(project_dir, content_dir, templates_dir, strict, fmt, cache) -> None:
    """Validate content/ and report every problem; write nothing."""
    from ldnsite.output.build import check_project

    project = _project(project_dir, content_dir, templates_dir, None)
    result = _guard(lambda: check_project(project, strict=strict, cache=cache))
    _print_report(result.problems, fmt, strict, wrote_nothing=False)
    sys.exit(1 if result.failed else 0)


@cli.command(short_help="Validate, then render the site into build/.")
@_project_options
@_out_option
@_report_options
@click.option("--search/--no-search", default=None, help=HELP_SEARCH)
@click.option("--base-url", help=HELP_BASE_URL)
@_cache_option
def build(project_dir, content_dir, templates_dir, out_dir, strict, fmt, search, base_url, cache) -> None:
    """Validate content/, then render the whole site into build/ (nothing is written on a problem)."""
    from ldnsite.output.build import build_site

    project = _project(project_dir, content_dir, templates_dir, out_dir)
    result = _guard(lambda: build_site(project, strict=strict, search=search, base_url=base_url, cache=cache))
    _print_report(result.problems, fmt, strict, wrote_nothing=result.failed)
    if result.failed:
        sys.exit(1)
    click.echo(
        f"ldnsite: wrote {result.pages} files to {result.out_dir}; open {result.out_dir / 'index.html'} or run `ldnsite serve`."
    )


@cli.command(short_help="Preview the site locally, rebuilding on change.")
@_project_options
@_out_option
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port)."
)
@click.option("--watch/--no-watch", default=True, show_default=True, help="Rebuild when content/ or templates/ change.")
@click.option("--search/--no-search", default=None, help=HELP_SEARCH)
@click.option("--base-url", help=HELP_BASE_URL + " The preview is served under its path.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the default web browser.")
@_cache_option
def serve(project_dir, content_dir, templates_dir, out_dir, bind, port, watch, search, base_url, open_browser, cache) -> None:
    """Build a preview (never into build/), serve it locally, rebuild on change and reload the browser."""
    from ldnsite.commands.serve import serve_site

    project = _project(project_dir, content_dir, templates_dir, out_dir)
    # A busy port is passed over for the next free one unless --port was given (then it is an error).
    pick = click.get_current_context().get_parameter_source("port") == click.core.ParameterSource.DEFAULT
    _guard(
        lambda: serve_site(
            project,
            bind=bind,
            port=port,
            watch=watch,
            echo=click.echo,
            cache=cache,
            out=project.out if out_dir else None,
            pick_free_port=pick,
            search=search,
            base_url=base_url,
            open_browser=open_browser,
        )
    )


def _id_param(ctx, param, value):
    """Accept only an id (kebab-case): an id argument names a file in content/, and must not climb out of it."""
    from ldnsite.content.model import ID_MAX_LENGTH, ID_PATTERN

    if value is not None and (not re.fullmatch(ID_PATTERN, value) or len(value) > ID_MAX_LENGTH):
        raise click.BadParameter(
            f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens, like 'fibromyalgia-pain'"
        )
    return value


@cli.command(short_help="Create a new project, ready to check and build.")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--intervention", required=True, help="What the site is about, e.g. 'Vitamin D': used in its title and texts.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (files of the same name are replaced).")
def init(directory, intervention, force) -> None:
    """Create a new project in DIRECTORY: site.yaml, empty conditions/ and sources/, schemas, README, CI and pre-commit."""
    from ldnsite.commands.init import init_project

    written = _guard(lambda: init_project(directory, intervention, force=force))
    click.echo(
        f"ldnsite: wrote {len(written)} files to {directory}. Next: cd {directory}, add a source with "
        "`ldnsite new source ID` and a condition with `ldnsite new condition ID`, then `ldnsite serve`."
    )


@cli.command(short_help="Scaffold a condition, claim or source file.")
@click.argument("kind", type=click.Choice(["condition", "claim", "source", "site"]))
@click.argument("ident", callback=_id_param)
@_project_options
@click.option("--condition", "condition_id", callback=_id_param, help="For a claim: the condition file to add it to.")
def new(kind, ident, project_dir, content_dir, templates_dir, condition_id) -> None:
    """Scaffold a condition, claim or source file, every field explained. (A new site: `ldnsite init`.)"""
    from ldnsite.commands.scaffold import scaffold

    if kind == "site":
        raise click.UsageError("`ldnsite new site` is now `ldnsite init DIR --intervention NAME`, which creates a whole project")
    project = _project(project_dir, content_dir, templates_dir, None)
    written = _guard(lambda: scaffold(project, kind, ident, condition_id=condition_id))
    click.echo(f"ldnsite: wrote {written}; fill in every field, then run `ldnsite check`.")


@cli.group(short_help="List or eject the default theme's files.")
def theme() -> None:
    """The default theme: a project's templates/ overrides any of its files and inherits the rest."""


@theme.command("list", short_help="List the files of the default theme.")
def theme_list() -> None:
    """List the files of the default theme, which `ldnsite theme eject` copies."""
    from ldnsite.output.theme import theme_files

    for name in _guard(theme_files):
        click.echo(name)


@theme.command(short_help="Copy default theme files into templates/ for editing.")
@click.argument("files", nargs=-1)
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), help=HELP_PROJECT)
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path), help=HELP_TEMPLATES)
@click.option("--force", is_flag=True, help="Overwrite files already in the project's templates/.")
def eject(files, project_dir, templates_dir, force) -> None:
    """Copy FILES of the default theme (all when none is named) into the project's templates/, to edit them there."""
    from ldnsite.output.theme import eject as eject_files

    target = (templates_dir or project_dir / "templates").resolve()
    written = _guard(lambda: eject_files(target, list(files), force=force))
    click.echo(
        f"ldnsite: copied {len(written)} file{'s' if len(written) != 1 else ''} into {target}; "
        "edit them there, and delete any you leave unchanged so that it follows the default theme."
    )


@theme.command(short_help="Write the variables each template receives (docs/theme-variables.md).")
@_project_options
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("docs/theme-variables.md"),
    show_default=True,
    help="File to write.",
)
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if --out is stale.")
def variables(project_dir, content_dir, templates_dir, out_file, check_only) -> None:
    """Write the variables each template receives, generated from the code and the project's content."""
    from ldnsite.commands.themedoc import theme_variables

    project = _project(project_dir, content_dir, templates_dir, None)
    text = _guard(lambda: theme_variables(project))
    current = out_file.is_file() and out_file.read_text(encoding="utf-8") == text
    if check_only:
        if not current:
            click.echo(f"ldnsite: {out_file} is stale; run `ldnsite theme variables` and commit.")
            sys.exit(1)
        click.echo(f"ldnsite: {out_file} is up to date.")
        return
    if not current:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"ldnsite: {out_file} is up to date." if current else f"ldnsite: wrote {out_file}.")


@cli.command(short_help="Show the evidence changes between two git revisions.")
@click.argument("base")
@click.argument("head", required=False)
@_project_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="'markdown' for a pull-request comment or a GitHub job summary.",
)
def diff(base, head, project_dir, content_dir, templates_dir, fmt) -> None:
    """Show what changed in the evidence between git revision BASE and HEAD (default: the working tree)."""
    from ldnsite.commands.compare import diff_revisions

    project = _project(project_dir, content_dir, templates_dir, None)
    report, failed = _guard(lambda: diff_revisions(project, base, head, fmt))
    click.echo(report)
    sys.exit(1 if failed else 0)


@cli.command("import", short_help="Write source files from a BibTeX, RIS, PubMed or CSL-JSON export.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_project_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "ris", "nbib", "csl-json"]),
    help="Format of FILE (default: from its name or its first line).",
)
def import_(file, project_dir, content_dir, templates_dir, fmt) -> None:
    """Write a source file per record of a BibTeX, RIS, PubMed (.nbib) or CSL-JSON export, to be checked."""
    from ldnsite.commands.importer import import_file

    project = _project(project_dir, content_dir, templates_dir, None)
    result = _guard(lambda: import_file(project, file, fmt))
    for path in result.written:
        click.echo(f"ldnsite: wrote {path}")
    for message in result.skipped:
        click.echo(f"ldnsite: skipped {message}")
    click.echo(
        f"ldnsite: {len(result.written)} written, {len(result.skipped)} skipped as duplicates; confirm each "
        "'kind', fill in 'verified', then run `ldnsite check`."
    )


@cli.command(short_help="Write JSON Schemas of the content files.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schema"),
    show_default=True,
    help="Folder to write the JSON Schema files to.",
)
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if the files in --out are stale.")
def schema(out_dir, check_only) -> None:
    """Write JSON Schemas of the content files, for editors (generated from the model)."""
    from ldnsite.content.jsonschema import build_schemas

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
    click.echo(
        f"ldnsite: JSON Schema in {out_dir} is up to date." if not stale else f"ldnsite: wrote {', '.join(stale)} to {out_dir}."
    )


def _guard(action):
    """Run a library call, turning its domain errors into click errors (exit 2 for usage, 1 otherwise).

    A failure of the environment (disk full, read-only, permission, name too long) is one line too.
    """
    from ldnsite.errors import LdnsiteError, UsageError, describe_os_error

    try:
        return action()
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except LdnsiteError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(describe_os_error(exc)) from None


def _print_report(problems, fmt: str, strict: bool, *, wrote_nothing: bool) -> None:
    from ldnsite.problems import format_report, format_summary

    if len(problems):
        click.echo(format_report(problems, fmt))
    click.echo(format_summary(problems, strict, wrote_nothing=wrote_nothing))


def main() -> None:
    """Run the command line."""
    cli(prog_name="ldnsite")
