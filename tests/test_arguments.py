"""Arguments are input too: an id names a file inside content/, a base URL only a folder of a site."""

import pytest
from conftest import FIXTURES, TEMPLATES, run_cli, tree, write_project


@pytest.mark.parametrize("args", [
    ["claim", "ldn-x", "--condition", "../../../x"],
    ["claim", "ldn-x", "--condition", "../sources/trial2020"],
    ["claim", "ldn-x", "--condition", "/etc/passwd"],
    ["claim", "ldn-x", "--condition", "Fibromyalgia"],
    ["claim", "../../x", "--condition", "fibromyalgia"],
    ["condition", "../../evil"],
    ["source", "sub/dir"],
    ["source", "trial\u200b2020"],
    ["site", "a" * 65],
])
def test_every_id_argument_must_be_an_id(tmp_path, args):
    project = write_project(tmp_path / "p", {})
    before = tree(tmp_path)
    result = run_cli("new", *args, "--project", project)
    assert result.exit_code == 2, result.output
    assert "is not a valid id: use lowercase letters, digits and single hyphens" in result.output
    assert tree(tmp_path) == before


def test_a_condition_file_reached_through_a_link_outside_content_is_refused(tmp_path):
    project = write_project(tmp_path / "p", {})
    outside = tmp_path / "outside"
    (outside / "conditions").mkdir(parents=True)
    (outside / "conditions/x.yaml").write_text("claims:\n")
    (project / "content/conditions").rename(tmp_path / "moved")
    (project / "content/conditions").symlink_to(outside / "conditions")
    result = run_cli("new", "claim", "ldn-x", "--condition", "x", "--project", project)
    assert result.exit_code == 2, result.output
    assert "content/conditions/x.yaml lies outside content/; give an id, not a path" in result.output
    assert (outside / "conditions/x.yaml").read_text() == "claims:\n"


@pytest.mark.parametrize(("url", "what"), [
    ("https://example.org/ldn/?utm=x", "a query ('?')"),
    ("https://example.org/ldn/?", "a query ('?')"),
    ("https://example.org/ldn/#top", "a fragment ('#')"),
    ("https://example.org/ldn#", "a fragment ('#')"),
    ("https://user:secret@example.org/ldn/", "a user name or password ('user:pass@')"),
    ("https://user@example.org/", "a user name or password ('user:pass@')"),
])
def test_a_base_url_with_a_query_fragment_or_credentials_is_a_usage_error(tmp_path, url, what):
    out = tmp_path / "out"
    result = run_cli("build", "--project", FIXTURES / "minimal", "--templates", TEMPLATES, "--out", out,
                     "--no-search", "--no-cache", "--base-url", url)
    assert result.exit_code == 2, result.output
    assert (f"--base-url '{url}' has {what}; give the address of the site's folder only, "
            "like 'https://example.org/evidence/'") in result.output
    assert not out.exists()


@pytest.mark.parametrize("href", ["https:evil.example", "http:evil.example", "HTTPS:evil.example", "http:/evil.example",
                                  "https&#58;evil.example"])
def test_a_markdown_link_with_a_scheme_but_no_slashes_is_refused_by_check(tmp_path, href):
    from conftest import CONDITION_YAML

    project = write_project(tmp_path, {"content/conditions/fibromyalgia.yaml": CONDITION_YAML.replace(
        "statement: A trial found less pain.", f"statement: A trial found [less pain]({href}).")})
    result = run_cli("check", "--project", project)
    assert result.exit_code == 1
    shown = href.replace("&#58;", ":")
    assert (f"content/conditions/fibromyalgia.yaml:9:16: error: claim 'ldn-fibro-pain': statement links to '{shown}', "
            "a web address without '//' [schema.link]") in result.output.splitlines()


def test_the_built_site_never_links_to_a_scheme_without_slashes():
    from ldnsite.output.integrity import check_links

    page = '<a href="https:evil.example">x</a> <a href="https://ok.example/">y</a> <a href="mailto:a@b.org">z</a>'
    assert [str(p.message) for p in check_links([("index.html", page)])] == [
        "link 'https:evil.example' uses the scheme 'https:' without '//'"]
