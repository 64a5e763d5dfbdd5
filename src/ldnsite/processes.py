"""Worker processes: how many a stage may start, whether it can fork them, what to say when one dies, and how tasks are shared.

Parsing (``load.parse_files``) and rendering (``render.render_pages``) share a large site between
this process and forked workers, one for each other CPU this process may run on (``share``,
``SharedTasks``). Forking lets a worker inherit what it needs instead of receiving it pickled;
where fork is not available, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

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


def share(
    tasks: Sequence[Any],
    in_worker: Callable[[Any], Any],
    here: Callable[[Any], Any],
    count: int,
    stage: str,
    receive: Callable[[int, Any], Any] = lambda index, result: result,
    first: Callable[[], None] | None = None,
) -> list[Any]:
    """Do every task, in ``count`` processes: this one (``here(task)``) and forked workers (``in_worker(task)``).

    Return the results in the order of the tasks, whichever process did each; ``receive(index, result)``
    turns what a worker sent back into what ``here`` returns. ``first`` is other work for this process,
    done once the workers have started and before it takes tasks of its own.
    """
    with worker_pool(count - 1, stage) as pool:
        shared = SharedTasks(pool, in_worker, tasks, ahead=2 * (count - 1), receive=receive)
        try:
            if first is not None:
                first()
            while (index := shared.take_back()) is not None:
                shared.keep(index, here(tasks[index]))
            return shared.collect()
        except BaseException:
            shared.stop()  # this process failed (a template error, say): the command stops, so the tasks not started are not done
            raise


class SharedTasks:
    """Tasks shared by forked workers, which take them from the front, and this process, which takes them from the back.

    Used to parse and to render a large site: this process works too, rather than start one more
    worker, and the tasks are many and small, so that a long one does not leave the others idle at
    the end. Each worker is kept ``ahead`` tasks of work: when one of its tasks is done, the next one
    from the front is submitted (by the pool's thread, hence the lock). ``results`` holds each task's
    result in the order of the tasks, whoever did it: ``receive(index, result)`` turns what a worker
    sent back into it (in the pool's thread, as soon as it arrives); this process stores its own.
    """

    def __init__(
        self,
        pool: ProcessPoolExecutor,
        work: Callable[[Any], Any],
        tasks: Sequence[Any],
        ahead: int,
        receive: Callable[[int, Any], Any] = lambda index, result: result,
    ) -> None:
        self._pool = pool
        self._work = work
        self._tasks = tasks
        self._receive_result = receive
        self._lock = threading.Lock()
        self._front = 0
        self._back = len(tasks)
        self._futures: dict[int, Any] = {}
        self._failed = False
        self.results: list[Any] = [None] * len(tasks)
        self._done_tasks = [False] * len(tasks)
        for _ in range(min(ahead, len(tasks))):
            self._feed()

    def _feed(self) -> None:
        with self._lock:
            if self._failed or self._front >= self._back:
                return
            index = self._front
            self._front += 1
            future = self._futures[index] = self._pool.submit(self._work, self._tasks[index])
        future.add_done_callback(functools.partial(self._done, index))

    def _done(self, index: int, future) -> None:
        if future.cancelled() or future.exception() is not None:
            self._failed = True  # a worker died or raised: collect() reports it, and no more is handed out
            return
        self._receive(index, future)
        self._feed()

    def _receive(self, index: int, future) -> None:
        with self._lock:
            if self._done_tasks[index]:
                return
            self.results[index] = self._receive_result(index, future.result())
            self._done_tasks[index] = True
            del self._futures[index]

    def take_back(self) -> int | None:
        """Return the index of the last task nobody has taken, for this process (None when none is left or a worker failed)."""
        with self._lock:
            if self._failed or self._front >= self._back:
                return None
            self._back -= 1
            return self._back

    def keep(self, index: int, result: Any) -> None:
        """Store the result of a task this process did itself."""
        self.results[index] = result
        self._done_tasks[index] = True

    def stop(self) -> None:
        """Hand out no more tasks (this process failed: the command stops)."""
        with self._lock:
            self._failed = True

    def collect(self) -> list[Any]:
        """Wait for the workers' tasks and return every result in task order; a worker's error (or its death) is raised here."""
        with self._lock:
            futures = list(self._futures.items())
        for index, future in futures:
            future.result()
            self._receive(index, future)
        if not all(self._done_tasks):  # only if a worker failed without an error: never expected
            raise RuntimeError("a task given to the worker processes was not done")
        return self.results
