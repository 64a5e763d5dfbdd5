"""Full-text search: index the staged site with Pagefind, reproducibly.

``build.py`` calls :func:`index_site` after every page is in the staging folder and
before the folder is swapped in, so a failed index leaves the old site in place.

What is indexed is decided in the templates: ``<main data-pagefind-body>`` on condition,
claim, source and method pages only (``Page.search`` in ``site.py``), so the navigation,
the disclaimer banner and the footer that repeat on every page are never indexed, nor
the home page, the evidence map and the bibliography, which only repeat what those
pages say. ``data-pagefind-ignore`` drops breadcrumbs, edit links and "cite this page";
hidden ``data-pagefind-meta`` and ``data-pagefind-filter`` elements carry the type of
each result (condition, claim, source), its tier and its grade.

Reproducibility. Pagefind numbers pages in the order it receives them, and when it
walks a folder itself that is the file system's directory order, which differs between
machines. So pages are sent one by one, sorted by path, through Pagefind's service mode
(the protocol its Python and Node wrappers speak; the Python wrapper is not used because
it polls for each answer every 0.1 s), and the finished bundle is asked for in the answer
and written here. The one part of the output that is still random, the order of filter
values, is then sorted by ``pagefind_bundle.stabilize_bundle``.
``tests/test_search.py`` builds twice in different folders and compares every byte.
"""

from __future__ import annotations

import base64
import json
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ldnsite.errors import LdnsiteError
from ldnsite.output.pagefind_bundle import stabilize_bundle

BUNDLE_DIR = "pagefind"
"""Folder of the search bundle inside the site; ``static/search.js`` loads ``pagefind.js`` from it."""


class SearchIndexError(LdnsiteError):
    """The search index could not be built."""


def index_site(site_dir: Path, bundle: Path | None = None) -> int:
    """Index the pages below ``site_dir`` that ask for it, write the bundle to ``site_dir/pagefind``; return their number.

    ``bundle`` writes it to another folder instead (``serve`` swaps a new bundle in after a rebuild).
    """
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / BUNDLE_DIR if bundle is None else Path(bundle)
    pages = [
        p
        for p in sorted(site_dir.rglob("*.html"), key=lambda p: p.relative_to(site_dir).as_posix())
        if BUNDLE_DIR not in p.relative_to(site_dir).parts
    ]
    with _Service(_executable()) as service:
        index_id = service.call({"type": "NewIndex", "config": None})["index_id"]
        indexed = 0
        for page in pages:
            html = page.read_text(encoding="utf-8")
            if "data-pagefind-body" not in html:
                continue
            url = "/" + page.relative_to(site_dir).as_posix()
            service.call({"type": "AddFile", "index_id": index_id, "url": url, "file_path": None, "file_contents": html})
            indexed += 1
        # The files come back in the answer and are written here: asking Pagefind to write them
        # races with its exit, which can leave pagefind-entry.json empty.
        files = service.call({"type": "GetFiles", "index_id": index_id})["files"]
    _write_bundle(bundle, files)
    stabilize_bundle(bundle)
    return indexed


def _write_bundle(bundle: Path, files: list[dict[str, str]]) -> None:
    """Write the bundle's files (paths relative to the bundle, contents in base64), refusing any path outside it."""
    bundle = bundle.resolve()
    for item in sorted(files, key=lambda f: f["path"]):
        target = (bundle / item["path"]).resolve()
        if not target.is_relative_to(bundle) or target == bundle:
            raise SearchIndexError(f"Pagefind returned a file outside its bundle: {item['path']!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(item["content"]))


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise SearchIndexError(
            "search needs the optional dependency pagefind[bin] (pip install 'ldnsite[search]'), or build with --no-search"
        ) from exc
    path = get_executable()
    if path is None:
        raise SearchIndexError("the Pagefind binary was not found: pip install 'pagefind[bin]', or build with --no-search")
    return Path(path)


class _Service:
    """A Pagefind process in service mode: base64 JSON messages, each followed by a comma, in both directions."""

    def __init__(self, executable: Path) -> None:
        self._executable = executable
        self._next_id = 0
        self._buffer = bytearray()

    def __enter__(self) -> _Service:
        self._stderr = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                [str(self._executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr
            )
        except OSError as exc:
            self._stderr.close()
            raise SearchIndexError(f"could not start Pagefind ({self._executable}): {exc}") from exc
        return self

    def __exit__(self, *exc_info: object) -> None:
        process = self._process
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        self._stderr.close()

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its answer; an error answer raises SearchIndexError."""
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        assert self._process.stdin and self._process.stdout
        try:
            self._process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
            self._process.stdin.flush()
        except BrokenPipeError as exc:
            raise SearchIndexError(f"Pagefind stopped: {self._errors()}") from exc
        answer = self._read()
        result = answer.get("payload", {})
        if result.get("type") == "Error":
            raise SearchIndexError(f"Pagefind could not handle {payload['type']}: {result.get('message')}")
        if answer.get("message_id") != self._next_id:
            raise SearchIndexError(f"Pagefind answered message {answer.get('message_id')} instead of {self._next_id}")
        return result

    def _read(self) -> dict[str, Any]:
        assert self._process.stdout
        while b"," not in self._buffer:
            # typeshed types Popen.stdout as IO[bytes]; with the default buffering it is a BufferedReader, which has read1.
            data = self._process.stdout.read1(1 << 16)  # type: ignore[attr-defined]
            if not data:
                raise SearchIndexError(f"Pagefind stopped: {self._errors()}")
            self._buffer += data
        message, _, rest = bytes(self._buffer).partition(b",")
        self._buffer = bytearray(rest)
        return json.loads(base64.b64decode(message))

    def _errors(self) -> str:
        """What Pagefind said before it stopped, how it ended, and what to do about it."""
        self._stderr.seek(0)
        said = self._stderr.read().decode("utf-8", "replace").strip()
        try:
            status = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        return stop_report(said, status)


def stop_report(said: str, status: int | None) -> str:
    """Describe how the Pagefind process ended (``status`` as ``Popen.returncode``) and what to do next."""
    if status is not None and status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        ended = f"it was killed by {name}"
        if -status == signal.SIGKILL:
            ended += " (on Linux, most often the out-of-memory killer: indexing a very large site needs a lot of memory)"
    elif status is not None:
        ended = f"it exited with status {status}"
    else:
        ended = "it stopped answering"
    message = f"{said}; {ended}" if said else ended
    return f"{message}. The site was not changed; build with --no-search to skip the search index"
