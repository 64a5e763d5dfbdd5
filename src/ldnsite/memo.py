"""Results of pure functions, kept from one build to the next and keyed by the identity of their inputs.

The incremental builder (``incremental.py``) reads unchanged content files from a cache, so they
yield the very same model objects as last time. A function of those objects (a claim's view, its
page, its row in the evidence map) then returns what it returned last time, and the result is
reused instead of computed again. Identity, not equality, is the key: comparing a claim field by
field would cost nearly as much as rebuilding its view, while ``is`` costs nothing.

Each result remembers the last build that used it. :meth:`Memo.next_build` drops whatever the
build that just ended did not use, once such results make up a third of the memo: it never holds
much more than what one build uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """Call ``fn(*args)`` once per distinct combination of argument objects (compared with ``is``)."""

    __slots__ = ("_entries", "_generation", "_used", "misses")

    def __init__(self) -> None:
        # key -> [generation of the last build that used it, the arguments (kept alive, so that their ids
        # are not reused by other objects), the result]
        self._entries: dict[tuple, list] = {}
        self._generation = 0
        self._used = 0
        self.misses = 0
        """How many calls of the current build were made rather than reused."""

    def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        """Return ``fn(*args)``, reusing the result of an earlier call with the very same arguments.

        ``fn`` must be pure and its arguments immutable: the result is reused while every argument is the
        same object. An argument that is a tuple counts through its items (one level deep), so a tuple
        built afresh from unchanged objects still finds the earlier result.
        """
        parts: list[Any] = [fn]
        for arg in args:
            parts.append(id(arg) if arg.__class__ is not tuple else tuple(map(id, arg)))
        key = tuple(parts)
        self._used += 1
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            entry = self._entries[key] = [self._generation, args, fn(*args)]
        else:
            entry[0] = self._generation
        return entry[2]

    def by_value(self, key: tuple, make: Callable[[], T]) -> T:
        """Return ``make()``, or what it returned in the last build for an equal ``key`` (a hashable value).

        For results that depend on a few plain values (strings, numbers) which are rebuilt, as new
        objects, more often than they change.
        """
        tagged = ("by value", key)
        self._used += 1
        entry = self._entries.get(tagged)
        if entry is None:
            self.misses += 1
            entry = self._entries[tagged] = [self._generation, (), make()]
        else:
            entry[0] = self._generation
        return entry[2]

    def next_build(self) -> None:
        """Start a new build. Results no build used since the last clean-up are dropped once they are a third of the memo.

        Cleaning up walks the whole memo, so it is not done after every build: an edit leaves a few
        stale results behind, and they are dropped together after many edits (or one large change).
        """
        last = self._generation
        if len(self._entries) > self._used * 3 // 2:
            self._entries = {key: entry for key, entry in self._entries.items() if entry[0] == last}
        self._generation += 1
        self._used = 0
        self.misses = 0


class NoMemo:
    """The stand-in for a memo in a build that is not kept: every call is made."""

    __slots__ = ()

    def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(*args)

    def by_value(self, key: tuple, make: Callable[[], T]) -> T:
        return make()


call = NoMemo()
