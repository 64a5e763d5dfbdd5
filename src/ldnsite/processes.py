"""Worker processes: how many a stage may start, whether it can fork them, and what to say when one dies.

Parsing (``load.parse_files``) and rendering (``render.render_pages``) share a large site among
forked worker processes, one per CPU this process may run on. Forking lets a worker inherit what
it needs instead of receiving it pickled; where fork is not available, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ldnsite.errors import LdnsiteError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# multiprocessing and concurrent.futures are imported when workers are needed: they cost a small site's
# `check` more time than its parsing does.


def cpu_count() -> int:
    """Return how many CPUs this process may run on (its affinity, not the machine's total)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Return whether worker processes can be started by forking this one."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def worker_pool(count: int, stage: str) -> Iterator[ProcessPoolExecutor]:
    """Yield a pool of ``count`` forked workers for ``stage`` (what they do, for the error message).

    A pool from concurrent.futures, not multiprocessing.Pool: if a worker dies (killed for lack of
    memory, say), the pool says so instead of leaving the build waiting forever for its results,
    and the build stops with an error that says what happened.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    except BrokenProcessPool as exc:
        raise LdnsiteError(
            f"a worker process {stage} stopped before it finished ({exc}); nothing was written. If "
            "the machine is short of memory (the system may have killed the worker), close other "
            "programs or use a machine with more memory"
        ) from exc


def release_free_memory() -> None:
    """Give the C allocator's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    Called before workers are forked: loading leaves freed blocks inside the heap (the parse cache's
    pickles, validation's scratch), which would otherwise stay counted in this process's memory for
    the whole build. About 20 MB at 100,000 claims.
    """
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library this process runs with
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to do
        return
    trim(0)
