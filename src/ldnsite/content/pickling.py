"""Fast pickling for the frozen, slotted dataclasses of the model (used by the parse cache, ``cache.py``).

A frozen dataclass with slots is unpickled through ``dataclasses``' generic ``__setstate__``, which
looks up the class's fields for every object. The parse cache of a large site holds tens of
thousands of them, so each class pickles instead as (class, values in slot order), restored by
filling the slots directly: the same objects, in less than half the time.
"""

from __future__ import annotations

import dataclasses
import operator
import sys
from typing import Any, ClassVar, Protocol, TypeVar


class _Slotted(Protocol):
    """A dataclass with slots, as ``@dataclass(slots=True)`` makes it."""

    __dataclass_fields__: ClassVar[dict[str, Any]]
    __slots__: ClassVar[tuple[str, ...]]


T = TypeVar("T", bound=_Slotted)


def pickled_by_slots(cls: type[T]) -> type[T]:
    """Class decorator (put above ``@dataclass(frozen=True, slots=True)``): pickle the instances by their slot values."""
    slots = cls.__slots__
    if {f.name for f in dataclasses.fields(cls)} != set(slots):
        raise TypeError(f"{cls.__name__}: every field must be a slot, and every slot a field")

    values = operator.attrgetter(*slots) if len(slots) > 1 else (lambda self: (getattr(self, slots[0]),))

    def __reduce__(self):  # noqa: N807 - the pickle protocol's name
        return _restore, (cls, values(self))

    _SETTERS[cls] = tuple(vars(cls)[name].__set__ for name in slots)  # the slots' own setters: no frozen check, no lookup

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]  # replacing the method is the point of this decorator
    return cls


_SETTERS: dict[type, tuple[Any, ...]] = {}

SHARED_MAX_LENGTH = 64
"""Strings up to this long are shared between records when unpickled (``sys.intern``)."""


def _restore(cls: type[T], values: tuple) -> T:
    # Short strings are shared: every file is pickled on its own, so each would otherwise bring its own copy
    # of a cited source's id, a date, a dose or a publisher. At 100,000 claims that is tens of megabytes, held by
    # the build and copied into each render worker. Longer texts (statements, quotes) rarely repeat.
    instance = object.__new__(cls)
    for setter, value in zip(_SETTERS[cls], values, strict=True):
        if value.__class__ is str and len(value) <= SHARED_MAX_LENGTH:
            value = sys.intern(value)
        setter(instance, value)
    return instance
