"""JSON text exactly as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, several times faster.

With ``indent``, the json module encodes in Python, as nested generators; without it, in C. The exports
(``api/claims.json``, ``api/sources.json``, the CSL-JSON bibliography) are indented for people who read
them, and encoding them took most of the exports' time. This writes the same text with the C function
json uses for strings and one Python call per value. ``tests/test_memo.py`` compares it with json.dumps
on generated values.
"""

from __future__ import annotations

import json
from typing import Any

_ENCODE_STRING = json.encoder.encode_basestring  # the C function json.dumps(ensure_ascii=False) uses for strings


def indented_json(value: Any, newline: str = "\n") -> str:
    """Return JSON for ``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it.

    Each line break is followed by ``newline``'s indent and two spaces per level, so ``newline="\\n  "``
    gives a value one level deep. What the fast path does not write (a key that is not text, say) is
    left to json.dumps itself, which also raises for what is not JSON at all.
    """
    try:
        return _indented(value, newline)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


def _indented(value: Any, newline: str) -> str:
    if isinstance(value, str):
        return _ENCODE_STRING(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return json.dumps(value)  # float.__repr__, or NaN and Infinity as json.dumps writes them
    inner = newline + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("a key that is not text")
            # Text and null, most values, without a call of their own.
            text = _ENCODE_STRING(item) if type(item) is str else "null" if item is None else _indented(item, inner)
            parts.append(f"{inner}{_ENCODE_STRING(key)}: {text}")
        return "{" + ",".join(parts) + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = (_ENCODE_STRING(item) if type(item) is str else _indented(item, inner) for item in value)
        return "[" + ",".join(inner + item for item in items) + newline + "]"
    raise TypeError(f"no JSON for {type(value).__name__}")
