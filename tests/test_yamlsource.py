"""The YAML reader keeps positions, refuses what YAML would silently guess, and never raises."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ldnsite.content.yamlsource import DateText, parse_yaml


def read(text: str | bytes):
    raw = text.encode() if isinstance(text, str) else text
    return parse_yaml(raw, "content/x.yaml")


def lines(problems) -> list[str]:
    return [f"{p.location}: {p.code}: {p.message}" for p in problems]


def test_positions_are_one_based_for_values_and_keys():
    doc, problems = read("a: 1\nlist:\n  - x\n  - {b: 2}\n")
    assert problems == []
    assert doc.data == {"a": 1, "list": ["x", {"b": 2}]}
    assert str(doc.location(("a",))) == "content/x.yaml:1:4"
    assert str(doc.location(("a",), key=True)) == "content/x.yaml:1:1"
    assert str(doc.location(("list", 1, "b"))) == "content/x.yaml:4:9"


def test_location_of_a_missing_path_falls_back_to_the_nearest_parent():
    doc, _ = read("outer:\n  inner: 1\n")
    assert str(doc.location(("outer", "missing"))) == "content/x.yaml:2:3"


def test_duplicate_key_reports_second_and_first_line():
    _, problems = read("a: 1\nb: 2\na: 3\n")
    assert lines(problems) == ["content/x.yaml:3:1: yaml.duplicate-key: duplicate key 'a' (first set at line 1)"]


def test_duplicate_keys_are_found_at_every_level():
    _, problems = read("top:\n  - x: 1\n    x: 2\n")
    assert [p.code for p in problems] == ["yaml.duplicate-key"]
    assert str(problems[0].location) == "content/x.yaml:3:5"


def test_dates_stay_text_and_are_marked():
    doc, _ = read("reviewed: 2024-01-31\nquoted: '2024-01-31'\n")
    assert doc.data["reviewed"] == "2024-01-31"
    assert isinstance(doc.data["reviewed"], DateText)
    assert not isinstance(doc.data["quoted"], DateText)


def test_yes_and_no_are_booleans_only_in_yaml_1_1_words():
    doc, _ = read("a: yes\nb: 'no'\nc: 3.5\nd: ~\n")
    assert doc.data == {"a": True, "b": "no", "c": 3.5, "d": None}


def test_syntax_error_keeps_pyyaml_mark():
    _, problems = read("a: [b, c\n")
    assert lines(problems) == ["content/x.yaml:2:1: yaml.syntax: did not find expected ',' or ']'"]


def test_tab_indentation_has_its_own_message():
    _, problems = read("a:\n\tb: 1\n")
    assert lines(problems) == ["content/x.yaml:2:1: yaml.tab: tab character used for indentation"]


def test_alias_bomb_is_refused_without_expanding():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)
    )
    _, problems = read(bomb)
    assert {p.code for p in problems} == {"yaml.alias"}


def test_python_tags_are_refused():
    _, problems = read("a: !!python/object:os.system 'echo hi'\n")
    assert lines(problems) == ["content/x.yaml:1:4: yaml.tag: tag '!!python/object:os.system' is not allowed"]


def test_custom_tags_and_sets_are_refused():
    _, problems = read("a: !custom 1\nb: !!set {x: null}\n")
    assert [p.code for p in problems] == ["yaml.tag", "yaml.tag"]


def test_merge_keys_are_refused():
    _, problems = read("base: {a: 1}\nchild:\n  <<: {a: 1}\n")
    assert [p.code for p in problems] == ["yaml.merge-key"]


def test_deep_nesting_is_refused_quickly():
    _, problems = read("a: " + "[" * 200 + "]" * 200 + "\n")
    assert [p.code for p in problems] == ["yaml.too-deep"]


def test_very_deep_nesting_does_not_crash():
    _, problems = read("a: " + "[" * 4990 + "]" * 4990 + "\n")
    assert [p.code for p in problems] in (["yaml.too-deep"], ["yaml.syntax"])


def test_invalid_utf8_points_at_the_byte():
    _, problems = read(b"a: ok\nb: caf\xe9\n")
    assert lines(problems) == ["content/x.yaml:2:7: yaml.encoding: byte 0xe9 is not valid UTF-8"]


def test_byte_order_mark_is_refused():
    _, problems = read(b"\xef\xbb\xbfa: 1\n")
    assert [p.code for p in problems] == ["yaml.byte-order-mark"]


def test_empty_file():
    _, problems = read("# only a comment\n")
    assert lines(problems) == ["content/x.yaml:1:1: yaml.empty: file is empty"]


def test_long_lines_and_control_characters():
    _, problems = read("a: " + "x" * 10_001 + "\nb: \x07\n")
    assert [p.code for p in problems] == ["yaml.line-too-long", "yaml.control-character"]


def test_non_scalar_keys_are_refused():
    _, problems = read("? [a, b]\n: 1\n")
    assert [p.code for p in problems] == ["yaml.key-type"]


def test_two_documents_are_a_syntax_error():
    _, problems = read("a: 1\n---\nb: 2\n")
    assert [p.code for p in problems] == ["yaml.syntax"]


# Reading the file: only a regular file, never more than the limit; and text that misrepresents itself.

import errno  # noqa: E402
import os  # noqa: E402

import pytest  # noqa: E402

from ldnsite.content.yamlsource import MAX_FILE_BYTES, read_yaml  # noqa: E402


def test_a_file_of_exactly_the_size_limit_is_read(tmp_path):
    path = tmp_path / "x.yaml"
    rest = MAX_FILE_BYTES - len(b"a: x\n")
    path.write_bytes(b"a: x\n" + (b"#" * 99 + b"\n") * (rest // 100) + b"#" * (rest % 100 - 1) + b"\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    doc, problems = read_yaml(path, "content/x.yaml")
    assert [p.code for p in problems] == []
    assert doc.data == {"a": "x"}
    path.write_bytes(path.read_bytes() + b"\n")
    assert [p.message for p in read_yaml(path, "content/x.yaml")[1]] == [
        f"file is {MAX_FILE_BYTES + 1:,} bytes; the limit is {MAX_FILE_BYTES:,}"]


@pytest.mark.parametrize(("failure", "message"), [
    (OSError(errno.EACCES, "Permission denied"), "cannot read file: Permission denied"),
    (OSError(errno.EIO, "Input/output error"), "cannot read file: Input/output error"),
])
def test_a_file_that_cannot_be_opened_is_reported_not_raised(tmp_path, monkeypatch, failure, message):
    (tmp_path / "x.yaml").write_text("a: 1\n")

    def refuse(*args, **kwargs):
        raise failure

    monkeypatch.setattr(os, "open", refuse)
    doc, problems = read_yaml(tmp_path / "x.yaml", "content/x.yaml")
    assert doc is None
    assert [(str(p.location), p.code, p.message) for p in problems] == [("content/x.yaml", "yaml.unreadable", message)]


def test_a_file_that_fails_while_it_is_read_is_reported_not_raised(tmp_path, monkeypatch):
    (tmp_path / "x.yaml").write_text("a: 1\n")

    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fdopen", broken)
    doc, problems = read_yaml(tmp_path / "x.yaml", "content/x.yaml")
    assert doc is None and [p.message for p in problems] == ["cannot read file: Input/output error"]


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
                                  "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u061c",
                                  "\u2028", "\u2029", "\ufffe", "\uffff"])
def test_every_invisible_character_is_reported_where_it_is(char):
    _, problems = read(f"a: 1\nb: x{char}y\n")
    assert [(str(p.location), p.code) for p in problems] == [("content/x.yaml:2:5", "yaml.invisible-character")]
    _, problems = read(f'a: 1\nb: "x\\u{ord(char):04x}"\n')
    assert [(str(p.location), p.code) for p in problems] == [("content/x.yaml:2:4", "yaml.invisible-character")]


def test_an_invisible_character_message_names_it_and_the_hint_says_what_to_do():
    _, problems = read("a: \u2029\n")
    assert [(p.message, p.hint) for p in problems] == [(
        "invisible character U+2029 (PARAGRAPH SEPARATOR) is not allowed: it hides in text or changes how text is shown",
        "delete it; most editors show nothing where it is (search for it by its code)")]


def test_each_invisible_character_is_reported_and_visible_unicode_is_not():
    _, problems = read("a: \u200bx\u200b\nb: café — naïve “quoted” 😀 עברית\n")
    assert [str(p.location) for p in problems] == ["content/x.yaml:1:4", "content/x.yaml:1:6"]
    doc, problems = read("b: café — naïve “quoted” 😀 עברית\n")
    assert problems == [] and doc.data == {"b": "café — naïve “quoted” 😀 עברית"}


@pytest.mark.parametrize("char", ["\x80", "\x85", "\x9b", "\x9f", "\x7f"])
def test_c1_control_characters_are_reported_at_their_line_and_column(char):
    _, problems = read(f"a: 1\nbb: é{char}\n")
    assert [(str(p.location), p.code, p.message) for p in problems] == [
        ("content/x.yaml:2:6", "yaml.control-character", f"control character U+{ord(char):04X} is not allowed")]


def test_an_escaped_control_character_in_a_key_or_value_is_reported_at_it():
    _, problems = read('a: 1\n"k\\x07": 2\nc: "\\x9b"\nd: "fine \\t tab"\n')
    assert [(str(p.location), p.message, p.hint) for p in problems] == [
        ("content/x.yaml:2:1", "control character U+0007 is not allowed (written as an escape)",
         "delete the escape; it is invisible in most editors"),
        ("content/x.yaml:3:4", "control character U+009B is not allowed (written as an escape)",
         "delete the escape; it is invisible in most editors")]


def test_single_quoted_and_plain_values_have_no_escapes_to_check():
    doc, problems = read("a: '\\u202e'\nb: \\x1b\n")
    assert problems == [] and doc.data == {"a": "\\u202e", "b": "\\x1b"}


def test_a_yaml_error_without_a_position_is_reported_at_the_start_with_its_first_line(monkeypatch):
    import yaml

    def fail(*args, **kwargs):
        raise yaml.YAMLError("something went wrong\nin detail")

    monkeypatch.setattr(yaml, "compose", fail)
    _, problems = read("a: 1\n")
    assert [(str(p.location), p.code, p.message) for p in problems] == [
        ("content/x.yaml:1:1", "yaml.syntax", "something went wrong")]


def test_a_link_put_in_place_of_a_file_is_reported_as_a_link(tmp_path):
    (tmp_path / "target.yaml").write_text("id: x\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "target.yaml")
    _, problems = read_yaml(tmp_path / "link.yaml", "content/sources/link.yaml")
    assert [(p.code, p.message, p.hint) for p in problems] == [
        ("load.symlink", "symbolic links are not allowed in content/", "replace the link with a real file")]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.sampled_from(["yes", "No", "null", "~", "2024-01-01", "1e3", "0x1F", "0o17", ".inf", "12:30", "", "id"]), st.text(max_size=50)),
    st.tuples(st.booleans(), st.booleans()),
)
def test_the_remembered_tags_are_those_yamls_own_rules_give(value, implicit):
    import yaml

    from ldnsite.content.yamlsource import _Loader

    plain = getattr(yaml, "CSafeLoader", yaml.SafeLoader)("").resolve(yaml.ScalarNode, value, implicit)
    remembering = _Loader("")
    assert remembering.resolve(yaml.ScalarNode, value, implicit) == plain
    assert remembering.resolve(yaml.ScalarNode, value, implicit) == plain  # the second time from memory
    for kind in (yaml.MappingNode, yaml.SequenceNode):  # as the composer asks for them: no value
        assert remembering.resolve(kind, None, implicit[0]) == yaml.SafeLoader("").resolve(kind, None, implicit[0])
