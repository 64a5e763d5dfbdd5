"""Failures of the environment end in one line saying what happened and where, exit 1, the old build intact.

Disk full, read-only file system, permission denied, file name too long and a busy port: each is
injected (the errno raised where the writer writes) and, where this machine allows it, made for real
(a too-long name; a small or read-only tmpfs in a user and mount namespace of its own, which vanishes
with the process; a port that is taken).
"""

import errno
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import textwrap

import pytest

from conftest import FIXTURES, REPO, TEMPLATES, run_cli, tree
from ldnsite.errors import describe_os_error

MESSAGES = {
    "ENOSPC": "no space left on the device: {where} [ENOSPC]; free some space, then run the command again",
    "EDQUOT": "disk quota exceeded: {where} [EDQUOT]; free some space within your quota, then run the command again",
    "EROFS": "read-only file system: {where} [EROFS]; choose a folder on a writable file system (--out)",
    "EACCES": "permission denied: {where} [EACCES]; check the owner and permissions of the folder, or choose another one",
    "EPERM": "operation not permitted: {where} [EPERM]; check the owner and permissions of the folder, or choose another one",
    "ENAMETOOLONG": "file name too long: {where} [ENAMETOOLONG]; use a shorter name or folder path",
    "EIO": "input/output error: {where} [EIO]; check the disk",
    "EADDRINUSE": "port already in use: {where} [EADDRINUSE]; stop the program using it, or choose another --port",
}


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_each_errno_has_its_one_line(name):
    code = getattr(errno, name)
    exc = OSError(code, os.strerror(code), "/site/build/index.html")
    assert describe_os_error(exc) == MESSAGES[name].format(where="/site/build/index.html")


def test_an_unlisted_errno_says_what_the_system_says_and_both_paths():
    exc = OSError(errno.EXDEV, os.strerror(errno.EXDEV), "/a", None, "/b")
    line = describe_os_error(exc, "swapping the site in")
    assert line == "invalid cross-device link while swapping the site in: /a -> /b [EXDEV]"


def test_an_error_without_errno_or_path_is_still_one_line():
    assert describe_os_error(OSError("something odd")) == "something odd"


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A project with a good build/, and SOURCE_DATE_EPOCH fixed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    assert run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search").exit_code == 0
    return project


def build_lines(project):
    result = run_cli("build", "--project", project, "--templates", TEMPLATES, "--no-search")
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize("name", sorted(set(MESSAGES) - {"EADDRINUSE"}))
def test_a_write_that_fails_ends_in_one_line_and_keeps_the_old_build(built, monkeypatch, name):
    import ldnsite.output.write as write

    before = tree(built / "build")
    real_write = write._write_whole
    failed = []

    def write_whole(path, data):
        if ".build-staging-" in str(path) and len(failed) < 1 and pathlib.Path(path).name == "index.html":
            failed.append(path)
            code = getattr(errno, name)
            raise OSError(code, os.strerror(code))  # as write() raises it: no file name
        return real_write(path, data)

    monkeypatch.setattr(write, "_write_whole", write_whole)
    code, lines = build_lines(built)
    assert code == 1
    assert lines == ["Error: " + MESSAGES[name].format(where=failed[0]) + "; build was left as it was"]
    assert tree(built / "build") == before
    assert sorted(p.name for p in built.iterdir()) == ["build", "content"]


def test_a_failure_while_streaming_a_large_file_keeps_the_old_build(built, monkeypatch):
    import ldnsite.output.write as write

    before = tree(built / "build")
    real_open = open

    def failing_open(path, mode="r", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        if "w" in mode and str(path).endswith("claims.json"):
            handle.close()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return handle

    monkeypatch.setattr(write, "open", failing_open, raising=False)
    code, lines = build_lines(built)
    assert code == 1
    [line] = lines
    assert line.startswith("Error: no space left on the device: ") and "/api/claims.json [ENOSPC]" in line
    assert tree(built / "build") == before


def test_a_failure_in_the_swap_keeps_the_old_build(built, monkeypatch):
    import ldnsite.output.write as write

    before = tree(built / "build")

    def exchange(first, second):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(first), None, str(second))

    monkeypatch.setattr(write, "exchange", exchange)
    code, lines = build_lines(built)
    assert code == 1
    assert lines == [f"Error: permission denied: {built / f'.build-staging-{os.getpid()}'} -> {built / 'build'} [EACCES]; "
                     "check the owner and permissions of the folder, or choose another one; build was left as it was"]
    assert tree(built / "build") == before
    assert sorted(p.name for p in built.iterdir()) == ["build", "content"]


def test_a_content_folder_that_cannot_be_read_is_one_line(built, monkeypatch):
    import ldnsite.output.build as build

    def unreadable(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(built / "content" / "sources"))

    monkeypatch.setattr(build, "load_database", unreadable)
    result = run_cli("check", "--project", built)
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: permission denied: {built / 'content' / 'sources'} [EACCES]; "
                                          "check the owner and permissions of the folder, or choose another one"]


# For real.

def run_ldnsite(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "ldnsite", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, "SOURCE_DATE_EPOCH": "1735689600"})


def test_a_too_long_output_name_for_real(tmp_path):
    out = tmp_path / ("x" * 300) / "build"
    done = run_ldnsite("build", "--project", FIXTURES / "minimal", "--templates", TEMPLATES, "--no-search", "--out", out)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"Error: file name too long: {out} [ENAMETOOLONG]; use a shorter name or folder "
                                        f"path; {out} was left as it was"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_write_permission_for_real(tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        done = run_ldnsite("build", "--project", FIXTURES / "minimal", "--templates", TEMPLATES, "--no-search",
                           "--out", parent / "build")
    finally:
        parent.chmod(0o755)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith("Error: permission denied: ") and "[EACCES]" in line and "Traceback" not in done.stderr


NAMESPACE_SCRIPT = """
import json, os, subprocess, sys
from pathlib import Path

def tree(root):
    return {p.relative_to(root).as_posix(): p.stat().st_size for p in sorted(Path(root).rglob("*")) if p.is_file()}

def ldnsite(*args):
    done = subprocess.run([sys.executable, "-m", "ldnsite", "build", "--project", PROJECT, "--templates", TEMPLATES,
                           "--no-search", "--out", OUT, *args], capture_output=True, text=True)
    return {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

def mount(*options):
    subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", OUT], check=True)

result = {}
"""


def in_namespace(tmp_path, body: str) -> dict:
    """Run ``body`` (Python) as root of a new user and mount namespace, where it may mount a tmpfs; return its JSON."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("user and mount namespaces are not available here")
    out = tmp_path / "out"
    out.mkdir()
    header = (f"PROJECT, TEMPLATES, OUT = {str(FIXTURES / 'minimal')!r}, {str(TEMPLATES)!r}, {str(out)!r}\n"
              + NAMESPACE_SCRIPT)
    script = header + textwrap.dedent(body) + "\nprint(json.dumps(result))\n"
    done = subprocess.run(["unshare", "-rm", sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                          timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": "1735689600"})
    if done.returncode and "mount" in done.stderr and "permission denied" in done.stderr.lower():
        pytest.skip("mounting a tmpfs is not allowed here")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_output_folder_that_is_a_mount_point_for_real(tmp_path):
    result = in_namespace(tmp_path, """
        mount("size=8m")
        result["first"] = ldnsite()
        (Path(OUT) / "stale.html").write_text("from before")
        result["second"] = ldnsite()
        result["mount"] = os.path.ismount(OUT)
        result["files"] = sorted(tree(OUT))
        result["beside"] = sorted(p.name for p in Path(OUT).parent.iterdir())
    """)
    assert result["first"]["code"] == 0 and result["second"]["code"] == 0, result
    assert result["mount"] is True
    assert "index.html" in result["files"] and "stale.html" not in result["files"]
    assert not [name for name in result["files"] if ".ldnsite" in name]
    assert result["beside"] == ["out"]


def test_a_full_disk_for_real_keeps_the_old_build(tmp_path):
    result = in_namespace(tmp_path, """
        mount("size=8m")
        result["first"] = ldnsite()
        before = tree(OUT)
        try:
            with open(Path(OUT) / "filler", "wb") as filler:  # fill the disk to the last byte
                while True:
                    filler.write(b"x" * 65536)
                    filler.flush()
        except OSError:
            pass
        result["second"] = ldnsite()
        (Path(OUT) / "filler").unlink()
        result["kept"] = tree(OUT) == before
        result["left"] = sorted(p.name for p in Path(OUT).iterdir() if p.name.startswith("."))
    """)
    assert result["first"]["code"] == 0, result
    second = result["second"]
    assert second["code"] == 1 and second["stdout"] == ""
    [line] = second["stderr"].splitlines()
    assert line.startswith("Error: no space left on the device: ") and " [ENOSPC]; free some space" in line
    assert result["kept"] is True
    assert result["left"] == []


def test_a_read_only_file_system_for_real_keeps_the_old_build(tmp_path):
    result = in_namespace(tmp_path, """
        mount("size=8m")
        result["first"] = ldnsite()
        before = tree(OUT)
        subprocess.run(["mount", "-o", "remount,ro", OUT], check=True)
        result["second"] = ldnsite()
        result["kept"] = tree(OUT) == before
    """)
    assert result["first"]["code"] == 0, result
    second = result["second"]
    assert second["code"] == 1 and second["stdout"] == ""
    [line] = second["stderr"].splitlines()
    assert line.startswith("Error: read-only file system: ") and "[EROFS]" in line, line
    assert result["kept"] is True


# A busy port.

@pytest.fixture
def busy_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_port_given_explicitly_that_is_busy_is_one_line(busy_port, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    done = run_ldnsite("serve", "--project", project, "--templates", TEMPLATES, "--no-watch", "--no-cache", "--port", busy_port)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"Error: port already in use: 127.0.0.1:{busy_port} [EADDRINUSE]; "
                                        "stop the program using it, or choose another --port"]
    assert not (project / "build").exists()


def test_a_busy_default_port_is_passed_over_with_a_message(busy_port, tmp_path):
    from ldnsite.project import Project
    from ldnsite.commands.serve import BuildState, make_server

    messages = []
    project = Project.at(FIXTURES / "minimal", out=tmp_path / "out")
    server = make_server(project, BuildState(), "127.0.0.1", busy_port, "/", pick_free_port=True, echo=messages.append)
    try:
        port = server.server_address[1]
        assert port > busy_port
        assert messages == [f"ldnsite: port {busy_port} is in use; using port {port} instead."]
    finally:
        server.server_close()


def test_a_bind_address_that_does_not_resolve_is_one_line(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    done = run_ldnsite("serve", "--project", project, "--templates", TEMPLATES, "--no-watch", "--no-cache",
                       "--bind", "no-such-host.invalid", "--port", "0")
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith("Error: ") and line.endswith(": no-such-host.invalid:0"), line


def test_a_busy_explicit_port_is_not_passed_over(busy_port, tmp_path):
    from ldnsite.errors import LdnsiteError
    from ldnsite.project import Project
    from ldnsite.commands.serve import BuildState, make_server

    project = Project.at(FIXTURES / "minimal", out=tmp_path / "out")
    with pytest.raises(LdnsiteError, match=f"^port already in use: 127.0.0.1:{busy_port} \\[EADDRINUSE\\]; stop"):
        make_server(project, BuildState(), "127.0.0.1", busy_port, "/")


def test_a_content_folder_name_too_long_is_a_usage_error(tmp_path):
    content = tmp_path / ("c" * 300)
    result = run_cli("check", "--content", content)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (f"Error: content folder cannot be used: file name too long: {content} "
                                              "[ENAMETOOLONG]; use a shorter name or folder path")


@pytest.mark.parametrize(("out", "where"), [(".", "is or holds the project"), ("..", "is or holds the project"),
                                            ("content", "is or holds the content"), ("content/build", "is inside the content"),
                                            ("templates", "is or holds the templates"), ("templates/x", "is inside the templates")])
@pytest.mark.parametrize("command", ["build", "serve"])
def test_an_output_folder_that_would_replace_the_project_is_a_usage_error(tmp_path, out, where, command):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    shutil.copytree(TEMPLATES, project / "templates")
    before = tree(tmp_path)
    result = run_cli(command, "--project", project, "--out", project / out, "--no-search")
    assert result.exit_code == 2
    assert f"Error: the output folder {(project / out).resolve()} {where} folder " in result.output
    assert tree(tmp_path) == before
