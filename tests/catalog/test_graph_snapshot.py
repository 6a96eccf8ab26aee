"""`catalog/graph_snapshot.py`: deterministic, and the committed snapshot is current."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalog import graph_snapshot
from catalog.models import ApiFile

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "graph-data"
COMMITTED = graph_snapshot.DEFAULT_OUTPUT
VENDORED = graph_snapshot.DEFAULT_SOURCE


def test_snapshot_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    assert graph_snapshot.main(["--source", str(FIXTURE), "--output", str(first)]) == 0
    assert graph_snapshot.main(["--source", str(FIXTURE), "--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert graph_snapshot.snapshot_text(FIXTURE).encode() == first.read_bytes()


def test_snapshot_of_trimmed_fixture() -> None:
    text = graph_snapshot.snapshot_text(FIXTURE)
    assert text.startswith(graph_snapshot.HEADER)
    api = ApiFile.model_validate(yaml.safe_load(text))
    assert api.key == "microsoft-graph"
    assert api.app_id == "00000003-0000-0000-c000-000000000000"
    assert api.source.endswith(
        "snapshot 2026-08-07 at commit 6cbd6bbd665a877560fdefbad74f3bdb5b57af88"
    )
    # Sorted case-insensitively, whatever Microsoft's order.
    assert list(api.scopes) == [
        "Mail.Send",
        "openid",
        "Place.Read.All",
        "PrivilegedAccess.Read.AzureAD",
        "User.Read",
    ]
    openid = api.scopes["openid"]
    assert openid.id == "37f7f235-527c-4136-accd-4a02d197296e"
    assert not openid.admin_consent_required
    assert openid.privilege_level is None  # permissions.json lacks the OpenID scopes
    no_work = api.scopes["PrivilegedAccess.Read.AzureAD"]
    assert no_work.admin_consent_required
    assert no_work.privilege_level is None  # no DelegatedWork scheme: no level
    assert api.scopes["Mail.Send"].privilege_level == 2
    assert not api.scopes["Mail.Send"].admin_consent_required
    assert api.scopes["Place.Read.All"].admin_consent_required


def test_check_reports_a_stale_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "microsoft-graph.yaml"
    args = ["--source", str(FIXTURE), "--output", str(out)]
    assert graph_snapshot.main([*args, "--check"]) == 1  # missing
    graph_snapshot.main(args)
    assert graph_snapshot.main([*args, "--check"]) == 0
    out.write_text(out.read_text("utf-8").replace("Mail.Send", "Mail.Sent"), "utf-8")
    before = out.read_bytes()
    assert graph_snapshot.main([*args, "--check"]) == 1
    assert out.read_bytes() == before  # --check writes nothing
    assert "out of date" in capsys.readouterr().out


def test_committed_snapshot_is_what_the_vendored_data_gives() -> None:
    assert graph_snapshot.main(["--check"]) == 0
    assert COMMITTED.read_text("utf-8") == graph_snapshot.snapshot_text(VENDORED)
