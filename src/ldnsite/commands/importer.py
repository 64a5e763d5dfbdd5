"""`ldnsite import`: turn a reference manager's export into source files to check.

Reads BibTeX (bibtexparser), RIS (rispy), PubMed's MEDLINE `.nbib` (rispy's parser, set up
for MEDLINE's tags) and CSL-JSON. Each record becomes one ``Reference``, then one file in
``content/sources/``, with every identifier, the authors (ending in 'et al.' when the export
did), the journal and year. Its ``kind`` is only a guess from the publication type, so the
file also gets ``kind_guessed_from``, which ``check`` refuses until an editor has confirmed the
kind and deleted that line; ``verified`` is left as a TODO for the same reason. A record with
the DOI or PMID of an existing source is reported, not written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ldnsite.errors import UsageError
from ldnsite.project import Project

FORMATS = ("bibtex", "ris", "nbib", "csl-json")
_NCT = re.compile(r"\bNCT\d{8}\b")
_DOI = re.compile(r"\b10\.\d{4,9}/\S+")
_ET_AL = {"et al", "others", "and others"}

# Publication types (PubMed's, EndNote's, CSL's) and telling title words, in the order they are tried.
_KIND_BY_TYPE = (
    ("randomized controlled trial", "randomized-trial"),
    ("systematic review", "systematic-review"),
    ("meta-analysis", "systematic-review"),
    ("clinical trial protocol", "trial-protocol"),
    ("case reports", "case-report"),
    ("clinical trial", "non-randomized-study"),
    ("observational study", "non-randomized-study"),
    ("editorial", "commentary"),
    ("comment", "commentary"),
    ("letter", "commentary"),
    ("review", "narrative-review"),
)
_KIND_BY_TITLE = (
    (r"systematic review|meta-analys", "systematic-review"),
    (r"protocol", "trial-protocol"),
    (r"randomi[sz]ed|placebo-controlled", "randomized-trial"),
    (r"case series", "case-series"),
    (r"case report|a case of", "case-report"),
    (r"\b(?:mice|mouse|rats?|in vitro|cell lines?)\b", "preclinical"),
    (r"\breview\b", "narrative-review"),
)
_KIND_BY_ENTRY = {
    "book": "reference-work",
    "inbook": "reference-work",
    "incollection": "reference-work",
    "chapter": "reference-work",
    "entry-encyclopedia": "reference-work",
    "online": "web-article",
    "webpage": "web-article",
    "post-weblog": "web-article",
    "elec": "web-article",
    "web": "web-article",
    "blog": "web-article",
}


@dataclass
class Reference:
    """One record of an export, in the project's terms."""

    label: str
    """Where it is in the file, for messages: 'record 2' or BibTeX's 'line 14 (key)'."""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    year: int | None = None
    citation: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    nct: str | None = None
    url: str | None = None
    types: list[str] = field(default_factory=list)
    """Publication types as the export names them (PubMed's 'Randomized Controlled Trial', BibTeX's 'article')."""


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote and what it reported."""

    written: tuple[str, ...]
    skipped: tuple[str, ...]


def import_file(project: Project, path: Path, fmt: str | None = None) -> ImportResult:
    """Write one source file per record of ``path``; skip records that duplicate a source."""
    if not path.is_file():
        raise UsageError(f"{path} does not exist")
    text = path.read_text(encoding="utf-8-sig")
    references = read_references(text, fmt or detect_format(path, text))
    existing = _existing_identifiers(project)
    written, skipped = [], []
    folder = project.content / "sources"
    for ref in references:
        duplicate = next((existing[key] for key in _keys(ref) if key in existing), None)
        if duplicate is not None:
            skipped.append(f"{path.name}: {ref.label}: '{_short(ref.title)}' is already {duplicate}; not written")
            continue
        ident = _free_id(ref, folder)
        target = folder / f"{ident}.yaml"
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(source_text(ident, ref, path.name), encoding="utf-8", newline="\n")
        shown = project.display(target)
        written.append(shown)
        existing.update({key: shown for key in _keys(ref)})
    return ImportResult(tuple(written), tuple(skipped))


def detect_format(path: Path, text: str) -> str:
    """Return the format of an export from its file name, else from its first lines."""
    by_suffix = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".nbib": "nbib", ".json": "csl-json"}
    if path.suffix.lower() in by_suffix:
        return by_suffix[path.suffix.lower()]
    start = text.lstrip()
    if start.startswith("@"):
        return "bibtex"
    if start.startswith(("[", "{")):
        return "csl-json"
    if start.startswith("PMID-"):
        return "nbib"
    if start.startswith("TY  -"):
        return "ris"
    raise UsageError(f"cannot tell the format of {path.name}; pass --format {'|'.join(FORMATS)}")


def read_references(text: str, fmt: str) -> list[Reference]:
    """Parse an export in ``fmt`` into references."""
    readers = {"bibtex": _read_bibtex, "ris": _read_ris, "nbib": _read_nbib, "csl-json": _read_csl}
    references = readers[fmt](text)
    if not references:
        raise UsageError(f"no records found in this {fmt} file")
    return references


def _read_bibtex(text: str) -> list[Reference]:
    import bibtexparser
    from bibtexparser import middlewares

    library = bibtexparser.parse_string(text, append_middleware=[middlewares.LatexDecodingMiddleware()])
    references = []
    for entry in library.entries:
        get = {k.lower(): _unbrace(str(v.value)) for k, v in entry.fields_dict.items()}.get
        authors = [a.strip() for a in re.split(r"\s+and\s+", get("author") or "") if a.strip()]
        ref = Reference(
            f"line {(entry.start_line or 0) + 1} ({entry.key})",  # set on every parsed entry
            get("title") or "",
            _authors(authors),
            get("shortjournal") or get("journaltitle") or get("journal") or get("publisher"),
            _year(get("year") or get("date")),
            _citation(get("volume"), get("number"), get("pages")),
            _digits(get("pmid")),
            get("pmcid"),
            _doi(get("doi")),
            None,
            get("url"),
            [entry.entry_type.lower(), *re.split(r"[,;]\s*", get("keywords") or "")],
        )
        ref.nct = _first_nct(get("note"), get("annote"), get("abstract"), get("extra"))
        ref.pmid = ref.pmid or _tagged("PMID", get("note"), get("extra"))
        ref.pmcid = ref.pmcid or _tagged("PMCID", get("note"), get("extra"))
        references.append(ref)
    return references


def _read_ris(text: str) -> list[Reference]:
    import rispy

    references = []
    for index, rec in enumerate(rispy.loads(text, skip_unknown_tags=True), 1):
        get = rec.get
        notes = " ".join(get("notes") or []) if isinstance(get("notes"), list) else get("notes")
        pages = "-".join(p for p in (get("start_page"), get("end_page")) if p)
        ref = Reference(
            f"record {index}",
            get("title") or get("primary_title") or "",
            _authors((get("authors") or []) + (get("first_authors") or [])),
            get("alternate_title1")
            or get("alternate_title2")
            or get("journal_name")
            or get("secondary_title")
            or get("alternate_title3"),
            _year(get("year") or get("publication_year") or get("date")),
            _citation(get("volume"), get("number"), pages),
            None,
            None,
            _doi(get("doi")),
            None,
            (get("urls") or [None])[0],
            [get("type_of_reference") or "", get("type_of_work") or ""],
        )
        # EndNote writes a PubMed record's PMID as its accession number, and its PMCID into the notes.
        from_pubmed = "pubmed" in str(get("name_of_database") or "").lower()
        ref.pmid = _tagged("PMID", notes) or (_digits(get("accession_number")) if from_pubmed else None)
        ref.pmcid = _tagged("PMCID", notes) or (m.group(0) if (m := re.search(r"\bPMC\d+\b", notes or "")) else None)
        ref.nct = _first_nct(notes, get("abstract"), get("notes_abstract"))
        references.append(ref)
    return references


def _read_nbib(text: str) -> list[Reference]:
    # PubMed's MEDLINE format has no end tag, so each record (they are separated by blank lines) gets one.
    records = [block for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if block.strip()]
    parsed = _medline_parser()(skip_unknown_tags=True).parse("\n".join(f"{r.strip()}\nER  - \n" for r in records))
    references = []
    for index, rec in enumerate(parsed, 1):
        get = rec.get
        ids = " ".join((get("LID") or []) + (get("AID") or []))
        ref = Reference(
            f"record {index} (PMID {get('PMID')})",
            (get("TI") or "").rstrip("."),
            _authors(get("AU") or []),
            get("TA") or get("JT"),
            _year(get("DP")),
            _citation(get("VI"), get("IP"), get("PG")),
            _digits(get("PMID")),
            get("PMC"),
            _doi(m.group(1) if (m := re.search(r"(\S+) \[doi\]", ids)) else None),
            _first_nct(" ".join(get("SI") or []), get("AB")),
            None,
            get("PT") or [],
        )
        references.append(ref)
    return references


def _medline_parser() -> type:
    """Return rispy's parser set up for MEDLINE (built here, so `ldnsite --help` does not import rispy)."""
    from rispy import RisParser

    class MedlineParser(RisParser):
        """rispy's parser for MEDLINE tags: up to four letters, padded, then '- '; continuations indented six spaces."""

        START_TAG = "PMID"
        DEFAULT_MAPPING = {
            tag: tag
            for tag in ("PMID", "TI", "AU", "TA", "JT", "DP", "VI", "IP", "PG", "LID", "AID", "PT", "SI", "PMC", "AB", "ER")
        }
        DEFAULT_LIST_TAGS = ["AU", "LID", "AID", "PT", "SI"]
        DEFAULT_DELIMITER_MAPPING: dict = {}

        def parse_line(self, line: str):
            match = re.match(r"^([A-Z]{2,4}) *- ?(.*)$", line)
            return (match.group(1), match.group(2).strip()) if match else (None, line.strip())

    return MedlineParser


def _read_csl(text: str) -> list[Reference]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"not valid CSL-JSON: {exc.msg} at line {exc.lineno}") from None
    items = items if isinstance(items, list) else [items]
    references = []
    for index, item in enumerate(i for i in items if isinstance(i, dict)):
        get = item.get
        names = [
            a.get("literal") or ", ".join(p for p in (a.get("family"), a.get("given")) if p)
            for a in get("author") or []
            if isinstance(a, dict)
        ]
        parts = (get("issued") or {}).get("date-parts") or [[None]]
        extra = str(get("note") or "") + " " + str(get("extra") or "")
        ref = Reference(
            f"record {index + 1} ({get('id', '?')})",
            get("title") or "",
            _authors(names),
            get("container-title-short") or get("journalAbbreviation") or get("container-title"),
            _year(str(parts[0][0]) if parts and parts[0] and parts[0][0] else get("issued", {}).get("raw")),
            _citation(get("volume"), get("issue"), get("page")),
            _digits(get("PMID")) or _tagged("PMID", extra),
            get("PMCID") or _tagged("PMCID", extra),
            _doi(get("DOI")),
            _first_nct(extra, get("abstract")),
            get("URL"),
            [get("type") or "", get("genre") or ""],
        )
        references.append(ref)
    return references


def _authors(names: list[str]) -> list[str]:
    """Return names as 'Surname AB', ending with 'et al.' when the export marked the list as shortened."""
    out, truncated = [], False
    for name in names:
        name = " ".join(str(name).split()).strip(" ,")
        if name.lower().rstrip(".") in _ET_AL:
            truncated = True
        elif name:
            out.append(_surname_initials(name))
    return out + (["et al."] if truncated else [])


def _surname_initials(name: str) -> str:
    if "," not in name:
        return name  # already 'Bruun KD' (PubMed's AU) or an organisation
    surname, given = (part.strip() for part in name.split(",", 1))
    initials = "".join(word[0].upper() for word in re.split(r"[\s.\-]+", given) if word and word[0].isalpha())
    return f"{surname} {initials}".strip()


def _first_nct(*texts: str | None) -> str | None:
    for text in texts:
        match = _NCT.search(text or "")
        if match:
            return match.group(0)
    return None


def _tagged(tag: str, *texts: str | None) -> str | None:
    for text in texts:
        match = re.search(rf"\b{tag}:\s*(PMC\d+|\d+)", text or "")
        if match:
            return match.group(1)
    return None


def _doi(value: str | None) -> str | None:
    if not value:
        return None
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value.strip(), flags=re.IGNORECASE)
    return value if _DOI.fullmatch(value) else None


def _digits(value: object) -> str | None:
    return str(value).strip() if value is not None and str(value).strip().isdigit() else None


def _year(value: str | None) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", str(value or ""))
    return int(match.group(1)) if match else None


def _citation(volume: object, issue: object, pages: object) -> str | None:
    if not volume:
        return None
    pages = str(pages).replace("--", "-").replace("\u2013", "-") if pages else ""  # BibTeX's '--' is decoded to an en dash
    return str(volume) + (f"({issue})" if issue else "") + (f":{pages}" if pages else "")


def _unbrace(value: str) -> str:
    return " ".join(value.replace("{", "").replace("}", "").split())


def guess_kind(ref: Reference) -> tuple[str, str]:
    """Return (kind, what it was guessed from): publication types first, then the title, then the entry type."""
    types = [t.strip() for t in ref.types if t and t.strip()]
    for name, kind in _KIND_BY_TYPE:
        found = next((t for t in types if t.lower() == name or t.lower().startswith(f"{name},")), None)
        if found:
            return kind, f"publication type '{found}'"
    for pattern, kind in _KIND_BY_TITLE:
        match = re.search(pattern, ref.title, re.IGNORECASE)
        if match:
            return kind, f"the word '{match.group(0)}' in the title"
    found = next((t for t in types if t.lower() in _KIND_BY_ENTRY), None)
    if found:
        return _KIND_BY_ENTRY[found.lower()], f"entry type '{found}'"
    return "non-randomized-study", "nothing in the record (the default guess)"


def source_text(ident: str, ref: Reference, file_name: str) -> str:
    """Return the YAML of one imported source, every value quoted as needed."""
    kind, basis = guess_kind(ref)
    lines = [
        "# yaml-language-server: $schema=../../schema/source.schema.json",
        f"# Imported by `ldnsite import` from {file_name}, {ref.label}. Check every value against the paper.",
        f"id: {ident}",
        f"kind: {kind}",
        "# A guess: confirm the kind above against the paper (correct it if needed), then delete this line.",
        f"kind_guessed_from: {_quoted(basis)}",
        f"title: {_quoted(ref.title or 'TODO the title, as published')}",
        f"verified: {_quoted(f'TODO where you checked this record (imported from {file_name})')}",
    ]
    if ref.authors:
        lines.append(f"authors: [{', '.join(_quoted(a) for a in ref.authors)}]")
    values = (
        ("publisher", ref.publisher),
        ("year", ref.year),
        ("citation", ref.citation),
        ("pmid", ref.pmid),
        ("pmcid", ref.pmcid),
        ("doi", ref.doi),
        ("nct", ref.nct),
        ("url", ref.url),
    )
    lines += [f"{name}: {value if isinstance(value, int) else _quoted(value)}" for name, value in values if value]
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    return json.dumps(" ".join(str(value).split()), ensure_ascii=False)


def _keys(ref: Reference) -> list[str]:
    return [k for k in (f"doi:{ref.doi.lower()}" if ref.doi else "", f"pmid:{ref.pmid}" if ref.pmid else "") if k]


def _existing_identifiers(project: Project) -> dict[str, str]:
    """Return 'doi:…' and 'pmid:…' keys of the sources already in the project, each naming its source."""
    from ldnsite.content.yamlsource import read_yaml

    found = {}
    for path in sorted((project.content / "sources").glob("*.yaml")):
        doc, _ = read_yaml(path, project.display(path))
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        where = f"source '{data.get('id', path.stem)}' ({project.display(path)})"
        if data.get("doi"):
            found[f"doi:{str(data['doi']).lower()}"] = where
        if data.get("pmid"):
            found[f"pmid:{data['pmid']}"] = where
    return found


def _free_id(ref: Reference, folder: Path) -> str:
    """Return an authorYEAR id no source file has yet: 'smith2020', then 'smith2020b', 'smith2020c'..."""
    first = ref.authors[0] if ref.authors and ref.authors[0] != "et al." else ref.title
    ascii_name = unicodedata.normalize("NFKD", first.split(" ")[0].split(",")[0]).encode("ascii", "ignore").decode()
    stem = (re.sub(r"[^a-z0-9]", "", ascii_name.lower()) or "source")[:40] + (str(ref.year) if ref.year else "")
    ident, suffix = stem, ord("b")
    while (folder / f"{ident}.yaml").exists():
        ident, suffix = f"{stem}{chr(suffix)}", suffix + 1
    return ident


def _short(title: str) -> str:
    return title if len(title) <= 60 else title[:57] + "..."
