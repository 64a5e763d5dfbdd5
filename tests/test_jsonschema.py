"""The JSON Schema for editors is generated from the model and committed; it must not go stale."""

import json

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, REPO, run_cli
from ldnsite.content.jsonschema import build_schemas


def test_committed_schema_is_up_to_date():
    for name, text in build_schemas().items():
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == text, f"schema/{name} is stale: run `ldnsite schema`"


def test_schema_check_command_detects_staleness(tmp_path):
    assert run_cli("schema", "--out", tmp_path, "--check").exit_code == 1
    assert run_cli("schema", "--out", tmp_path).exit_code == 0
    assert run_cli("schema", "--out", tmp_path, "--check").exit_code == 0


def _load(path):
    # yaml.BaseLoader keeps every scalar as text, as editors' YAML servers read dates; convert the few integers back.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))


@pytest.mark.parametrize("project", [REPO, FIXTURES / "minimal"], ids=["content", "minimal"])
def test_valid_content_validates_against_the_schema(project):
    schemas = {name.split(".")[0]: json.loads(text) for name, text in build_schemas().items()}
    files = [("site", project / "content/site.yaml")]
    files += [("condition", p) for p in sorted((project / "content/conditions").glob("*.yaml"))]
    files += [("source", p) for p in sorted((project / "content/sources").glob("*.yaml"))]
    for kind, path in files:
        errors = list(jsonschema.Draft202012Validator(schemas[kind]).iter_errors(_load(path)))
        assert errors == [], f"{path}: {errors[0].message}"


def test_schema_rejects_an_unknown_key():
    schema = json.loads(build_schemas()["source.schema.json"])
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"id": "a", "kind": "preclinical", "title": "t", "verified": "v", "titel": "x"}))
    assert [e.validator for e in errors] == ["additionalProperties"]


def test_every_content_file_points_at_its_schema():
    for path in sorted((REPO / "content").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = "site" if path.name == "site.yaml" else {"conditions": "condition", "sources": "source"}[path.parent.name]
        prefix = "../" if kind == "site" else "../../"
        assert first == f"# yaml-language-server: $schema={prefix}schema/{kind}.schema.json", path
