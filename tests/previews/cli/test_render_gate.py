"""The CI gate of `previews render --fail-on-mandatory`: the exit code for each enforcement
level an event log can hold, one level per file (a file holding a mandatory and an advisory
event passes whichever of the two is judged mandatory), and the default level of an event that
names none."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from catalog.problems import ConfigurationError
from previews.__main__ import main
from previews.cli.render_command import EXIT_MANDATORY_VIOLATIONS, EXIT_OK, EXIT_PREVIEW_FAILED
from previews.render.digest import PolicyEvent, read_digest, read_policy_events
from tests.previews.conftest import REPO

DIGESTS = Path(__file__).resolve().parents[1] / "digests"
# A preview that completed (no error diagnostic), so the exit code is the gate's alone.
CHANGE = DIGESTS / "engine-change.json"
MIXED = DIGESTS / "engine-mixed.json"  # failed: the engine stopped on a mandatory violation
GRANT_URN = (
    "urn:pulumi:dev::entra-consent::entra-consent:index:EnterpriseApp$"
    "azuread:index/servicePrincipalDelegatedPermissionGrant:"
    "ServicePrincipalDelegatedPermissionGrant::m365-jira-mail-microsoft-graph-tenant"
)


def policy_event(level: str | None, sequence: int = 1) -> dict[str, Any]:
    event: dict[str, Any] = {
        "resourceUrn": GRANT_URN,
        "message": f"a {level or 'default'} violation",
        "policyName": "tenant-wide-privileged-scopes",
        "policyPackName": "entra-consent",
    }
    if level is not None:
        event["enforcementLevel"] = level
    return {"sequence": sequence, "timestamp": 1, "policyEvent": event}


def render(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, levels: list[str | None], *flags: str
) -> tuple[int, str]:
    events = tmp_path / "events.jsonl"
    lines = [json.dumps(policy_event(level, i)) for i, level in enumerate(levels, 1)]
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(
        [
            "render",
            str(CHANGE),
            "--events",
            str(events),
            "--catalog",
            str(REPO / "catalog"),
            *flags,
        ]
    )
    out, _ = capsys.readouterr()
    return code, out


@pytest.mark.parametrize(
    ("levels", "gated", "mandatory", "advisory"),
    [
        pytest.param(["mandatory"], EXIT_MANDATORY_VIOLATIONS, 1, 0, id="mandatory-only"),
        pytest.param(["advisory"], EXIT_OK, 0, 1, id="advisory-only"),
        pytest.param(["advisory", "advisory"], EXIT_OK, 0, 2, id="two-advisory"),
        # a remediation the engine could not apply stops the run as a mandatory one does
        pytest.param(["remediate"], EXIT_MANDATORY_VIOLATIONS, 1, 0, id="remediate-only"),
        # an event without a level: the engine's default, mandatory
        pytest.param([None], EXIT_MANDATORY_VIOLATIONS, 1, 0, id="no-level"),
        pytest.param([""], EXIT_MANDATORY_VIOLATIONS, 1, 0, id="empty-level"),
        pytest.param(["Mandatory"], EXIT_MANDATORY_VIOLATIONS, 1, 0, id="capitalised"),
        pytest.param(["REMEDIATE"], EXIT_MANDATORY_VIOLATIONS, 1, 0, id="upper-case"),
        pytest.param(["disabled"], EXIT_OK, 0, 1, id="disabled"),
        pytest.param(["advisory", "mandatory"], EXIT_MANDATORY_VIOLATIONS, 1, 1, id="both"),
    ],
)
def test_fail_on_mandatory_exit_code_per_level(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    levels: list[str | None],
    gated: int,
    mandatory: int,
    advisory: int,
) -> None:
    code, out = render(capsys, tmp_path, levels, "--fail-on-mandatory")
    assert code == gated
    assert f"policy violations: {mandatory} mandatory, {advisory} advisory." in out
    blocked = "mandatory policy violation" in out and "this change cannot be applied" in out
    assert blocked == bool(mandatory)
    # without the flag the gate stays open: the comment is written and the run passes
    code, again = render(capsys, tmp_path, levels)
    assert code == EXIT_OK
    assert again == out


def test_no_violation_passes_the_gate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out = render(capsys, tmp_path, [], "--fail-on-mandatory")
    assert code == EXIT_OK
    assert "policy violations: 0 mandatory, 0 advisory." in out


def test_mandatory_wins_over_a_failed_preview(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """When both apply, the first exit code of the documented order wins: 3, then 4."""
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps(policy_event("advisory")) + "\n", encoding="utf-8")
    args = ["render", str(MIXED), "--events", str(events), "--catalog", str(REPO / "catalog")]
    assert main([*args, "--fail-on-mandatory"]) == EXIT_PREVIEW_FAILED
    events.write_text(json.dumps(policy_event("mandatory")) + "\n", encoding="utf-8")
    assert main([*args, "--fail-on-mandatory"]) == EXIT_MANDATORY_VIOLATIONS
    assert main(args) == EXIT_PREVIEW_FAILED
    capsys.readouterr()


# --- the command's arguments and the files it reads ----------------------------------------


def test_help_names_each_argument(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for shown in ("PREVIEW.json", "--events EVENTS.jsonl", "--catalog DIR", "--max-bytes N"):
        assert re.search(rf"(?<!\w){re.escape(shown)}(?!\w)", out), shown


def test_the_catalogue_defaults_to_the_project_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    assert main(["render", str(CHANGE)]) == EXIT_OK
    assert "### `m365-jira-mail`" in capsys.readouterr().out


def test_read_digest_reads_the_engine_fields(tmp_path: Path) -> None:
    digest = read_digest(MIXED)
    update = next(s for s in digest.steps or () if s.op == "update")
    assert update.diff_reasons and update.detailed_diff
    assert all(not d.input_diff or d.kind for d in update.detailed_diff.values())
    assert digest.change_summary and sum(digest.change_summary.values()) > 0
    step = {
        "op": "replace",
        "urn": "u",
        "diffReasons": ["a"],
        "replaceReasons": ["b"],
        "detailedDiff": {"a": {"kind": "update-replace", "inputDiff": True}, "b": {"kind": "add"}},
    }
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": [step], "diagnostics": [{"message": "m"}]}))
    read = read_digest(path)
    assert read.steps is not None and read.diagnostics is not None
    (parsed,) = read.steps
    assert (parsed.diff_reasons, parsed.replace_reasons) == (["a"], ["b"])
    assert parsed.detailed_diff is not None
    assert parsed.detailed_diff["a"].input_diff is True
    assert parsed.detailed_diff["b"].input_diff is False
    (diagnostic,) = read.diagnostics
    assert diagnostic.severity == "info"
    with pytest.raises(ValidationError):  # the engine's records are read, never changed
        parsed.op = "create"  # type: ignore[misc]


def test_a_blank_digest_is_an_empty_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "preview.json"
    path.write_text("  \n\t\n")
    code = main(["render", str(path), "--catalog", str(REPO / "catalog")])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == f"{path}: empty file (pass the output of `pulumi preview --json`)"


def test_an_event_log_is_read_line_by_line(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    event = policy_event("advisory")
    event["policyEvent"]["policyPackName"] = "the-pack"
    events.write_text("\n   \n" + json.dumps(event) + "\n" + json.dumps(policy_event(None)) + "\n")
    read = read_policy_events(events)
    assert [(e.policy_pack_name, e.enforcement_level) for e in read] == [
        ("the-pack", "advisory"),
        ("entra-consent", ""),
    ]


def test_every_bad_line_of_an_event_log_is_reported(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    bad_event = {"policyEvent": {"message": 5}}
    events.write_text(
        "\n".join(["not json", json.dumps(bad_event), "[", json.dumps(bad_event), "{}"]) + "\n"
    )
    with pytest.raises(ConfigurationError) as caught:
        read_policy_events(events)
    where = [p.path for p in caught.value.problems]
    assert where == ["line 1", "line 2.policyEvent.message", "line 3", "line 4.policyEvent.message"]


def test_engine_records_can_be_built_by_field_name() -> None:
    event = PolicyEvent(policy_name="p", enforcement_level="advisory", resource_urn="u")
    assert (event.policy_name, event.enforcement_level, event.resource_urn) == (
        "p",
        "advisory",
        "u",
    )
