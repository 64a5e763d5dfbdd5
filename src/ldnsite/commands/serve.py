"""Preview server: build into a preview folder of its own, serve it, rebuild on change, reload the browser.

The preview is never built into build/: that folder stays exactly what `ldnsite build` made (with
its search index), and a `build` run during `serve` cannot mix two sites. The preview is built, with
its search index, into a temporary folder removed when `serve` stops (or into ``--out``, if given).

The site is mounted under the path of ``base_url`` (e.g. ``/evidence/``), as it will be
when deployed, so sub-path mistakes show up in preview. A failed rebuild keeps the
last good site up; its problems, or any unexpected error, are printed in the terminal and
shown over the page, and the watcher goes on. Only files inside the preview folder are
ever served, and only to requests whose Host header names this machine's loopback or the
bound address (a web page cannot reach the preview by pointing its own domain name at
127.0.0.1: "DNS rebinding").
"""

from __future__ import annotations

import dataclasses
import errno
import ipaddress
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ldnsite.errors import LdnsiteError, describe_os_error
from ldnsite.output.build import BuildResult, build_site
from ldnsite.problems import format_report, format_summary
from ldnsite.project import Project

CONTROL_PREFIX = "/__ldnsite__/"
RELOAD_SCRIPT = (Path(__file__).parent / "reload.js").read_text(encoding="utf-8")
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
"""Host names always accepted: they can only mean this machine."""
MAX_NAME = 255
"""The longest file name served (most file systems' limit): a longer one is answered 404 without a look at the disk."""
MAX_PATH = 4096
PORT_TRIES = 100
"""How many ports after the default one ``serve`` tries when it is busy."""
TEMP_PREFIX = "ldnsite-serve-"


class BuildState:
    """The outcome of the latest build, shared between the watcher and request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.writing = threading.Lock()
        """Held while a build or the search indexer writes the preview folder."""
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


def host_allowed(host: str | None, bound: str) -> bool:
    """Return whether a request's Host header names this server: a localhost name, or the address it is bound to.

    A port may follow the name. When bound to every address (0.0.0.0 or ::), any IP address is accepted:
    DNS rebinding needs a domain name. Anything else is refused, a missing Host included.
    """
    match = re.fullmatch(r"(?:\[([0-9a-fA-F:.]+)\]|([^:\[\]]+))(?::\d{1,5})?", (host or "").strip())
    if match is None:
        return False
    name = (match[1] or match[2]).lower()
    bound = bound.strip("[]").lower()
    if name in LOCAL_NAMES or name == bound:
        return True
    if bound in ("0.0.0.0", "::", ""):
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True
    return False


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serve the output folder under the site's base path, plus the reload endpoints."""

    def __init__(self, *args, out_dir: Path, base_path: str, state: BuildState, bound: str = "127.0.0.1", **kwargs) -> None:
        self.out_dir = out_dir.resolve()
        self.base_path = base_path
        self.state = state
        self.bound = bound
        super().__init__(*args, directory=str(out_dir), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        """Keep the terminal for build reports."""

    def do_GET(self) -> None:  # noqa: N802 - name of the base class
        if not host_allowed(self.headers.get("Host"), self.bound):
            return self._send(
                HTTPStatus.FORBIDDEN,
                "text/plain; charset=utf-8",
                b"ldnsite serve answers only requests addressed to localhost or the address it is bound to.",
            )
        parts = urlsplit(self.path)
        path = parts.path
        if path == CONTROL_PREFIX + "status":
            return self._send(HTTPStatus.OK, "application/json", json.dumps(self.state.snapshot()).encode())
        if path == CONTROL_PREFIX + "reload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode())
        if path == "/" and self.base_path != "/":
            return self._redirect(self.base_path)
        file = self._file_for(path)
        if file is None:
            return self._not_found()
        if file.is_dir():  # a folder asked for without its slash (the base path too: /evidence): relative links need it
            return self._redirect(path + "/" + (f"?{parts.query}" if parts.query else ""))
        if file.suffix == ".html":
            try:
                html = file.read_bytes()
            except OSError:  # removed by a rebuild since it was found
                return self._not_found()
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _inject_reload(html))
        self.path = "/" + file.relative_to(self.out_dir).as_posix()
        return super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    def _file_for(self, path: str) -> Path | None:
        """Map a request path to a file inside the output folder (or a folder, to redirect to), or None."""
        path = unquote(path)
        if path + "/" == self.base_path:
            return self.out_dir  # the base path without its slash: redirected
        if not path.startswith(self.base_path) or "\x00" in path or len(path) > MAX_PATH:
            return None
        relative = path[len(self.base_path) :]
        if any(len(name.encode("utf-8", "surrogateescape")) > MAX_NAME for name in relative.split("/")):
            return None
        try:
            candidate = (self.out_dir / relative).resolve()
            if not candidate.is_relative_to(self.out_dir):
                return None
            if candidate.is_dir():
                if not path.endswith("/"):
                    return candidate
                candidate = candidate / "index.html"
            return candidate if candidate.is_file() else None
        except (OSError, ValueError):  # a name the file system refuses is a name it does not hold
            return None

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self) -> None:
        try:
            html = (self.out_dir / "404.html").read_bytes()
        except OSError:  # no 404 page (the first build failed): a bare page still carries the script that shows the problems
            html = b"<!doctype html><title>Not found</title><body><p>Page not found.</p></body>"
        body = _inject_reload(html)
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


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server with a listen backlog fit for a browser opening many files at once."""

    daemon_threads = True
    request_queue_size = 128
    """Connections the system keeps waiting while every thread is busy (socketserver's default is 5)."""


def make_server(
    project: Project,
    state: BuildState,
    bind: str,
    port: int,
    base_path: str,
    *,
    pick_free_port: bool = False,
    echo: Callable[[str], None] = print,
) -> PreviewServer:
    """Return a server for the output folder; call ``serve_forever`` on it.

    With ``pick_free_port`` (the port was not given), a busy port is passed over for the next free one,
    with a message, as Hugo does. Otherwise a busy port is an error.
    """
    handler = partial(PreviewHandler, out_dir=project.out, base_path=base_path, state=state, bound=bind)
    last = min(port + PORT_TRIES, 65535) if pick_free_port and port else port
    for candidate in range(port, last + 1):
        try:
            server = PreviewServer((bind, candidate), handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and candidate < last:
                continue
            raise LdnsiteError(_bind_failure(exc, bind, candidate)) from exc
        if candidate != port:
            echo(f"ldnsite: port {port} is in use; using port {candidate} instead.")
        return server
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _bind_failure(exc: OSError, bind: str, port: int) -> str:
    address = f"[{bind}]:{port}" if ":" in bind else f"{bind}:{port}"
    return describe_os_error(OSError(exc.errno, exc.strerror, address))


def rebuild(project: Project, state: BuildState, echo: Callable[[str], None], builder=None, search=None) -> None:
    """Build once and record the outcome; problems go to the terminal and the browser.

    With a ``builder`` (an incremental ``Builder``), only what changed since its last build is redone.
    Whatever goes wrong is reported, never raised: an unexpected error (a bug) is shown like a content
    problem, the builder starts afresh, and the watcher goes on. With a ``search`` (``SearchRefresher``),
    a build that changed files asks it to make the search index again.
    """
    started = time.perf_counter()
    try:
        with state.writing:
            result = builder.build() if builder is not None else build_site(project, search=False)
    except LdnsiteError as exc:
        return _failed(state, echo, f"ldnsite: build failed: {exc}")
    except OSError as exc:
        return _failed(state, echo, f"ldnsite: build failed: {describe_os_error(exc)}")
    except Exception as exc:  # noqa: BLE001 - a bug must not end the watcher thread silently
        if builder is not None:
            builder.forget()
        return _failed(
            state,
            echo,
            f"ldnsite: build failed with an unexpected error: {_describe_bug(exc)}. "
            "This is a bug in ldnsite; please report it with this line.",
        )
    state.update(result)
    if result.failed:
        echo(state.report)
        echo("ldnsite: the last good site is still being served.")
    else:
        rendered = f"{builder.last_rendered:,} pages rendered, " if builder is not None else ""
        echo(f"ldnsite: rebuilt in {time.perf_counter() - started:.2f} s ({rendered}{result.pages:,} files).")
        if search is not None and builder is not None and builder.index_stale:
            builder.index_stale = False
            search.request()


class SearchRefresher:
    """Make the preview's search index again in the background after a rebuild, so that rebuilds stay fast.

    Indexing reads every page (seconds on a large site). The new bundle is written beside the old one
    and swapped in only if no build happened while the pages were read; otherwise it is dropped and
    the site indexed again. Until then search answers from the previous index. Errors are reported.
    """

    def __init__(self, out: Path, state: BuildState, echo: Callable[[str], None]) -> None:
        self.out, self.state, self.echo = out, state, echo
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="ldnsite-search-index")
        self._thread.start()

    def request(self) -> None:
        """Ask for the index to be made again (soon, in the background)."""
        self._wanted.set()

    def stop(self) -> None:
        """Stop the thread once it has finished what it is doing."""
        self._stopped.set()
        self._wanted.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopped.is_set():
                return
            self._wanted.clear()
            try:
                if not self._index_once():
                    self._wanted.set()  # a build came in between: read the site again
            except Exception as exc:  # noqa: BLE001 - search must never end the preview
                self.echo(
                    f"ldnsite: the search index could not be made again: "
                    f"{describe_os_error(exc) if isinstance(exc, OSError) else exc}"
                )

    def _index_once(self) -> bool:
        from ldnsite.output.search import BUNDLE_DIR, index_site
        from ldnsite.output.write import replace_folder

        generation = self.state.snapshot()["generation"]
        fresh = self.out / f".{BUNDLE_DIR}-new"
        shutil.rmtree(fresh, ignore_errors=True)  # what an interrupted indexing left
        index_site(self.out, bundle=fresh)
        with self.state.writing:
            if self.state.snapshot()["generation"] != generation or self._wanted.is_set() or self._stopped.is_set():
                shutil.rmtree(fresh, ignore_errors=True)
                return self._stopped.is_set()
            replace_folder(fresh, self.out / BUNDLE_DIR)
        return True


def _failed(state: BuildState, echo: Callable[[str], None], message: str) -> None:
    state.fail(message)
    echo(message)
    echo("ldnsite: the last good site is still being served.")


def _describe_bug(exc: BaseException) -> str:
    """Name an unexpected exception and the innermost line of ldnsite it came through."""
    package = Path(__file__).resolve().parents[1]  # ldnsite's own files, wherever it is installed or cloned
    frames = [
        frame for frame in traceback.extract_tb(exc.__traceback__) if Path(frame.filename).resolve().is_relative_to(package)
    ]
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}{': ' + text if text else ''}{where}"


def watch_and_rebuild(
    project: Project, state: BuildState, echo: Callable[[str], None], stop: threading.Event, builder=None, search=None
) -> None:
    """Rebuild whenever a file in content/ or templates/ changes, until ``stop`` is set.

    If watching itself fails (a watched folder removed, say), that is reported and watching starts again.
    """
    from watchfiles import watch

    while not stop.is_set():
        try:
            for _changes in watch(project.content, *project.template_dirs, stop_event=stop, debounce=200):
                rebuild(project, state, echo, builder, search)
        except Exception as exc:  # noqa: BLE001 - the watcher must outlive whatever happens to the folders
            _failed(state, echo, f"ldnsite: watching for changes failed: {_describe_bug(exc)}; trying again.")
            stop.wait(1.0)


def serve_site(
    project: Project,
    *,
    bind: str,
    port: int,
    watch: bool,
    echo: Callable[[str], None],
    cache: bool = True,
    out: Path | None = None,
    pick_free_port: bool = False,
    search: bool | None = None,
    base_url: str | None = None,
    open_browser: bool = False,
) -> None:
    """Build into a preview folder (``out``, else a temporary one: never build/), then serve it until interrupted.

    ``base_url`` replaces site.yaml's, as ``build --base-url`` does; the preview is served under its path.
    With ``open_browser``, the preview's address is opened in the default web browser once it is served.

    A given ``out`` stays locked for the whole session, so a `build` into it waits rather than mixing two sites.
    ``search`` (default: when Pagefind is installed) indexes the preview, and again after each rebuild.
    """
    from ldnsite.output.build import _wants_search, check_output_folder
    from ldnsite.output.incremental import Builder
    from ldnsite.output.write import OutputLock

    temporary: Path | None = None
    if out is None:
        temporary = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
        site = temporary / "site"
    else:
        site = out
    preview = dataclasses.replace(project, out=site.resolve())
    lock = OutputLock(preview.out)
    on_term = _stop_on_sigterm()
    refresher = None
    try:
        check_output_folder(preview)
        remove_dead_previews()
        lock.acquire()
        state = BuildState()
        searching = _wants_search(search)
        builder = Builder(preview, base_url=base_url, disk_cache=cache, search=searching)
        rebuild(preview, state, echo, builder)
        refresher = SearchRefresher(preview.out, state, echo) if searching else None
        base_path = _url_path(base_url) if base_url else _base_path(project)
        server = make_server(preview, state, bind, port, base_path, pick_free_port=pick_free_port, echo=echo)
        host, real_port = server.server_address[:2]
        if isinstance(host, bytes):  # typeshed allows bytes; an IP server's address is text
            host = host.decode()
        host = f"[{host}]" if ":" in host else host
        address = f"http://{host}:{real_port}{base_path}"
        echo(f"ldnsite: serving a preview built in {preview.out} at {address} (Ctrl+C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(address)
        _serve(server, preview, state, echo, builder, watch, refresher)
    finally:
        if refresher is not None:
            refresher.stop()
        lock.release()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        if on_term is not None:
            signal.signal(signal.SIGTERM, on_term)


def _stop_on_sigterm():
    """Let SIGTERM stop `serve` as Ctrl+C does, so the preview folder is removed; return the handler it replaces."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def _serve(server: PreviewServer, project: Project, state: BuildState, echo, builder, watch: bool, refresher) -> None:
    stop = threading.Event()
    if watch:
        threading.Thread(target=watch_and_rebuild, args=(project, state, echo, stop, builder, refresher), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        echo("ldnsite: stopped.")
    finally:
        stop.set()
        server.server_close()


def remove_dead_previews(folder: Path | None = None) -> list[Path]:
    """Remove the temporary preview folders of `serve` processes that were killed (they could not clean up).

    Only folders named by this module with the id of a process that no longer runs, and owned by this user.
    """
    from ldnsite.output.write import _running

    folder = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    pattern = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-[^/]+")
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None:
            continue
        try:
            ours = (
                entry.is_dir(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_uid == getattr(os, "getuid", lambda: -1)()
            )
        except OSError:
            continue
        if ours and not _running(int(match[1])) and int(match[1]) != os.getpid():
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _base_path(project: Project) -> str:
    """Return the path part of the site's base URL, read without a full validation."""
    from ldnsite.content.yamlsource import read_yaml

    doc, _ = read_yaml(project.content / "site.yaml", "content/site.yaml")
    base_url = doc.data.get("base_url") if doc and isinstance(doc.data, dict) else None
    return _url_path(base_url) if isinstance(base_url, str) else "/"


def _url_path(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"
