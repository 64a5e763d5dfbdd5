"""ldnsite is installable: the wheel and the sdist carry the default theme, and an installed ldnsite builds a site.

These tests build the package (hatchling, fetched by pip from its cache or PyPI) and install it into a fresh
virtual environment, so they take some seconds; `pytest -m "not packaging"` leaves them out.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES

REPO = Path(__file__).resolve().parents[1]
THEME = sorted(p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").rglob("*") if p.is_file())

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def source_tree(tmp_path_factory) -> Path:
    """A copy of what the package is built from, so that a stray write by packaging would show."""
    tree = tmp_path_factory.mktemp("checkout")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, tree / name)
    for name in ("src", "templates", "schema"):
        shutil.copytree(REPO / name, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return tree


@pytest.fixture(scope="module")
def dist(source_tree, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source_tree)], check=True, capture_output=True)
    return out


def test_the_wheel_holds_the_default_theme_as_package_data(dist):
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert [name for name in THEME if f"ldnsite/theme/{name}" not in names] == []
    assert "ldnsite/commands/reload.js" in names
    assert "ldnsite/content/locale/en.yaml" in names


def test_the_sdist_holds_the_theme_source(dist):
    (sdist,) = dist.glob("*.tar.gz")
    names = {name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name}
    assert [name for name in THEME if f"templates/{name}" not in names] == []


def test_packaging_never_writes_a_build_folder(source_tree, dist):
    assert not (source_tree / "build").exists()


def test_pip_install_dot_gives_a_working_ldnsite_with_the_packaged_theme(source_tree, tmp_path):
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    # `pip install .`, run by this environment's pip on behalf of the fresh one (faster than bootstrapping pip there).
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "."], cwd=source_tree,
                   check=True, capture_output=True)
    assert not (source_tree / "build").exists()
    theme = subprocess.run([str(python), "-c", "from ldnsite.output.theme import default_theme_dir; print(default_theme_dir())"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    assert Path(theme).is_relative_to(env), "the installed ldnsite reads its theme from the package, not from a checkout"

    project = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", project)
    assert not (project / "templates").exists()
    subprocess.run([str(env / "bin" / "ldnsite"), "build", "--strict", "--no-search", "--project", str(project)],
                   check=True, capture_output=True, cwd=tmp_path)
    assert (project / "build" / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (project / "build" / "static" / "style.css").read_bytes() == (REPO / "templates" / "static" / "style.css").read_bytes()

    new = tmp_path / "vitamin-d"
    ldnsite = str(env / "bin" / "ldnsite")
    subprocess.run([ldnsite, "init", str(new), "--intervention", "Vitamin D"], check=True, capture_output=True)
    subprocess.run([ldnsite, "build", "--strict", "--no-search"], check=True, capture_output=True, cwd=new)
    assert "Vitamin D Evidence" in (new / "build" / "index.html").read_text(encoding="utf-8")
