"""Render planned pages through Jinja templates.

Autoescaping is on and undefined variables are errors: content arrives through pull
requests, and a misspelt variable must fail the build rather than print nothing.
Markdown is converted and then sanitized, so no script, event handler or
``javascript:`` link can reach a page even if validation were bypassed.
"""

from __future__ import annotations

import functools
import gc
import json
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import jinja2
import markdown as markdown_lib
import nh3
from markupsafe import Markup

from ldnsite import processes
from ldnsite.content.model import Database
from ldnsite.content.wording import Words, default_words
from ldnsite.errors import LdnsiteError, TemplateError
from ldnsite.memo import call
from ldnsite.output.constant_words import ConstantWords
from ldnsite.output.integrity import LinkScanner, PageLinks, extract_links
from ldnsite.output.lean_templates import LeanContext, LeanTemplate
from ldnsite.output.simple_markdown import PLAIN_PARAGRAPH, simple_html
from ldnsite.plan.site import FEED_PATH, SEARCH_PATH, LazyPage, Page, navigation, page_url
from ldnsite.plan.views import counted

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "blockquote", "br", "sup", "sub", "abbr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


PARTS_TEMPLATE = "_parts.html"
"""The template whose macros ``fragment(name, ...)`` calls."""


def make_environment(templates_dir: Path | list[Path], memo: Callable = call, words: Words | None = None) -> jinja2.Environment:
    """Return the Jinja environment for a templates folder, or for folders in lookup order (the first holding a name wins).

    ``memo`` (the incremental builder's ``Memo``) lets ``fragment()`` reuse the output of a macro
    called with the same objects in the previous build: a row of a long list whose data did not change.
    ``words`` (the site's, from ``wording.words_for``) are the templates' ``t(key)`` and ``tier_words[status]``:
    globals, so that the macros of ``_parts.html`` see them too. Without them the theme's English defaults are used.
    """
    folders = [templates_dir] if isinstance(templates_dir, Path) else templates_dir
    for folder in folders:
        if not folder.is_dir():
            raise TemplateError(f"templates folder not found: {folder}")
    from ldnsite.output.theme import DEFAULT_PREFIX, default_theme_dir

    # "default/base.html" is always the default theme's, so that a project's own base.html can extend it.
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(folders), jinja2.PrefixLoader({DEFAULT_PREFIX: jinja2.FileSystemLoader(default_theme_dir())})]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=[ConstantWords],
    )
    env.template_class = LeanTemplate
    env.context_class = LeanContext.calling_directly(Words)
    env.filters["markdown"] = render_markdown
    env.filters["markdown_inline"] = render_markdown_inline
    env.filters["json_script"] = json_script
    words = words or default_words()
    env.filters["counted"] = functools.partial(_counted, words=words)
    env.globals["fragment"] = Fragments(env, memo)
    env.globals["t"] = words
    env.globals["tier_words"] = words.tiers
    return env


class Fragments:
    """The templates' ``fragment(name, *args)``: call macro ``name`` of ``_parts.html`` through the memo.

    The memo's key includes the macro itself (a new environment after a template edit has new
    macros) and strings by value (interned), so a row is reused only for the same template and data.
    """

    def __init__(self, env: jinja2.Environment, memo: Callable) -> None:
        self._env = env
        self._memo = memo
        self._macros: dict[str, Callable[..., Markup]] = {}

    def __call__(self, name: str, *args: Any) -> Markup:
        macro = self._macros.get(name)
        if macro is None:
            macro = getattr(self._env.get_template(PARTS_TEMPLATE).module, name, None)
            if macro is None:
                raise jinja2.TemplateRuntimeError(f"fragment({name!r}): {PARTS_TEMPLATE} has no macro named {name!r}")
            self._macros[name] = macro
        return self._memo(_call_macro, macro, *[sys.intern(arg) if type(arg) is str else arg for arg in args])


def _counted(count: int, noun: str, words: Words) -> str:
    """The templates' ``count | counted("claim")``: the count in the locale's words (``count.claim.one`` / ``.other``)."""
    return counted(count, noun, words)


def _call_macro(macro: Callable[..., Markup], *args: Any) -> Markup:
    return macro(*args)


_CONVERTER = threading.local()


def _converter() -> markdown_lib.Markdown:
    # One converter per thread, reset before each text: building one costs more than converting a short
    # text, and reset() clears the state (references, footnotes) that would otherwise leak between texts.
    converter = getattr(_CONVERTER, "value", None)
    if converter is None:
        converter = _CONVERTER.value = markdown_lib.Markdown(extensions=["sane_lists"], output_format="html")
    return converter


@functools.lru_cache(maxsize=8192)  # pages that share a text are rendered together (site.render_order): a small cache does
def _markdown_html(text: str) -> str:
    if PLAIN_PARAGRAPH.match(text):
        return f"<p>{text.rstrip(chr(10))}</p>"  # what Markdown and the sanitizer give for plain prose, 10x faster
    simple = simple_html(text)  # paragraphs, bullet lists, emphasis and links: the same HTML, several times faster
    if simple is not None:
        return simple
    try:
        return markdown_full(text)
    except RecursionError:
        # `check` refuses deep nesting (schema.markdown-too-deep), so this is reached only by a text that was never
        # checked: it ends the build with one line rather than a traceback.
        raise LdnsiteError(
            f"a Markdown text is nested too deeply to render: {text[:60]!r}...; run `ldnsite check`, which reports where"
        ) from None


def markdown_full(text: str) -> str:
    """Convert with Python-Markdown and sanitize with nh3: the path every text would take without the shortcuts."""
    try:
        html = _converter().reset().convert(text)
    except BaseException:
        # A conversion stopped half-way (a RecursionError on deep nesting) leaves the converter's state broken:
        # every later text would come out wrong, unconverted. The next text gets a new converter.
        _CONVERTER.value = None
        raise
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


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
    # Compact: without indent, the json module encodes in C, several times faster over thousands of pages.
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def common_context(db: Database, build_date: str | None) -> dict[str, Any]:
    """Return the variables every template can use."""
    return {
        "site": db.site,
        "build_date": build_date,
        "nav": navigation(db.site),
        "feed_path": FEED_PATH,
        "search_path": SEARCH_PATH,
    }


def render_page(env: jinja2.Environment, page: Page | LazyPage, common: dict[str, Any]) -> str:
    """Render one page to text (a lazy page is built first, here)."""
    page, context = _page_context(page, common)
    try:
        return env.get_template(page.template).render(context)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, page) from exc


def render_page_pieces(env: jinja2.Environment, page: Page | LazyPage, common: dict[str, Any]) -> Iterator[str]:
    """Render one page as the pieces of its text, in order: a page listing every claim is never whole in memory."""
    page, context = _page_context(page, common)
    try:
        yield from env.get_template(page.template).generate(context)
    except jinja2.TemplateError as exc:
        raise _template_error(exc, page) from exc


def _page_context(page: Page | LazyPage, common: dict[str, Any]) -> tuple[Page, dict[str, Any]]:
    if isinstance(page, LazyPage):
        page = page.page()
    canonical = page_url(common["site"].base_url, page.path)
    return page, {**common, **page.context, "page": page, "root": page.root, "canonical_url": canonical}


def _template_error(exc: jinja2.TemplateError, page: Page) -> TemplateError:
    where = f"{exc.filename}:{exc.lineno}" if isinstance(exc, jinja2.TemplateSyntaxError) else page.template
    return TemplateError(f"template {where} failed while rendering {page.path}: {exc}")


PARALLEL_MIN_PAGES = 400
"""Below this many pages, starting worker processes costs more than it saves."""

CHUNKS_PER_WORKER = 16
"""How many pieces of the page list each worker takes, one after the other."""

_FORKED: tuple | None = None


def render_pages(
    env: jinja2.Environment,
    pages: list[Page],
    common: dict[str, Any],
    store: Callable[[str, str], None],
    workers: int | None = None,
    in_parent: Sequence[Page] = (),
    digest: Callable[[str, str], Any] | None = None,
    stream: frozenset[str] = frozenset(),
    meanwhile: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Render every page and hand it to ``store``; return, for each page, what ``digest(path, html)`` keeps of it.

    ``digest`` defaults to the page's links and anchors (``extract_links``); the build passes a link
    check run where the page is rendered (``integrity.WorkerLinkCheck``). Large sites are shared among
    ``workers`` processes (one per CPU): this one and forked workers. Each renders, stores and digests
    its own pages, so only the digests travel back. ``in_parent`` pages are rendered by this process
    (their fragments then stay in its memo). The files, and the order of what is returned, are the
    same whatever the number of workers and whichever process rendered a page.

    Pages whose template is in ``stream`` are handed to ``store`` in blocks as they are rendered, and
    ``digest`` gets their links (``integrity.LinkScanner``) instead of their text: a list of every
    claim of a large site is never whole in memory.

    ``meanwhile`` is other work for this process (the build writes its exports): done once the
    workers have started, before this process takes its first pages, so that it does not wait
    for this process alone at the end. Without workers it is done after the pages.
    """
    digest = digest or _links_of
    workers = processes.cpu_count() if workers is None else workers
    if workers < 2 or len(pages) < PARALLEL_MIN_PAGES or not processes.can_fork():
        rendered = dict(_render_range(env, [*pages, *in_parent], common, store, digest, 0, len(pages) + len(in_parent), stream))
        if meanwhile is not None:
            meanwhile()
        return rendered
    global _FORKED
    _FORKED = (env, pages, common, store, digest, stream)  # inherited by the forked workers: nothing large is pickled to them
    # Objects alive now (the database and the plan) are left out of the workers' garbage collections: walking them
    # would write to each of them and so copy the parent's whole heap into every worker. They stay frozen in this
    # process too, until the caller unfreezes them (the build does at its end; serve keeps its site frozen).
    gc.freeze()
    processes.release_free_memory()
    try:
        # Many small chunks: the forked workers take them from the front as they free up, and this process takes
        # them from the back, so a chunk that holds a long page does not leave the others idle at the end.
        # This process renders too, rather than start one more worker: a forked worker copies every page of the
        # parent's heap it reads (reading an object writes its reference count), so each worker adds a copy of
        # the site's data, while the parent's own copy is there anyway.
        size = -(-len(pages) // (workers * CHUNKS_PER_WORKER))
        chunks = [(start, min(start + size, len(pages))) for start in range(0, len(pages), size)]
        own: list[tuple[str, Any]] = []

        def first() -> None:
            if meanwhile is not None:
                meanwhile()
            own.extend(_render_range(env, list(in_parent), common, store, digest, 0, len(in_parent), stream))

        results = processes.share(
            chunks,
            _render_chunk,
            lambda bounds: _render_range(env, pages, common, store, digest, bounds[0], bounds[1], stream),
            workers,
            "rendering pages",
            # A worker's result is keyed by this process's own path strings as soon as it arrives, so that the
            # copies unpickled with it are let go.
            receive=functools.partial(_keyed_by_path, pages, chunks),
            first=first,
        )
    finally:
        _FORKED = None
    return {path: kept for chunk in [*results, own] for path, kept in chunk}


def _keyed_by_path(pages: list, chunks: list[tuple[int, int]], index: int, result: list) -> list[tuple[str, Any]]:
    start, stop = chunks[index]
    return [(page.path, kept) for page, (_, kept) in zip(pages[start:stop], result, strict=True)]


def _links_of(path: str, html: str) -> PageLinks:
    return extract_links(html)


def _render_chunk(bounds: tuple[int, int]) -> list[tuple[str, Any]]:
    # Rendering makes a few reference cycles per page (Jinja's macros), so a worker collects them, even when
    # the process that forked it had paused its collector. The heap it inherited is frozen: it is not walked.
    gc.enable()
    assert _FORKED is not None, "set by render_pages before the workers are forked"
    env, pages, common, store, digest, stream = _FORKED
    return _render_range(env, pages, common, store, digest, *bounds, stream)


def _render_range(env, pages, common, store, digest, start: int, stop: int, stream=frozenset()) -> list[tuple[str, Any]]:
    result = []
    for page in pages[start:stop]:
        if page.template in stream:
            scanner = LinkScanner()
            store(page.path, scanner.blocks(render_page_pieces(env, page, common)))
            result.append((page.path, digest(page.path, scanner.links())))
            continue
        html = render_page(env, page, common)
        store(page.path, html)
        result.append((page.path, digest(page.path, html)))
    return result
