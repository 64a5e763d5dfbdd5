"""The YAML reader keeps positions, refuses what YAML would silently guess, and never raises."""

from ldnsite.yamlsource import DateText, parse_yaml


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
