"""A consistent command line (issue 16): the same project options everywhere, a help that does not
truncate, `serve --base-url --open`, and a command list (docs/command-line.md) that matches `--help`."""

import re
import threading
import urllib.request

import click
import pytest
from click.testing import CliRunner

from conftest import REPO, TEMPLATES, run_cli, write_project
from ldnsite.cli import cli

PROJECT_OPTIONS = {"--project", "--content", "--templates"}
READS_NO_PROJECT = {"schema", "init", "theme"}  # init makes a project; theme eject takes --project and --templates only
COMMAND_LINE = (REPO / "docs" / "command-line.md").read_text(encoding="utf-8")


def help_text(*args: str, width: int) -> str:
    """Return the output of `ldnsite ARGS`, formatted for a terminal ``width`` columns wide."""
    return CliRunner().invoke(cli, list(args), terminal_width=width, catch_exceptions=False).output


def options(command: click.Command) -> set[str]:
    found = set()
    for param in command.params:
        if isinstance(param, click.Option):
            found.update(o for o in param.opts + param.secondary_opts if o.startswith("--"))
    return found


def synopsis(name: str) -> str:
    block = COMMAND_LINE.split("# Command line", 1)[1].split("```", 2)[1]
    lines = [line for line in block.splitlines() if line == f"ldnsite {name}" or line.startswith(f"ldnsite {name} ")]
    assert len(lines) == 1, f"the command list in docs/command-line.md has no single line for `ldnsite {name}`"
    return lines[0]


def project_help(name: str) -> list[str]:
    """Return the help lines of --project, --content and --templates of one command."""
    lines = help_text(name, "--help", width=200).splitlines()
    return [" ".join(line.split()) for line in lines if line.split()[:1] and line.split()[0] in PROJECT_OPTIONS]


@pytest.mark.parametrize("name", sorted(set(cli.commands) - READS_NO_PROJECT))
def test_every_command_that_reads_a_project_takes_the_same_project_options(name):
    assert PROJECT_OPTIONS <= options(cli.commands[name])
    assert project_help(name) == project_help("build")


def test_the_command_list_of_ldnsite_help_is_not_truncated():
    listing = help_text("--help", width=80).split("Commands:", 1)[1]
    assert sorted(line.split()[0] for line in listing.strip().splitlines()) == sorted(cli.commands)
    assert "..." not in listing


COMMANDS = {name: command for name, command in cli.commands.items() if not isinstance(command, click.Group)}
COMMANDS.update({f"{name} {sub}": command for name, group in cli.commands.items() if isinstance(group, click.Group)
                 for sub, command in group.commands.items()})


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_readme_command_list_names_exactly_the_options_of_help(name):
    documented = set(re.findall(r"--[a-z][a-z-]*", synopsis(name))) - {"--help"}
    assert documented == options(COMMANDS[name]) - {"--help"}


def test_serve_publishes_under_the_given_base_url_and_opens_the_browser(tmp_path, monkeypatch):
    import webbrowser

    from ldnsite.commands import serve

    project = write_project(tmp_path, {})
    servers, opened, pages = [], [], []
    real_make_server = serve.make_server
    monkeypatch.setattr(serve, "make_server", lambda *a, **k: servers.append(real_make_server(*a, **k)) or servers[-1])

    def fake_open(url):
        opened.append(url)

        def fetch_then_stop():
            with urllib.request.urlopen(url, timeout=10) as response:
                pages.append(response.read().decode())
            servers[0].shutdown()
        threading.Thread(target=fetch_then_stop, daemon=True).start()

    monkeypatch.setattr(webbrowser, "open", fake_open)
    result = run_cli("serve", "--project", project, "--templates", TEMPLATES, "--port", "0", "--no-watch",
                     "--base-url", "https://preview.example.net/pr-7/", "--open")
    assert result.exit_code == 0, result.output
    assert len(opened) == 1 and re.fullmatch(r"http://127\.0\.0\.1:[0-9]+/pr-7/", opened[0])
    assert 'href="https://preview.example.net/pr-7/' in pages[0]
