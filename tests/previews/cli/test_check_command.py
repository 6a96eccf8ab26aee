"""`entra-consent check`: every stack file of a project, offline, every problem at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from previews.__main__ import main
from tests.previews.conftest import REPO

GOOD = """config:
  azuread:tenantId: 11111111-2222-3333-4444-555555555555
  entra-consent:features:
    teams: {consent: tenant}
    email: {consent: principals, users: [adele@contoso.com], groups: [Jira Users]}
"""
BAD = """config:
  azuread:tenantId: 11111111-2222-3333-4444-555555555555
  entra-consent:features:
    teams: {consent: tenant, assign: yes}
    meetings: {consent: tenant, optional_scopes: [Group.ReadWrite.All]}
"""


def project(tmp_path: Path, **stacks: str) -> Path:
    shutil.copytree(REPO / "catalog" / "apis", tmp_path / "catalog" / "apis")
    shutil.copytree(REPO / "catalog" / "apps", tmp_path / "catalog" / "apps")
    for name, text in stacks.items():
        (tmp_path / f"Pulumi.{name}.yaml").write_text(text, "utf-8")
    return tmp_path


def test_every_stack_file_is_checked_and_every_problem_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project(tmp_path, prod=GOOD, test=BAD)
    assert main(["check", "--project-dir", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out == ("Pulumi.prod.yaml: ok (2 app(s), 3 grant target(s), catalogue catalog)\n")
    assert err.splitlines() == [
        "check: policy rules not run (no policies/config.example.json; pass --policy-config)",
        "Pulumi.test.yaml: entra-consent:features.teams.assign: must be true or false (got 'yes')",
        "Pulumi.test.yaml: entra-consent:features.meetings.optional_scopes[0]: "
        "'Group.ReadWrite.All' is not an optional scope of meetings (optional: Place.Read.All)",
        "check: 1 of 2 stack file(s) have problems",
    ]


WIDE = """config:
  azuread:tenantId: 11111111-2222-3333-4444-555555555555
  entra-consent:features:
    calendar: {consent: tenant, optional_scopes: all}
"""


def test_the_plan_is_judged_by_the_mandatory_policy_rules_as_the_pack_will(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Settings the pack refuses at preview fail `check` too (with the pack's own config)."""
    folder = project(tmp_path, prod=GOOD, wide=WIDE)
    (folder / "policies").mkdir()
    shutil.copy(REPO / "policies" / "config.example.json", folder / "policies")
    assert main(["check", "--project-dir", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("Pulumi.prod.yaml: ok")
    (line, summary) = err.splitlines()
    assert line.startswith(
        "Pulumi.wide.yaml: the policy pack refuses at preview: tenant-wide-privileged-scopes: "
        "grant m365-jira-mail-microsoft-graph-tenant: "
    )
    assert "Group.ReadWrite.All, Place.Read.All (grant them per user instead" in line
    assert summary == "check: 1 of 2 stack file(s) have problems"
    advisory = tmp_path / "advisory.json"
    advisory.write_text('{"all": "mandatory", "tenant-wide-privileged-scopes": "advisory"}')
    assert main(["check", "--project-dir", str(folder), "--policy-config", str(advisory)]) == 0
    capsys.readouterr()
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert main(["check", "--project-dir", str(folder), "--policy-config", str(broken)]) == 1
    assert capsys.readouterr().err.startswith(f"{broken}: not JSON (")


def test_named_stacks_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = project(tmp_path, prod=GOOD, test=BAD)
    assert main(["check", "--project-dir", str(folder), "prod"]) == 0
    assert capsys.readouterr().out.startswith("Pulumi.prod.yaml: ok")


def test_a_folder_without_stack_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--project-dir", str(tmp_path)]) == 1
    assert "no Pulumi.*.yaml in" in capsys.readouterr().err


def test_the_shipped_project_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--project-dir", str(REPO), "dev"]) == 0
    assert capsys.readouterr().out.startswith("Pulumi.dev.yaml: ok (")
