"""The writer: the only place output is written. Staged, atomic, never outside the output folder."""

import pytest

from conftest import TEMPLATES, run_cli, tree, write_project
from ldnsite.write import SiteUpdater, SiteWriter, WriteError


def test_files_appear_only_on_commit(tmp_path):
    out = tmp_path / "build"
    with SiteWriter(out) as writer:
        writer.write("a/b.html", "x")
        assert not out.exists()
        writer.commit()
    assert (out / "a" / "b.html").read_text() == "x"
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_second_write_to_one_path_is_refused(tmp_path):
    with SiteWriter(tmp_path / "build") as writer:
        writer.write("index.html", "a")
        with pytest.raises(WriteError, match="two outputs were written to the same path: INDEX.html"):
            writer.write("INDEX.html", "b")


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../x", "", "a\\b", "a\x00b"])
def test_paths_outside_the_output_folder_are_refused(tmp_path, path):
    with SiteWriter(tmp_path / "build") as writer, pytest.raises(WriteError, match="refusing to write outside"):
        writer.write(path, "x")


def test_an_exception_leaves_the_old_output_and_no_staging_folder(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "old.html").write_text("old")
    with pytest.raises(RuntimeError), SiteWriter(out) as writer:
        writer.write("new.html", "new")
        raise RuntimeError("boom")
    assert tree(out) == {"old.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_commit_replaces_the_whole_old_output(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    (out / "stale.html").write_text("stale")
    with SiteWriter(out) as writer:
        writer.write("index.html", "new")
        writer.commit()
    assert tree(out) == {"index.html": b"new"}


def test_failed_build_leaves_the_previous_build_byte_for_byte(tmp_path):
    project = write_project(tmp_path, {})
    assert run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search").exit_code == 0
    before = tree(project / "build")
    broken = (project / "content/conditions/fibromyalgia.yaml").read_text().replace("grade: low", "grade: best")
    (project / "content/conditions/fibromyalgia.yaml").write_text(broken)
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search")
    assert result.exit_code == 1
    assert tree(project / "build") == before
    assert sorted(p.name for p in project.iterdir()) == ["build", "content"]


def test_a_broken_template_leaves_the_previous_build(tmp_path):
    project = write_project(tmp_path, {})
    templates = tmp_path / "templates"
    import shutil

    shutil.copytree(TEMPLATES, templates)
    assert run_cli("build", "--project", project, "--no-search").exit_code == 0
    before = tree(project / "build")
    (templates / "claim.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}")
    result = run_cli("build", "--project", project, "--no-search")
    assert result.exit_code == 1
    assert "template claim.html failed while rendering claims/ldn-fibro-pain.html: 'nope' is undefined" in result.output
    assert tree(project / "build") == before


# The incremental builder's writer: changes build/ in place, after every check has passed.

def existing_site(tmp_path):
    out = tmp_path / "build"
    with SiteWriter(out) as writer:
        for path, text in {"index.html": "home", "claims/a.html": "a", "claims/b.html": "b", "old/gone.html": "x"}.items():
            writer.write(path, text)
        writer.commit()
    return out


def test_an_update_changes_only_what_it_stores_and_removes(tmp_path):
    out = existing_site(tmp_path)
    before = (out / "claims" / "b.html").stat().st_ino
    with SiteUpdater(out, remove=["old/gone.html"]) as updater:
        updater.reserve(["claims/a.html", "claims/c.html"])
        updater.store("claims/a.html", "a2")
        updater.store("claims/c.html", "c")
        assert tree(out)["claims/a.html"] == b"a"  # nothing visible before commit
        updater.commit()
    assert tree(out) == {"index.html": b"home", "claims/a.html": b"a2", "claims/b.html": b"b", "claims/c.html": b"c"}
    assert (out / "claims" / "b.html").stat().st_ino == before
    assert not (out / "old").exists()  # a folder left empty goes too, as a clean build would not have it


def test_an_update_that_fails_before_commit_leaves_the_site_as_it_was(tmp_path):
    out = existing_site(tmp_path)
    before = tree(out)
    with pytest.raises(RuntimeError), SiteUpdater(out, remove=["index.html"]) as updater:
        updater.store("claims/a.html", "half")
        raise RuntimeError("disk full")
    assert tree(out) == before
    assert not [p for p in out.rglob(".*")]  # no temporary file left behind


def test_an_update_replaces_a_file_rather_than_writing_into_it(tmp_path):
    out = existing_site(tmp_path)
    other = tmp_path / "elsewhere.html"
    (out / "claims" / "a.html").unlink()
    other.write_text("keep")
    (out / "claims" / "a.html").hardlink_to(other)
    with SiteUpdater(out) as updater:
        updater.store("claims/a.html", "new")
        updater.commit()
    assert other.read_text() == "keep"
    assert (out / "claims" / "a.html").read_text() == "new"


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../x", ""])
def test_an_update_refuses_paths_outside_the_output_folder(tmp_path, path):
    with SiteUpdater(existing_site(tmp_path)) as updater, pytest.raises(WriteError, match="refusing to write outside"):
        updater.store(path, "x")
