"""Every page the site builds is valid HTML by the Nu HTML Checker (vnu-jar, from npm like axe-core).

Java is needed. In CI (``CI=true``) a missing Java or vnu.jar fails the run; elsewhere the test is
skipped with the reason, as the browser tests are.
"""

import os
import shutil
import subprocess

import pytest

from conftest import REPO, TEMPLATES, run_cli

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}; CI must check the HTML", pytrace=False)
    pytest.skip(what)


def test_every_built_page_has_no_nu_html_checker_error(tmp_path):
    java = shutil.which("java")
    if java is None:
        missing("Java is not installed")
    if not VNU.is_file():
        missing("vnu.jar is missing; run `npm ci`")
    out = tmp_path / "build"
    result = run_cli("build", "--project", REPO, "--templates", TEMPLATES, "--out", out, "--no-search", "--no-cache")
    assert result.exit_code == 0, result.output
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 100  # the real site: every page type, many times over
    checked = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--skip-non-html", str(out), str(REPO / "tests" / "golden")],
                             capture_output=True, text=True, timeout=600)
    errors = [line.replace(out.as_uri(), "build").replace(str(out), "build") for line in checked.stderr.splitlines() if line.strip()]
    assert errors == []
    assert checked.returncode == 0
