"""Rendering: strict templates, autoescaping, sanitized Markdown."""

import jinja2
import pytest

from ldnsite.errors import TemplateError
from ldnsite.render import make_environment, render_markdown, render_page
from ldnsite.site import Page


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


def test_json_script_cannot_close_its_script_element():
    from ldnsite.render import json_script

    assert str(json_script({"b": "</script><b>&", "a": 1})) == '{\n  "a": 1,\n  "b": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"\n}'


def test_every_page_gets_the_navigation_and_feed_from_the_common_context(tmp_path):
    from ldnsite.render import common_context
    from ldnsite.site import NAV

    db = type("Db", (), {"site": object()})()
    assert common_context(db, None) == {"site": db.site, "build_date": None, "nav": NAV, "feed_path": "feed.xml",
                                        "search_path": "search.html"}
