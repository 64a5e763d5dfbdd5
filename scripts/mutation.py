"""Mutation testing on a seeded sample of mutants: do the tests notice when the code is changed?

For each module, in a scratch copy of the repository (mutmut writes a mutants/ folder), mutmut
generates every mutant, then runs a sample of them drawn with a fixed seed. Each mutant runs only the
tests that reach its function (mutmut traces which do), chosen from the module's own non-browser
test files below. The report gives, per module, the killed share of the non-equivalent mutants of
the sample; the equivalent ones (a change no test could notice, such as a different but equally
valid cache bucket count) are listed, with why, in docs/development/mutation.md, and left out.

    .venv/bin/python scripts/mutation.py [--sample 40] [--seed 15] [--module cache ...] [--show]

Exit 1 when a module's killed share is under --target (90%). Not part of `make test`: it takes
minutes per module. See docs/development/mutation.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

MODULES = {
    "validate": ["tests/test_validate.py", "tests/test_corpus.py"],
    "schema": ["tests/test_schema.py", "tests/test_corpus.py", "tests/test_render.py"],
    "yamlsource": ["tests/test_yamlsource.py", "tests/test_corpus.py", "tests/test_load.py"],
    "integrity": ["tests/test_integrity.py", "tests/test_arguments.py"],
    "cache": ["tests/test_cache.py"],
    "diff": ["tests/test_diff.py"],
    "write": ["tests/test_write.py"],
}
"""Each module, and the test files whose tests may reach it (mutmut picks, per function, those that do)."""

STAGES = {"validate": "content", "schema": "content", "yamlsource": "content", "cache": "content",
          "integrity": "output", "write": "output", "diff": "commands"}
"""The sub-package (pipeline stage) of each module: src/ldnsite/<stage>/<module>.py."""

ALSO_COPY = ["templates", "content", "schema", "README.md", "CONTRIBUTING.md", "Makefile", ".ci", ".github", "scripts"]
"""What the tests read besides src/ and tests/ (mutmut runs them in its mutants/ folder)."""

KILLED = {1, 3}
SURVIVED = {0}
NO_TESTS = {5, 33}
TIMEOUT = {24, -24, 36, 152, 255}


def equivalent_mutants() -> set[str]:
    """The mutants listed as equivalent in docs/development/mutation.md (lines starting with a mutant's name)."""
    doc = REPO / "docs/development/mutation.md"
    if not doc.exists():
        return set()
    return set(re.findall(r"^\| `(ldnsite\.[\w.]+__mutmut_\d+)` \|", doc.read_text(encoding="utf-8"), re.MULTILINE))


def scratch_copy(module: str, tests: list[str]) -> Path:
    """Copy the tracked files (not the browser tests) into a scratch folder configured for one module."""
    folder = Path(tempfile.mkdtemp(prefix=f"ldnsite-mutation-{module}-"))
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if name.startswith("tests/browser/") or not (REPO / name).is_file():
            continue
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, folder / name)
    with open(folder / "pyproject.toml", "a", encoding="utf-8") as handle:
        handle.write("\n[tool.mutmut]\n"
                     f'only_mutate = ["src/ldnsite/{STAGES[module]}/{module}.py"]\n'
                     f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
                     'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
                     f"also_copy = {json.dumps(ALSO_COPY)}\n")
    return folder


def mutmut(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "mutmut"), *args], cwd=folder, capture_output=True, text=True)


def run_module(module: str, sample: int, seed: int, show: bool) -> dict:
    """Generate the module's mutants, run a seeded sample, and return what became of each."""
    folder = scratch_copy(module, MODULES[module])
    try:
        mutmut(folder, "run", "--max-children", "1", f"ldnsite.{STAGES[module]}.{module}.x_no_such_function*")  # generates, then stops
        meta = folder / f"mutants/src/ldnsite/{STAGES[module]}/{module}.py.meta"
        names = sorted(json.loads(meta.read_text())["exit_code_by_key"])
        chosen = sorted(random.Random(f"{seed}:{module}").sample(names, min(sample, len(names))))
        done = mutmut(folder, "run", "--max-children", "1", *chosen)
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        outcome = {name: codes.get(name) for name in chosen}
        shown = {}
        if show:
            for name, code in outcome.items():
                if code not in KILLED:
                    shown[name] = mutmut(folder, "show", name).stdout
        return {"total": len(names), "outcome": outcome, "shown": shown, "log": done.stdout[-2000:] + done.stderr[-2000:]}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=40, help="mutants drawn per module (default 40)")
    parser.add_argument("--seed", type=int, default=15, help="seed of the draw (default 15)")
    parser.add_argument("--module", action="append", choices=sorted(MODULES), help="only these modules (default all)")
    parser.add_argument("--target", type=float, default=0.90, help="least killed share (default 0.90)")
    parser.add_argument("--show", action="store_true", help="print the diff of every mutant not killed")
    args = parser.parse_args()
    equivalent = equivalent_mutants()
    failed = False
    for module in args.module or sorted(MODULES):
        result = run_module(module, args.sample, args.seed, args.show)
        outcome = result["outcome"]
        if not outcome or all(code is None for code in outcome.values()):
            print(f"{module}: mutmut ran nothing; its output:\n{result['log']}")
            failed = True
            continue
        counted = {name: code for name, code in outcome.items() if name not in equivalent}
        killed = sum(code in KILLED or code in TIMEOUT for code in counted.values())
        share = killed / len(counted) if counted else 1.0
        survivors = sorted(name for name, code in counted.items() if not (code in KILLED or code in TIMEOUT))
        print(f"{module}: {killed}/{len(counted)} non-equivalent mutants killed ({share:.0%}); "
              f"{len(outcome) - len(counted)} equivalent; sample of {len(outcome)} from {result['total']}")
        for name in survivors:
            print(f"    survived ({outcome[name]}): {name}")
            if name in result["shown"]:
                print("        " + result["shown"][name].strip().replace("\n", "\n        "))
        failed |= share < args.target
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
