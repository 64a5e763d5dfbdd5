"""Where the time of one ldnsite build goes, stage by stage.

    .venv/bin/python benchmarks/profile.py N [--snapshot REV] [--pyinstrument FILE] [--cprofile FILE]

Generates a project of N claims (benchmarks/generate.py) in a temporary folder, then runs
``build_site`` in this process with a wall-clock timer around each pipeline stage (the
functions are wrapped, not changed: no profiler overhead in these numbers) and prints a
table: reading files, YAML parsing (libyaml's compose, then ldnsite's walk that records
positions), schema checks, cross-file validation, site plan, Markdown + sanitizing, Jinja
rendering, link check, exports, writing. ``check_project`` is timed the same way. Stages
that run in forked worker processes (newer versions render pages in one worker per CPU) are
only seen as the wall time of the call that waits for the workers.

With ``--pyinstrument FILE`` a second build runs under pyinstrument (sampling) and its
call tree is written to FILE; with ``--cprofile FILE``, a third under cProfile (pstats dump).
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

TOTALS: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
_DEPTH: dict[str, int] = defaultdict(int)

# (module, attribute, stage): the functions timed. A stage counts only its outermost call.
STAGES = [
    ("ldnsite.content.load", "load_database", "load (total)"),
    ("ldnsite.content.yamlsource", "read_yaml", "read file + parse YAML"),
    ("ldnsite.content.yamlsource", "parse_yaml", "parse YAML"),
    ("yaml", "compose", "libyaml compose"),
    ("ldnsite.content.schema", "parse_record", "schema checks"),
    ("ldnsite.content.validate", "check_database", "cross-file validation"),
    ("ldnsite.plan.site", "plan_site", "site plan"),
    ("ldnsite.output.build", "render_outputs", "render (total)"),
    ("ldnsite.output.render", "render_pages", "render pages (total; in worker processes when the build forks)"),
    ("ldnsite.output.build", "render_extras", "exports, feed, sitemap, static files"),
    ("ldnsite.output.render", "render_page", "render_page (Jinja + Markdown)"),
    ("ldnsite.output.render", "_markdown_html", "Markdown + nh3 sanitize"),
    ("ldnsite.plan.export", "export_claims", "JSON exports"),
    ("ldnsite.plan.export", "export_sources", "JSON exports"),
    ("ldnsite.plan.export", "_claim_json", "JSON exports"),  # later versions encode the exports record by record
    ("ldnsite.plan.export", "_source_json", "JSON exports"),
    ("ldnsite.output.integrity", "check_links", "link check"),
    ("ldnsite.output.integrity", "check_link_index", "link check"),
    ("ldnsite.output.integrity", "check_pending_anchors", "link check"),
    ("ldnsite.content.cache.DiskCache", "load", "parse cache: read"),
    ("ldnsite.content.cache.DiskCache", "save", "parse cache: write"),
    ("ldnsite.output.write.SiteWriter", "write", "write files"),
    ("ldnsite.output.write.SiteWriter", "__enter__", "write files"),
    ("ldnsite.output.write.SiteWriter", "commit", "swap output in (commit)"),
]


def _timed(func, stage: str):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _DEPTH[stage]:
            return func(*args, **kwargs)
        _DEPTH[stage] += 1
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TOTALS[stage] += time.perf_counter() - start
            CALLS[stage] += 1
            _DEPTH[stage] -= 1

    wrapper.__wrapped_stage__ = stage
    return wrapper


def instrument() -> list[str]:
    """Wrap every stage function that exists in this version of ldnsite; return the ones missing."""
    missing = []
    for modname, attr, stage in STAGES:
        is_class = modname.rsplit(".", 1)[-1][:1].isupper()  # "ldnsite.output.write.SiteWriter": a class in a module
        try:
            module = importlib.import_module(modname.rsplit(".", 1)[0] if is_class else modname)
        except ImportError:
            missing.append(f"{modname}.{attr}")
            continue
        owner = getattr(module, modname.rsplit(".", 1)[-1], None) if is_class else module
        original = getattr(owner, attr, None)
        if original is None:
            missing.append(f"{modname}.{attr}")
            continue
        wrapped = _timed(original, stage)
        setattr(owner, attr, wrapped)
        # Replace the references that other ldnsite modules imported with `from x import y`.
        for name, other in list(sys.modules.items()):
            if name.startswith("ldnsite") and other is not None and getattr(other, attr, None) is original:
                setattr(other, attr, wrapped)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of claims")
    parser.add_argument("--snapshot", metavar="REV", help="profile the src/ and templates/ of commit REV (git archive)")
    parser.add_argument("--project", type=Path, help="use this generated project instead of generating one")
    parser.add_argument("--pyinstrument", type=Path, metavar="FILE", help="also write a pyinstrument call tree to FILE")
    parser.add_argument("--cprofile", type=Path, metavar="FILE", help="also write a cProfile dump to FILE")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ldnsite-profile-"))
    templates = REPO / "templates"
    try:
        if args.snapshot:
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.snapshot, "src", "templates"],
                                     capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(work)], input=archive.stdout, check=True)
            sys.path.insert(0, str(work / "src"))
            templates = work / "templates"
        project = args.project or work / "project"
        if not args.project:
            generate.generate(args.n, project, seed=args.seed)
        import ldnsite
        from ldnsite.output import build
        from ldnsite.project import Project

        print(f"profile: ldnsite from {Path(ldnsite.__file__).parent}, N={args.n}, project {project}")
        missing = instrument()
        if missing:
            print(f"profile: not in this version (not timed): {', '.join(missing)}")
        proj = Project.at(project, templates=templates, out=work / "out")

        def timed_run(label: str, action) -> float:
            TOTALS.clear()
            CALLS.clear()
            gc.collect()
            start = time.perf_counter()
            result = action()
            total = time.perf_counter() - start
            if result.failed:
                print(result.problems)
                raise SystemExit(f"profile: {label} failed")
            print(f"\n{label}: {total:.2f} s wall in this process (no interpreter start-up)\n")
            print("| stage | seconds | share | calls |\n|---|---:|---:|---:|")
            for stage, seconds in sorted(TOTALS.items(), key=lambda kv: -kv[1]):
                print(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} | {CALLS[stage]:,} |")
            _derived(total)
            return total

        timed_run("check_project", lambda: build.check_project(proj, strict=True))
        timed_run("build_site (cold)", lambda: build.build_site(proj, strict=True, search=False))
        from ldnsite.output import render

        cached = getattr(getattr(render, "_markdown_html", None), "__wrapped__", None)
        if cached is not None and hasattr(cached, "cache_info"):
            print(f"\nMarkdown cache after the cold build: {cached.cache_info()}")
        timed_run("build_site (again, same process: warm caches)", lambda: build.build_site(proj, strict=True, search=False))
        print(f"\npeak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.002)
            profiler.start()
            build.build_site(proj, strict=True, search=False)
            profiler.stop()
            args.pyinstrument.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
            print(f"profile: pyinstrument call tree in {args.pyinstrument}")
        if args.cprofile:
            import cProfile

            cProfile.runctx("build.build_site(proj, strict=True, search=False)", globals(), locals(), str(args.cprofile))
            print(f"profile: cProfile dump in {args.cprofile} (python -m pstats {args.cprofile})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _derived(total: float) -> None:
    """Stages that are the difference of two timers."""
    t = TOTALS
    rows = []
    if "read file + parse YAML" in t and "parse YAML" in t:
        rows.append(("file reading (read_yaml minus parse_yaml)", t["read file + parse YAML"] - t["parse YAML"]))
    if "parse YAML" in t and "libyaml compose" in t:
        rows.append(("YAML walk with positions, checks (parse_yaml minus compose)", t["parse YAML"] - t["libyaml compose"]))
    if t.get("render_page (Jinja + Markdown)", 0) > t.get("Markdown + nh3 sanitize", 0) > 0:
        rows.append(("Jinja alone (render_page minus Markdown)", t["render_page (Jinja + Markdown)"] - t["Markdown + nh3 sanitize"]))
    known = sum(t.get(k, 0) for k in ("load (total)", "site plan", "render (total)", "link check", "write files",
                                      "swap output in (commit)", "exports, feed, sitemap, static files",
                                      "render pages (total; in worker processes when the build forks)"))
    if "load (total)" in t:
        rows.append(("everything else (outside the stages above)", total - known))
    for label, seconds in rows:
        print(f"| *{label}* | {seconds:.2f} | {seconds / total:.0%} | |")


if __name__ == "__main__":
    sys.exit(main())
