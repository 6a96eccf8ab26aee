"""Where the pack reads the catalogue from, loaded once per folder and process."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from catalog.catalogue import Catalogue, load_catalogue
from catalog.fingerprint import FINGERPRINT_ENV, fingerprint
from catalog.problems import ConfigurationError

PACK_DIR = Path(__file__).resolve().parent


CATALOG_ENV = "ENTRA_CONSENT_POLICY_CATALOG"


def catalogue_dir(
    configured: str | None, pack_dir: Path = PACK_DIR, env: Mapping[str, str] | None = None
) -> Path:
    """The configured folder (relative to the pack); by default the folder
    ENTRA_CONSENT_POLICY_CATALOG names (the pull request's catalogue, when the pack comes from
    a checkout of the base branch: ci/lib.sh), else a bundled `catalog/` inside the pack (a
    published pack), else the project's `catalog/` next to the pack."""
    if configured:
        return (pack_dir / configured).resolve()
    named = (os.environ if env is None else env).get(CATALOG_ENV, "")
    if named:
        return Path(named).resolve()
    bundled = pack_dir / "catalog"
    if (bundled / "apps").is_dir():
        return bundled
    return (pack_dir.parent / "catalog").resolve()


@dataclass(frozen=True)
class Loaded:
    path: Path
    catalogue: Catalogue | None
    problems: tuple[str, ...]

    @property
    def failure(self) -> str:
        """One line: why the catalogue cannot be used."""
        shown = "; ".join(self.problems[:5])
        more = f"; and {len(self.problems) - 5} more" if len(self.problems) > 5 else ""
        return (
            f"the catalogue at {self.path} could not be loaded, so nothing can be checked against "
            f"it: {shown}{more} (fix the catalogue, or the `catalog` setting in the policy config)"
        )


@cache
def load(path: Path) -> Loaded:
    """Read once per process: the pack reads each configured catalogue when the engine
    configures it, before the program runs (configure_hook.py), and judges by that copy; with
    ENTRA_CONSENT_CATALOG_FINGERPRINT set (a CI job's pin, taken before any `pulumi` command),
    only by the catalogue with that fingerprint."""
    pinned = os.environ.get(FINGERPRINT_ENV, "").strip().lower()
    try:
        if pinned and fingerprint(path) != pinned:
            problem = (
                f"{path}: not the catalogue this job pinned before any pulumi command ran "
                f"({FINGERPRINT_ENV}): it changed since, for example written by the program "
                "during the preview"
            )
            return Loaded(path, None, (problem,))
        return Loaded(path, load_catalogue(path), ())
    except ConfigurationError as exc:
        return Loaded(path, None, tuple(str(p) for p in exc.problems))
    except Exception as exc:  # never pass open: any failure is reported as a violation
        return Loaded(path, None, (f"{type(exc).__name__}: {exc}",))
