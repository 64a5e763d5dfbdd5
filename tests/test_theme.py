"""Theming (issue 14): a project's templates/ overrides single files of the default theme and inherits the rest."""

from __future__ import annotations

from conftest import REPO, run_cli, write_project
from ldnsite.output.theme import default_theme_dir, theme_files

THEME = REPO / "templates"


def build(project):
    result = run_cli("build", "--project", project, "--no-search", "--no-cache")
    assert result.exit_code == 0, result.output
    return project / "build"


def test_a_project_without_templates_builds_with_the_default_theme(tmp_path):
    out = build(write_project(tmp_path, {}))
    assert (out / "static" / "style.css").read_bytes() == (THEME / "static" / "style.css").read_bytes()
    assert '<header class="site-header">' in (out / "index.html").read_text(encoding="utf-8")


def test_in_a_checkout_the_default_theme_is_the_repositorys_templates_folder():
    assert default_theme_dir().resolve() == THEME.resolve()


def test_an_override_of_one_block_changes_that_block_and_inherits_the_rest(tmp_path):
    project = write_project(tmp_path, {})
    (project / "templates").mkdir()
    # The project's index.html extends the default base.html and changes only its footer block.
    (project / "templates" / "index.html").write_text(
        (THEME / "index.html").read_text(encoding="utf-8")
        + '{% block footer %}<footer class="site-footer">Our own footer</footer>{% endblock %}\n', encoding="utf-8")
    out = build(project)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Our own footer" in index
    assert '<header class="site-header">' in index, "the header block is inherited from the default base.html"
    assert "Our own footer" not in (out / "methodology.html").read_text(encoding="utf-8")


def test_a_static_file_of_the_project_replaces_the_default_one_and_the_others_are_kept(tmp_path):
    project = write_project(tmp_path, {"templates/static/style.css": "body { color: black; }\n",
                                       "templates/static/extra.js": "// ours\n"})
    out = build(project)
    assert (out / "static" / "style.css").read_text(encoding="utf-8") == "body { color: black; }\n"
    assert (out / "static" / "extra.js").read_text(encoding="utf-8") == "// ours\n"
    assert (out / "static" / "print.css").read_bytes() == (THEME / "static" / "print.css").read_bytes()


def test_base_html_exposes_named_blocks_an_override_can_change():
    base = (THEME / "base.html").read_text(encoding="utf-8")
    for block in ("title", "head", "header", "banner", "main", "footer", "scripts"):
        assert f"{{% block {block} %}}" in base, block


def test_eject_copies_the_named_default_files_into_templates(tmp_path):
    result = run_cli("theme", "eject", "--project", tmp_path, "base.html", "static/style.css")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "templates" / "base.html").read_bytes() == (THEME / "base.html").read_bytes()
    assert (tmp_path / "templates" / "static" / "style.css").read_bytes() == (THEME / "static" / "style.css").read_bytes()
    assert sorted(p.name for p in (tmp_path / "templates").rglob("*") if p.is_file()) == ["base.html", "style.css"]


def test_eject_without_names_copies_the_whole_theme(tmp_path):
    assert run_cli("theme", "eject", "--project", tmp_path).exit_code == 0
    assert sorted(p.relative_to(tmp_path / "templates").as_posix() for p in (tmp_path / "templates").rglob("*")
                  if p.is_file()) == theme_files()


def test_eject_refuses_to_overwrite_unless_forced(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text("mine", encoding="utf-8")
    result = run_cli("theme", "eject", "--project", tmp_path, "base.html")
    assert result.exit_code == 2
    assert "already in" in result.output and "--force" in result.output
    assert (tmp_path / "templates" / "base.html").read_text(encoding="utf-8") == "mine"
    assert run_cli("theme", "eject", "--project", tmp_path, "--force", "base.html").exit_code == 0
    assert (tmp_path / "templates" / "base.html").read_bytes() == (THEME / "base.html").read_bytes()


def test_eject_of_a_file_the_theme_does_not_have_is_a_usage_error(tmp_path):
    result = run_cli("theme", "eject", "--project", tmp_path, "nope.html")
    assert result.exit_code == 2
    assert "not a file of the default theme: nope.html" in result.output
    assert not (tmp_path / "templates").exists()


def test_theme_list_names_every_file_of_the_default_theme():
    assert run_cli("theme", "list").output.split() == theme_files()


def test_the_template_variables_document_is_current():
    result = run_cli("theme", "variables", "--check", "--project", REPO, "--out", REPO / "docs" / "theme-variables.md")
    assert result.exit_code == 0, result.output


def test_the_template_variables_document_names_each_page_templates_own_variables(tmp_path):
    out = tmp_path / "vars.md"
    assert run_cli("theme", "variables", "--project", REPO, "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "## `condition.html`\n\n| variable | type |\n|---|---|\n| `view` | [`ConditionView`](#conditionview) |" in text
    assert "### `ConditionView`" in text and "| `tiers` | `tuple[TierSection, ...]` |" in text
    assert run_cli("theme", "variables", "--check", "--project", REPO, "--out", tmp_path / "missing.md").exit_code == 1


def test_a_project_base_html_can_extend_the_default_one_and_change_one_block_on_every_page(tmp_path):
    project = write_project(tmp_path, {"templates/base.html":
                                       '{% extends "default/base.html" %}{% block banner %}<p>Our banner</p>{% endblock %}'})
    out = build(project)
    for page in ("index.html", "methodology.html", "conditions/fibromyalgia.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "<p>Our banner</p>" in html and "disclaimer-banner" not in html, page
        assert '<header class="site-header">' in html and '<footer class="site-footer">' in html, page


def test_a_templates_folder_given_that_does_not_exist_is_a_usage_error(tmp_path):
    project = write_project(tmp_path, {})
    result = run_cli("build", "--project", project, "--templates", tmp_path / "nope", "--no-search")
    assert result.exit_code == 2
    assert "templates folder not found" in result.output
