"""Property-based tests: arbitrary input never crashes the reader, the validator or the renderer,
and rendered Markdown never carries an executable script or event handler."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONDITION_YAML, write_project, run_cli
from html.parser import HTMLParser

from ldnsite.output.render import ALLOWED_TAGS, render_markdown
from ldnsite.content.schema import parse_record
from ldnsite.content.model import ConditionFile, Source, Site
from ldnsite.content.yamlsource import YamlDoc, parse_yaml

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

yaml_tokens = st.sampled_from(["a", "b: ", ": ", "- ", "[", "]", "{", "}", ",", "&x ", "*x", "!!python/object ", "!t ",
                               "'", '"', "\n", "  ", "\t", "#", "?", "|", ">", "<<: ", "2020-01-01", "yes", "~", "\\", "%YAML 1.1\n", "---\n"])


@FAST
@given(st.binary(max_size=400))
def test_reader_never_raises_on_arbitrary_bytes(raw):
    doc, problems = parse_yaml(raw, "content/x.yaml")
    assert doc is not None or problems
    for problem in problems:
        assert problem.location.path == "content/x.yaml"
        assert problem.code.startswith("yaml.")


@FAST
@given(st.lists(yaml_tokens, max_size=60).map("".join))
def test_reader_never_raises_on_yaml_like_text(text):
    doc, problems = parse_yaml(text.encode(), "content/x.yaml")
    assert doc is not None or problems
    assert all(p.location.line >= 1 or p.location.line == 0 for p in problems)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 3000) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=25,
)
keys = st.sampled_from(["id", "kind", "title", "verified", "year", "pmid", "doi", "url", "authors", "condition", "claims",
                        "status", "grade", "sources", "role", "reviewed", "base_url", "condition_groups", "statement", "x"])


@FAST
@given(st.dictionaries(keys, json_values, max_size=8), st.sampled_from([Source, ConditionFile, Site]))
def test_schema_never_raises_on_arbitrary_structures(data, cls):
    doc = YamlDoc("content/x.yaml", data)
    obj, problems = parse_record(cls, doc, (), "record")
    assert (obj is None) == bool(problems)
    assert all(re.fullmatch(r"(schema|yaml)\.[a-z-]+", p.code) for p in problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_check_of_a_project_never_crashes_whatever_the_statement(tmp_path_factory, statement):
    project = write_project(tmp_path_factory.mktemp("p"), {
        "content/conditions/fibromyalgia.yaml": CONDITION_YAML.replace("statement: A trial found less pain.",
                                                                        "statement: " + repr(statement).replace("\\", "\\\\")[1:-1].join("''"))})
    result = run_cli("check", "--project", project)
    assert result.exit_code in (0, 1)


markdown_parts = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)", "![i](https://e.org/i.png)", '<a href="#" onclick="x()">a</a>',
    "<svg onload=alert(1)>", "<iframe src=https://e.org>", "<style>body{}</style>", "[a]: javascript:alert(1)\n\n[a]",
    "**bold** ", "_em_ ", "\n\n", "- item\n", "`code` ", "<", ">", "&", '"', "'", "{{ 7*7 }}", "{% raw %}", "<!-- c -->",
    "<object data=x>", "<form action=x><input></form>", "<a href='vbscript:x'>v</a>", "[x](  javascript:alert(1) )",
    "<details open ontoggle=alert(1)>", "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
])


class _Elements(HTMLParser):
    """Collect the real elements and attributes of an HTML fragment (escaped text is not an element)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


@FAST
@given(st.lists(markdown_parts | st.text(max_size=10), max_size=12).map("".join))
def test_rendered_markdown_never_carries_script_or_handlers(text):
    for tag, attrs in elements(str(render_markdown(text))):
        assert tag in ALLOWED_TAGS, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert set(attrs) <= {"href", "title", "rel"}, attrs
        href = (attrs.get("href") or "").strip().lower()
        assert href.startswith(("http:", "https:", "mailto:", "#")) or ":" not in href.split("/")[0], href
