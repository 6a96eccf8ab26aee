"""The JSON schema of a `--policy-pack-config` file (`policies/config.schema.json`), written
from the rules and their settings: `python -m policies.config_file [--check]`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import ENFORCEMENT_LEVELS
from .rules import RULES

SCHEMA_FILE = Path(__file__).resolve().parent / "config.schema.json"


def config_file_schema(rules: Mapping[str, Mapping[str, dict[str, Any]]]) -> dict[str, Any]:
    """JSON schema of a `--policy-pack-config` file for this pack (rule name -> properties)."""
    level = {"type": "string", "enum": ENFORCEMENT_LEVELS}
    properties: dict[str, Any] = {"all": level}
    for name, props in rules.items():
        properties[name] = {
            "oneOf": [
                level,
                {
                    "type": "object",
                    "properties": {"enforcementLevel": level, **props},
                    "additionalProperties": False,
                },
            ]
        }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "entra-consent policy pack config",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def schema_text() -> str:
    schema = config_file_schema({rule.name: rule.schema for rule in RULES})
    return json.dumps(schema, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check policies/config.schema.json.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = schema_text()
    if args.check:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text("utf-8") != text:
            print(f"{SCHEMA_FILE}: out of date (run python -m policies.config_file)")
            return 1
        print(f"{SCHEMA_FILE}: up to date")
        return 0
    SCHEMA_FILE.write_text(text, "utf-8")
    print(f"{SCHEMA_FILE}: written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
