"""Worker processes: how many a stage may start, whether it can fork them, and what to say when one dies.

Parsing (``load.parse_files``) and rendering (``render.render_pages``) share a large site among
forked worker processes, one per CPU this process may run on. Forking lets a worker inherit what
it needs instead of receiving it pickled; where fork is not available, everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os

from ldnsite.errors import LdnsiteError


def cpu_count() -> int:
    """Return how many CPUs this process may run on (its affinity, not the machine's total)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Return whether worker processes can be started by forking this one."""
    return "fork" in multiprocessing.get_all_start_methods()


def worker_died(stage: str, exc: BaseException) -> LdnsiteError:
    """Return the error to raise when a worker process of ``stage`` stopped before it finished."""
    return LdnsiteError(f"a worker process {stage} stopped before it finished ({exc}); nothing was written. If the "
                        "machine is short of memory (the system may have killed the worker), close other programs "
                        "or use a machine with more memory")
