"""The words pages use: the locale file's strings, with the site's topic, regulator and replacements filled in.

The default theme's English strings live in ``locale/en.yaml`` (package data). ``site.yaml`` names the
intervention and the regulator, may rename the tiers (``tiers``) and may replace any string (``wording``),
so no page of the theme names a particular medicine, and another topic needs no change to the code.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import functools
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from ldnsite.content.model import (
    Direction,
    Grade,
    LabelTopic,
    Measure,
    RegistrationStatus,
    Role,
    Site,
    SourceKind,
    Status,
    Verdict,
    Wording,
)
from ldnsite.content.yamlsource import read_yaml
from ldnsite.problems import Problem, error

DEFAULT_LOCALE = "en"


@functools.cache
def locale_strings(name: str = DEFAULT_LOCALE) -> dict[str, str]:
    """Return the strings of a shipped locale file, by dotted key ('tier.off-label.name')."""
    text = resources.files("ldnsite").joinpath("content", "locale", f"{name}.yaml").read_text(encoding="utf-8")
    return dict(_flatten(_safe_load(text)))


def _safe_load(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's loader where installed: the same data, several times faster (read at every start)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def _flatten(data: dict[str, Any], prefix: str = ""):
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", str(value)


def with_locale(site: Site, project_dir: Path) -> tuple[Site, list[Problem]]:
    """Return the site with the strings of its language, and any problems of the project's locale file.

    A project's ``locale/<language>.yaml`` comes first, then a locale file shipped for the language;
    a string either leaves out is the English one, so a translation can be done a part at a time.
    """
    strings = dict(locale_strings())
    shipped = resources.files("ldnsite").joinpath("content", "locale", f"{site.language}.yaml")
    if site.language != DEFAULT_LOCALE and shipped.is_file():
        strings.update(_flatten(_safe_load(shipped.read_text(encoding="utf-8"))))
    file = project_dir / "locale" / f"{site.language}.yaml"
    text = file.read_bytes() if file.is_file() else None
    last = _LAST_LOCALE
    if last and last[0] is site and last[1] == text:
        return last[2], list(last[3])  # the very same Site as last time: what the incremental builder's memo recognises
    problems: list[Problem] = []
    if text is not None:
        display = file.relative_to(project_dir).as_posix()
        doc, problems = read_yaml(file, display)
        if doc is not None and not isinstance(doc.data, dict):
            problems.append(error(doc.location(()), "schema.type", "a locale file must be a mapping of keys to strings"))
        elif doc is not None:
            for key, value in _flatten(doc.data):
                at = tuple(key.split("."))
                if key not in strings:
                    close = difflib.get_close_matches(key, list(strings), n=1)
                    problems.append(
                        error(
                            doc.location(at, key=True),
                            "rule.unknown-wording",
                            f"locale string '{key}' is not a key of the default locale file",
                            f"did you mean '{close[0]}'?" if close else None,
                        )
                    )
                elif stray := stray_placeholders(key, value):
                    problems.append(_stray_problem(doc.location(at), f"locale string '{key}'", key, stray))
                else:
                    strings[key] = value.strip()
    result = dataclasses.replace(site, locale=tuple(strings.items()))
    _LAST_LOCALE[:] = [site, text, result, tuple(problems)]
    return result, problems


_LAST_LOCALE: list = []


SITE_VALUES = ("intervention", "regulator", "approved", "label", "a_label", "approved_by", "label_kind", "approval_kind")
"""The placeholders every string may use."""


def stray_placeholders(key: str, text: str) -> list[str]:
    """Return the {placeholders} of ``text`` that string ``key`` cannot fill (its English form does not use them)."""
    english = locale_strings().get(key)
    if english is None:
        return []
    allowed = set(SITE_VALUES) | _fields(english)
    try:
        used = _fields(text)
    except ValueError:  # a lone brace
        return ["{"]
    return sorted(used - allowed)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _stray_problem(location, what: str, key: str, stray: list[str]) -> Problem:
    names = ", ".join(f"'{{{name}}}'" if name != "{" else "a lone '{'" for name in stray)
    usable = ", ".join(f"{{{name}}}" for name in sorted(set(SITE_VALUES) | _fields(locale_strings()[key])))
    return error(
        location,
        "rule.wording-placeholder",
        f"{what} uses {names}, which it cannot fill",
        f"use only {usable}; write a brace as '{{{{' or '}}}}'",
    )


def wording_problems(site: Site) -> list[Problem]:
    """Return a problem for each replaced string of ``site.yaml`` with a placeholder its key cannot fill."""
    found = []
    for item in site.wording:
        if stray := stray_placeholders(item.key, item.text):
            found.append(_stray_problem(item.location, f"site wording '{item.key}'", item.key, stray))
    for tier in site.tiers:
        for part in ("name", "summary", "description"):
            key = f"tier.{tier.status.value}.{part}"
            if stray := stray_placeholders(key, getattr(tier, part)):
                found.append(_stray_problem(tier.location, f"tier '{tier.status}' {part}", key, stray))
    return found


def unknown_keys(wording: tuple[Wording, ...]) -> list[tuple[Wording, str]]:
    """Return each replaced string whose key the locale file lacks, with a hint naming the nearest keys."""
    known = locale_strings()
    found = []
    for item in wording:
        if item.key not in known:
            close = difflib.get_close_matches(item.key, list(known), n=1)
            found.append((item, f"did you mean '{close[0]}'?" if close else "the keys are listed in the locale file, en.yaml"))
    return found


_LABEL_KEYS: dict[type[enum.Enum], str] = {
    Direction: "direction",
    Verdict: "verdict",
    Role: "role",
    RegistrationStatus: "registration_status",
    LabelTopic: "label_topic",
    Measure: "measure",
}
"""The locale's group of strings naming the values of each of the model's lists."""


@dataclass(frozen=True, slots=True)
class TierWords:
    """What pages call one tier."""

    name: str
    short: str
    summary: str
    description: str


@dataclass(frozen=True)
class Words:
    """The site's strings, called from code and templates alike: ``words('page.condition.title', condition=name)``."""

    strings: tuple[tuple[str, str], ...]
    values: tuple[tuple[str, str], ...]
    # Derived from the two fields above in __post_init__; they alone decide equality.
    _table: dict[str, str] = field(init=False, repr=False, compare=False)
    _values: dict[str, str] = field(init=False, repr=False, compare=False)
    _filled: dict[str, str] = field(init=False, repr=False, compare=False)
    tiers: dict[Status, TierWords] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up for every claim: kept as dictionaries beside the fields (which alone decide equality).
        object.__setattr__(self, "_table", dict(self.strings))
        object.__setattr__(self, "_values", dict(self.values))
        object.__setattr__(self, "_filled", {})  # strings asked for with no values of their own, filled in once
        object.__setattr__(self, "tiers", {status: self._tier(status) for status in Status})

    def __call__(self, key: str, **values: Any) -> str:
        """Return string ``key`` with the site's values and ``values`` filled in.

        A key ending in ``_html`` holds markup (the locale file is part of the theme, as trusted as a
        template): it is returned as Markup, with the values filled in escaped.
        """
        if not values:
            filled = self._filled.get(key)
            if filled is None:
                filled = self._filled[key] = self._fill(key, self._values)
            return filled
        # A value passed in (an outcome's own intervention) wins over the site's.
        return self._fill(key, {**self._values, **values})

    def _fill(self, key: str, values: dict[str, Any]) -> str:
        if key.endswith("_html"):
            return Markup(self._table[key]).format(**values)
        return self._table[key].format(**values)

    def n(self, key: str, count: int, **values: Any) -> str:
        """Return the form of string ``key`` for ``count`` (``key.one`` or ``key.other``), with ``{count}`` filled in."""
        return self(f"{key}.{'one' if count == 1 else 'other'}", count=f"{count:,}", **values)

    def kind(self, kind: SourceKind) -> str:
        """Return the name of a design of source (``source_kind.<kind>``)."""
        return self(f"source_kind.{kind.value}")

    def label(self, item: enum.Enum) -> str:
        """Return what pages call a value of the model's lists: ``t.label(claim.verdict)`` is string ``verdict.<value>``.

        A grade's name is ``grade.<value>.label``; its other words come from ``grade(...)``.
        """
        if isinstance(item, SourceKind):
            return self.kind(item)
        if isinstance(item, Grade):
            return self.grade(item, "label")
        return self(f"{_LABEL_KEYS[type(item)]}.{item.value}")

    def grade(self, grade: Grade, part: str) -> str:
        """Return a word of a GRADE certainty level: its ``label``, its ``verb`` or its ``description``."""
        return self(f"grade.{grade.value}.{part}")

    def _tier(self, status: Status) -> TierWords:
        return TierWords(*(self(f"tier.{status.value}.{part}") for part in ("name", "short", "summary", "description")))


def words_for(site: Site) -> Words:
    """Return the words of a site: the strings of its locale, then its own ``tiers`` and ``wording``.

    Asked for on every page of a build with the same Site: the last answer is kept by identity, which
    costs nothing, where hashing the Site (its locale included) would cost a little on every page.
    """
    last = _LAST_WORDS
    if last and last[0] is site:
        return last[1]
    words = _words_for(site)
    _LAST_WORDS[:] = [site, words]
    return words


_LAST_WORDS: list = []


@functools.lru_cache(maxsize=16)
def _words_for(site: Site) -> Words:
    table = dict(site.locale or locale_strings().items())
    for tier in site.tiers:
        for part in ("name", "summary", "description"):
            table[f"tier.{tier.status.value}.{part}"] = getattr(tier, part).strip()
    table.update((item.key, item.text.strip()) for item in site.wording)
    regulator = {
        part: table[f"regulator.{site.regulator.value}.{part}"]
        for part in ("name", "approved", "label", "a_label", "approved_by", "label_kind", "approval_kind")
    }
    values = {
        "intervention": site.intervention.name if site.intervention else table["intervention.default"],
        "regulator": regulator.pop("name"),
        **regulator,
    }
    return Words(tuple(table.items()), tuple(values.items()))


def default_words() -> Words:
    """Return the English words for a site that names no intervention and keeps every default."""
    return words_for(Site("", "", "", DEFAULT_LOCALE, "", ()))


locale_strings()  # read once, at import: planning the site stays free of I/O
