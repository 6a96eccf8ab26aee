"""Write the catalogue's JSON Schemas (`catalog/schema/*.schema.json`) from its models.

python -m catalog.schema_files [--check]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pydantic import BaseModel

from catalog.models import ApiFile, AppsFile

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMAS: dict[str, type[BaseModel]] = {"api.schema.json": ApiFile, "apps.schema.json": AppsFile}


def schema_text(model: type[BaseModel]) -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(),
    }
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a schema file is out of date"
    )
    args = parser.parse_args(argv)
    stale = 0
    for name, model in SCHEMAS.items():
        path = SCHEMA_DIR / name
        text = schema_text(model)
        if args.check:
            if not path.exists() or path.read_text("utf-8") != text:
                print(f"{path}: out of date (run python -m catalog.schema_files)")
                stale += 1
        else:
            path.write_text(text, "utf-8")
            print(f"wrote {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
