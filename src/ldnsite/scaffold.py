"""`ldnsite new`: write a content file with every field and a comment explaining it.

The text is generated from the field declarations in ``model.py``, so a scaffold can
never fall behind the schema. Required fields get a ``TODO`` placeholder that
``check`` rejects until it is replaced; optional fields are written as comments.
"""

from __future__ import annotations

import dataclasses
import textwrap

from ldnsite.errors import UsageError
from ldnsite.model import ID_MAX_LENGTH, Claim, Condition, Site, Source
from ldnsite.project import Project
from ldnsite.validate import default_today

SCHEMA_HEADER = "# yaml-language-server: $schema={relative}schema/{name}.schema.json\n"


def scaffold(project: Project, kind: str, ident: str, *, condition_id: str | None = None) -> str:
    """Write a new content file (or append a claim) and return its path relative to the project."""
    _check_id(ident)
    if kind == "claim":
        return _append_claim(project, ident, condition_id)
    if kind == "site":
        target = project.content / "site.yaml"
        text = SCHEMA_HEADER.format(relative="../", name="site") + render_record(Site, {})
    elif kind == "condition":
        target = project.content / "conditions" / f"{ident}.yaml"
        text = condition_text(ident)
    else:
        target = project.content / "sources" / f"{ident}.yaml"
        text = SCHEMA_HEADER.format(relative="../../", name="source") + render_record(Source, {"id": ident})
    if target.exists():
        raise UsageError(f"{project.display(target)} already exists; edit it instead")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    return project.display(target)


def condition_text(ident: str) -> str:
    """Return a new condition file with one claim to fill in."""
    header = SCHEMA_HEADER.format(relative="../../", name="condition")
    condition = textwrap.indent(render_record(Condition, {"id": ident}), "  ")
    claim = claim_text(f"{ident}-claim")
    return f"{header}# The condition this file is about.\ncondition:\n{condition}# The claims about this condition.\nclaims:\n{claim}"


def claim_text(ident: str) -> str:
    """Return one claim as a list item, indented for the `claims:` list."""
    body = render_record(Claim, {"id": ident, "reviewed": default_today(), "added": default_today()})
    lines = textwrap.indent(body, "    ").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("id:"))
    lines[first] = "  - " + lines[first][4:]
    return "".join(lines)


def render_record(cls: type, values: dict[str, str]) -> str:
    """Return YAML for one record: every field with its documentation as a comment above it."""
    out = []
    for fld in dataclasses.fields(cls):
        meta = fld.metadata
        if meta.get("internal"):
            continue
        doc = meta["doc"] + ("" if meta["required"] else " (optional)")
        if meta["choices"]:
            doc += " One of: " + ", ".join(c.value for c in meta["choices"]) + "."
        out += [f"# {line}" for line in textwrap.wrap(doc, 96)]
        value = _placeholder(fld.name, meta, values)
        out += value.splitlines() if meta["required"] else [f"# {line}" for line in value.splitlines()]
    return "\n".join(out) + "\n"


def _placeholder(name: str, meta: dict, values: dict[str, str]) -> str:
    if name in values:
        return f"{name}: {values[name]}"
    kind, example = meta["kind"], meta["example"]
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
    target = project.content / "conditions" / f"{condition_id}.yaml"
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


def _check_id(ident: str) -> None:
    from re import fullmatch

    from ldnsite.model import ID_PATTERN

    if not fullmatch(ID_PATTERN, ident) or len(ident) > ID_MAX_LENGTH:
        raise UsageError(f"'{ident}' is not a valid id: use lowercase letters, digits and single hyphens, like 'fibromyalgia-pain'")
