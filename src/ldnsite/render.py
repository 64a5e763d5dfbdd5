"""Render planned pages through Jinja templates.

Autoescaping is on and undefined variables are errors: content arrives through pull
requests, and a misspelt variable must fail the build rather than print nothing.
Markdown is converted and then sanitized, so no script, event handler or
``javascript:`` link can reach a page even if validation were bypassed.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jinja2
import markdown as markdown_lib
import nh3
from markupsafe import Markup

from ldnsite.errors import TemplateError
from ldnsite.model import Database
from ldnsite.site import FEED_PATH, NAV, SEARCH_PATH, Page, page_url

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "blockquote", "br", "sup", "sub", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def make_environment(templates_dir: Path) -> jinja2.Environment:
    """Return the Jinja environment for a templates folder."""
    if not templates_dir.is_dir():
        raise TemplateError(f"templates folder not found: {templates_dir}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["markdown"] = render_markdown
    env.filters["markdown_inline"] = render_markdown_inline
    env.filters["json_script"] = json_script
    return env


@functools.lru_cache(maxsize=65536)
def _markdown_html(text: str) -> str:
    # A fresh converter each time: Python-Markdown keeps state (footnotes, references) between calls.
    converter = markdown_lib.Markdown(extensions=["sane_lists"], output_format="html")
    html = converter.convert(text)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def render_markdown(text: str | None) -> Markup:
    """Convert Markdown to sanitized HTML (cached by text: the same text always gives the same HTML)."""
    return Markup(_markdown_html(text or ""))


def render_markdown_inline(text: str | None) -> Markup:
    """Convert one paragraph of Markdown to sanitized HTML without the surrounding <p>."""
    html = _markdown_html(text or "")
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


def json_script(value: Any) -> Markup:
    """Serialise ``value`` as JSON that is safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def common_context(db: Database, build_date: str | None) -> dict[str, Any]:
    """Return the variables every template can use."""
    return {"site": db.site, "build_date": build_date, "nav": NAV, "feed_path": FEED_PATH, "search_path": SEARCH_PATH}


def render_page(env: jinja2.Environment, page: Page, common: dict[str, Any]) -> str:
    """Render one page to text."""
    canonical = page_url(common["site"].base_url, page.path)
    context = {**common, **page.context, "page": page, "root": page.root, "canonical_url": canonical}
    try:
        return env.get_template(page.template).render(context)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else page.template
        raise TemplateError(f"template {where} failed while rendering {page.path}: {exc}") from exc
