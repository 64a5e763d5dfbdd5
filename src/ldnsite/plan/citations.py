"""Citations: the bibliography as BibTeX, RIS and CSL-JSON, and "cite this page" text.

Pure functions of the sources, sorted by id, so the exports are byte-for-byte
reproducible. Nothing is invented: a source without authors gets no author field, and
a field the source does not have is left out. Escaping follows each format: LaTeX
specials in BibTeX text fields, one line per tag in RIS, JSON for CSL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from ldnsite.content.model import Source, SourceKind
from ldnsite.content.wording import Words, default_words
from ldnsite.plan.jsontext import indented_json

_OTHER_TYPES = {
    # kind: (CSL type, BibTeX entry type, RIS type)
    SourceKind.WEB_ARTICLE: ("webpage", "misc", "ELEC"),
    SourceKind.TESTIMONIAL: ("webpage", "misc", "ELEC"),
    SourceKind.REGULATORY_LABEL: ("document", "misc", "GOVDOC"),
    SourceKind.REGULATORY_APPROVAL: ("document", "misc", "GOVDOC"),
    SourceKind.REGULATORY_RECORD: ("dataset", "misc", "DBASE"),
    SourceKind.TRIAL_REGISTRATION: ("dataset", "misc", "DBASE"),
    SourceKind.REFERENCE_WORK: ("entry-encyclopedia", "misc", "ENCYC"),
}
_CITATION = re.compile(r"^(?P<volume>[^\s():,;]+)(?:\((?P<issue>[^\s()]+)\))?(?::(?P<pages>[^\s:]+))?$")
_INITIALS = re.compile(r"^[A-Z]{1,4}$")
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_BIBTEX_TABLE = str.maketrans(_BIBTEX_SPECIALS)

_VERBATIM_SAFE = "".join(ch for ch in map(chr, range(33, 127)) if ch not in "{}\\")
"""What a verbatim field keeps as it is: printable ASCII but braces and the backslash."""


ET_AL = "et al."
"""How CSL-JSON and RIS end a shortened list of authors."""


@dataclass(frozen=True, slots=True)
class Name:
    """An author: a person (family name and initials) or an organisation (literal)."""

    family: str | None = None
    initials: tuple[str, ...] = ()
    literal: str | None = None


@dataclass(frozen=True, slots=True)
class Parts:
    """The volume, issue and pages read from a source's ``citation`` field."""

    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    unparsed: str | None = None


def parse_author(text: str) -> Name | None:
    """Read 'Surname AB' as a person, a lone word as a family name, anything else as an organisation.

    'et al.' returns None: the list was shortened. BibTeX says so with 'and others'; CSL-JSON and RIS, which have
    no such word, end the list with an author named 'et al.', which reference managers and citeproc print as is.
    """
    text = " ".join(text.split())
    if text.lower() in ("et al.", "et al"):
        return None
    family, _, last = text.rpartition(" ")
    if family and _INITIALS.match(last):
        return Name(family=family, initials=tuple(last))
    if " " not in text:
        return Name(family=text)
    return Name(literal=text)


def parse_citation(text: str | None) -> Parts:
    """Split '6(1):e31-e39' into volume, issue and pages; keep anything else whole."""
    if not text:
        return Parts()
    match = _CITATION.match(text.strip())
    if not match:
        return Parts(unparsed=text)
    return Parts(match["volume"], match["issue"], match["pages"])


def source_url(source: Source) -> str | None:
    """Return the best web address for a source: its own, else PubMed, else DailyMed."""
    if source.url:
        return source.url
    if source.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"
    if source.dailymed_setid:
        return f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={source.dailymed_setid}"
    return None


def entry_types(source: Source) -> tuple[str, str, str]:
    """Return (CSL type, BibTeX entry type, RIS type) for a source."""
    if source.kind.is_journal_article:
        return ("article-journal", "article", "JOUR") if source.publisher else ("article", "misc", "GEN")
    return _OTHER_TYPES[source.kind]


def csl_json(sources: Iterable[Source]) -> str:
    """Return the sources as a CSL-JSON array (the format of Zotero, Pandoc and citeproc), sorted by id."""
    items = [_csl_item(s) for s in _sorted(sources)]
    return indented_json(items) + "\n"


def bibtex(sources: Iterable[Source]) -> str:
    """Return the sources as BibTeX entries keyed by source id, sorted by id, in UTF-8."""
    entries = [_bibtex_entry(s) for s in _sorted(sources)]
    return "% Encoding: UTF-8\n\n" + "\n".join(entries)


def ris(sources: Iterable[Source]) -> str:
    """Return the sources as RIS records, sorted by id, with the CRLF line ends RIS readers expect."""
    lines: list[str] = []
    for source in _sorted(sources):
        lines.extend(_ris_lines(source))
    return "\r\n".join(lines) + "\r\n"


def page_citation(page_title: str, site_title: str, reviewed: str | None, url: str, words: Words | None = None) -> str:
    """Return a plain-text citation of a page: title, site, review date and address, in the locale's words."""
    words = words or default_words()
    parts = [_sentence(page_title), _sentence(site_title)]
    if reviewed:
        parts.append(words("theme.cite.reviewed", date=reviewed))
    parts.append(words("theme.cite.available", url=url))
    return " ".join(parts)


def _sorted(sources: Iterable[Source]) -> list[Source]:
    return sorted(sources, key=lambda s: s.id)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _authors(source: Source) -> tuple[list[Name], bool]:
    """Return the parsed authors and whether the list was shortened with 'et al.'."""
    names, shortened = [], False
    for text in source.authors:
        name = parse_author(text)
        if name is None:
            shortened = True
        else:
            names.append(name)
    return names, shortened


def _date_parts(source: Source) -> list[int] | None:
    if source.date:
        return [int(part) for part in source.date.split("-")]
    if source.year:
        return [source.year]
    return None


def _note(source: Source) -> str | None:
    notes = []
    if source.nct:
        notes.append(f"ClinicalTrials.gov: {source.nct}")
    if source.registration:
        notes.append(f"Registration: {source.registration}")
    return "; ".join(notes) or None


def _csl_item(source: Source) -> dict[str, object]:
    csl_type, _, _ = entry_types(source)
    names, shortened = _authors(source)
    parts = parse_citation(source.citation)
    item: dict[str, object] = {"id": source.id, "type": csl_type, "title": source.title}
    if names:
        item["author"] = [_csl_name(n) for n in names] + ([{"literal": ET_AL}] if shortened else [])
    if source.publisher:
        item["container-title" if csl_type in ("article-journal", "webpage") else "publisher"] = source.publisher
    date = _date_parts(source)
    if date:
        item["issued"] = {"date-parts": [date]}
    note = "; ".join(filter(None, [parts.unparsed, _note(source)])) or None
    optional = {
        "volume": parts.volume,
        "issue": parts.issue,
        "page": parts.pages,
        "DOI": source.doi,
        "PMID": source.pmid,
        "PMCID": source.pmcid,
        "URL": source_url(source),
        "note": note,
    }
    item.update({key: value for key, value in optional.items() if value})
    return item


def _csl_name(name: Name) -> dict[str, str]:
    if name.literal:
        return {"literal": name.literal}
    if name.initials:
        return {"family": name.family or "", "given": " ".join(f"{i}." for i in name.initials)}
    return {"family": name.family or ""}


def _bibtex_entry(source: Source) -> str:
    _, entry_type, _ = entry_types(source)
    names, shortened = _authors(source)
    parts = parse_citation(source.citation)
    fields: list[tuple[str, str]] = []
    if names:
        authors = [_bibtex_name(n) for n in names] + (["others"] if shortened else [])
        fields.append(("author", " and ".join(authors)))
    fields.append(("title", "{" + _tex(source.title) + "}"))
    if source.publisher:
        fields.append(("journal" if entry_type == "article" else "howpublished", _tex(source.publisher)))
    date = _date_parts(source)
    if date:
        fields.append(("year", str(date[0])))
    if date and len(date) == 3:
        fields.append(("date", source.date or ""))
    for key, value in (("volume", parts.volume), ("number", parts.issue), ("pages", parts.pages)):
        if value:
            fields.append((key, _tex(value.replace("-", "--") if key == "pages" else value)))
    for key, value in (("doi", source.doi), ("pmid", source.pmid), ("pmcid", source.pmcid), ("url", source_url(source))):
        if value:
            fields.append((key, _verbatim(value)))
    note = "; ".join(filter(None, [parts.unparsed, _note(source)]))
    if note:
        fields.append(("note", _tex(note)))
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    return f"@{entry_type}{{{source.id},\n{body}\n}}\n"


def _bibtex_name(name: Name) -> str:
    if name.literal:
        return "{" + _tex(name.literal) + "}"
    family = _tex(name.family or "")
    if " " in family:
        family = "{" + family + "}"
    if name.initials:
        return f"{family}, {' '.join(f'{i}.' for i in name.initials)}"
    return family


def _tex(text: str) -> str:
    """Escape LaTeX's special characters in a BibTeX text field."""
    return " ".join(text.split()).translate(_BIBTEX_TABLE)


def _verbatim(text: str) -> str:
    """Make an identifier or URL safe inside BibTeX braces: percent-encode braces, backslashes and spaces.

    These fields are verbatim in biblatex, so nothing else is escaped (a '%' stays a URL escape).
    """
    return quote(text, safe=_VERBATIM_SAFE)


def _ris_lines(source: Source) -> list[str]:
    _, _, ris_type = entry_types(source)
    names, shortened = _authors(source)
    parts = parse_citation(source.citation)
    pairs: list[tuple[str, str | None]] = [("TY", ris_type), ("ID", source.id)]
    pairs += [("AU", _ris_name(n)) for n in names] + ([("AU", ET_AL)] if shortened and names else [])
    pairs.append(("TI", source.title))
    pairs.append(("T2" if ris_type in ("JOUR", "ELEC") else "PB", source.publisher))
    date = _date_parts(source)
    if date:
        pairs.append(("PY", str(date[0])))
        pairs.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date)) + "/" * (4 - len(date))))
    start, _, end = (parts.pages or "").partition("-")
    pairs += [("VL", parts.volume), ("IS", parts.issue), ("SP", start or None), ("EP", end or None)]
    pairs += [("DO", source.doi), ("UR", source_url(source))]
    if source.pmid:
        pairs += [("AN", source.pmid), ("DB", "PubMed")]
    pairs.append(("N1", "; ".join(filter(None, [parts.unparsed, _note(source)])) or None))
    lines = [f"{tag}  - {_ris_value(value)}" for tag, value in pairs if value]
    return [*lines, "ER  - ", ""]


def _ris_name(name: Name) -> str:
    if name.literal:
        return name.literal
    if name.initials:
        return f"{name.family}, {'.'.join(name.initials)}."
    return name.family or ""


def _ris_value(text: str) -> str:
    """One RIS tag holds one line: fold any line break into a space."""
    return " ".join(text.split())


BIBLIOGRAPHY_EXPORTS = {
    "bibliography.bib": ("BibTeX", bibtex),
    "bibliography.ris": ("RIS", ris),
    "bibliography.json": ("CSL-JSON", csl_json),
}
"""The bibliography exports written under api/: file name -> (format name, function of the sources)."""
