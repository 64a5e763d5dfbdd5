"""Export the content model as JSON Schema, for editors (completion, errors as you type).

Generated from the field declarations in ``model.py``: the validator and the editor
read one definition. ``ldnsite schema`` writes the files under ``schema/``; a test
fails when the committed files are stale.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from ldnsite.content.model import ID_MAX_LENGTH, ConditionFile, Site, Source
from ldnsite.content.schema import _FORMATS, MAX_MARKDOWN, MAX_TEXT

SCHEMA_FILES = {"site": Site, "condition": ConditionFile, "source": Source}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def build_schemas() -> dict[str, str]:
    """Return {file name: JSON text} for every content file kind."""
    result = {}
    for name, cls in SCHEMA_FILES.items():
        schema = {"$schema": DIALECT, "$id": f"{name}.schema.json", "title": _title(cls), **_record(cls)}
        result[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return result


def _title(cls: type) -> str:
    return (cls.__doc__ or cls.__name__).strip().splitlines()[0]


def _record(cls: type) -> dict[str, Any]:
    fields = [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]
    return {
        "type": "object",
        "description": _title(cls),
        "properties": {f.name: _field(f.metadata) for f in fields},
        "required": [f.name for f in fields if f.metadata["required"]],
        "additionalProperties": False,
    }


def _field(meta: Mapping[str, Any]) -> dict[str, Any]:
    schema = _kind(meta["kind"], meta)
    schema["description"] = meta["doc"]
    if meta["example"] is not None:
        schema["examples"] = [meta["example"]]
    return schema


def _kind(kind: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "list":
        item = meta["item"]
        items = _kind(item, {**meta, "max_length": None}) if isinstance(item, str) else _record(item)
        return {"type": "array", "minItems": 1, "items": items}
    if kind == "record":
        return _record(meta["item"])
    if kind == "choice":
        return {"type": "string", "enum": [c.value for c in meta["choices"]]}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "int":
        return {"type": "integer", "minimum": 0}
    if kind == "count":
        return {"type": "integer", "minimum": 1}
    if kind == "number":
        return {"type": "number"}
    if kind == "interval":
        return {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
    if kind == "year":
        return {"type": "integer", "minimum": 1800, "maximum": 2100}
    if kind in _FORMATS:
        schema: dict[str, Any] = {"type": "string", "pattern": _FORMATS[kind][0].pattern}
        if kind in ("id", "ref"):
            schema["maxLength"] = ID_MAX_LENGTH
        if kind == "pmid":
            return {"anyOf": [schema, {"type": "integer", "minimum": 1}]}
        return schema
    limit = meta["max_length"] or (MAX_MARKDOWN if kind == "markdown" else MAX_TEXT)
    return {"type": "string", "minLength": 1, "maxLength": limit}
