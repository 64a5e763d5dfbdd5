"""Fixed strings of the theme are looked up once, when a template is compiled: pages stay the same."""

from markupsafe import escape
import pytest

from ldnsite.content.wording import default_words
from ldnsite.output.render import make_environment


def _render(tmp_path, source: str, **values) -> str:
    (tmp_path / "page.html").write_text(source, encoding="utf-8")
    return make_environment(tmp_path).get_template("page.html").render(**values)


def _compiled(tmp_path, source: str) -> str:
    env = make_environment(tmp_path)
    return env.compile(env.preprocess(source), raw=True)


def test_a_call_with_one_literal_key_is_replaced_by_its_string_escaped_once(tmp_path):
    words = default_words()
    key = "theme.breadcrumb"
    code = _compiled(tmp_path, f'<nav aria-label="{{{{ t("{key}") }}}}">')
    assert "context.call" not in code and repr(f'<nav aria-label="{words(key)}">')[1:-1] in code
    assert _render(tmp_path, f'{{{{ t("{key}") }}}}') == str(escape(words(key)))


def test_a_folded_string_keeps_its_filters(tmp_path):
    assert _render(tmp_path, '{{ t("theme.breadcrumb") | upper }}') == default_words()("theme.breadcrumb").upper()


@pytest.mark.parametrize(
    "source",
    [
        '{{ t("theme.condition.aka", names="a, b") }}',  # values to fill in: at render time
        '{{ t.label(verdict) }}',  # an attribute of t: at render time
        '{{ t(key) }}',  # a key that is not literal
        '{{ t("theme.condition.reviewed_html", date="2024") }}',  # markup
        '{{ t("no.such.key") }}',  # not in the locale: fails at render time, with the usual message
    ],
)
def test_calls_that_cannot_be_looked_up_in_advance_are_made_at_render_time(tmp_path, source):
    assert "context.call" in _compiled(tmp_path, source)


@pytest.mark.parametrize(
    "binding",
    [
        '{% set t = other %}',
        '{% macro t(x) %}{{ x }}{% endmacro %}',
        '{% for t in [other] %}{% endfor %}',
        '{% from "parts.html" import t %}',
        '{% with t = other %}{% endwith %}',
    ],
)
def test_a_template_that_gives_t_a_meaning_of_its_own_is_left_as_it_is(tmp_path, binding):
    assert "context.call" in _compiled(tmp_path, binding + '{{ t("theme.breadcrumb") }}')


def test_a_template_that_rebinds_t_renders_its_own_t(tmp_path):
    assert _render(tmp_path, '{% set t = other %}{{ t("theme.breadcrumb") }}', other=lambda key: f"own {key}") == "own theme.breadcrumb"


def test_an_unknown_key_still_fails_when_the_page_is_rendered(tmp_path):
    (tmp_path / "page.html").write_text('{{ t("no.such.key") }}', encoding="utf-8")
    template = make_environment(tmp_path).get_template("page.html")  # compiling does not fail
    with pytest.raises(KeyError):
        template.render()


def test_the_words_of_the_environment_are_the_ones_folded_in(tmp_path):
    from dataclasses import replace

    words = default_words()
    table = dict(words.strings)
    table["theme.breadcrumb"] = "Fil d'Ariane <&>"
    other = replace(words, strings=tuple(table.items()))
    (tmp_path / "page.html").write_text('{{ t("theme.breadcrumb") }}', encoding="utf-8")
    assert make_environment(tmp_path, words=other).get_template("page.html").render() == "Fil d&#39;Ariane &lt;&amp;&gt;"
