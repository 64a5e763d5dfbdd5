"""Problems found in content, and the two ways they are printed.

Every stage returns problems instead of raising, so an editor sees every mistake in one
run. A problem is one line, ``path:line:col: severity: message [code]``, with an
optional ``hint:`` line under it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ldnsite.content.pickling import pickled_by_slots


@pickled_by_slots
@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a content file: POSIX path relative to the project, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0
    keys: str = ""
    """For a record (a claim, condition or source): where each of its keys is written, so that a rule can point
    at the key it is about. One text, 'name lines column' per key joined by ';', the lines counted from the
    record's own: a large site holds one per record, and a text costs a fraction of a tuple of numbers."""

    @classmethod
    def unknown(cls) -> Location:
        return cls("")

    def key(self, name: str) -> Location:
        """Return where key ``name`` of this record is written (the record's own place if it has no such key)."""
        for entry in self.keys.split(";") if self.keys else ():
            key, lines, column = entry.split(" ")
            if key == name:
                return Location(self.path, self.line + int(lines), int(column))
        return Location(self.path, self.line, self.column)

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@pickled_by_slots
@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content."""

    location: Location
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)


def error(location: Location, code: str, message: str, hint: str | None = None) -> Problem:
    """Return an error problem."""
    return Problem(location, Severity.ERROR, code, message, hint)


def warning(location: Location, code: str, message: str, hint: str | None = None) -> Problem:
    """Return a warning problem."""
    return Problem(location, Severity.WARNING, code, message, hint)


class ProblemList:
    """An ordered, de-duplicated collection of problems."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._problems: list[Problem] = []
        self._seen: set[Problem] = set()
        self.extend(problems)

    def add(self, problem: Problem) -> None:
        if problem not in self._seen:
            self._seen.add(problem)
            self._problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self._problems, key=lambda p: p.sort_key))

    def __len__(self) -> int:
        return len(self._problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]

    def fails(self, strict: bool) -> bool:
        """Return True when these problems must stop a build."""
        return bool(self.errors) or (strict and bool(self.warnings))


def format_text(problem: Problem) -> str:
    """Format one problem for a terminal: location first, code last, hint indented below."""
    line = f"{problem.location}: {problem.severity}: {problem.message} [{problem.code}]"
    if problem.hint:
        line += f"\n    hint: {problem.hint}"
    return line


def format_github(problem: Problem) -> str:
    """Format one problem as a GitHub Actions workflow annotation."""
    loc = problem.location
    parts = [f"file={_escape_property(loc.path)}"]
    if loc.line:
        parts += [f"line={loc.line}", f"col={loc.column}"]
    parts.append(f"title={_escape_property(problem.code)}")
    message = problem.message + (f"\n{problem.hint}" if problem.hint else "")
    return f"::{problem.severity} {','.join(parts)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_summary(problems: ProblemList, strict: bool, *, wrote_nothing: bool) -> str:
    """Return the closing line of a report, e.g. 'ldnsite: 3 errors, 1 warning in 2 files'."""
    errors, warnings = len(problems.errors), len(problems.warnings)
    files = len({p.location.path for p in problems})
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}"
    if not problems.fails(strict):
        return f"ldnsite: {counts}; content is valid." if len(problems) else "ldnsite: no problems found."
    reason = " (warnings count as errors in strict mode)" if strict and not errors else ""
    tail = "; nothing was written." if wrote_nothing else "."
    return f"ldnsite: {counts}{reason}{tail}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_report(problems: ProblemList, fmt: str = "text") -> str:
    """Format every problem, sorted, one per line (plus hint lines in text format)."""
    formatter = format_github if fmt == "github" else format_text
    return "\n".join(formatter(p) for p in problems)
