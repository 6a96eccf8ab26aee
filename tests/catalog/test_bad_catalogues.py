"""Bad catalogues: one small fixture folder per case under tests/catalog/bad/, each the baseline
tests/catalog/good/ changed in one place (many-problems: in several). Every problem is reported
at once, one line each, `file: key.path: message`."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.catalogue import load_catalogue
from catalog.problems import ConfigurationError

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"

EXPECTED: dict[str, list[str]] = {
    "previous-key-clash": [
        "previous-key-clash/apps/vendor.yaml: apps.demo.previous_keys: 'other' is the key of a current app (remove it)",
        "previous-key-clash/apps/vendor.yaml: apps.other.previous_keys: 'demo-old' is already a previous key of app 'demo' (keep one)",
    ],
    "unknown-key": [
        "unknown-key/apps/vendor.yaml: features.demo-mail.scope_notes: unknown key (remove it or correct its spelling)",
    ],
    "duplicate-yaml-key": [
        "duplicate-yaml-key/apps/vendor.yaml: features.demo-mail.grants.mini-graph.required: duplicate key (line 16; first at line 15; keep one)",
    ],
    "malformed-guid": [
        "malformed-guid/apps/vendor.yaml: apps.demo.client_id: malformed GUID '11111111-1111-1111-1111-11111111111g' (write it as 8-4-4-4-12 hexadecimal digits)",
    ],
    "unpublished-scope": [
        "unpublished-scope/apps/vendor.yaml: features.demo-mail.grants.mini-graph.required[2]: scope 'Mail.Read' is not published by Mini Graph (check the name's spelling and case)",
    ],
    "unknown-app": [
        "unknown-app/apps/vendor.yaml: features.demo-mail.app: unknown app 'dmeo' (known: demo)",
    ],
    "unknown-api": [
        "unknown-api/apps/vendor.yaml: features.demo-mail.grants.exchange-online: unknown API 'exchange-online' (known: mini-graph)",
    ],
    "required-and-optional": [
        "required-and-optional/apps/vendor.yaml: features.demo-mail.grants.mini-graph.optional[0]: scope 'User.Read' is both required and optional (keep one)",
    ],
    "empty-scope-lists": [
        "empty-scope-lists/apps/vendor.yaml: features.demo-mail.grants.mini-graph: empty scope lists (list required or optional scopes, or remove the API)",
    ],
    "duplicate-feature-key": [
        "duplicate-feature-key/apps/vendor.yaml: features.demo-mail: feature key already used in duplicate-feature-key/apps/other-vendor.yaml (feature keys are unique across the catalogue)",
    ],
    "duplicate-client-id": [
        "duplicate-client-id/apps/vendor.yaml: apps.demo-again.client_id: client id already listed as app 'demo' in duplicate-client-id/apps/vendor.yaml (one entry per enterprise app; list its features under that app)",
    ],
    "many-problems": [
        "many-problems/apps/other-vendor.yaml: features.other-mail.grants.mini-graph.optional: duplicate key (line 18; first at line 17; keep one)",
        "many-problems/apps/other-vendor.yaml: apps.other.client_id: malformed GUID '2222-2222' (write it as 8-4-4-4-12 hexadecimal digits)",
        "many-problems/apps/other-vendor.yaml: features.other-mail.colour: unknown key (remove it or correct its spelling)",
        "many-problems/apps/vendor.yaml: features.demo-mail.app: unknown app 'dmeo' (known: demo)",
        "many-problems/apps/vendor.yaml: features.demo-mail.grants.mini-graph.required[1]: scope 'Mail.Read' is not published by Mini Graph (check the name's spelling and case)",
        "many-problems/apps/vendor.yaml: features.demo-mail.grants.mini-graph.optional[0]: scope 'openid' is both required and optional (keep one)",
        "many-problems/apps/vendor.yaml: features.demo-mail.grants.exchange-online: unknown API 'exchange-online' (known: mini-graph)",
    ],
}


def test_every_fixture_folder_has_a_case() -> None:
    assert sorted(p.name for p in BAD.iterdir() if p.is_dir()) == sorted(EXPECTED)


def test_baseline_fixture_loads() -> None:
    catalogue = load_catalogue(HERE / "good")
    assert set(catalogue.features) == {"demo-mail"}
    assert catalogue.listed_scopes("demo", "mini-graph") == {"openid", "User.Read", "Mail.Send"}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_catalogue_reports_every_problem(case: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_catalogue(BAD / case)
    assert str(caught.value).splitlines() == EXPECTED[case]
    assert [str(p) for p in caught.value.problems] == EXPECTED[case]


def test_missing_catalogue_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_catalogue(tmp_path / "nowhere")
    assert str(caught.value) == (
        f"{tmp_path / 'nowhere'}: catalogue folder not found (check entra-consent:catalog)"
    )
