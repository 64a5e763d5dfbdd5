"""The memo of the incremental builder: a result is reused only for the very same argument objects."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ldnsite.memo import Memo, call
from ldnsite.plan.export import _dump_item, _list_pieces


class Thing:
    def __init__(self, name):
        self.name = name


def test_the_same_objects_give_the_stored_result_and_new_objects_a_new_one():
    memo, calls = Memo(), []

    def label(thing, others):
        calls.append(thing.name)
        return thing.name + "".join(o.name for o in others)

    a, b, c = Thing("a"), Thing("b"), Thing("c")
    assert memo(label, a, (b, c)) == "abc"
    memo.next_build()
    assert memo(label, a, (b, c)) == "abc"  # a tuple built afresh from the same objects still matches
    assert calls == ["a"]
    assert memo(label, a, (Thing("b"), c)) == "abc"
    assert calls == ["a", "a"] and memo.misses == 1


def test_results_no_build_uses_are_dropped():
    memo = Memo()
    things = [Thing(str(i)) for i in range(10)]
    for thing in things:
        memo(lambda t: t.name, thing)
    for _ in range(3):
        memo.next_build()
        memo(str.upper, "only this one")
    assert len(memo._entries) <= 2


def test_a_value_key_is_compared_by_value():
    memo, calls = Memo(), []
    assert memo.by_value(("sitemap", ("a", "2024")), lambda: calls.append(1) or "x") == "x"
    memo.next_build()
    assert memo.by_value(("sitemap", ("a", "20" + "24")), lambda: calls.append(1) or "y") == "x"
    assert calls == [1]


def test_without_a_memo_every_call_is_made():
    assert call(lambda x: x + 1, 1) == 2
    assert call.by_value(("k",), lambda: 3) == 3


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                     lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple)
                     | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=5), _JSON, max_size=4), max_size=4))
def test_records_encoded_one_by_one_make_the_document_json_dumps_writes(records):
    assert "".join(_list_pieces(_dump_item(r) for r in records)) == json.dumps(records, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_indented_json_is_the_text_json_dumps_writes(value):
    from ldnsite.plan.jsontext import indented_json

    try:
        text = indented_json(value)
    except TypeError:
        return  # the callers then use json.dumps itself
    assert text == json.dumps(value, ensure_ascii=False, indent=2)


def test_indented_json_leaves_what_its_fast_path_does_not_write_to_json_dumps():
    from ldnsite.plan.jsontext import indented_json

    value = {"a": {1: "number key", None: [True, 2.5]}}
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
    assert indented_json(value, "\n  ") == json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
