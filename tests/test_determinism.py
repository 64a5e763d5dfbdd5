"""Two builds of the same content are byte-identical, wherever and whenever they run."""

import os
import subprocess
import sys

from conftest import FIXTURES, REPO, TEMPLATES, tree


def build(out, env_extra):
    env = {**os.environ, **env_extra}
    cmd = [sys.executable, "-m", "ldnsite", "build", "--project", str(FIXTURES / "minimal"), "--templates", str(TEMPLATES),
           "--out", str(out), "--no-search"]
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=REPO)
    return tree(out)


def test_two_builds_are_byte_identical(tmp_path):
    first = build(tmp_path / "one", {"SOURCE_DATE_EPOCH": "1735689600", "PYTHONHASHSEED": "1"})
    second = build(tmp_path / "elsewhere" / "two", {"SOURCE_DATE_EPOCH": "1735689600", "PYTHONHASHSEED": "2", "TZ": "Asia/Tokyo"})
    assert first == second


def test_without_source_date_epoch_no_build_date_is_shown(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "ldnsite", "build", "--project", str(FIXTURES / "minimal"), "--templates", str(TEMPLATES),
                    "--out", str(out), "--no-search"], check=True, capture_output=True, env=env, cwd=REPO)
    assert "Site built on" not in (out / "index.html").read_text()


def test_source_date_epoch_is_the_only_build_date(tmp_path):
    out = build(tmp_path / "out", {"SOURCE_DATE_EPOCH": "1735689600"})
    assert "Site built on <time datetime=\"2025-01-01\">2025-01-01</time>" in out["index.html"].decode()
