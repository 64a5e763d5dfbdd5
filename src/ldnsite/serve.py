"""Preview server: serve build/, rebuild on change, reload the browser.

The site is mounted under the path of ``base_url`` (e.g. ``/ldn/``), as it will be
when deployed, so sub-path mistakes show up in preview. A failed rebuild keeps the
last good site up; its problems are printed in the terminal and shown over the page.
Only files inside the output folder are ever served.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ldnsite.build import BuildResult, build_site
from ldnsite.problems import format_report, format_summary
from ldnsite.project import Project

CONTROL_PREFIX = "/__ldnsite__/"
RELOAD_SCRIPT = (Path(__file__).parent / "reload.js").read_text(encoding="utf-8")


class BuildState:
    """The outcome of the latest build, shared between the watcher and request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self.report = ""
        self.ok = False

    def update(self, result: BuildResult, strict: bool = False) -> None:
        report = format_report(result.problems) if result.failed else ""
        if result.failed:
            report += "\n" + format_summary(result.problems, strict, wrote_nothing=True)
        with self._lock:
            self.generation += 1
            self.ok = not result.failed
            self.report = report.strip()

    def fail(self, message: str) -> None:
        with self._lock:
            self.generation += 1
            self.ok = False
            self.report = message

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {"generation": self.generation, "ok": self.ok, "report": self.report}


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serve the output folder under the site's base path, plus the reload endpoints."""

    def __init__(self, *args, out_dir: Path, base_path: str, state: BuildState, **kwargs) -> None:
        self.out_dir = out_dir.resolve()
        self.base_path = base_path
        self.state = state
        super().__init__(*args, directory=str(out_dir), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        """Keep the terminal for build reports."""

    def do_GET(self) -> None:  # noqa: N802 - name of the base class
        path = urlsplit(self.path).path
        if path == CONTROL_PREFIX + "status":
            return self._send(HTTPStatus.OK, "application/json", json.dumps(self.state.snapshot()).encode())
        if path == CONTROL_PREFIX + "reload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
        if path == "/" and self.base_path != "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.base_path)
            self.end_headers()
            return None
        file = self._file_for(path)
        if file is None:
            return self._not_found()
        if file.suffix == ".html":
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _inject_reload(file.read_bytes()))
        self.path = "/" + file.relative_to(self.out_dir).as_posix()
        return super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    def _file_for(self, path: str) -> Path | None:
        """Map a request path to a file inside the output folder, or None."""
        path = unquote(path)
        if not path.startswith(self.base_path) or "\x00" in path:
            return None
        relative = path[len(self.base_path):]
        candidate = (self.out_dir / relative).resolve()
        if not candidate.is_relative_to(self.out_dir):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def _not_found(self) -> None:
        page = self.out_dir / "404.html"
        body = _inject_reload(page.read_bytes()) if page.is_file() else b"Not found"
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _inject_reload(html: bytes) -> bytes:
    tag = f'<script src="{CONTROL_PREFIX}reload.js" defer></script>'.encode()
    if b"</body>" in html:
        return html.replace(b"</body>", tag + b"</body>", 1)
    return html + tag


def make_server(project: Project, state: BuildState, bind: str, port: int, base_path: str) -> ThreadingHTTPServer:
    """Return a server for the output folder; call ``serve_forever`` on it."""
    handler = partial(PreviewHandler, out_dir=project.out, base_path=base_path, state=state)
    server = ThreadingHTTPServer((bind, port), handler)
    server.daemon_threads = True
    return server


def rebuild(project: Project, state: BuildState, echo: Callable[[str], None], builder=None) -> None:
    """Build once and record the outcome; problems go to the terminal and the browser.

    With a ``builder`` (an incremental ``Builder``), only what changed since its last build is redone.
    """
    from ldnsite.errors import LdnsiteError

    started = time.perf_counter()
    try:
        result = builder.build() if builder is not None else build_site(project, search=False)
    except LdnsiteError as exc:
        state.fail(str(exc))
        echo(f"ldnsite: build failed: {exc}")
        return
    state.update(result)
    if result.failed:
        echo(state.report)
        echo("ldnsite: the last good site is still being served.")
    else:
        rendered = f"{builder.last_rendered:,} pages rendered, " if builder is not None else ""
        echo(f"ldnsite: rebuilt in {time.perf_counter() - started:.2f} s ({rendered}{result.pages:,} files).")


def watch_and_rebuild(project: Project, state: BuildState, echo: Callable[[str], None], stop: threading.Event,
                      builder=None) -> None:
    """Rebuild whenever a file in content/ or templates/ changes, until ``stop`` is set."""
    from watchfiles import watch

    for _changes in watch(project.content, project.templates, stop_event=stop, debounce=200):
        rebuild(project, state, echo, builder)


def serve_site(project: Project, *, bind: str, port: int, watch: bool, echo: Callable[[str], None], cache: bool = True,
               base_url: str | None = None, open_browser: bool = False) -> None:
    """Build, then serve until interrupted.

    ``base_url`` replaces site.yaml's, as ``build --base-url`` does; the preview is served under its path.
    With ``open_browser``, the preview's address is opened in the default web browser once it is served.
    """
    from ldnsite.incremental import Builder

    state = BuildState()
    builder = Builder(project, base_url=base_url, disk_cache=cache)
    rebuild(project, state, echo, builder)
    base_path = _url_path(base_url) if base_url else _base_path(project)
    server = make_server(project, state, bind, port, base_path)
    host, real_port = server.server_address[:2]
    address = f"http://{host}:{real_port}{base_path}"
    echo(f"ldnsite: serving {project.display(project.out)} at {address} (Ctrl+C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    stop = threading.Event()
    if watch:
        threading.Thread(target=watch_and_rebuild, args=(project, state, echo, stop, builder), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        echo("ldnsite: stopped.")
    finally:
        stop.set()
        server.server_close()


def _base_path(project: Project) -> str:
    """Return the path part of the site's base URL, read without a full validation."""
    from ldnsite.yamlsource import read_yaml

    doc, _ = read_yaml(project.content / "site.yaml", "content/site.yaml")
    base_url = doc.data.get("base_url") if doc and isinstance(doc.data, dict) else None
    return _url_path(base_url) if isinstance(base_url, str) else "/"


def _url_path(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"
