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
        "Pulumi.test.yaml: entra-consent:features.teams.assign: must be true or false (got 'yes')",
        "Pulumi.test.yaml: entra-consent:features.meetings.optional_scopes[0]: "
        "'Group.ReadWrite.All' is not an optional scope of meetings (optional: Place.Read.All)",
        "check: 1 of 2 stack file(s) have problems",
    ]


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
