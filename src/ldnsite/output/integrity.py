"""Integrity of the finished site, checked before anything is written.

Every internal link and anchor must resolve to a file (and an element id) that the
build produces. A broken link is a build error: a reader following a citation must
never land on nothing. Attributes are read with a regular expression rather than a
full HTML parser; this is sound because every page comes from our own autoescaped
templates, where attribute values are always double-quoted and never contain a quote.
"""

from __future__ import annotations

import posixpath
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ldnsite.problems import Location, Problem, error

# Each pattern starts with a literal, which the regex engine finds with a fast substring search (several
# times faster on a 10 MB page than a pattern starting with \s); the whitespace before the attribute name
# is checked afterwards, so that 'data-href="..."' is not taken for a link.
_HREF = re.compile(r'href="([^"]*)"')
_SRC = re.compile(r'src="([^"]*)"')
_ID = re.compile(r'id="([^"]*)"')
_SPACE = frozenset(" \t\n\r\f")
_SKIP_SCHEMES = ("http://", "https://", "mailto:")
"""Links to other sites, which the build does not check. A web address without '//' ("https:evil.example") is
not one of them: a browser reads it as a path on this site, or, when its scheme differs from the page's, as a
host elsewhere."""


@dataclass(frozen=True, slots=True)
class PageLinks:
    """The internal links a page makes and the anchors (ids) it offers."""

    links: tuple[str, ...]
    ids: frozenset[str]


def extract_links(html: str) -> PageLinks:
    """Return the links and ids of one page (links in sorted order, each once)."""
    links, ids = _links_and_ids(html)
    return PageLinks(tuple(sorted(set(links))), frozenset(ids))


def _links_and_ids(html: str) -> tuple[list[str], list[str]]:
    """The values of a text's href and src attributes, and of its ids, as found."""
    return _attribute_values(_HREF, html) + _attribute_values(_SRC, html), _attribute_values(_ID, html)


class LinkScanner:
    """Collect the links and ids of a page whose text passes by in pieces (``blocks``), as it is written.

    The pieces are joined into blocks of about a megabyte, each cut just after a '>': an attribute,
    or a text between two tags, never spans two blocks (our templates escape every '>' inside them),
    so the links found are those ``extract_links`` finds in the whole text. ``tests/test_integrity.py``
    checks it on the real long lists cut at many block sizes.
    """

    def __init__(self, block_size: int = 1 << 20) -> None:
        self._block_size = block_size
        self._links: set[str] = set()
        self._ids: set[str] = set()

    def blocks(self, pieces: Iterable[str]) -> Iterator[str]:
        """Yield the text of ``pieces`` in blocks, reading the links of each block first."""
        batch: list[str] = []
        size = 0
        for piece in pieces:
            batch.append(piece)
            size += len(piece)
            if size >= self._block_size:
                text = "".join(batch)
                cut = text.rfind(">") + 1
                batch, size = [text[cut:]], len(text) - cut
                if cut:
                    yield self._scanned(text[:cut])
        text = "".join(batch)
        if text:
            yield self._scanned(text)

    def _scanned(self, block: str) -> str:
        links, ids = _links_and_ids(block)
        self._links.update(links)
        self._ids.update(ids)
        return block

    def links(self) -> PageLinks:
        """The links and ids of everything ``blocks`` yielded, as ``extract_links`` gives them."""
        return PageLinks(tuple(sorted(self._links)), frozenset(self._ids))


def _attribute_values(pattern: re.Pattern, html: str) -> list[str]:
    return [match[1] for match in pattern.finditer(html) if match.start() and html[match.start() - 1] in _SPACE]


def check_links(outputs: Iterable[tuple[str, str | bytes]], exempt: Iterable[str] = ()) -> list[Problem]:
    """Return a problem for every internal link or anchor in ``outputs`` that does not resolve."""
    outputs = list(outputs)
    index = {path: extract_links(data) for path, data in outputs if isinstance(data, str) and path.endswith(".html")}
    return check_link_index(index, {path for path, _ in outputs}, exempt)


def check_link_index(
    index: dict[str, PageLinks], paths: set[str], exempt: Iterable[str] = (), only: set[str] | None = None
) -> list[Problem]:
    """Resolve the links of every page in ``index`` against the site's ``paths`` and the pages' ids.

    ``exempt`` lists pages whose links are not relative to their own path (the 404 page); ``only``,
    when given, limits the check to those pages (an incremental build where no target moved).
    """
    exempt = set(exempt)
    problems = []
    resolutions = _Resolutions(paths)
    for path in sorted(index if only is None else only & set(index)):
        if path in exempt:
            continue
        known = resolutions.folder(path)
        for href in index[path].links:
            reason, target, fragment = resolutions.resolve(path, href, known)
            if reason is None and fragment and target in index and fragment not in index[target].ids:
                reason = f"points at an anchor '#{fragment}' that does not exist"
            if reason:
                problems.append(_broken_link(path, href, reason))
    return problems


class _Resolutions:
    """Links resolved against the site's paths (``_resolve``), each worked out once.

    Pages in one folder share most links (style sheets, navigation): a link is resolved once per
    folder. A link within its page ('#...') points at that page, whichever it is: it is resolved once.
    With a ``limit``, what is kept is dropped when it grows past that many links.
    """

    def __init__(self, paths: Collection[str], limit: int | None = None) -> None:
        self.paths = paths
        self._limit = limit
        self._count = 0
        self._by_folder: dict[str, dict[str, tuple[str | None, str, str]]] = {}
        self._in_page: dict[str, tuple[str | None, str]] = {}

    def folder(self, path: str) -> dict[str, tuple[str | None, str, str]]:
        """The links resolved so far for the pages of ``path``'s folder, to pass to ``resolve``."""
        if self._limit is not None and self._count > self._limit:
            self._by_folder.clear()  # most links repeat within a folder's pages; the rest need not be kept
            self._in_page.clear()
            self._count = 0
        folder = posixpath.dirname(path)
        known = self._by_folder.get(folder)
        if known is None:
            known = self._by_folder[folder] = {}
        return known

    def resolve(self, path: str, href: str, known: dict[str, tuple[str | None, str, str]]) -> tuple[str | None, str, str]:
        """Return (why the link is broken, or None; the path it points at; its anchor) for link ``href`` of page ``path``."""
        if href[:1] == "#":
            found = self._in_page.get(href)
            if found is None:
                reason, _, fragment = _resolve(path, href, (path,))
                found = self._in_page[href] = (reason, fragment)
                self._count += 1
            if found[0] is None and path not in self.paths:
                return "points at a page that does not exist", path, ""
            return found[0], path, found[1]
        answer = known.get(href)
        if answer is None:
            answer = known[href] = _resolve(path, href, self.paths)
            self._count += 1
        return answer


@dataclass(frozen=True, slots=True)
class PendingAnchors:
    """What its render worker found on a page, and what is left to check once every page is written.

    ``problems`` are the broken links found at once; ``links`` the page's links into anchors of pages
    the worker did not check itself (``check_pending_anchors``). One small object per page: a large
    site keeps this for hundreds of thousands of pages.
    """

    links: tuple[str, ...]
    problems: tuple[Problem, ...] = ()


RESOLVED_LIMIT = 20_000
"""How many resolved links a worker keeps at most."""


RECENT_PAGES = 256
"""How many of the pages it checked last a ``WorkerLinkCheck`` keeps the anchors of."""


class WorkerLinkCheck:
    """Check a page's links where it is rendered, knowing only the site's paths: the build's link check.

    Every link to a file, and to an anchor of the same page or of a page this process checked shortly
    before, is checked here, in the worker. Most links into another page's anchors are of that kind:
    a claim links to its anchor on its condition's page, which is rendered just before the claim
    (``site.render_order``). The other links into anchors wait until every page is written
    (``check_pending_anchors``). So a worker sends back a few strings per page, not every link and
    anchor it has.
    """

    def __init__(self, paths: Iterable[str], pages: Iterable[str], exempt: Iterable[str] = ()) -> None:
        """``paths`` are all files of the site, ``pages`` its HTML pages (whose anchors are checked)."""
        self.paths = frozenset(paths)
        self.pages = frozenset(pages)
        self.exempt = frozenset(exempt)
        self._resolutions = _Resolutions(self.paths, RESOLVED_LIMIT)
        self._recent: dict[str, frozenset[str]] = {}

    def __call__(self, path: str, html: str | PageLinks) -> PendingAnchors:
        """Check a page, given its text or, for a page written as it was rendered, its ``LinkScanner.links()``."""
        if isinstance(html, PageLinks):
            links: Iterable[str] = html.links
            ids = html.ids
        else:
            hrefs, anchors = _links_and_ids(html)
            links, ids = set(hrefs), frozenset(anchors)
        self._recent[path] = ids
        if len(self._recent) > RECENT_PAGES:
            del self._recent[next(iter(self._recent))]
        if path in self.exempt:
            return PendingAnchors(())
        known = self._resolutions.folder(path)
        problems: list[tuple[str, str]] = []
        pending: list[str] = []
        for href in links:
            reason, target, fragment = self._resolutions.resolve(path, href, known)
            if reason is None and fragment and target in self.pages:
                offered = self._recent.get(target)  # this page's own ids too: they were kept above
                if offered is None:
                    # Interned: the links left are mostly the same few (the navigation's), on every page.
                    pending.append(sys.intern(href))
                    continue
                if fragment not in offered:
                    reason = f"points at an anchor '#{fragment}' that does not exist"
            if reason:
                problems.append((href, reason))
        # In the order of the links, whatever order they were found in: what is reported never depends on it.
        return PendingAnchors(
            tuple(sorted(pending)), tuple(_broken_link(path, href, reason) for href, reason in sorted(problems))
        )


def check_pending_anchors(pending: dict[str, PendingAnchors], anchors_of: Callable[[str], Iterable[str]]) -> list[Problem]:
    """Check the links the workers left: each must name an anchor that its target page has.

    ``pending`` holds every HTML page; ``anchors_of(path)`` returns a page's ids (the build reads
    them from the file it wrote), asked once for each page some link points into.
    """
    problems = []
    offered: dict[str, frozenset[str]] = {}
    for path in sorted(pending):
        for href in pending[path].links:
            _, target, fragment = _resolve(path, href, pending)
            if target not in pending:
                continue
            if target not in offered:
                offered[target] = frozenset(anchors_of(target))
            if fragment not in offered[target]:
                problems.append(_broken_link(path, href, f"points at an anchor '#{fragment}' that does not exist"))
    return problems


def anchor_ids(html: str) -> frozenset[str]:
    """Return the ids of a page's elements (what its links' anchors can name)."""
    return frozenset(_attribute_values(_ID, html))


def _broken_link(path: str, href: str, reason: str) -> Problem:
    return error(
        Location(f"build/{path}"),
        "site.broken-link",
        f"link '{href}' {reason}",
        "a template or a Markdown link points at a page or anchor the build does not produce",
    )


def _resolve(page: str, href: str, paths) -> tuple[str | None, str, str]:
    """Return (why the link is broken, or None; the path it points at; its anchor, unquoted, or '')."""
    href = href.replace("&amp;", "&")
    if href[:8].lower().startswith(_SKIP_SCHEMES) or href.startswith("/__ldnsite__/"):
        return None, "", ""
    if _PLAIN_RELATIVE.fullmatch(href):
        # Most links: a relative path and perhaps an anchor, nothing urlsplit or unquote would change.
        path, _, fragment = href.partition("#")
    else:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and not parts.netloc:
            return f"uses the scheme '{parts.scheme}:' without '//'", "", ""
        if parts.scheme or parts.netloc:
            return f"uses the scheme '{parts.scheme}', which is not allowed", "", ""
        path, fragment = unquote(parts.path), unquote(parts.fragment)
    target = page if not path else posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target.startswith("../") or target == "..":
        return "points outside the site", target, ""
    if path.endswith("/") or target == ".":
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    if target not in paths:
        return "points at a page that does not exist", target, ""
    return None, target, fragment


_PLAIN_RELATIVE = re.compile(r"(?!//)[^:?%\\\x00-\x20\x7f#]*(?:#[^:?%\\\x00-\x20\x7f#]*)?")
"""A link with no scheme, host, query, percent-escape, backslash, space or control character, and one '#' at most."""
