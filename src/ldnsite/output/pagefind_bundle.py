"""Make a Pagefind bundle byte-for-byte reproducible by putting its filter index in a stable order.

Pagefind (up to at least 1.5.2) collects filter values in a hash map seeded at random,
so the order of the values inside ``filter/*.pf_filter``, the order of the filters
listed in ``pagefind.*.pf_meta``, and with them the hashes that name those files and
``pagefind-entry.json``, change from one run to the next (Pagefind's own source says
"TODO: Change filter indexes to BTree to give them a stable hash"). Searching works
whatever the order, so this module sorts filter values and filters by name, re-encodes
them, and renames the files after the new content, the way Pagefind names them.

The files are gzip-compressed CBOR behind a ``pagefind_dcd`` signature. Each file is
decoded and re-encoded before anything is changed; if the round trip does not give back
the same bytes, the format is not the one this module knows, and it raises instead of
guessing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from ldnsite.errors import LdnsiteError

SIGNATURE = b"pagefind_dcd"
_META_FILTERS = 3
_META_SORTS = 4


class BundleFormatError(LdnsiteError):
    """The Pagefind bundle is not in the format this module knows."""


def stabilize_bundle(bundle: Path) -> None:
    """Sort the filter index of every language in a Pagefind bundle and rename its files to match."""
    entry_path = bundle / "pagefind-entry.json"
    raw = entry_path.read_text(encoding="utf-8")
    entry = json.loads(raw)
    if _dump_entry(entry) != raw:
        raise BundleFormatError(f"{entry_path}: not in the layout Pagefind 1.x writes")
    for language, info in entry["languages"].items():
        info["hash"] = _stabilize_language(bundle, language, info["hash"])
    entry_path.write_text(_dump_entry(entry), encoding="utf-8")


def _stabilize_language(bundle: Path, language: str, meta_hash: str) -> str:
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read(meta_path)
    if not (isinstance(meta, list) and len(meta) > _META_SORTS and isinstance(meta[_META_FILTERS], list)):
        raise BundleFormatError(f"{meta_path}: unexpected metadata layout")
    filters = []
    for name, old_hash in meta[_META_FILTERS]:
        filters.append([name, _stabilize_filter(bundle / "filter", language, old_hash)])
    meta[_META_FILTERS] = sorted(filters, key=lambda item: item[0])
    meta[_META_SORTS] = sorted(meta[_META_SORTS], key=lambda item: item[0])
    encoded = encode(meta)
    new_hash = f"{language}_{pagefind_hash(encoded)[: len(language) + 8]}"
    meta_path.unlink()
    _write(bundle / f"pagefind.{new_hash}.pf_meta", encoded)
    return new_hash


def _stabilize_filter(folder: Path, language: str, old_hash: str) -> str:
    path = folder / f"{old_hash}.pf_filter"
    name, values = _read(path)
    values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda item: item[0])
    encoded = encode([name, values])
    new_hash = f"{language}_{pagefind_hash(encoded)}"[: len(language) + 8]
    path.unlink()
    target = folder / f"{new_hash}.pf_filter"
    if target.exists():
        raise BundleFormatError(f"{target}: two filters would share one file name")
    _write(target, encoded)
    return new_hash


def pagefind_hash(data: bytes) -> str:
    """Return the SHA-1 of ``data`` spelt as Pagefind spells it: each byte in hex without padding."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _dump_entry(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path}: no {SIGNATURE.decode()} signature")
    body = data[len(SIGNATURE) :]
    value, end = decode(body)
    if end != len(body) or encode(value) != body:
        raise BundleFormatError(f"{path}: CBOR that does not survive a round trip")
    return value


def _write(path: Path, body: bytes) -> None:
    # mtime=0 keeps the clock out of the gzip header.
    path.write_bytes(gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0))


def encode(value: Any) -> bytes:
    """Encode ints, text strings and lists as definite-length CBOR with the shortest heads (as minicbor does)."""
    if isinstance(value, bool) or value is None:
        raise BundleFormatError(f"cannot encode {value!r}")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    raise BundleFormatError(f"cannot encode {type(value).__name__}")


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | extra]) + number.to_bytes(size, "big")
    raise BundleFormatError(f"integer too large: {number}")


def decode(data: bytes, offset: int = 0) -> tuple[Any, int]:
    """Decode one CBOR item (ints, text strings, lists) at ``offset``; return it and the offset after it."""
    if offset >= len(data):
        raise BundleFormatError("truncated CBOR")
    major, info = data[offset] >> 5, data[offset] & 31
    offset += 1
    if info < 24:
        number = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        number, offset = int.from_bytes(data[offset : offset + size], "big"), offset + size
    else:
        raise BundleFormatError(f"unsupported CBOR head {data[offset - 1]:#x}")
    if major == 0:
        return number, offset
    if major == 1:
        return -1 - number, offset
    if major == 3:
        return data[offset : offset + number].decode("utf-8"), offset + number
    if major == 4:
        items = []
        for _ in range(number):
            item, offset = decode(data, offset)
            items.append(item)
        return items, offset
    raise BundleFormatError(f"unsupported CBOR major type {major}")
