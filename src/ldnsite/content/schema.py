"""Check one file's structure against the content model and build model objects.

The rules come from the field declarations in ``model.py``: required keys, unknown
keys, types, choices and formats. Cross-file rules (unknown ids, tiers, grades) live
in ``validate.py``. Every problem is collected; a record with problems yields None.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import enum
import functools
import html as html_lib
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

from ldnsite.content.model import DOSE_PATTERN, ID_MAX_LENGTH, ID_PATTERN
from ldnsite.content.pickling import SHARED_MAX_LENGTH
from ldnsite.content.yamlsource import DateText, Path_, YamlDoc
from ldnsite.problems import Location, Problem, error

MAX_TEXT = 600
MAX_MARKDOWN = 6000
MAX_MARKDOWN_DEPTH = 20
"""How deeply lists and quotes may nest in a Markdown field. Python-Markdown converts nesting by recursion:
about 600 levels (``- - - ... x``) exhaust Python's stack while the site is rendered, so `check` refuses
far less than that; no evidence summary needs more than a few levels."""

_FORMATS: dict[str, tuple[re.Pattern[str], str, str]] = {
    # kind: (pattern, what it must look like, code)
    "id": (re.compile(ID_PATTERN), "lowercase letters, digits and single hyphens, like 'fibromyalgia-pain'", "schema.id"),
    "ref": (re.compile(ID_PATTERN), "an id: lowercase letters, digits and single hyphens", "schema.id"),
    "pmid": (re.compile(r"^[1-9][0-9]{0,8}$"), "a PubMed id of digits only, like '12345678'", "schema.pmid"),
    "pmcid": (re.compile(r"^PMC[0-9]{1,9}$"), "'PMC' then digits, like 'PMC5298009'", "schema.pmcid"),
    "doi": (
        re.compile(r"^10\.[0-9]{4,9}/\S+$"),
        "a DOI starting with '10.', like '10.1002/art.37734', without 'https://doi.org/'",
        "schema.doi",
    ),
    "nct": (re.compile(r"^NCT[0-9]{8}$"), "'NCT' then 8 digits, like 'NCT01234567'", "schema.nct"),
    "uuid": (
        re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
        "a lowercase set id like 'f3305f0b-fb9e-4009-b28f-47fe9b1b618b'",
        "schema.uuid",
    ),
    # \x22 and \x27 are the quotes: written so, the pattern is valid in Python and in ECMAScript (JSON Schema) alike.
    "url": (
        re.compile(
            r"^https?://[^\s/?#<>\x22\x27`]+\.[^\s/?#<>\x22\x27`]+(?:[/?#][^\s<>\x22\x27`]*)?$"
            r"|^https?://(?:localhost|127\.0\.0\.1)(?::[0-9]+)?(?:[/?#][^\s<>\x22\x27`]*)?$"
        ),
        "an http:// or https:// address with no spaces",
        "schema.url",
    ),
    # The unit is checked against site.yaml's dose_units in validate.py: a file is read without the site settings.
    "dose": (
        re.compile(DOSE_PATTERN),
        "a number or range then its unit, like '4.5 mg', '1-5 mg' or '50 mg once daily'",
        "schema.dose",
    ),
    "date": (re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), "a date written YYYY-MM-DD", "schema.date"),
}
_TODO = re.compile(r"\bTODO\b")
_RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>?")


def parse_record(cls: type, doc: YamlDoc, at: Path_, context: str, data: Any = None) -> tuple[Any, list[Problem]]:
    """Check the mapping at ``at`` against dataclass ``cls``; return (object or None, problems).

    ``data`` is what ``at`` holds, when the caller has it at hand (else it is looked up).
    """
    if data is None:
        data = _get(doc.data, at)
    if not isinstance(data, dict):
        where = f"{context}: " if context else ""
        what = f"{where}expected a mapping of keys to values, found {_describe(data)}"
        return None, [error(doc.location(at), "schema.type", what, _example_hint(cls))]
    fields = _schema_fields(cls)
    context = _context_with_id(context, data)
    prefix = f"{context}: " if context else ""
    problems: list[Problem] = []
    for key in data:
        if key not in fields:
            problems.append(_unknown_key(doc, at + (key,), key, list(fields), prefix))
    values: dict[str, Any] = {}
    for name, fld in fields.items():
        meta = fld.metadata
        if name not in data or (data[name] is None and not meta["required"]):
            if meta["required"]:
                problems.append(
                    error(
                        doc.location(at),
                        "schema.required",
                        f"{prefix}missing required key '{name}'",
                        f"add '{name}:' ({_lower_first(meta['doc'])})",
                    )
                )
            continue
        value, field_problems = _parse_value(meta, doc, at + (name,), f"{prefix}{name}", context, data[name])
        problems += field_problems
        # Short texts shared between records, as when they come back from the parse cache (``pickling._restore``).
        values[name] = sys.intern(value) if value.__class__ is str and len(value) <= SHARED_MAX_LENGTH else value
    if problems:
        return None, problems
    return cls(**values, location=_record_location(cls, doc, at, data)), []


@functools.cache
def _schema_fields(cls: type) -> dict[str, dataclasses.Field]:
    """The fields of record ``cls`` that a content file may give, by name (asked for every record read)."""
    return {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}


_POINTED_AT = {"Claim", "Condition", "Source", "Grading", "Outcome"}
"""Records whose rules (``validate.py``) point at one of their keys, so their locations keep where each key is."""


def _record_location(cls: type, doc: YamlDoc, at: Path_, data: dict[str, Any]) -> Any:
    location = doc.location(at)
    if cls.__name__ not in _POINTED_AT:
        return location
    keys = []
    where = doc.keys
    for name in data:
        line, column = where.get(at + (name,), (location.line, location.column))
        keys.append(f"{name} {line - location.line} {column}")
    return Location(location.path, location.line, location.column, ";".join(keys))


def _parse_value(
    meta: Mapping[str, Any], doc: YamlDoc, at: Path_, label: str, context: str, value: Any
) -> tuple[Any, list[Problem]]:
    """Check ``value``, found at ``at``, against a field's declaration ``meta``."""
    kind = meta["kind"]
    loc = functools.partial(doc.location, at)  # found only for a problem: most values have none
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, [error(loc(), "schema.empty", f"{label} is empty", f"give a value ({_lower_first(meta['doc'])})")]
    if kind == "list":
        return _parse_list(meta, doc, at, label, context, value)
    if kind == "record":
        return parse_record(meta["item"], doc, at, f"{context}, {at[-1]}" if context else str(at[-1]), value)
    if kind in ("int", "year", "count"):
        return _parse_int(kind, value, loc, label)
    if kind == "number":
        return _parse_number(value, loc, label)
    if kind == "interval":
        return _parse_interval(doc, at, label)
    if kind == "choice":
        return _parse_choice(meta["choices"], value, loc, label)
    if kind == "bool":
        return _parse_bool(value, loc, label)
    if kind == "unconfirmed":
        # A marker that may only be deleted: its presence means no editor has confirmed the guess yet.
        return None, [
            error(
                doc.location(at, key=True),
                "schema.kind-unconfirmed",
                f"{label}: the kind was guessed from {value} and is not confirmed yet",
                f"check the study design in the paper, correct 'kind' if needed, then delete the '{at[-1]}' line",
            )
        ]
    if kind in ("pmid",) and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None, [
            error(
                loc(),
                "schema.type",
                f"{label} must be text, found {_describe(value)}",
                "put the value in quotes if it is meant as text",
            )
        ]
    value = str(value)
    if kind in _FORMATS:
        pattern, shape, code = _FORMATS[kind]
        if len(value) > ID_MAX_LENGTH and kind in ("id", "ref"):
            return None, [error(loc(), code, f"{label} '{value[:20]}...' is longer than {ID_MAX_LENGTH} characters")]
        if not pattern.match(value):
            return None, [error(loc(), code, f"{label} {_quote(value)} is not valid: expected {shape}")]
        if kind == "date":
            return _parse_date(value, loc, label)
        return value, []
    limit = meta["max_length"] or (MAX_MARKDOWN if kind == "markdown" else MAX_TEXT)
    if len(value) > limit:
        return None, [
            error(
                loc(),
                "schema.too-long",
                f"{label} is {len(value):,} characters long; the limit is {limit:,}",
                "shorten it; put detail in 'notes'" if kind != "markdown" else "shorten it",
            )
        ]
    if "TODO" in value and _TODO.search(value):  # the substring test first: most texts have neither
        return None, [
            error(
                loc(),
                "schema.todo",
                f"{label} still holds the placeholder 'TODO'",
                "replace it with real content (see the comment above the key)",
            )
        ]
    html = _RAW_HTML.search(value) if "<" in value else None
    if html:
        return None, [
            error(
                loc(),
                "schema.raw-html",
                f"{label} contains HTML {_quote(html.group()[:40])}",
                "write plain text or Markdown; HTML is not allowed in content",
            )
        ]
    if kind == "markdown":
        link = _SCHEME_WITHOUT_SLASHES.search(html_lib.unescape(value).replace("\\", ""))
        if link:
            return None, [
                error(
                    loc(),
                    "schema.link",
                    f"{label} links to {_quote(link.group(1))}, a web address without '//'",
                    "write the whole address, like 'https://example.org/page'; a browser would read "
                    "this one as a page of this site, or as another host",
                )
            ]
        depth, line = markdown_depth(value)
        if depth > MAX_MARKDOWN_DEPTH:
            return None, [
                error(
                    loc(),
                    "schema.markdown-too-deep",
                    f"{label} nests lists or quotes {depth} levels deep (line {line} of the text); "
                    f"the limit is {MAX_MARKDOWN_DEPTH}",
                    "flatten the lists and quotes",
                )
            ]
    return value, []


_SCHEME_WITHOUT_SLASHES = re.compile(r"(?:\]\(|^[ ]{0,3}\[[^\]\n]+\]:)[ \t\n]*<?((?i:https?):(?!//)[^\s)>]*)", re.MULTILINE)
"""A Markdown link, inline or by reference, to 'http:' or 'https:' not followed by '//' (entities decoded first)."""

_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))")


def markdown_depth(text: str) -> tuple[int, int]:
    """Return how deeply a Markdown text nests lists and quotes at most, and the first line (from 1) that deep.

    Counted per line: each list marker or '>' that opens the line is a level, and so is every 4 columns
    of indentation before them (how Python-Markdown nests list items).
    """
    deepest, deepest_line = 0, 1
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        depth, at = len(indent.expandtabs(4)) // 4, 0
        while match := _CONTAINER.match(line, at):
            depth += 1
            at = match.end()
        if depth > deepest:
            deepest, deepest_line = depth, number
    return deepest, deepest_line


def _parse_list(
    meta: Mapping[str, Any], doc: YamlDoc, at: Path_, label: str, context: str, value: Any
) -> tuple[Any, list[Problem]]:
    loc = functools.partial(doc.location, at)  # found only for a problem: most values have none
    item = meta["item"]
    if not isinstance(value, list):
        return None, [
            error(
                loc(),
                "schema.type",
                f"{label} must be a list, found {_describe(value)}",
                "write each item on its own line starting with '- '",
            )
        ]
    if not value:
        return None, [error(loc(), "schema.empty", f"{label} is an empty list", "add at least one item, or remove the key")]
    items, problems = [], []
    item_meta = _item_meta(meta) if isinstance(item, str) else None
    for index, each in enumerate(value):
        if item_meta is not None:
            parsed, item_problems = _parse_value(item_meta, doc, at + (index,), f"{label} item {index + 1}", context, each)
        else:
            parsed, item_problems = parse_record(item, doc, at + (index,), _item_context(item, context, index), each)
        items.append(parsed)
        problems += item_problems
    return (None if problems else tuple(items)), problems


_ITEM_META: dict[int, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}


def _item_meta(meta: Mapping[str, Any]) -> Mapping[str, Any]:
    """The declaration of each item of a list of plain values: the list's, with the item's kind and no length limit.

    Kept per list field, not made again for every item (the field's declaration is kept with it, so its id stays its own).
    """
    found = _ITEM_META.get(id(meta))
    if found is None or found[0] is not meta:
        found = _ITEM_META[id(meta)] = (meta, {**meta, "kind": meta["item"], "max_length": None})
    return found[1]


def _item_context(item: type, context: str, index: int) -> str:
    noun = {
        "Claim": "claim",
        "Citation": "source",
        "ConditionGroup": "condition group",
        "LabelSection": "section",
        "Outcome": "outcome",
        "TierText": "tier",
        "Wording": "wording",
    }[item.__name__]
    if noun == "claim":
        return f"claim #{index + 1}"
    return f"{context}, {noun} #{index + 1}" if context else f"{noun} #{index + 1}"


def _context_with_id(context: str, data: dict[str, Any]) -> str:
    """Name a record by its id once it is known: "claim #3" becomes "claim 'pain-relief'"."""
    ident = data.get("id")
    if not isinstance(ident, str) or not re.match(ID_PATTERN, ident) or len(ident) > ID_MAX_LENGTH:
        return context
    if "#" in context:
        return re.sub(r"#[0-9]+$", f"'{ident}'", context)
    if context and "'" not in context:
        return f"{context} '{ident}'"
    return context


def _parse_int(kind: str, value: Any, loc: Callable[[], Location], label: str) -> tuple[Any, list[Problem]]:
    if isinstance(value, DateText):
        return None, [
            error(
                loc(),
                "yaml.implicit-date",
                f"{label} {value} was read as a date; expected a year",
                "give only the year, or use 'date:' for a full date",
            )
        ]
    if isinstance(value, bool) or not isinstance(value, int):
        return None, [
            error(
                loc(),
                "schema.type",
                f"{label} must be a whole number, found {_describe(value)}",
                "write digits only, without quotes",
            )
        ]
    if kind == "year" and not 1800 <= value <= 2100:
        return None, [error(loc(), "schema.year", f"{label} {value} is not a plausible year", "write four digits, like 2024")]
    if value < 0:
        return None, [error(loc(), "schema.type", f"{label} must not be negative, found {value}")]
    if kind == "count" and value < 1:
        return None, [error(loc(), "schema.type", f"{label} must be at least 1, found {value}")]
    return value, []


def _parse_bool(value: Any, loc: Callable[[], Location], label: str) -> tuple[Any, list[Problem]]:
    if isinstance(value, bool):
        return value, []
    return None, [
        error(
            loc(),
            "schema.type",
            f"{label} must be true or false, found {_describe(value)}",
            "write true or false, without quotes",
        )
    ]


def _parse_number(value: Any, loc: Callable[[], Location], label: str) -> tuple[Any, list[Problem]]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
        return None, [
            error(
                loc(),
                "schema.type",
                f"{label} must be a number, found {_describe(value)}",
                "write the number without quotes, like -0.34 or 1.5",
            )
        ]
    return value, []


def _parse_interval(doc: YamlDoc, at: Path_, label: str) -> tuple[Any, list[Problem]]:
    value = _get(doc.data, at)
    if not isinstance(value, list) or len(value) != 2:
        found = f"a list of {len(value)}" if isinstance(value, list) else _describe(value)
        return None, [
            error(
                doc.location(at),
                "schema.type",
                f"{label} must be two numbers [low, high], found {found}",
                "write the 95% confidence interval as [low, high], like [-0.95, 0.27]",
            )
        ]
    bounds, problems = [], []
    for index, name in enumerate(("low", "high")):
        where = functools.partial(doc.location, at + (index,))
        bound, bound_problems = _parse_number(value[index], where, f"{label} {name} bound")
        bounds.append(bound)
        problems += bound_problems
    return (None if problems else tuple(bounds)), problems


def _parse_choice(choices: type[enum.Enum], value: Any, loc: Callable[[], Location], label: str) -> tuple[Any, list[Problem]]:
    if isinstance(value, str):
        member = _members_by_value(choices).get(value)
        if member is not None:
            return member, []
    allowed = [c.value for c in choices]
    if not isinstance(value, str):
        return None, [error(loc(), "schema.choice", f"{label} must be one of {', '.join(allowed)}, found {_describe(value)}")]
    close = difflib.get_close_matches(value.lower(), allowed, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else None
    return None, [error(loc(), "schema.choice", f"{label} {_quote(value)} is not one of {', '.join(allowed)}", hint)]


@functools.cache
def _members_by_value(choices: type[enum.Enum]) -> dict[Any, enum.Enum]:
    """The members of a list of choices by their value (asked for every choice in every file)."""
    return {member.value: member for member in choices}


def _parse_date(value: str, loc: Callable[[], Location], label: str) -> tuple[Any, list[Problem]]:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return None, [error(loc(), "schema.date", f"{label} '{value}' is not a real calendar date")]
    return value, []


def _unknown_key(doc: YamlDoc, at: Path_, key: str, known: list[str], prefix: str) -> Problem:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(known)}"
    return error(doc.location(at, key=True), "schema.unknown-key", f"{prefix}unknown key {_quote(key)}", hint)


def _get(data: Any, at: Path_) -> Any:
    for step in at:
        data = data[step]
    return data


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"text {_quote(value)}"


def _quote(value: str) -> str:
    text = value if len(value) <= 60 else value[:57] + "..."
    return "'" + text.replace("\n", " ") + "'"


def _lower_first(text: str) -> str:
    """Lowercase the first letter of a sentence, but not of an acronym such as 'GRADE' or 'URL'."""
    if text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _example_hint(cls: type) -> str | None:
    names = [f.name for f in dataclasses.fields(cls) if f.metadata.get("required")]
    return f"it needs the keys: {', '.join(names)}" if names else None
