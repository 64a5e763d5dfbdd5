"""The commonest YAML slips of editors get a located error in plain words, with the fix (issue 16).

Each test writes the slip as an editor would, runs `ldnsite check` and asserts the whole report
line and its hint, as printed.
"""

import pytest

from conftest import CONDITION_YAML, SOURCE_RCT, check_lines, write_project
from ldnsite.problems import format_text
from ldnsite.content.yamlsource import parse_yaml

S = "content/sources/trial2020.yaml"
C = "content/conditions/fibromyalgia.yaml"


def report(text: str) -> list[str]:
    """Return the report lines (hints included) for one file read on its own."""
    _, problems = parse_yaml(text.encode(), "content/x.yaml")
    return "\n".join(format_text(p) for p in problems).splitlines()


def test_an_unquoted_colon_in_a_title_asks_for_quotes_and_shows_the_quoted_line(tmp_path):
    project = write_project(tmp_path, {S: SOURCE_RCT.replace("title: A trial", "title: Naltrexone: a trial in pain")})
    assert check_lines(project) == [
        "content/sources/trial2020.yaml:3:18: error: the value of 'title' contains ': ', which YAML reads as the start of another key [yaml.colon-in-value]",
        '    hint: put the value in quotes: title: "Naltrexone: a trial in pain"',
    ]


def test_the_quoted_fix_escapes_quotes_already_in_the_value():
    assert report('title: The "LDN" trial: results\n')[1] == r'    hint: put the value in quotes: title: "The \"LDN\" trial: results"'


def test_an_unquoted_colon_inside_a_claim_is_found_at_any_depth(tmp_path):
    project = write_project(tmp_path, {C: CONDITION_YAML.replace("title: LDN reduces pain", "title: Pain: LDN helps")})
    assert check_lines(project)[0] == (
        "content/conditions/fibromyalgia.yaml:8:16: error: the value of 'title' contains ': ', "
        "which YAML reads as the start of another key [yaml.colon-in-value]")


@pytest.mark.parametrize("slip, fixed, where", [
    ("year:2020", "year: 2020", "4:5"),          # inside a mapping: PyYAML reports the next line
    ("verified:test", "verified: test", "5:9"),  # the last line of the file
])
def test_a_missing_space_after_a_colon_is_named_with_the_fixed_line(tmp_path, slip, fixed, where):
    key, value = fixed.split(": ")
    project = write_project(tmp_path, {S: SOURCE_RCT.replace(fixed, slip)})
    assert check_lines(project) == [
        f"content/sources/trial2020.yaml:{where}: error: no space after the colon in '{slip}' [yaml.colon-space]",
        f"    hint: write '{fixed}': YAML needs a space between a key's colon and its value",
    ]


def test_a_missing_space_in_a_nested_key_is_found_although_pyyaml_blames_the_next_line():
    assert report("condition:\n  id:fibromyalgia\n  name: Fibromyalgia\n")[0] == (
        "content/x.yaml:2:5: error: no space after the colon in 'id:fibromyalgia' [yaml.colon-space]")


def test_a_web_address_after_a_colon_is_not_taken_for_a_missing_space():
    assert report("url: https://example.org/a\n") == []


def test_a_key_indented_one_space_too_few_says_how_far_the_lines_above_are_indented(tmp_path):
    project = write_project(tmp_path, {C: CONDITION_YAML.replace("    grade: low", "   grade: low")})
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:11:4: error: this line is indented 3 spaces; the lines above use 4 [yaml.indentation]",
        "    hint: line it up exactly with the keys it belongs with: YAML reads the structure from the indentation",
    ]


def test_a_key_indented_too_far_is_reported_at_its_own_line_not_as_a_colon_in_a_value():
    assert report("condition:\n  id: x\n   name: y\n")[0] == (
        "content/x.yaml:3:4: error: this line is indented 3 spaces; the lines above use 2 [yaml.indentation]")


def test_an_indented_key_under_an_unindented_one_says_the_lines_above_are_not_indented():
    assert report("year: 2020\n  extra: 1\n")[0] == (
        "content/x.yaml:2:3: error: this line is indented 2 spaces; the lines above are not indented [yaml.indentation]")


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_unclosed_quote_is_reported_where_it_opens(tmp_path, quote):
    project = write_project(tmp_path, {S: SOURCE_RCT.replace("title: A trial", f"title: {quote}A trial")})
    assert check_lines(project) == [
        f"content/sources/trial2020.yaml:3:8: error: the value of 'title' opens a quote ({quote}) that is never closed [yaml.unclosed-quote]",
        f"    hint: end the value with {quote} on the same line, or remove the opening {quote}",
    ]


def test_an_unclosed_quote_is_found_even_when_a_later_quote_closes_it():
    assert report('id: x\ntitle: "LDN review\nyear: 2020\nkind: "a"\n')[0] == (
        "content/x.yaml:2:8: error: the value of 'title' opens a quote (\") that is never closed [yaml.unclosed-quote]")


def test_text_after_a_closing_quote_asks_to_quote_the_whole_value():
    assert report('title: "LDN" in pain\n') == [
        "content/x.yaml:1:14: error: the value of 'title' goes on after its closing quote [yaml.syntax]",
        "    hint: quote the whole value: title: '\"LDN\" in pain'",
    ]


def test_a_claim_without_its_dash_is_named_as_a_list_item(tmp_path):
    second = "  id: ldn-fibro-sleep\n    title: LDN helps sleep\n"
    project = write_project(tmp_path, {C: CONDITION_YAML + second})
    assert check_lines(project) == [
        "content/conditions/fibromyalgia.yaml:19:3: error: this line is in a list but does not start with '- ' [yaml.missing-dash]",
        "    hint: start each item of the list with a dash and a space ('- '), lined up with the dashes above",
    ]


def test_an_author_without_its_dash_is_named_as_a_list_item():
    assert report("authors:\n  - Smith A\n  Jones B\n")[0] == (
        "content/x.yaml:3:3: error: this line is in a list but does not start with '- ' [yaml.missing-dash]")


def test_a_citation_without_its_dash_reads_as_a_duplicate_key_whose_hint_says_so(tmp_path):
    cited = "      - id: trial2020\n        role: supports\n"
    project = write_project(tmp_path, {C: CONDITION_YAML.replace(cited, cited + "        id: other2021\n")})
    assert check_lines(project)[:2] == [
        "content/conditions/fibromyalgia.yaml:17:9: error: duplicate key 'id' (first set at line 15) [yaml.duplicate-key]",
        "    hint: if this line starts a new item of the list, begin it with '- ': - id: ...",
    ]


def test_a_stray_line_that_is_neither_key_nor_item_says_how_to_continue_text():
    assert report("condition:\n  summary: some long text\n  continued here\n  name: x\n") == [
        "content/x.yaml:3:3: error: this line is neither 'key: value' nor a list item ('- ') [yaml.syntax]",
        "    hint: if it continues the text above, indent it further than that text's key, or put the whole text in quotes; "
        "if it is a new key, write 'key: value'",
    ]


def test_other_syntax_errors_keep_pyyamls_message():
    assert report("title: *nowhere\n")[0] == "content/x.yaml:1:8: error: found undefined alias [yaml.syntax]"


def test_the_yaml_primer_is_linked_from_the_readme_and_shows_every_slip():
    from conftest import REPO

    primer = (REPO / "docs" / "yaml-primer.md").read_text(encoding="utf-8")
    assert "](docs/yaml-primer.md)" in (REPO / "README.md").read_text(encoding="utf-8")
    codes = ["yaml.colon-in-value", "yaml.colon-space", "yaml.indentation", "yaml.unclosed-quote", "yaml.missing-dash"]
    assert [code for code in codes if f"[{code}]" not in primer] == []
