"""Results of pure functions, kept from one build to the next and keyed by the identity of their inputs.

The incremental builder (``incremental.py``) reads unchanged content files from a cache, so they
yield the very same model objects as last time. A function of those objects (a claim's view, its
page, its row in the evidence map) then returns what it returned last time, and the result is
reused instead of computed again. Identity, not equality, is the key: comparing a claim field by
field would cost nearly as much as rebuilding its view, while ``is`` costs nothing.

A memo keeps two generations: results used by the current build, and those of the previous
build. :meth:`Memo.next_build` drops what the previous build used and the current one did not, so
the memo never holds more than two builds' worth of results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """Call ``fn(*args)`` once per distinct combination of argument objects (compared with ``is``)."""

    __slots__ = ("_current", "_previous", "hits", "misses")

    def __init__(self) -> None:
        self._current: dict[tuple, tuple[tuple, Any]] = {}
        self._previous: dict[tuple, tuple[tuple, Any]] = {}
        self.hits = 0
        self.misses = 0

    def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        """Return ``fn(*args)``, reusing the result of an earlier call with the very same arguments.

        ``fn`` must be pure and its arguments immutable: the result is reused while every argument is the
        same object. An argument that is a tuple counts through its items, so a tuple built afresh from
        unchanged objects still finds the earlier result.
        """
        key = (fn, *[_identity(arg) for arg in args])
        entry = self._current.get(key)
        if entry is None:
            entry = self._previous.get(key)
            if entry is None:
                self.misses += 1
                entry = (args, fn(*args))  # the arguments are kept alive, so their ids cannot be reused
            else:
                self.hits += 1
            self._current[key] = entry
        else:
            self.hits += 1
        return entry[1]

    def next_build(self) -> None:
        """Start a new build: keep only the results the last build used."""
        self._previous, self._current = self._current, {}
        self.hits = self.misses = 0


def _identity(arg: Any) -> Any:
    if type(arg) is tuple:
        return tuple(_identity(item) for item in arg)
    return id(arg)


def call(fn: Callable[..., T], *args: Any) -> T:
    """Call ``fn(*args)`` directly: the stand-in for a memo in a build that is not kept."""
    return fn(*args)
