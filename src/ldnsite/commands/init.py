"""`ldnsite init DIR`: a complete new project that passes `check --strict` and builds straight away.

site.yaml is generated from the ``Site`` declaration in ``model.py`` (as ``ldnsite new`` does), so every
setting is there with its explanation, and a setting added to the model appears in new projects by itself.
The schemas the modelines point to come from ``jsonschema.build_schemas``. The project has no templates/:
it uses the default theme until ``ldnsite theme eject`` copies files to change.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from ldnsite.errors import UsageError

INSTALL_SPEC = "ldnsite[search] @ git+https://github.com/ldnsite/ldnsite"
"""What the new project's CI installs (ldnsite is not on PyPI); pin a tag or commit with '@...' for repeatable builds."""

GITIGNORE = """\
# ldnsite's output and the leftovers of an interrupted build
build/
.build-staging-*/
.build-old-*/
.build.lock
"""

PRE_COMMIT = """\
# Checks that run before every commit. Install once: pip install pre-commit && pre-commit install
# The ldnsite hook uses the ldnsite installed where you run git (pip install "{install}").
# One ldnsite hook: it reports every content problem once, at file:line:col. It runs without
# --strict, so a source can be committed before the claim that cites it (its warning is shown);
# CI runs `ldnsite check --strict`, so a pull request still cannot merge an unused source.
minimum_pre_commit_version: "3.0.0"
repos:
  - repo: local
    hooks:
      - id: ldnsite-check
        name: ldnsite check (content rules, with file:line:col errors; warnings do not block a commit)
        entry: ldnsite check
        language: system
        files: ^(content/|templates/)
        pass_filenames: false
        verbose: true  # show the warnings of a passing check too
"""

WORKFLOW = """\
# Check every pull request; build and publish the site to GitHub Pages from the default branch.
# (Settings > Pages > Source: GitHub Actions.)
name: site

on:
  pull_request:
    branches: [main]
  push:
    branches: [main]
  workflow_dispatch: {{}}

permissions:
  contents: read

concurrency:
  group: site-${{{{ github.ref }}}}
  cancel-in-progress: true

jobs:
  check:
    name: Check and evidence diff
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install ldnsite
        run: python -m pip install "{install}"
      - name: Validate content (annotations on the changed lines)
        run: ldnsite check --strict --format github
      - name: Evidence diff as job summary
        if: github.event_name == 'pull_request'
        run: ldnsite diff "origin/${{{{ github.base_ref }}}}" HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"

  deploy:
    name: Build and deploy to GitHub Pages
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    needs: check
    runs-on: ubuntu-24.04
    permissions:
      contents: read
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install ldnsite
        run: python -m pip install "{install}"
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5
      - name: Build with the Pages base URL
        run: |
          export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
          ldnsite build --strict --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: build/
      - name: Deploy
        id: deployment
        uses: actions/deploy-pages@v4
"""

README = """\
# {title}

An evidence summary about {name}, built with [ldnsite](https://github.com/ldnsite/ldnsite): every claim
is sourced, graded and kept in its tier.

## Editing

```
content/
  site.yaml                  the site's settings, each explained in a comment
  conditions/<id>.yaml       one condition and all its claims (file name = condition id)
  sources/<id>.yaml          one cited source (file name = source id)
schema/                      JSON Schemas, so that editors complete keys and show errors as you type
```

1. Add a source: `ldnsite new source smith2024` writes `content/sources/smith2024.yaml` with every field
   explained. Replace each `TODO`.
2. Add a condition and its first claim: `ldnsite new condition back-pain`. More claims about it:
   `ldnsite new claim back-pain-sleep --condition back-pain`.
3. Check: `ldnsite check` names every problem with its file, line and a hint to fix it.
4. Preview: `ldnsite serve` (http://127.0.0.1:8000/, rebuilt on every change).
5. Build: `ldnsite build` writes the site into `build/`.

## Publishing

Push to GitHub: `.github/workflows/site.yml` checks every pull request and publishes the main branch to
GitHub Pages (Settings > Pages > Source: GitHub Actions). Any static host works too: upload `build/`,
built with `ldnsite build --base-url https://your.address/`.

## Changing the look

The site uses ldnsite's default theme. `ldnsite theme list` shows its files and
`ldnsite theme eject FILE` copies one into `templates/`, where your copy replaces the default.

## Checks before each commit

`pip install pre-commit && pre-commit install` runs `ldnsite check` before every commit
(`.pre-commit-config.yaml`). Warnings do not block a commit, so a source can be committed before
the claim that cites it; the workflow checks with `--strict`, so a pull request cannot merge one.
"""

KEEP = "# Keeps this folder in git while it is empty; delete it once the folder holds a file.\n"


def init_project(target: Path, intervention: str, *, force: bool = False) -> list[Path]:
    """Write a new project into ``target`` and return the files written, sorted.

    Refuses a folder that exists and is not empty unless ``force`` (then files of the same name are replaced).
    """
    name = " ".join(intervention.split())
    if not name:
        raise UsageError("--intervention needs a name, such as 'Vitamin D'")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(f"{target} is not empty; choose a new or empty folder, or pass --force to write into it anyway")
    files = project_files(name)
    written = []
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return sorted(written)


def project_files(intervention: str) -> dict[str, str]:
    """Return {relative path: text} of every file of a new project about ``intervention``."""
    from ldnsite.content.jsonschema import build_schemas

    title = f"{intervention} Evidence"
    files = {
        "content/site.yaml": site_yaml(intervention),
        "content/conditions/.gitkeep": KEEP,
        "content/sources/.gitkeep": KEEP,
        "README.md": README.format(title=title, name=intervention),
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": PRE_COMMIT.format(install=INSTALL_SPEC),
        ".github/workflows/site.yml": WORKFLOW.format(install=INSTALL_SPEC),
    }
    files.update({f"schema/{name}": text for name, text in build_schemas().items()})
    return files


def site_yaml(intervention: str) -> str:
    """Return site.yaml: every setting of ``Site``, each under its explanation; optional ones commented out."""
    from ldnsite.commands.scaffold import SCHEMA_HEADER, render_record
    from ldnsite.content.model import Site

    disclaimer = (
        f"This site summarises published evidence about {intervention}. It is not medical advice: talk to "
        "your doctor or pharmacist before starting, stopping or changing any treatment."
    )
    values = {
        "title": _scalar(f"{intervention} Evidence"),
        "tagline": _scalar(f"What is known, and what is only claimed, about {intervention}."),
        "base_url": "https://example.org/",
        "language": "en",
        "disclaimer": "|\n" + textwrap.indent(textwrap.fill(disclaimer, 96), "  "),
        "condition_groups": "\n  - id: conditions\n    name: Conditions",
    }
    body = render_record(Site, values)
    body = "\n".join(line.rstrip() for line in body.splitlines()) + "\n"
    return SCHEMA_HEADER.format(relative="../", name="site") + body


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()'/+-]*[A-Za-z0-9.)]\Z")


def _scalar(text: str) -> str:
    """Return ``text`` as a YAML scalar: plain when that is safe, else double-quoted."""
    return text if _PLAIN.match(text) and ": " not in text and " #" not in text else json.dumps(text, ensure_ascii=False)
