"""Jinja's runtime, shortened: printed values and macro calls cost less, and every page is the same text."""

import jinja2
import markupsafe
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from ldnsite.content import wording
from ldnsite.output.lean_templates import LeanContext, LeanTemplate, output_escape
from ldnsite.output.render import make_environment

TEMPLATE = """\
{%- macro row(value, extra="x") -%}<td title="{{ value }}">{{ value }}{{ extra }}{{ varargs | join(",") }}{{ kwargs | length }}</td>{%- endmacro -%}
{%- macro frame() -%}<div>{{ caller() }}</div>{%- endmacro -%}
{%- set held %}<b>{{ value }}</b>{% endset -%}
<p>{{ value }}</p>{{ row(value) }}{{ row(value, extra=value) }}{{ row(value, 1, value, 2) }}{{ row(value, more=value) }}
{{ held }}{{ held | length }}{{ value | e }}{{ (value | e).__class__.__name__ }}
{% filter upper %}{{ value }}{% endfilter %}
{% call frame() %}{{ value }}{% endcall %}
{{ row(value) | length }}{{ row.__class__.__name__ }}{{ "<" ~ value }}{{ greet(value) }}{{ shout(value) }}
{% for item in [value, value] %}{{ loop.index }}{{ row(item) }}{{ words(item, n=loop.index) }}{{ words.label(item) }}{% endfor %}
{{ words(value) }}{{ words.label(value) }}"""


class Shout:
    """A callable object whose ``__call__`` asks Jinja for the context, as a global may."""

    @jinja2.pass_context
    def __call__(self, context, value):
        return f"{context['prefix']}{value}!"


@jinja2.pass_context
def greet(context, value):
    return Markup("<i>{}</i>").format(f"{context['prefix']}{value}")


class Words:
    """A plain callable object with a method, as the site's words are: called directly by the lean context."""

    def __call__(self, value, **values):
        return f"<{value}>{sorted(values.items())}"

    def label(self, value):
        return Markup("<b>{}</b>").format(value)


class Html:
    """An object that gives its own markup, as ``Markup`` and the site's word tables do."""

    def __init__(self, text):
        self.text = text

    def __html__(self):
        return self.text


class Printable:
    """An object printed through ``str()``, whose text needs escaping."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def _environments(tmp_path):
    (tmp_path / "page.html").write_text(TEMPLATE, encoding="utf-8")
    settings = dict(loader=jinja2.FileSystemLoader(tmp_path), autoescape=True, undefined=jinja2.StrictUndefined)
    plain = jinja2.Environment(**settings)
    lean = jinja2.Environment(**settings)
    lean.template_class = LeanTemplate
    lean.context_class = LeanContext.calling_directly(Words)
    for env in (plain, lean):
        env.globals.update(greet=greet, shout=Shout(), prefix="&", words=Words())
    return plain, lean


VALUES = st.one_of(
    st.text(alphabet=st.sampled_from("<>&\"' a\u00e9\u2019\n\x00")),
    st.text(),
    st.integers(),
    st.floats(allow_nan=False),
    st.none(),
    st.booleans(),
    st.builds(Markup, st.text(alphabet="<>&ab")),
    st.builds(Html, st.text(alphabet="<>&ab")),
    st.builds(Printable, st.text(alphabet="<>&\"'ab")),
)


@settings(max_examples=300, deadline=None)
@given(value=VALUES)
def test_a_page_is_the_same_text_with_the_lean_runtime(tmp_path_factory, value):
    plain, lean = _environments(tmp_path_factory.mktemp("t"))
    assert lean.get_template("page.html").render(value=value) == plain.get_template("page.html").render(value=value)


@given(value=VALUES)
def test_output_escape_is_markupsafes_escape_as_text(value):
    escaped = output_escape(value)
    assert escaped == markupsafe.escape(value)
    assert type(escaped) in (str, Markup)


def test_the_sites_environment_uses_the_lean_runtime(tmp_path):
    """If a new Jinja stopped passing through the hook, this fails: pages would still be right, only slower."""
    (tmp_path / "page.html").write_text("{{ value }}", encoding="utf-8")
    env = make_environment(tmp_path)
    template = env.get_template("page.html")
    assert isinstance(template, LeanTemplate) and issubclass(env.context_class, LeanContext)
    assert wording.Words in env.context_class.direct_types
    # MarkupSafe 2, whose escape is C already, has no _escape_inner: there Jinja's own escape is kept.
    expected = output_escape if getattr(markupsafe, "_escape_inner", None) else markupsafe.escape
    assert template.root_render_func.__globals__["escape"] is expected
    assert template.render(value="<a>") == "&lt;a&gt;"


def test_without_markupsafes_inner_escape_jinjas_own_is_kept(tmp_path, monkeypatch):
    from ldnsite.output import lean_templates

    monkeypatch.setattr(lean_templates, "_escape_inner", None)
    (tmp_path / "page.html").write_text("{{ value }}", encoding="utf-8")
    template = make_environment(tmp_path).get_template("page.html")
    assert template.root_render_func.__globals__["escape"] is markupsafe.escape
    assert template.render(value="<a>") == "&lt;a&gt;"


def test_printed_values_are_still_escaped_and_markup_is_not(tmp_path):
    _, lean = _environments(tmp_path)
    page = lean.get_template("page.html").render(value="<script>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert lean.from_string("{{ v }}").render(v=Markup("<em>kept</em>")) == "<em>kept</em>"


def test_an_undefined_value_fails_as_before(tmp_path):
    plain, lean = _environments(tmp_path)
    for env in (plain, lean):
        with pytest.raises(jinja2.UndefinedError, match="'missing' is undefined"):
            env.from_string("{{ missing }}").render()


def test_a_macro_given_an_unknown_argument_fails_as_before(tmp_path):
    plain, lean = _environments(tmp_path)
    source = "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}"
    messages = []
    for env in (plain, lean):
        with pytest.raises(TypeError) as caught:
            env.from_string(source).render()
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_a_class_that_asks_for_the_context_is_never_called_directly():
    with pytest.raises(TypeError, match=r"Shout.__call__ asks Jinja for the context"):
        LeanContext.calling_directly(Shout)
