"""Rendering: strict templates, autoescaping, sanitized Markdown."""

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldnsite.errors import TemplateError
from ldnsite.output.simple_markdown import simple_html
from ldnsite.output.render import PLAIN_PARAGRAPH, json_script, make_environment, markdown_full, render_markdown, render_page
from ldnsite.plan.site import Page


def test_a_misspelt_variable_fails_the_build(tmp_path):
    (tmp_path / "t.html").write_text("{{ sitte.title }}")
    env = make_environment(tmp_path)
    with pytest.raises(TemplateError, match="'sitte' is undefined"):
        render_page(env, Page("x.html", "t.html", "T", ""), {"site": type("S", (), {"base_url": "https://e.org/"})()})


def test_values_are_autoescaped(tmp_path):
    (tmp_path / "t.html").write_text("{{ text }}")
    env = make_environment(tmp_path)
    assert env.get_template("t.html").render(text="<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_missing_templates_folder(tmp_path):
    with pytest.raises(TemplateError, match="templates folder not found"):
        make_environment(tmp_path / "nope")


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("Plain *text* and **bold**.", "<p>Plain <em>text</em> and <strong>bold</strong>.</p>"),
        ("[a link](https://example.org)", '<p><a href="https://example.org" rel="noopener noreferrer">a link</a></p>'),
        ("[bad](javascript:alert(1))", '<p><a rel="noopener noreferrer">bad</a></p>'),
        ("[bad](data:text/html;base64,PHNjcmlwdD4=)", '<p><a rel="noopener noreferrer">bad</a></p>'),
        ("![img](https://example.org/x.png)", "<p></p>"),
        ("<script>alert(1)</script>", ""),
        ('<a href="#" onclick="alert(1)">x</a>', '<p><a href="#" rel="noopener noreferrer">x</a></p>'),
        ("# Heading", "Heading"),
    ],
)
def test_markdown_is_sanitized(markdown, html):
    assert str(render_markdown(markdown)) == html


def test_markdown_converter_keeps_no_state_between_texts():
    first = str(render_markdown("See [ref].\n\n[ref]: https://example.org/a"))
    second = str(render_markdown("See [ref]."))
    assert "href" in first and "href" not in second


def test_markdown_returns_markup_so_it_is_not_escaped_twice():
    env = jinja2.Environment(autoescape=True)
    assert env.from_string("{{ m }}").render(m=render_markdown("*a*")) == "<p><em>a</em></p>"


def test_every_page_gets_the_navigation_and_feed_from_the_common_context(tmp_path):
    from ldnsite.output.render import common_context
    from ldnsite.content.model import Site

    db = type("Db", (), {"site": Site("T", "t", "https://example.org/", "en", "d", ())})()
    assert common_context(db, None) == {"site": db.site, "build_date": None, "feed_path": "feed.xml", "search_path": "search.html",
                                        "nav": (("index.html", "Overview"), ("evidence-map.html", "Evidence map"),
                                                ("search.html", "Search"), ("sources/index.html", "Sources"),
                                                ("methodology.html", "How we grade"), ("disclaimer.html", "Disclaimer"))}


# The plain-prose shortcut: text Markdown would only wrap in <p> skips Python-Markdown. It must give the very
# same HTML as the full path, for texts on both sides of the line it draws.
_WORDS = st.sampled_from(["LDN", "naltrexone", "pain", "fell", "p=0.90", "(placebo)", "4.5", "mg", "é", "“quoted”", "it's",
                          "a", "1.", "2)", "-", "*", "_x_", "`code`", "[link](https://e.org)", "<b>", "&amp;", "#", ">",
                          "\u00a0", "==", "+", "\\", "!", "~", "|", "{", "--", "  "])
_TEXTS = st.lists(st.lists(_WORDS, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=4).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(text=_TEXTS, trailing_newline=st.booleans())
def test_the_plain_prose_shortcut_gives_what_markdown_gives(text, trailing_newline):
    text += "\n" if trailing_newline else ""
    assert render_markdown(text) == markdown_full(text)


# The simple-Markdown shortcut (simple_markdown.py): paragraphs, bullet lists, emphasis and links, written directly.
# Tokens on both sides of its line: spans side by side, stray asterisks, images, underscores, odd addresses.
_SIMPLE_WORDS = st.sampled_from([
    "LDN", "pain", "fell", "a", "x", "é", "it's", "(placebo)", "4.5", "mg", "“q”", "-", "1.", "Ω", "a.", "?", "!", "%",
    "*a*", "**b**", "*a b*", "**a b**", "*é*", "**x**y", "x*y*z", "*a.*", "**1**", "*3 mg*",
    "*", "**", "*a", "a*", "*a**b*", "**a*", "*a**", "***a***", "* a*", "*a *", "_x_", "`c`", "&", "<b>", "\u00a0", "#",
    "[a](https://e.org/x)", "[a b](http://e.org/a-b?x=1#f)", "![a](https://e.org/i.png)", "[a](https://e.org/(x))",
    "[a](https://e.org/a_b)", "[*a*](https://e.org)", '[a](https://e.org "t")', "[ a](https://e.org)", "[a]",
    "[a](/rel)", "[a](https://é.org/ü)", "[a](https://e.org/%20)",
    "_a_", "_a b_", "x_a_", "_a_x", "__a__", "_a", "a_", "_*a*_", "*_a_*", "_a_*b*", "_a_.", "_é_", "_ a_", "snake_case",
])
_SIMPLE_LINES = st.tuples(st.sampled_from(["", "", "- "]), st.lists(_SIMPLE_WORDS, min_size=1, max_size=7),
                          st.sampled_from([" ", " ", ""])).map(lambda t: t[0] + t[2].join(t[1]))
_SIMPLE_TEXTS = st.tuples(
    st.lists(st.lists(_SIMPLE_LINES, min_size=1, max_size=3).map("\n".join), min_size=1, max_size=3),
    st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"]),
    st.sampled_from(["", "\n", "\n\n", " "]),
).map(lambda t: t[1].join(t[0]) + t[2])


@settings(max_examples=1500, deadline=None)
@given(text=_SIMPLE_TEXTS)
def test_the_simple_markdown_shortcut_gives_what_markdown_and_the_sanitizer_give(text):
    simple = simple_html(text)
    assert simple is None or simple == markdown_full(text)


@pytest.mark.parametrize("text", [
    "Pain *fell* with **LDN**.",
    "**What to watch for.** Dreams.\n\n- *Fatigue* was measured.\n- Sleep too.\n\nThen a paragraph.",
    "See [the trial](https://example.org/trial?id=1#results) and *its* [registration](https://e.org/r).",
    "See the _plain-language summary_ for details.",
])
def test_simple_markdown_takes_the_shortcut(text):
    assert simple_html(text) is not None
    assert str(render_markdown(text)) == simple_html(text) == markdown_full(text)


@pytest.mark.parametrize("text", [
    "*a**b*", "- a\n\n- b", "- a\nlazy line", "A ![image](https://e.org/i.png)", "[a]: https://e.org\n\nx",
    "A [link](https://e.org/a_b)", "A [link](/relative)", "snake_case", "A\n\n\nB", "1. one", "A * b *", "**a*",
    "x_a_ y", "__a__", "a _b\nc_ d",
])
def test_markdown_outside_the_simple_language_takes_the_full_path(text):
    assert simple_html(text) is None


@pytest.mark.parametrize("text", [
    "Plain prose in one line.",
    "Two lines of plain prose,\nfolded by YAML.\n",
    "Études show (p=0.90) it's “unclear”.",
])
def test_plain_prose_takes_the_shortcut(text):
    assert PLAIN_PARAGRAPH.match(text)
    assert str(render_markdown(text)) == "<p>" + text.rstrip("\n") + "</p>" == markdown_full(text)


@pytest.mark.parametrize("text", [
    "1. a list", "- a list", "Line one\n\nLine two", "Ends with a break  \nnext", "*emphasis*", "a <b>tag</b>",
    "R&amp;D", "# heading", "Heading\n===", "no\u00a0break", "    code", "> quote", "trailing space ",
])
def test_markdown_syntax_takes_the_full_path(text):
    assert not PLAIN_PARAGRAPH.match(text)


def test_a_json_ld_block_is_compact_and_cannot_close_its_script():
    assert str(json_script({"b": "</script><!--", "a": ["x & y"]})) == '{"a":["x \\u0026 y"],"b":"\\u003c/script\\u003e\\u003c!--"}'


def test_fragment_calls_a_macro_of_the_parts_template_and_reuses_it_through_the_memo(tmp_path):
    from ldnsite.memo import Memo

    (tmp_path / "_parts.html").write_text("{% macro row(item, root) %}<li>{{ root }}{{ item.name }}</li>{% endmacro %}")
    (tmp_path / "list.html").write_text("{% for item in items %}{{ fragment('row', item, root) }}{% endfor %}")
    memo = Memo()
    env = make_environment(tmp_path, memo)
    items = [type("Item", (), {"name": n})() for n in ("a", "b")]
    assert env.get_template("list.html").render(items=items, root="../") == "<li>../a</li><li>../b</li>"
    memo.next_build()
    items[0].name = "changed"  # a memo trusts that objects do not change: the same object gives the same row
    assert env.get_template("list.html").render(items=items, root="../") == "<li>../a</li><li>../b</li>"
    assert memo.misses == 0


def test_fragment_names_a_missing_macro(tmp_path):
    (tmp_path / "_parts.html").write_text("")
    (tmp_path / "list.html").write_text("{{ fragment('nope') }}")
    with pytest.raises(jinja2.TemplateRuntimeError, match="_parts.html has no macro named 'nope'"):
        make_environment(tmp_path).get_template("list.html").render()


# Nesting: what `check` accepts renders without exhausting the stack, even deep inside a template.

from hypothesis import HealthCheck  # noqa: E402

from ldnsite.errors import LdnsiteError  # noqa: E402
from ldnsite.content.schema import MAX_MARKDOWN_DEPTH, markdown_depth  # noqa: E402

_nesting = st.lists(st.sampled_from(["- ", "* ", "+ ", "1. ", "> ", ">", "    ", "\t", "x", "\n", "\n\n", "*a*", "[l]"]),
                    max_size=400).map("".join)


def _with_frames_used(frames: int, action):
    """Run ``action`` with ``frames`` stack frames already in use, as a Jinja template's filter call has."""
    return action() if frames == 0 else _with_frames_used(frames - 1, action)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_nesting)
def test_markdown_check_accepts_renders_deep_in_a_stack(text):
    if markdown_depth(text)[0] <= MAX_MARKDOWN_DEPTH:
        _with_frames_used(300, lambda: markdown_full(text))


def test_the_depth_counts_markers_and_indentation():
    assert markdown_depth("plain text") == (0, 1)
    assert markdown_depth("- a\n    - b\n        - c") == (3, 3)
    assert markdown_depth("> > a\n>>> b\n1. 2) c") == (3, 2)
    assert markdown_depth("-a\n-- b\n2020 x") == (0, 1)
    assert markdown_depth("a\n" + "- " * 600 + "x") == (600, 2)


def test_nesting_never_checked_ends_in_one_clear_error_not_a_recursion_error():
    with pytest.raises(LdnsiteError, match="nested too deeply to render"):
        render_markdown("- " * 3000 + "x")


def test_a_conversion_that_failed_leaves_no_broken_state_for_the_next_text():
    with pytest.raises(LdnsiteError):
        render_markdown("- " * 3000 + "x")
    text = "See also [the methodology](https://example.org/m.html)."
    assert str(render_markdown(text)) == '<p>See also <a href="https://example.org/m.html" rel="noopener noreferrer">the methodology</a>.</p>'


@settings(max_examples=1500, deadline=None)
@given(text=st.one_of(_SIMPLE_TEXTS, st.text(max_size=80)))
def test_what_the_simple_markdown_shortcut_writes_is_already_what_the_sanitizer_lets_through(text):
    import nh3

    from ldnsite.output.render import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS

    html = simple_html(text)
    if html is not None:
        cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                            link_rel="noopener noreferrer", strip_comments=True)
        assert cleaned == html
