"""Browser tests: build the real site once (with search), serve it under its base path, drive Chromium.

Debian's Chromium (/usr/bin/chromium) is driven by Playwright; ``playwright install`` is never
needed. axe-core comes from ``npm install`` (package.json). In CI (``CI=true``) a missing
browser, axe-core or Pagefind fails the run; elsewhere the tests are skipped with the reason.
One browser serves the whole session, so the suite stays fast.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, TEMPLATES, run_cli

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

PAGE_TYPES = {
    "home": "index.html",
    "condition": "conditions/fibromyalgia.html",
    "claim": "claims/ldn-fibromyalgia-pain.html",
    "source": "sources/bruun2024.html",
    "claim-check": "sources/web-naltrexone-450mg-explained.html",
    "sources": "sources/index.html",
    "label": "labels/label-naltrexone-tablets.html",
    "methodology": "methodology.html",
    "disclaimer": "disclaimer.html",
    "evidence-map": "evidence-map.html",
    "search": "search.html?q=fibromyalgia",
    "404": "no-such-page.html",
}
"""One page of every type, by name; the 404 page is reached through an address that does not exist."""


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


def missing(what: str) -> None:
    """Fail in CI, skip elsewhere: a browser test that cannot run must not pass silently in CI."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}; CI must run the browser tests", pytrace=False)
    pytest.skip(what)


@dataclass(frozen=True)
class ServedSite:
    out: Path
    base: str
    """The site's address, ending in its base path, e.g. http://127.0.0.1:41234/ldn/."""

    def url(self, path: str) -> str:
        return self.base + path


class _Handler(SimpleHTTPRequestHandler):
    """Serve the build under its base path, with the site's own 404 page."""

    def __init__(self, *args, out_dir: Path, base_path: str, **kwargs) -> None:
        self.out_dir = out_dir
        self.base_path = base_path
        super().__init__(*args, directory=str(out_dir), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        """Keep test output clean."""

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.base_path):
            return str(self.out_dir / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.base_path):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.out_dir / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    if get_executable is None or get_executable() is None:
        missing("Pagefind (pagefind[bin]) is not installed, so the site cannot be built with search")
    out = tmp_path_factory.mktemp("browser") / "build"
    result = run_cli("build", "--project", REPO, "--templates", TEMPLATES, "--out", out, "--search", "--strict")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def site(built_site) -> Iterator[ServedSite]:
    from ldnsite.commands.serve import _base_path
    from ldnsite.project import Project

    base_path = _base_path(Project.at(REPO))
    handler = functools.partial(_Handler, out_dir=built_site, base_path=base_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ServedSite(built_site, f"http://127.0.0.1:{server.server_address[1]}{base_path}")
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        missing(f"{CHROMIUM} is not installed (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        missing(f"{AXE.relative_to(REPO)} is missing (run npm install)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def context_factory(browser):
    """Open browser contexts for one test and close them after it."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
