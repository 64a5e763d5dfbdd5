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
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from ldnsite.problems import Location, Problem, error

_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')
_SKIP_SCHEMES = ("http:", "https:", "mailto:")


def check_links(outputs: Iterable[tuple[str, str | bytes]], exempt: Iterable[str] = ()) -> list[Problem]:
    """Return a problem for every internal link or anchor that does not resolve.

    ``exempt`` lists pages whose links are not relative to their own path (the 404 page).
    """
    outputs = list(outputs)
    exempt = set(exempt)
    ids = {path: set(_ID.findall(data)) for path, data in outputs if isinstance(data, str) and path.endswith(".html")}
    paths = {path for path, _ in outputs}
    problems = []
    for path, data in outputs:
        if not isinstance(data, str) or not path.endswith(".html") or path in exempt:
            continue
        for href in sorted(set(_LINK.findall(data))):
            reason = _broken(path, href, paths, ids)
            if reason:
                problems.append(error(Location(f"build/{path}"), "site.broken-link", f"link '{href}' {reason}",
                                      "a template or a Markdown link points at a page or anchor the build does not produce"))
    return problems


def _broken(page: str, href: str, paths: set[str], ids: dict[str, set[str]]) -> str | None:
    href = href.replace("&amp;", "&")
    if href.startswith(_SKIP_SCHEMES) or href.startswith("/__ldnsite__/"):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return f"uses the scheme '{parts.scheme}', which is not allowed"
    target = page if not parts.path else posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if target.startswith("../") or target == "..":
        return "points outside the site"
    if parts.path.endswith("/") or target == ".":
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    if target not in paths:
        return "points at a page that does not exist"
    if parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
        return f"points at an anchor '#{parts.fragment}' that does not exist"
    return None
