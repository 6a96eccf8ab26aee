"""Which catalogue the pack reads: the configured folder, else ENTRA_CONSENT_POLICY_CATALOG
(the pull request's, when the pack comes from the base branch), else a bundled one, else the
project's next to the pack."""

from __future__ import annotations

from pathlib import Path

from policies.catalogue_source import CATALOG_ENV, catalogue_dir


def test_the_order_of_the_catalogue_folders(tmp_path: Path) -> None:
    pack = tmp_path / "guard" / "policies"
    pack.mkdir(parents=True)
    pr = tmp_path / "pr" / "catalog"
    assert catalogue_dir(None, pack, {}) == (tmp_path / "guard" / "catalog").resolve()
    assert catalogue_dir(None, pack, {CATALOG_ENV: str(pr)}) == pr.resolve()
    assert (
        catalogue_dir("../other", pack, {CATALOG_ENV: str(pr)})
        == (tmp_path / "guard" / "other").resolve()
    )
    (pack / "catalog" / "apps").mkdir(parents=True)
    assert catalogue_dir(None, pack, {}) == pack / "catalog"
    assert catalogue_dir(None, pack, {CATALOG_ENV: ""}) == pack / "catalog"
