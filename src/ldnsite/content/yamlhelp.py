"""Explain the commonest YAML slips in plain words, with the fix.

PyYAML's messages describe its parser ("mapping values are not allowed in this context",
"did not find expected '-' indicator") and often point past the real mistake. Editors who are
not programmers make five slips far more often than any other, and each leaves a recognisable
trace in PyYAML's error plus the raw lines around it:

- an unquoted ``: `` inside a value (paper titles are full of them): put the value in quotes;
- no space after a key's colon (``title:Pain``);
- a line indented differently from the keys it belongs with;
- a quote that is opened and never closed;
- a list item written without its ``-``.

``explain`` returns a located problem for these, or None, and the caller falls back to PyYAML's
own message. It only reads the text; it never guesses a fix it cannot show.
"""

from __future__ import annotations

import re

import yaml

from ldnsite.problems import Location, Problem, error

_KEY = re.compile(r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[^\s#'\"\-:?,\[\]{}&*!|>%@`][^:#]*?):(?P<after> |$)")
"""The key at the start of a line (after any list dashes), when the line is 'key: value' or 'key:'."""

_NO_SPACE = re.compile(r"^(?P<indent> *)(?:- +)*(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?P<value>[^\s/:][^\n]*)$")
"""A key glued to its value: 'title:Pain', with no space after the colon (not 'http://', not '::')."""

_QUOTED_VALUE = re.compile(r"^ *(?:- +)*(?:[^\s#'\"][^:#]*?: +)?(?P<quote>['\"])")


def explain(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem | None:
    """Return a plain-language problem for a common slip behind ``exc``, or None."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.split("\n")
    context = exc.context_mark.line if exc.context_mark else mark.line
    if exc.context == "while scanning a quoted scalar" and exc.context_mark:
        return _unclosed_quote(lines, exc.context_mark.line, exc.context_mark.column, path)
    for number in range(max(0, min(context, mark.line - 1)), min(mark.line, len(lines) - 1) + 1):
        found = _missing_space(lines, number, path) or _open_quote(lines, number, mark.line, path)
        if found:
            return found
    line = lines[mark.line] if mark.line < len(lines) else ""
    if exc.problem == "mapping values are not allowed in this context":
        key = _KEY.match(line)
        if key and mark.column > key.end("key"):
            return _colon_in_value(line, key, mark.line, mark.column, path)
        return _indentation(lines, mark.line, path)
    if exc.problem == "could not find expected ':'" and exc.context == "while scanning a simple key" and exc.context_mark:
        return _not_a_key(lines, exc.context_mark.line, path)
    if exc.problem == "did not find expected '-' indicator" and exc.context_mark:
        if _indent(line) == exc.context_mark.column and not line.lstrip().startswith("-"):
            return _missing_dash(mark.line, _indent(line), path)
        return _indentation(lines, mark.line, path)
    if exc.problem == "did not find expected key" and line.strip() and not line.lstrip().startswith("- "):
        return _text_after_quote(line, mark.line, mark.column, path) or _indentation(lines, mark.line, path)
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_indent(line: str) -> int:
    """Return the column where the line's key starts: its indentation plus any list dashes ('  - id:' is 4)."""
    match = re.match(r"^( *)((?:- +)*)", line)
    return len(match.group(1)) + len(match.group(2)) if match else 0


def _content_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _previous(lines: list[str], number: int) -> int | None:
    """Return the number of the nearest line above ``number`` that holds content, or None."""
    for above in range(number - 1, -1, -1):
        if _content_line(lines[above]):
            return above
    return None


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _colon_in_value(line: str, key: re.Match[str], number: int, column: int, path: str) -> Problem:
    name = key.group("key").strip()
    value = line[key.end() :].strip()
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return error(
        Location(path, number + 1, column + 1),
        "yaml.colon-in-value",
        f"the value of '{name}' contains ': ', which YAML reads as the start of another key",
        f"put the value in quotes: {name}: {quoted}",
    )


def _missing_space(lines: list[str], number: int, path: str) -> Problem | None:
    match = _NO_SPACE.match(lines[number])
    if not match or ": " in lines[number]:
        return None
    key, value = match.group("key"), match.group("value").rstrip()
    return error(
        Location(path, number + 1, match.end("key") + 1),
        "yaml.colon-space",
        f"no space after the colon in '{key}:{value}'",
        f"write '{key}: {value}': YAML needs a space between a key's colon and its value",
    )


def _open_quote(lines: list[str], number: int, error_line: int, path: str) -> Problem | None:
    """Report a value that opens a quote it does not close on its own line, when the error comes later."""
    if number >= error_line:
        return None
    match = _QUOTED_VALUE.match(lines[number])
    if not match:
        return None
    if _closes(lines[number][match.end() :], match.group("quote")):
        return None
    return _unclosed_quote(lines, number, match.start("quote"), path)


def _closes(rest: str, quote: str) -> bool:
    """Tell whether the text after an opening quote closes it on the same line."""
    if quote == "'":
        return "'" in rest.replace("''", "")
    return re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None


def _text_after_quote(line: str, number: int, column: int, path: str) -> Problem | None:
    """Report 'title: "Vitamin D" in pain': a quoted value followed by more text on its line."""
    key = _KEY.match(line)
    value = line[key.end() :].strip() if key else ""
    if not key or value[:1] not in ("'", '"') or column <= key.end():
        return None
    name = key.group("key").strip()
    quoted = "'" + value.replace("'", "''") + "'" if value[0] == '"' else '"' + value.replace('"', '\\"') + '"'
    return error(
        Location(path, number + 1, column + 1),
        "yaml.syntax",
        f"the value of '{name}' goes on after its closing quote",
        f"quote the whole value: {name}: {quoted}",
    )


def _unclosed_quote(lines: list[str], number: int, column: int, path: str) -> Problem:
    line = lines[number] if number < len(lines) else ""
    quote = line[column] if column < len(line) and line[column] in "'\"" else '"'
    key = _KEY.match(line)
    subject = f"the value of '{key.group('key').strip()}'" if key and key.end() <= column else "this value"
    return error(
        Location(path, number + 1, column + 1),
        "yaml.unclosed-quote",
        f"{subject} opens a quote ({quote}) that is never closed",
        f"end the value with {quote} on the same line, or remove the opening {quote}",
    )


def _indentation(lines: list[str], number: int, path: str) -> Problem | None:
    if number >= len(lines) or not _content_line(lines[number]):
        return None
    above = _previous(lines, number)
    if above is None:
        return None
    here, there = _indent(lines[number]), _key_indent(lines[above])
    if here == there:
        return None
    uses = f"use {there}" if there else "are not indented"
    return error(
        Location(path, number + 1, here + 1),
        "yaml.indentation",
        f"this line is indented {_spaces(here)}; the lines above {uses}",
        "line it up exactly with the keys it belongs with: YAML reads the structure from the indentation",
    )


def _not_a_key(lines: list[str], number: int, path: str) -> Problem:
    here = _indent(lines[number])
    above = _previous(lines, number)
    while above is not None and _indent(lines[above]) > here:
        above = _previous(lines, above)
    if above is not None and _indent(lines[above]) == here and lines[above].lstrip().startswith("- "):
        return _missing_dash(number, here, path)
    return error(
        Location(path, number + 1, here + 1),
        "yaml.syntax",
        "this line is neither 'key: value' nor a list item ('- ')",
        "if it continues the text above, indent it further than that text's key, or put the whole text "
        "in quotes; if it is a new key, write 'key: value'",
    )


def _missing_dash(number: int, indent: int, path: str) -> Problem:
    return error(
        Location(path, number + 1, indent + 1),
        "yaml.missing-dash",
        "this line is in a list but does not start with '- '",
        "start each item of the list with a dash and a space ('- '), lined up with the dashes above",
    )
