"""Copy the pack and the catalogue into one self-contained folder, for `pulumi policy publish`.

A published pack runs on its own (from a versioned folder, without the project around it), so
it carries its own copy of the catalogue (data files and the loader package), of the pure core
it imports (`components/core/`: the type tokens of the resources it judges) and of the read-only
Graph client it asks the tenant with (`previews/tenant/graph_*.py`, for checked-before-write).
The pack reads a bundled `catalog/` by default.

    python -m policies.bundle out/policy-pack && cd out/policy-pack && pulumi policy publish <org>
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

PACK_DIR = Path(__file__).resolve().parent
CATALOG_DIR = PACK_DIR.parent / "catalog"
COMPONENTS_DIR = PACK_DIR.parent / "components"
PREVIEWS_DIR = PACK_DIR.parent / "previews"
PACK_FILES = ("PulumiPolicy.yaml", "requirements.txt", "config.example.json", "config.schema.json")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "venv", "catalog")
_NO_CACHE = shutil.ignore_patterns("__pycache__", "*.pyc")


def bundle(out: Path, catalog: Path = CATALOG_DIR) -> Path:
    """Write the pack to `out` (replacing it) with `catalog` copied to `out/catalog`, the pure
    core to `out/components/core` (the `components` package without its Pulumi side) and the
    Graph client to `out/previews/tenant`."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(PACK_DIR, out, ignore=_SKIP)
    shutil.copytree(catalog, out / "catalog", ignore=_NO_CACHE)
    shutil.copytree(COMPONENTS_DIR / "core", out / "components" / "core", ignore=_NO_CACHE)
    shutil.copy2(COMPONENTS_DIR / "__init__.py", out / "components" / "__init__.py")
    (out / "previews" / "tenant").mkdir(parents=True)
    shutil.copy2(PREVIEWS_DIR / "__init__.py", out / "previews" / "__init__.py")
    for path in [PREVIEWS_DIR / "tenant" / "__init__.py", *PREVIEWS_DIR.glob("tenant/graph_*.py")]:
        shutil.copy2(path, out / "previews" / "tenant" / path.name)
    missing = [name for name in PACK_FILES if not (out / name).is_file()]
    if missing:
        raise SystemExit(f"{PACK_DIR}: missing {', '.join(missing)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument(
        "--catalog",
        type=Path,
        default=CATALOG_DIR,
        help="catalogue to bundle (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    out = bundle(args.out, args.catalog)
    print(f"{out}: policy pack with its catalogue; publish with `pulumi policy publish` from there")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
