"""Hostile content that passes validation renders inert: no injected script runs, no injected element or handler exists.

Content with raw HTML is refused by `check` (see tests/corpus); what remains are the tricks that Markdown,
Jinja, attributes and URLs allow. Every affected page is loaded in Chromium.
"""

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from browser.conftest import ServedSite, _Handler
from conftest import SITE_YAML, TEMPLATES, run_cli, write_project

pytestmark = pytest.mark.browser

TRICKS = [
    "[click me](javascript:alert(1))",
    "[upper](JAVASCRIPT:alert(2))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==)",
    "[tab](java&#x09;script:alert(4))",
    "[entity](&#106;avascript:alert(5))",
    "[ref][evil]",
    "![tracking pixel](https://evil.example/pixel.png)",
    "{{ 7*7 }} {% for x in range(3) %}X{% endfor %} {# comment #}",
    "expression(alert(6)) url(javascript:alert(7)) @import 'https://evil.example/x.css';",
    "&lt;script&gt;alert(8)&lt;/script&gt;",
    "Quotes \" and ' and & and `backticks`",
]
HOSTILE_TEXT = "\n\n".join(TRICKS) + "\n\n[evil]: javascript:alert(9)\n"

CONDITION = """\
condition:
  id: fibromyalgia
  name: "Fibro \\"quoted\\" & 'single' {{ 7*7 }}"
  group: pain
  summary: |
{summary}
claims:
  - id: hostile-claim
    title: "Title \\"with quotes\\" & {{{{ 7*7 }}}} {{% raw %}}"
    statement: |
{body}
    notes: |
{body}
    status: off-label
    grade: low
    direction: mixed
    verdict: uncertain
    sources:
      - id: trial2020
        role: supports
        locator: "p. 3 \\" onmouseover=\\"alert(10)"
        finding: "Finding with {{{{ 7*7 }}}} and \\"quotes\\" & ampersands"
      - id: blog2020
        role: asserts
        quote: "javascript:alert(11) {{{{ 7*7 }}}} \\" onfocus=\\"alert(12)"
    reviewed: 2024-01-01
    grading:
      start: high
      risk_of_bias: {{rating: serious, reason: "Reason \\" onmouseover=\\"alert(14) {{{{ 7*7 }}}}"}}
      inconsistency: {{rating: serious, reason: "javascript:alert(15) & {{% raw %}}"}}
      indirectness: {{rating: none, reason: "Quotes ' and ` and &amp;"}}
      imprecision: {{rating: none, reason: "{{{{ 7*7 }}}}"}}
      publication_bias: {{rating: none, reason: "None."}}
    outcomes:
      - name: "Pain \\" onclick=\\"alert(16) {{{{ 7*7 }}}}"
        intervention: "LDN & {{{{ 7*7 }}}}"
        measure: MD
        scale: "points \\" onfocus=\\"alert(17)"
        estimate: -0.3
        ci: [-0.9, 0.3]
        participants: 10
        studies: 1
        sources: [trial2020]
        effect: reduces
        certainty: low
        follow_up: "javascript:alert(18) {{{{ 7*7 }}}}"
"""
SOURCES = {
    "content/sources/trial2020.yaml": "id: trial2020\nkind: randomized-trial\ntitle: \"A trial \\\" onclick=\\\"alert(13) & {{ 7*7 }}\"\n"
                                      "year: 2020\nurl: https://example.org/a?x=1&y=2#frag\nverified: test\n",
    "content/sources/blog2020.yaml": "id: blog2020\nkind: web-article\ntitle: \"Blog {% if true %}IF{% endif %}\"\n"
                                     "publisher: \"Evil \\\"Publisher\\\"\"\nverified: test\n",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    def indented(spaces: int) -> str:
        return "\n".join(" " * spaces + line if line else "" for line in HOSTILE_TEXT.splitlines())

    condition = CONDITION.format(summary=indented(4), body=indented(6))
    files = {"content/site.yaml": SITE_YAML, "content/conditions/fibromyalgia.yaml": condition, **SOURCES}
    project = write_project(tmp_path_factory.mktemp("hostile"), files, base=False)
    out = project / "build"
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--out", out, "--no-search", "--strict")
    assert result.exit_code == 0, result.output
    handler = functools.partial(_Handler, out_dir=out, base_path="/ldn/")
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield ServedSite(out, f"http://127.0.0.1:{server.server_address[1]}/ldn/")
    server.shutdown()
    server.server_close()


PAGES = ["index.html", "conditions/fibromyalgia.html", "claims/hostile-claim.html", "sources/trial2020.html",
         "sources/blog2020.html", "sources/index.html", "evidence-map.html"]

INSPECT = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.trim().toLowerCase();
      if (name.startsWith('on')) found.push(`${el.tagName} ${name}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name) && /^(javascript|data|vbscript):/.test(value)) found.push(`${el.tagName} ${name}=${value}`);
    }
  }
  for (const el of document.querySelectorAll('script')) {
    if (!el.src && el.type !== 'application/ld+json') found.push('inline script');
    if (el.src && !el.src.startsWith(location.origin)) found.push('foreign script ' + el.src);
  }
  for (const el of document.querySelectorAll('img, iframe, object, embed, style, link[rel=stylesheet]')) {
    const url = el.src || el.href || '';
    if (el.tagName === 'STYLE' || (url && !url.startsWith(location.origin))) found.push(el.tagName + ' ' + url);
  }
  return found;
}"""


@pytest.mark.parametrize("path", PAGES)
def test_no_injected_script_runs_and_no_injected_element_exists(hostile_site, context_factory, path):
    page = context_factory().new_page()
    dialogs, violations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(hostile_site.url(path), wait_until="load")
    page.wait_for_timeout(200)
    for link in page.locator("main a").all()[:60]:
        link.hover()  # fires any injected onmouseover
        link.focus()  # fires any injected onfocus
    assert dialogs == []
    assert violations == []
    assert page.evaluate(INSPECT) == []


def test_jinja_syntax_in_content_is_shown_literally(hostile_site, context_factory):
    page = context_factory().new_page()
    page.goto(hostile_site.url("claims/hostile-claim.html"))
    text = page.locator("main").inner_text()
    assert "{{ 7*7 }}" in text
    assert "{% for x in range(3) %}" in text
    assert 'Title "with quotes" & {{ 7*7 }}' in page.locator("h1").inner_text()
    assert 'LDN & {{ 7*7 }} may reduce pain " onclick="alert(16) {{ 7*7 }}' in text  # the generated GRADE sentence
