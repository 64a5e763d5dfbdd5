"""The preview server: serves build/ under the base path, never a file outside it, and keeps the last good site."""

import json
import re
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import TEMPLATES, write_project
from ldnsite.project import Project
from ldnsite.commands.serve import BuildState, make_server, rebuild, watch_and_rebuild


@pytest.fixture
def served(tmp_path):
    project_dir = write_project(tmp_path / "project", {})
    (tmp_path / "secret.txt").write_text("secret")
    project = Project.at(project_dir, templates=TEMPLATES)
    state = BuildState()
    messages: list[str] = []
    rebuild(project, state, messages.append)
    server = make_server(project, state, "127.0.0.1", 0, "/ldn/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield project, state, base, messages
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str, str]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


def test_pages_are_served_under_the_base_path_with_the_reload_script(served):
    _, _, base, _ = served
    status, content_type, body = get(base + "/ldn/")
    assert status == 200 and content_type.startswith("text/html")
    assert '<script src="/__ldnsite__/reload.js" defer></script></body>' in body
    assert get(base + "/ldn/claims/ldn-fibro-pain.html")[0] == 200
    assert get(base + "/ldn/static/style.css")[0] == 200


def test_root_redirects_to_the_base_path(served):
    _, _, base, _ = served
    request = urllib.request.Request(base + "/")
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None}))
    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(request, timeout=5)
    with info.value:
        assert info.value.code == 302 and info.value.headers["Location"] == "/ldn/"


@pytest.mark.parametrize("path", ["/ldn/../secret.txt", "/ldn/%2e%2e/%2e%2e/secret.txt", "/ldn/..%2f..%2fsecret.txt",
                                  "/secret.txt", "/ldn/%00", "/ldn/nope.html"])
def test_nothing_outside_build_is_served(served, path):
    _, _, base, _ = served
    status, _, body = get(base + path)
    assert status == 404
    assert "secret" not in body
    assert "Page not found" in body


def test_status_reports_the_build(served):
    _, _, base, _ = served
    assert json.loads(get(base + "/__ldnsite__/status")[2]) == {"generation": 1, "ok": True, "report": ""}


def test_a_content_error_is_reported_and_the_last_good_site_stays(served):
    project, state, base, messages = served
    before = get(base + "/ldn/claims/ldn-fibro-pain.html")[2]
    claim_file = project.content / "conditions/fibromyalgia.yaml"
    claim_file.write_text(claim_file.read_text().replace("grade: low", "grade: lowx"))
    rebuild(project, state, messages.append)
    status = json.loads(get(base + "/__ldnsite__/status")[2])
    assert status["ok"] is False and status["generation"] == 2
    assert status["report"].startswith("content/conditions/fibromyalgia.yaml:11:12: error: claim 'ldn-fibro-pain': grade 'lowx'")
    assert messages[-1] == "ldnsite: the last good site is still being served."
    assert get(base + "/ldn/claims/ldn-fibro-pain.html")[2] == before


def test_watcher_rebuilds_after_a_change(served):
    project, state, base, messages = served
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(project, state, messages.append, stop), daemon=True)
    watcher.start()
    time.sleep(0.5)
    claim_file = project.content / "conditions/fibromyalgia.yaml"
    claim_file.write_text(claim_file.read_text().replace("title: LDN reduces pain", "title: LDN eases pain"))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and state.snapshot()["generation"] < 2:
        time.sleep(0.1)
    stop.set()
    assert state.snapshot()["ok"] is True
    assert "LDN eases pain" in get(base + "/ldn/claims/ldn-fibro-pain.html")[2]


# Only requests addressed to this machine are answered (DNS rebinding).

def get_with_host(base: str, path: str, host: str | None) -> tuple[int, dict, bytes]:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host.replace("PORT", str(parts.port)))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["localhost", "localhost:PORT", "LocalHost:PORT", "127.0.0.1", "127.0.0.1:PORT",
                                  "[::1]:PORT", "[::1]"])
def test_requests_to_localhost_names_are_answered(served, host):
    _, _, base, _ = served
    assert get_with_host(base, "/ldn/", host)[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:PORT", "127.0.0.1.evil.example", "localhost.evil.example",
                                  "127.0.0.2", "0.0.0.0:PORT", "", None, "[::1", "localhost:port", "localhost:PORT:PORT",
                                  "user@localhost"])
def test_requests_for_any_other_host_are_refused(served, host):
    _, _, base, _ = served
    status, _, body = get_with_host(base, "/ldn/", host)
    assert status == 403
    assert body == b"ldnsite serve answers only requests addressed to localhost or the address it is bound to."
    assert get_with_host(base, "/__ldnsite__/status", host)[0] == 403


@pytest.mark.parametrize(("host", "bound", "allowed"), [
    ("192.168.1.5:8000", "0.0.0.0", True),  # bound to every address: reached by the machine's own address
    ("[fe80::1]:8000", "::", True),
    ("evil.example:8000", "0.0.0.0", False),  # but never by a domain name that someone else controls
    ("myhost.lan:8000", "myhost.lan", True),
    ("192.168.1.5", "127.0.0.1", False),
    ("[::1]:8000", "::1", True),
])
def test_the_bound_address_is_accepted(host, bound, allowed):
    from ldnsite.commands.serve import host_allowed

    assert host_allowed(host, bound) is allowed


# Names the file system cannot hold, the listen backlog, and paths without their slash.

@pytest.mark.parametrize("path", ["/ldn/" + "a" * 256, "/ldn/" + "%C3%A9" * 128 + ".html", "/ldn/" + "a/" * 2100,
                                  "/ldn/claims/" + "x" * 1000 + ".html"])
def test_overlong_names_are_not_found(served, path):
    _, _, base, _ = served
    status, _, body = get(base + path)
    assert status == 404 and "Page not found" in body
    assert get(base + "/ldn/")[0] == 200  # and the server goes on


def test_the_longest_name_a_file_system_holds_is_served(served):
    project, _, base, _ = served
    (project.out / ("a" * 250 + ".html")).write_text("<p>long</p>")
    assert get(base + "/ldn/" + "a" * 250 + ".html")[:2] == (200, "text/html; charset=utf-8")


def test_the_server_keeps_a_real_listen_backlog(served, tmp_path):
    from ldnsite.commands.serve import PreviewServer

    assert PreviewServer.request_queue_size >= 128
    project = Project.at(write_project(tmp_path / "other", {}), templates=TEMPLATES)
    server = make_server(project, BuildState(), "127.0.0.1", 0, "/")
    try:
        assert server.request_queue_size == 128 and server.daemon_threads
    finally:
        server.server_close()


def no_redirect_status(url: str) -> tuple[int, str | None]:
    no_redirect = type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None})
    opener = urllib.request.build_opener(no_redirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, None
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers.get("Location")


@pytest.mark.parametrize(("path", "location"), [("/ldn", "/ldn/"), ("/ldn?q=1", "/ldn/?q=1"), ("/ldn/claims", "/ldn/claims/")])
def test_a_folder_without_its_slash_is_redirected(served, path, location):
    _, _, base, _ = served
    assert no_redirect_status(base + path) == (302, location)


def test_paths_that_only_start_like_the_base_path_are_not_found(served):
    _, _, base, _ = served
    assert no_redirect_status(base + "/ld")[0] == 404
    assert no_redirect_status(base + "/ldnx")[0] == 404


# An unexpected error in a rebuild is shown, and rebuilding goes on.

def test_an_unexpected_error_is_reported_and_the_next_rebuild_works(tmp_path, monkeypatch):
    import ldnsite.plan.site
    from ldnsite.output.incremental import Builder

    project = Project.at(write_project(tmp_path / "project", {}), templates=TEMPLATES, out=tmp_path / "preview")
    builder = Builder(project)
    state, messages = BuildState(), []
    rebuild(project, state, messages.append, builder)
    real_plan = ldnsite.plan.site.plan_site

    def plan_site(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(ldnsite.plan.site, "plan_site", plan_site)
    rebuild(project, state, messages.append, builder)
    snapshot = state.snapshot()
    assert snapshot["ok"] is False and snapshot["generation"] == 2
    assert re.fullmatch(r"ldnsite: build failed with an unexpected error: RecursionError: maximum recursion depth exceeded "
                        r"\(at incremental\.py:\d+ in _build\)\. This is a bug in ldnsite; please report it with this line\.",
                        snapshot["report"])
    assert messages[-2:] == [snapshot["report"], "ldnsite: the last good site is still being served."]
    monkeypatch.setattr(ldnsite.plan.site, "plan_site", real_plan)
    edit_title(project, "LDN eases pain")
    rebuild(project, state, messages.append, builder)
    assert state.snapshot()["ok"] is True
    assert "LDN eases pain" in (tmp_path / "preview" / "claims" / "ldn-fibro-pain.html").read_text()


def edit_title(project, title):
    claim_file = project.content / "conditions/fibromyalgia.yaml"
    text = claim_file.read_text()
    claim_file.write_text(re.sub(r"title: LDN \w+ pain", f"title: {title}", text, count=1))


@pytest.mark.parametrize("error", [RecursionError("deep"), KeyError("bug"), MemoryError()])
def test_the_watcher_survives_any_error_in_a_rebuild(tmp_path, monkeypatch, error):
    import ldnsite.plan.site
    from ldnsite.output.incremental import Builder

    project = Project.at(write_project(tmp_path / "project", {}), templates=TEMPLATES, out=tmp_path / "preview")
    builder = Builder(project)
    state, messages = BuildState(), []
    rebuild(project, state, messages.append, builder)
    real_plan = ldnsite.plan.site.plan_site
    failures = []

    def plan_site(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise error
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(ldnsite.plan.site, "plan_site", plan_site)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(project, state, messages.append, stop, builder), daemon=True)
    watcher.start()
    try:
        time.sleep(0.5)
        edit_title(project, "LDN eases pain")
        wait_for(lambda: state.snapshot()["generation"] >= 2)
        assert state.snapshot()["ok"] is False
        assert f"unexpected error: {type(error).__name__}" in state.snapshot()["report"]
        edit_title(project, "LDN lessens pain")
        wait_for(lambda: state.snapshot()["generation"] >= 3)
        assert watcher.is_alive()
    finally:
        stop.set()
    assert state.snapshot()["ok"] is True, state.snapshot()
    assert "LDN lessens pain" in (tmp_path / "preview" / "claims" / "ldn-fibro-pain.html").read_text()


def wait_for(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.1)
    assert condition()


# serve builds into a folder of its own: build/ stays what `ldnsite build` made.

def run_serve(project_dir, monkeypatch, fetch=(), **kwargs):
    """Run serve_site, fetch the paths in ``fetch`` from it, then stop; return what it printed and what was seen."""
    from http.server import ThreadingHTTPServer

    from ldnsite.commands.serve import PreviewServer, serve_site

    seen = {}

    def serve_forever(server, poll_interval=0.5):
        out = server.RequestHandlerClass.keywords["out_dir"]
        seen["out"] = out
        seen["files"] = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        seen["lock"] = sorted(p.name for p in out.parent.iterdir() if p.name.endswith(".lock"))
        if fetch:
            thread = threading.Thread(target=ThreadingHTTPServer.serve_forever, args=(server,), daemon=True)
            thread.start()
            base = f"http://127.0.0.1:{server.server_address[1]}"
            seen["fetched"] = {path: get(base + path)[:2] for path in fetch}
            server.shutdown()
        raise KeyboardInterrupt

    monkeypatch.setattr(PreviewServer, "serve_forever", serve_forever)
    messages = []
    project = Project.at(project_dir, templates=TEMPLATES)
    serve_site(project, bind="127.0.0.1", port=0, watch=False, echo=messages.append, cache=False, **kwargs)
    return messages, seen


def test_serve_never_writes_build(tmp_path, monkeypatch):
    from conftest import run_cli, tree

    project_dir = write_project(tmp_path / "project", {})
    assert run_cli("build", "--project", project_dir, "--templates", TEMPLATES, "--no-search").exit_code == 0
    before = tree(project_dir / "build")
    messages, seen = run_serve(project_dir, monkeypatch)
    assert tree(project_dir / "build") == before
    assert not seen["out"].is_relative_to(project_dir)
    assert "index.html" in seen["files"] and "claims/ldn-fibro-pain.html" in seen["files"]
    assert messages[1].startswith(f"ldnsite: serving a preview built in {seen['out']} at http://127.0.0.1:")
    assert messages[-1] == "ldnsite: stopped."
    assert not seen["out"].parent.exists()  # the temporary folder is removed when serve stops
    assert sorted(p.name for p in project_dir.iterdir()) == ["build", "content"]


def test_the_preview_has_its_search_index(tmp_path, monkeypatch):
    pytest.importorskip("pagefind")
    fetch = ["/ldn/pagefind/pagefind.js", "/ldn/pagefind/pagefind-entry.json", "/ldn/search.html"]
    _, seen = run_serve(write_project(tmp_path / "project", {}), monkeypatch, fetch=fetch)
    assert "pagefind/pagefind.js" in seen["files"]
    assert any(name.startswith("pagefind/fragment/") for name in seen["files"])
    assert [status for status, _ in seen["fetched"].values()] == [200, 200, 200]
    assert seen["fetched"]["/ldn/pagefind/pagefind.js"][1].endswith("javascript")


def test_serve_with_out_builds_there_and_holds_its_lock(tmp_path, monkeypatch):
    project_dir = write_project(tmp_path / "project", {})
    _, seen = run_serve(project_dir, monkeypatch, out=tmp_path / "preview")
    assert seen["out"] == tmp_path / "preview" and "index.html" in seen["files"]
    assert seen["lock"] == [".preview.lock"]
    assert not (tmp_path / ".preview.lock").exists()
    assert not (project_dir / "build").exists()


def fragments(out):
    return sorted(p.name for p in (out / "pagefind" / "fragment").iterdir())


def test_the_search_index_follows_an_incremental_rebuild_in_the_background(tmp_path):
    pytest.importorskip("pagefind")
    from ldnsite.output.incremental import Builder
    from ldnsite.commands.serve import SearchRefresher

    project = Project.at(write_project(tmp_path / "project", {}), templates=TEMPLATES, out=tmp_path / "preview")
    builder = Builder(project, search=True)
    state, messages = BuildState(), []
    rebuild(project, state, messages.append, builder)
    first = fragments(project.out)  # a full build indexes before its swap
    refresher = SearchRefresher(project.out, state, messages.append)
    try:
        edit_title(project, "LDN eases pain")
        rebuild(project, state, messages.append, builder, refresher)
        assert builder.last_rendered < 10 and builder.index_stale is False  # incremental; the index was asked for
        wait_for(lambda: fragments(project.out) != first)  # fragments are named after their content
    finally:
        refresher.stop()
    assert sorted(p.name for p in project.out.iterdir() if p.name.startswith(".")) == []
    assert [m for m in messages if "search" in m] == []


def test_a_bundle_read_while_a_build_happened_is_dropped_and_made_again(tmp_path, monkeypatch):
    pytest.importorskip("pagefind")
    import ldnsite.output.search
    from ldnsite.output.incremental import Builder
    from ldnsite.commands.serve import SearchRefresher

    project = Project.at(write_project(tmp_path / "project", {}), templates=TEMPLATES, out=tmp_path / "preview")
    builder = Builder(project, search=True)
    state, messages = BuildState(), []
    rebuild(project, state, messages.append, builder)
    real_index, runs = ldnsite.output.search.index_site, []

    def index_site(site_dir, bundle=None):
        runs.append(bundle)
        if len(runs) == 1:
            state.fail("a build came in while the pages were read")
        return real_index(site_dir, bundle=bundle)

    monkeypatch.setattr(ldnsite.output.search, "index_site", index_site)
    before = (project.out / "pagefind").stat().st_ino
    refresher = SearchRefresher(project.out, state, messages.append)
    try:
        refresher.request()
        wait_for(lambda: len(runs) == 2 and (project.out / "pagefind").stat().st_ino != before)
    finally:
        refresher.stop()
    assert runs == [project.out / ".pagefind-new"] * 2
    assert not (project.out / ".pagefind-new").exists()


def test_a_failed_search_index_is_reported_and_the_refresher_goes_on(tmp_path, monkeypatch):
    import ldnsite.output.search
    from ldnsite.commands.serve import SearchRefresher

    out = tmp_path / "preview"
    out.mkdir()
    calls = []

    def index_site(site_dir, bundle=None):
        calls.append(1)
        if len(calls) == 1:
            raise ldnsite.output.search.SearchIndexError("Pagefind stopped")
        raise OSError(28, "No space left on device", str(bundle))

    monkeypatch.setattr(ldnsite.output.search, "index_site", index_site)
    messages = []
    refresher = SearchRefresher(out, BuildState(), messages.append)
    try:
        refresher.request()
        wait_for(lambda: len(messages) == 1)
        refresher.request()
        wait_for(lambda: len(messages) == 2)
    finally:
        refresher.stop()
    assert messages == ["ldnsite: the search index could not be made again: Pagefind stopped",
                        f"ldnsite: the search index could not be made again: no space left on the device: "
                        f"{out / '.pagefind-new'} [ENOSPC]; free some space, then run the command again"]


def test_dead_previews_are_removed_and_live_ones_kept(tmp_path):
    import os

    from ldnsite.commands.serve import remove_dead_previews
    from test_write import dead_pid

    dead = dead_pid()
    for name in (f"ldnsite-serve-{dead}-abc", f"ldnsite-serve-{os.getppid()}-abc", "ldnsite-serve-x-abc", f"other-{dead}-abc"):
        (tmp_path / name / "site").mkdir(parents=True)
    (tmp_path / f"ldnsite-serve-{dead}-file").write_text("not a folder")
    removed = remove_dead_previews(tmp_path)
    assert removed == [tmp_path / f"ldnsite-serve-{dead}-abc"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"ldnsite-serve-{os.getppid()}-abc", "ldnsite-serve-x-abc", f"other-{dead}-abc", f"ldnsite-serve-{dead}-file"])


@pytest.mark.parametrize(("args", "pick", "out"), [([], True, None), (["--port", "8000"], False, None),
                                                    (["--out", "preview"], True, "preview")])
def test_the_cli_passes_over_a_busy_port_only_when_none_was_given(tmp_path, monkeypatch, args, pick, out):
    import ldnsite.commands.serve
    from conftest import run_cli

    project_dir = write_project(tmp_path / "project", {})
    calls = []
    monkeypatch.setattr(ldnsite.commands.serve, "serve_site", lambda project, **kwargs: calls.append(kwargs))
    args = [str(tmp_path / arg) if arg == out else arg for arg in args]
    assert run_cli("serve", "--project", project_dir, *args).exit_code == 0
    [kwargs] = calls
    assert kwargs["pick_free_port"] is pick and kwargs["port"] == 8000
    assert kwargs["out"] == (None if out is None else tmp_path / out)


def test_before_any_good_build_a_missing_page_still_shows_the_problems(tmp_path):
    project = Project.at(write_project(tmp_path / "project", {}), templates=TEMPLATES, out=tmp_path / "preview")
    server = make_server(project, BuildState(), "127.0.0.1", 0, "/ldn/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = get(f"http://127.0.0.1:{server.server_address[1]}/ldn/")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 404
    assert body == ('<!doctype html><title>Not found</title><body><p>Page not found.</p>'
                    '<script src="/__ldnsite__/reload.js" defer></script></body>')
