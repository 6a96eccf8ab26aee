"""`python -m previews plan`: the offline consent matrix of a stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from previews.__main__ import main
from previews.plan.matrix import PlanDocument
from tests.previews.conftest import REPO


def run_plan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["plan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_dev_stack_markdown_lists_every_app_and_marks_admin_consent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_plan(capsys, "--stack", "dev", "--project-dir", str(REPO))
    assert (code, err) == (0, "")
    for app in ("jemhc", "m365-jira-mail", "m365-jira-teams", "m365-jira-todo"):
        assert f"### `{app}`:" in out
    assert "| **tenant-wide** (all users) | `EWS.AccessAsUser.All` (admin consent) |" in out
    assert "| `m365-jira-todo` | `todo` (none) | service principal only | 0 |" in out
    assert "- group `Jira Users`, default role" in out


def test_small_stack_exact_lines(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_plan(capsys, "--stack", "small", "--project-dir", str(project))
    assert code == 0
    scopes = (
        "`Calendars.ReadWrite`, `Calendars.ReadWrite.Shared`, `Group.ReadWrite.All` (admin "
        "consent), `OnlineMeetings.ReadWrite`, `People.Read`, `User.Read`, `User.ReadBasic.All`, "
        "`email`, `offline_access`, `openid`, `profile`"
    )
    lines = out.splitlines()
    assert f"| group `Jira Users` (each user member) | {scopes} |" in lines
    # UPNs are matched case-insensitively, so the plan shows them lower-cased.
    assert f"| user `adele.vance@contoso.com` | {scopes} |" in lines
    assert (
        "| **tenant-wide** (all users) | `User.Read`, `email`, `offline_access`, `openid`, "
        "`profile` |" in lines
    )
    assert "Service principal only: no grants, no assignments." in lines


def test_json_matches_the_model_and_the_settings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_plan(
        capsys, "--stack", "small", "--format", "json", "--project-dir", str(project)
    )
    assert code == 0
    doc = PlanDocument.model_validate_json(out)
    assert [a.key for a in doc.apps] == [
        "m365-jira-mail",
        "m365-jira-teams-jsm-portal",
        "m365-jira-todo",
    ]
    mail = doc.app("m365-jira-mail")
    assert mail is not None
    (graph,) = mail.apis
    assert [(t.target.kind, t.target.ref) for t in graph.targets] == [
        ("group", "Jira Users"),
        ("user", "adele.vance@contoso.com"),
    ]
    admin = {s.name for s in graph.targets[0].scopes if s.admin_consent_required}
    assert admin == {"Group.ReadWrite.All"}
    todo = doc.app("m365-jira-todo")
    assert todo is not None and todo.service_principal_only and todo.features == {"todo": "none"}


def test_reordering_the_settings_changes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, before, _ = run_plan(capsys, "--stack", "small", "--project-dir", str(project))
    path = project / "Pulumi.small.yaml"
    data = yaml.safe_load(path.read_text())
    features = data["config"]["entra-consent:features"]
    data["config"]["entra-consent:features"] = dict(reversed(list(features.items())))
    features["calendar"]["groups"] = list(reversed(features["calendar"]["groups"]))
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    _, after, _ = run_plan(capsys, "--stack", "small", "--project-dir", str(project))
    assert after == before


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        pytest.param(
            "bad-keys",
            [
                "Pulumi.bad-keys.yaml: entra-consent:features.teams.colour: unknown key "
                "(remove it or correct its spelling)",
                "Pulumi.bad-keys.yaml: azuread:tenantId: malformed GUID",
            ],
            id="unknown-key-and-malformed-guid",
        ),
        pytest.param(
            "bad-refs",
            [
                "Pulumi.bad-refs.yaml: entra-consent:features.jemhc-ews.consent: 'principals' "
                "is not allowed for jemhc-ews (use tenant)",
                "Pulumi.bad-refs.yaml: entra-consent:features.calendar.optional_scopes[0]: "
                "'Mail.Send' is not an optional scope of calendar",
                "Pulumi.bad-refs.yaml: entra-consent:features.whiteboard: unknown feature",
            ],
            id="unknown-feature-consent-mode-optional-scope",
        ),
        pytest.param(
            "missing",
            ["Pulumi.missing.yaml: no such stack file in"],
            id="no-stack-file",
        ),
    ],
)
def test_bad_input_lists_every_problem_on_stderr(
    project: Path, capsys: pytest.CaptureFixture[str], stack: str, expected: list[str]
) -> None:
    code, out, err = run_plan(capsys, "--stack", stack, "--project-dir", str(project))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == len(expected)
    for prefix in expected:
        assert any(line.startswith(prefix) for line in lines), (prefix, lines)


def test_command_line_bad_input_has_no_traceback(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "previews", "plan", "--stack", "bad-refs", "--project-dir", "."],
        cwd=project,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 3


def test_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--stack", "--format", "--project-dir", "markdown", "json"):
        assert option in out


def test_json_output_is_deterministic(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--stack", "small", "--format", "json", "--project-dir", str(project))
    _, first, _ = run_plan(capsys, *args)
    _, second, _ = run_plan(capsys, *args)
    assert first == second
    json.loads(first)


def test_no_command_prints_the_whole_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: entra-consent")
    for command in ("plan", "check", "render", "comment", "discover"):
        assert f"    {command} " in out
