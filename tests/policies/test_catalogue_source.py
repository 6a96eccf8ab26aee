"""Which catalogue the pack reads: the configured folder, else ENTRA_CONSENT_POLICY_CATALOG
(the pull request's, when the pack comes from the base branch), else a bundled one, else the
project's next to the pack."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_a_pinned_fingerprint_is_the_only_catalogue_judged_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from catalog.fingerprint import FINGERPRINT_ENV, fingerprint
    from policies.catalogue_source import load
    from tests.conftest import ROOT

    root = tmp_path / "catalog"
    for sub in ("apis", "apps"):
        shutil.copytree(ROOT / "catalog" / sub, root / sub)
    monkeypatch.setenv(FINGERPRINT_ENV, fingerprint(root))
    load.cache_clear()
    assert load(root).catalogue is not None
    app = root / "apps" / "jemhc.yaml"
    app.write_text(app.read_text("utf-8") + "\n", "utf-8")
    load.cache_clear()
    changed = load(root)
    assert changed.catalogue is None
    assert "not the catalogue this job pinned" in changed.failure
    load.cache_clear()
