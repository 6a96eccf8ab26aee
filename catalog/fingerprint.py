"""A fingerprint of the catalogue's data files (`apis/*.yaml`, `apps/*.yaml`, what
`load_catalogue` reads): SHA-256 over each file's folder-relative path and bytes, in order.

A CI job takes it before any `pulumi` command runs (ci/lib.sh, `ci_pin_catalogue`) and hands it
to the policy pack (ENTRA_CONSENT_CATALOG_FINGERPRINT), which judges by nothing else: the
preview and the update of one `pulumi up` configure the pack anew, and a program could rewrite
the catalogue during the preview for the update to read.

    python -m catalog.fingerprint CATALOG_DIR
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

FINGERPRINT_ENV = "ENTRA_CONSENT_CATALOG_FINGERPRINT"


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for sub in ("apis", "apps"):
        for path in sorted((root / sub).glob("*.yaml")):
            name = f"{sub}/{path.name}".encode()
            data = path.read_bytes()
            digest.update(len(name).to_bytes(8, "big") + name)
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m catalog.fingerprint CATALOG_DIR", file=sys.stderr)
        return 2
    root = Path(args[0])
    if not root.is_dir():
        print(f"{root}: not a folder", file=sys.stderr)
        return 1
    print(fingerprint(root))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
