"""The offline plan of consent `assigned`: the tenant-wide grant is labelled as what it is,
sign-in by assignment only, and the app shows assignment required."""

from __future__ import annotations

from pathlib import Path

import pytest

from previews.__main__ import main
from tests.previews.conftest import REPO

STACK = """config:
  azuread:tenantId: 11111111-2222-3333-4444-555555555555
  entra-consent:features:
    email: {consent: assigned, groups: [Jira Users]}
    teams: {consent: tenant}
"""


def test_assigned_grant_is_not_shown_as_all_users(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "catalog").symlink_to(REPO / "catalog", target_is_directory=True)
    (tmp_path / "Pulumi.a.yaml").write_text(STACK, "utf-8")
    assert main(["plan", "--stack", "a", "--project-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    mail = out[out.index("### `m365-jira-mail`") : out.index("### `m365-jira-teams`")]
    teams = out[out.index("### `m365-jira-teams`") :]
    assert "assignment required" in mail and "`email` (assigned)" in mail
    assert (
        "| **tenant-wide**, sign-in by assignment only (assigned users, direct members of assigned groups) |"
        in mail
    )
    assert "(all users)" not in mail
    assert "| **tenant-wide** (all users) |" in teams
    assert "group `Jira Users`" in mail
