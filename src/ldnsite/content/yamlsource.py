"""Read a YAML file into plain data, keeping the position of every key and value.

``yaml.safe_load`` is not used: it drops positions, keeps the last of two duplicate
keys and turns ``2008-05-01`` into a date. Instead the file is composed into nodes
(with libyaml when available) and walked here, which lets us report each problem at
its line and column, refuse anchors, aliases, merge keys and custom tags, and bound
the depth of nesting.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ldnsite.content.yamlhelp import explain
from ldnsite.problems import Location, Problem, error

Path_ = tuple[str | int, ...]

MAX_FILE_BYTES = 1024 * 1024
MAX_LINE_CHARS = 10_000
MAX_DEPTH = 20

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """YAML's safe loader, answering at once what its rules give every node but a plain scalar, and remembering
    the tag of each short plain value.

    The composer asks for the tag of every node (keys included): hundreds of thousands per large site, each
    a Python call trying YAML's patterns in turn. The safe loader has no path resolvers, so a mapping, a list
    and a quoted or block scalar ('...', "...", | and >) always get YAML's default tag for their kind; only a
    plain scalar is matched against the patterns. That answer depends only on its text, and most short values
    (keys, ids, choices, dates) repeat from file to file.
    """

    _tags: dict[str, str] = {}

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return _MAP_TAG if kind is yaml.MappingNode else _SEQ_TAG
        if not implicit[0]:
            return _STR_TAG
        if len(value) > _REMEMBERED_LENGTH:
            return super().resolve(kind, value, implicit)
        tag = self._tags.get(value)
        if tag is None:
            if len(self._tags) >= _REMEMBERED_COUNT:
                self._tags.clear()  # ids and names are seldom repeated: a large site's would otherwise all be kept
            tag = self._tags[value] = super().resolve(kind, value, implicit)
        return tag


assert not _BaseLoader.yaml_path_resolvers, "_Loader.resolve relies on the safe loader having no path resolvers"


_REMEMBERED_LENGTH = 40
"""Values up to this long have their tags remembered; longer ones are texts, seldom repeated."""

_REMEMBERED_COUNT = 20_000
"""At most this many values are remembered (a few megabytes)."""
_SCALAR_BUILDER = yaml.SafeLoader("")

_TAG = "tag:yaml.org,2002:"
_STR_TAG, _TIMESTAMP_TAG, _SEQ_TAG, _MAP_TAG = (_TAG + name for name in ("str", "timestamp", "seq", "map"))
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}


class DateText(str):
    """A value that YAML would have read as a date. Kept as its text, e.g. '2008-05-01'."""


@dataclass(slots=True)
class YamlDoc:
    """Plain data read from one file, with positions of every value and key."""

    path: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def location(self, at: Path_, *, key: bool = False) -> Location:
        """Return where the value (or, with ``key``, the key) at ``at`` is written.

        Falls back to the nearest enclosing value when ``at`` does not exist.
        """
        table = self.keys if key and at in self.keys else self.values
        while at not in table and at:
            at = at[:-1]
            table = self.values
        line, column = table.get(at, (1, 1))
        return Location(self.path, line, column)


class _Walker:
    """Turn composed nodes into plain values, collecting problems instead of raising."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def _loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.doc.path, mark.line + 1, mark.column + 1)

    def walk(self, node: yaml.Node, at: Path_, depth: int) -> Any:
        self.doc.values[at] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self._seen:
            self.problems.append(
                error(
                    self._loc(node),
                    "yaml.alias",
                    "anchors and aliases (& and *) are not supported",
                    "write the value out in full where it is needed",
                )
            )
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problems.append(
                error(
                    self._loc(node),
                    "yaml.too-deep",
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "content files need only a few levels; check the indentation",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, at, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._bad_tag(node)
                return None
            return [self.walk(item, at + (i,), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode), "a YAML node is a mapping, a sequence or a scalar"
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, at: Path_, depth: int) -> dict[str, Any] | None:
        if node.tag != _MAP_TAG:
            self._bad_tag(node)
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.problems.append(
                    error(
                        self._loc(key_node), "yaml.merge-key", "merge keys ('<<') are not supported", "write the keys out in full"
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self.problems.append(
                    error(self._loc(key_node), "yaml.key-type", "a key must be a plain word, not a list, mapping or tagged value")
                )
                continue
            key = key_node.value
            self._check_hidden(key_node)
            if key in result:
                first_line = self.doc.keys[at + (key,)][0]
                hint = "remove one of the two; YAML would silently keep only the last"
                if at and isinstance(at[-1], int) and key == next(iter(result)):
                    # A repeated first key of a list item is, almost always, the next item without its '-'.
                    hint = f"if this line starts a new item of the list, begin it with '- ': - {key}: ..."
                self.problems.append(
                    error(
                        self._loc(key_node), "yaml.duplicate-key", f"duplicate key '{key}' (first set at line {first_line})", hint
                    )
                )
                continue
            self.doc.keys[at + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.walk(value_node, at + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            self._bad_tag(node)
            return None
        if tag == _STR_TAG:
            self._check_hidden(node)
            return node.value
        if tag == _TIMESTAMP_TAG:
            return DateText(node.value)
        try:
            return _SCALAR_BUILDER.yaml_constructors[tag](_SCALAR_BUILDER, node)
        except (yaml.YAMLError, ValueError, OverflowError):
            return node.value

    def _check_hidden(self, node: yaml.ScalarNode) -> None:
        if node.style == '"':  # only a double-quoted value has escapes; the file's text itself was checked whole
            problem = _hidden_in_scalar(node.value, self._loc(node))
            if problem:
                self.problems.append(problem)

    def _bad_tag(self, node: yaml.Node) -> None:
        tag = node.tag.replace(_TAG, "!!")
        self.problems.append(
            error(
                self._loc(node), "yaml.tag", f"tag '{tag}' is not allowed", "content files use plain values only; remove the tag"
            )
        )


def read_yaml(file: Path, display_path: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Read one YAML file. Return its data, or None with the problems that stop it being read."""
    raw, problems = read_regular_file(file, display_path)
    if raw is None:
        return None, problems
    return parse_yaml(raw, display_path)


def read_regular_file(file: Path, display_path: str) -> tuple[bytes | None, list[Problem]]:
    """Return the bytes of a regular file of at most ``MAX_FILE_BYTES``, or None with the problem.

    The file is opened without following a link and without blocking, then checked with ``fstat``
    on what was opened: a FIFO (which would block a plain read for ever), a device or a file over
    the limit is refused before a byte of it is read; a sparse file of 50 GB costs nothing.
    """
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [
                error(
                    Location(display_path),
                    "load.symlink",
                    "symbolic links are not allowed in content/",
                    "replace the link with a real file",
                )
            ]
        return None, [error(Location(display_path), "yaml.unreadable", f"cannot read file: {exc.strerror}")]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [not_a_file(display_path)]
        if info.st_size > MAX_FILE_BYTES:
            return None, [_too_large(display_path, info.st_size)]
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # a file growing while it is read is still cut at the limit
    except OSError as exc:
        return None, [error(Location(display_path), "yaml.unreadable", f"cannot read file: {exc.strerror}")]
    finally:
        os.close(fd)
    return raw, []


def not_a_file(display_path: str) -> Problem:
    """The problem of an entry in content/ that is not a regular file (a FIFO, socket or device)."""
    return error(
        Location(display_path),
        "load.not-a-file",
        "not a regular file (a FIFO, socket or device)",
        "content/ holds regular YAML files only; remove it",
    )


def parse_yaml(raw: bytes, display_path: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse the bytes of one YAML file (see :func:`read_yaml`)."""
    problems = _check_bytes(raw, display_path)
    if problems:
        return None, problems
    text = raw.decode("utf-8")
    problems = _check_text(text, display_path) + check_invisible(text, display_path)
    if problems:
        return None, problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [explain(exc, text, display_path) or _syntax_problem(exc, display_path)]
    except yaml.YAMLError as exc:
        return None, [error(Location(display_path, 1, 1), "yaml.syntax", str(exc).splitlines()[0])]
    except RecursionError:
        return None, [
            error(Location(display_path, 1, 1), "yaml.too-deep", "values are nested too deeply to read", "check the indentation")
        ]
    doc = YamlDoc(display_path, None)
    if node is None:
        return None, [
            error(
                Location(display_path, 1, 1),
                "yaml.empty",
                "file is empty",
                "fill it in, or delete it; `ldnsite new` writes a template",
            )
        ]
    walker = _Walker(doc)
    doc.data = walker.walk(node, (), 0)
    return doc, walker.problems


def _check_bytes(raw: bytes, path: str) -> list[Problem]:
    if len(raw) > MAX_FILE_BYTES:
        return [_too_large(path, len(raw))]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [
            error(
                Location(path, 1, 1),
                "yaml.byte-order-mark",
                "file starts with a byte-order mark",
                "save the file as UTF-8 without BOM",
            )
        ]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return [
            error(
                Location(path, line, column),
                "yaml.encoding",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ]
    return []


def _too_large(path: str, size: int) -> Problem:
    return error(
        Location(path, 1, 1),
        "yaml.too-large",
        f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
        "split it into smaller files",
    )


_TAB_INDENT = re.compile(r"^( *)\t", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_text(text: str, path: str) -> list[Problem]:
    problems = []
    for match in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        problems.append(
            error(
                Location(path, line, len(match.group(1)) + 1),
                "yaml.tab",
                "tab character used for indentation",
                "indent with spaces; YAML does not allow tabs",
            )
        )
    for number, line_text in enumerate(text.split("\n"), start=1):
        if len(line_text) > MAX_LINE_CHARS:
            problems.append(
                error(
                    Location(path, number, MAX_LINE_CHARS + 1),
                    "yaml.line-too-long",
                    f"line is {len(line_text):,} characters long; the limit is {MAX_LINE_CHARS:,}",
                    "break the text over several lines with a '|' or '>' block",
                )
            )
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        problems.append(
            error(
                Location(path, line, column),
                "yaml.control-character",
                f"control character U+{ord(control.group()):04X} is not allowed",
                "delete it; it is invisible in most editors",
            )
        )
    return problems


INVISIBLE = re.compile("[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]")
"""Characters that change how text is shown, or show as nothing, and are refused wherever they occur.

Bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) and the marks
(U+200E, U+200F, U+061C) can make "does not help" display as something else; zero-width characters
(U+200B-U+200D, U+2060-U+2064, U+FEFF after the start) hide inside ids and words; the line and
paragraph separators (U+2028, U+2029) end a line for YAML but not in most editors, so every line
number after one would be wrong. The noncharacters U+FFFE and U+FFFF show as nothing or a box,
and YAML refuses them without saying where.
"""

_UNNAMED = {"\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR", "\ufffe": "NONCHARACTER", "\uffff": "NONCHARACTER"}


def check_invisible(text: str, path: str) -> list[Problem]:
    """Return a problem, at its line and column, for every character of ``INVISIBLE`` in a file's text."""
    problems = []
    for match in INVISIBLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(_invisible(Location(path, line, column), match.group()))
    return problems


def _invisible(location: Location, char: str) -> Problem:
    name = _UNNAMED.get(char) or unicodedata.name(char, "")
    return error(
        location,
        "yaml.invisible-character",
        f"invisible character U+{ord(char):04X} ({name}) is not allowed: it hides in text or changes how text is shown",
        "delete it; most editors show nothing where it is (search for it by its code)",
    )


def _hidden_in_scalar(text: str, location: Location) -> Problem | None:
    """A character an escape (such as "\\u202e" or "\\x1b") put into a quoted value, reported at the value."""
    match = INVISIBLE.search(text)
    if match:
        return _invisible(location, match.group())
    match = _CONTROL.search(text)
    if match:
        return error(
            location,
            "yaml.control-character",
            f"control character U+{ord(match.group()):04X} is not allowed (written as an escape)",
            "delete the escape; it is invisible in most editors",
        )
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = exc.problem or exc.context or "invalid YAML"
    hint = None
    if exc.problem == "second occurrence" and exc.context and exc.context_mark:
        # PyYAML splits this one oddly: the context names the anchor, the problem only says "second occurrence".
        anchor = exc.context.split(";")[0].removeprefix("found ")
        message = f"{anchor} (first used at line {exc.context_mark.line + 1})"
    elif exc.context and exc.problem and exc.context_mark and exc.context_mark is not mark:
        hint = f"{exc.context} at line {exc.context_mark.line + 1}"
    return error(Location(path, line, column), "yaml.syntax", message, hint)
