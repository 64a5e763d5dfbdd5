"""`ldnsite new`: write a content file with every field and a comment explaining it.

The text is generated from the field declarations in ``model.py``, so a scaffold can
never fall behind the schema. Required fields get a ``TODO`` placeholder that
``check`` rejects until it is replaced; optional fields are written as comments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from ldnsite.content.model import ID_MAX_LENGTH, Claim, Condition, Source
from ldnsite.errors import UsageError
from ldnsite.project import Project

SCHEMA_HEADER = "# yaml-language-server: $schema={relative}schema/{name}.schema.json\n"

# What an optional value looks like, instead of an example copied from a real paper: an example
# identifier, uncommented and left as it is, would pass `check` as a wrong citation. Each starts with
# TODO, so a line uncommented but not filled in is still refused.
SHAPES = {
    "pmid": "digits, from the PubMed address (pubmed.ncbi.nlm.nih.gov/DIGITS/)",
    "pmcid": "PMC and digits, from the PubMed Central address",
    "doi": "10.NUMBER/SUFFIX, from the doi.org address",
    "nct": "NCT and 8 digits, from the ClinicalTrials.gov address",
    "dailymed_setid": "the setid in the DailyMed address (a lowercase UUID)",
    "publisher": "journal (as PubMed abbreviates it), agency or website",
    "year": "four digits",
    "citation": "volume(issue):pages",
    "participants": "a whole number",
    "participants_detail": "how many in each group",
}


def scaffold(project: Project, kind: str, ident: str, *, condition_id: str | None = None) -> str:
    """Write a new content file (or append a claim) and return its path relative to the project."""
    _check_id(ident)
    if kind == "claim":
        _refuse_existing_claim(project, ident)
        return _append_claim(project, ident, condition_id)
    if kind == "condition":
        target = project.content_path("conditions", f"{ident}.yaml")
        text = condition_text(ident, _group_ids(project))
    else:
        target = project.content_path("sources", f"{ident}.yaml")
        text = SCHEMA_HEADER.format(relative="../../", name="source") + render_record(Source, {"id": ident})
    if target.exists():
        raise UsageError(f"{project.display(target)} already exists; edit it instead")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    return project.display(target)


def today_utc() -> str:
    """Return today's date in UTC: the date a new claim is added and reviewed."""
    return dt.datetime.now(tz=dt.UTC).date().isoformat()


def condition_text(ident: str, groups: Sequence[str] = ()) -> str:
    """Return a new condition file with one claim to fill in; ``groups`` are the ids site.yaml lists."""
    header = SCHEMA_HEADER.format(relative="../../", name="condition")
    condition = render_record(Condition, {"id": ident})
    if groups:
        condition = condition.replace("\ngroup: ", f"\n# One of the groups in site.yaml: {', '.join(groups)}.\ngroup: ", 1)
    condition = textwrap.indent(condition, "  ")
    claim = claim_text(f"{ident}-claim")
    return (
        f"{header}# The condition this file is about.\ncondition:\n{condition}"
        f"# The claims about this condition.\nclaims:\n{claim}"
    )


def claim_text(ident: str) -> str:
    """Return one claim as a list item, indented for the `claims:` list."""
    body = render_record(Claim, {"id": ident, "reviewed": today_utc(), "added": today_utc()})
    lines = textwrap.indent(body, "    ").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("id:"))
    lines[first] = "  - " + lines[first][4:]
    return "".join(lines)


def render_record(cls: type, values: dict[str, str]) -> str:
    """Return YAML for one record: every field with its documentation as a comment above it."""
    out = []
    for fld in dataclasses.fields(cls):
        meta = fld.metadata
        if meta.get("internal") or meta["kind"] == "unconfirmed":  # written by `ldnsite import` only
            continue
        doc = meta["doc"] + ("" if meta["required"] else " (optional)")
        if meta["choices"]:
            doc += " One of: " + ", ".join(c.value for c in meta["choices"]) + "."
        out += [f"# {line}" for line in textwrap.wrap(doc, 96)]
        value = _placeholder(fld.name, meta, values)
        given = fld.name in values  # a value filled in for the editor (an id, today's date) is written uncommented
        out += value.splitlines() if meta["required"] or given else [f"# {line}" for line in value.splitlines()]
    return "\n".join(out) + "\n"


def _placeholder(name: str, meta: Mapping[str, Any], values: dict[str, str]) -> str:
    if name in values:
        return f"{name}: {values[name]}"
    kind, example = meta["kind"], meta["example"]
    if name in SHAPES and not meta["required"]:
        return f"{name}: TODO {SHAPES[name]}"
    if kind == "list":
        item = meta["item"]
        if isinstance(item, str):
            return f"{name}: [TODO]"
        body = textwrap.indent(render_record(item, {}), "    ").splitlines()
        first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
        body[first] = "  - " + body[first][4:]
        return f"{name}:\n" + "\n".join(body)
    if kind == "record":
        return f"{name}:\n" + textwrap.indent(render_record(meta["item"], {}), "  ").rstrip("\n")
    if kind == "markdown":
        return f"{name}: |\n  TODO"
    if isinstance(example, bool):
        example = "true" if example else "false"  # YAML's spelling, not Python's
    if example is not None and not meta["required"]:
        return f"{name}: {example}"
    return f"{name}: TODO"


def _append_claim(project: Project, ident: str, condition_id: str | None) -> str:
    if not condition_id:
        raise UsageError("a claim goes into a condition file: pass --condition ID")
    _check_id(condition_id)
    target = project.content_path("conditions", f"{condition_id}.yaml")
    if not target.is_file():
        raise UsageError(f"{project.display(target)} does not exist; create it with `ldnsite new condition {condition_id}`")
    text = target.read_text(encoding="utf-8")
    top_level = [line for line in text.splitlines() if line and not line[0].isspace() and not line.startswith(("#", "-"))]
    if not top_level or not top_level[-1].startswith("claims:"):
        raise UsageError(f"{project.display(target)} does not end with its 'claims:' list; add the claim by hand")
    if not text.endswith("\n"):
        text += "\n"
    target.write_text(text + claim_text(ident), encoding="utf-8", newline="\n")
    return project.display(target)


def _group_ids(project: Project) -> list[str]:
    """Return the ids of the condition groups in site.yaml, as far as it can be read."""
    from ldnsite.content.yamlsource import read_yaml

    site = project.content / "site.yaml"
    doc, _ = read_yaml(site, project.display(site)) if site.is_file() else (None, [])
    groups = doc.data.get("condition_groups") if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(groups, list):
        return []
    return [g["id"] for g in groups if isinstance(g, dict) and isinstance(g.get("id"), str)]


def _refuse_existing_claim(project: Project, ident: str) -> None:
    """Raise a usage error saying file:line where a claim with this id already is."""
    from ldnsite.content.yamlsource import read_yaml

    for path in sorted((project.content / "conditions").glob("*.yaml")):
        doc, _ = read_yaml(path, project.display(path))
        if doc is None or not isinstance(doc.data, dict):
            continue
        claims = doc.data.get("claims")
        for index, claim in enumerate(claims if isinstance(claims, list) else []):
            if isinstance(claim, dict) and claim.get("id") == ident:
                raise UsageError(
                    f"claim id '{ident}' is already used at {doc.location(('claims', index, 'id'))}; "
                    "choose another id, or edit that claim"
                )


def _check_id(ident: str) -> None:
    from re import fullmatch

    from ldnsite.content.model import ID_PATTERN

    if not fullmatch(ID_PATTERN, ident) or len(ident) > ID_MAX_LENGTH:
        raise UsageError(
            f"'{ident}' is not a valid id: use lowercase letters, digits and single hyphens, like 'fibromyalgia-pain'"
        )
