"""The preview server: serves build/ under the base path, never a file outside it, and keeps the last good site."""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import TEMPLATES, write_project
from ldnsite.project import Project
from ldnsite.serve import BuildState, make_server, rebuild, watch_and_rebuild


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
