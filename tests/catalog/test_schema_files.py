"""The committed JSON Schemas match the models, and the YAML files point editors at them."""

from __future__ import annotations

import json
from pathlib import Path

from catalog import schema_files
from catalog.models import ApiFile, AppsFile

CATALOG = Path(schema_files.__file__).resolve().parent


def test_schema_files_are_up_to_date() -> None:
    assert schema_files.main(["--check"]) == 0


def test_schemas_forbid_unknown_keys() -> None:
    for name, model in (("api.schema.json", ApiFile), ("apps.schema.json", AppsFile)):
        schema = json.loads((schema_files.SCHEMA_DIR / name).read_text("utf-8"))
        assert schema["additionalProperties"] is False
        assert schema["title"] == model.__name__


def test_catalogue_files_reference_their_schema() -> None:
    for folder, name in (("apis", "api.schema.json"), ("apps", "apps.schema.json")):
        for path in sorted((CATALOG / folder).glob("*.yaml")):
            first = path.read_text("utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schema/{name}", path.name
