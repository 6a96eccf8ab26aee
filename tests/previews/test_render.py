"""`python -m previews render`: consent diffs from preview digests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.catalogue import Catalogue, load_catalogue
from previews.__main__ import main
from previews.consent_diff import consent_diff
from previews.digest import PreviewDigest
from previews.render_command import EXIT_MANDATORY_VIOLATIONS
from previews.render_markdown import GITHUB_COMMENT_LIMIT, render_markdown
from tests.previews.conftest import REPO
from tests.previews.synthetic import grant_step, large_digest

DIGESTS = Path(__file__).resolve().parent / "digests"
MIXED = DIGESTS / "mixed.json"
EVENTS = DIGESTS / "events.jsonl"
ADELE = "a1a1a1a1-0000-4000-8000-000000000001"
ALEX = "a1a1a1a1-0000-4000-8000-000000000002"
MEGAN = "a1a1a1a1-0000-4000-8000-000000000003"
LEE = "a1a1a1a1-0000-4000-8000-000000000004"
BASE = "`User.Read`, `email`, `offline_access`, `openid`, `profile`"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REPO / "catalog")


def render(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["render", *args, "--catalog", str(REPO / "catalog")])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def mixed_lines() -> list[str]:
    digest = PreviewDigest.model_validate_json(MIXED.read_text())
    from previews.digest import read_policy_events

    diff = consent_diff(digest, load_catalogue(REPO / "catalog"), read_policy_events(EVENTS))
    return render_markdown(diff, load_catalogue(REPO / "catalog"), stack="dev").splitlines()


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(
            "- **tenant-wide** (all users): new grant: adds `Channel.ReadBasic.All`, "
            "`ChannelMessage.Send`, `Chat.ReadWrite`, `Team.ReadBasic.All`, `User.Read`, "
            "`User.ReadBasic.All`, `email`, `offline_access`, `openid`, `profile`",
            id="create-tenant-wide-grant",
        ),
        pytest.param(
            f"- user `adele.vance@contoso.com` (`{ADELE}`): adds `Place.Read.All` (admin "
            "consent); ⛔ removes `People.Read`",
            id="update-claimValues-with-detailedDiff",
        ),
        pytest.param(
            f"- user `alex.wilber@contoso.com` (`{ALEX}`): adds `Mail.Send.Shared`",
            id="update-claimValues-without-detailedDiff",
        ),
        pytest.param(
            f"- user `{MEGAN}`: scopes not shown (secret or unknown); changed: claimValues",
            id="update-secret-values-null-detailedDiff",
        ),
        pytest.param(
            f"- user `{MEGAN}`: ⛔ takes over the grant of user `Lee Gu` (`{LEE}`) (replaced: "
            "userObjectId): `Mail.ReadWrite`, `Mail.Send`, `User.Read`",
            id="replace-new-userObjectId-as-one-change",
        ),
        pytest.param(
            f"- user `Lee Gu` (`{LEE}`): ⛔ **grant revoked**: `Calendars.ReadWrite`, "
            f"`Group.ReadWrite.All` (admin consent, privilege 4), {BASE}",
            id="delete-is-a-revocation",
        ),
        pytest.param(
            "- group `9c9c9c9c-0000-4000-8000-000000000001`: assigned (default role)",
            id="assignment-created",
        ),
        pytest.param(
            f"- user `Lee Gu` (`{LEE}`): ⛔ **assignment removed** (default role)",
            id="assignment-deleted",
        ),
        pytest.param(
            "- service principal: updated: appRoleAssignmentRequired", id="service-principal-update"
        ),
        pytest.param(
            "- service principal: removed from the stack; kept in the tenant (retain on delete)",
            id="service-principal-retained",
        ),
        pytest.param(
            "| mandatory | `tenant-wide-privileged-scopes` | `m365-jira-teams` | "
            "`m365-jira-teams-microsoft-graph-tenant` | Tenant-wide grant of Chat.ReadWrite "
            "needs an allowance in policy config. |",
            id="policy-violation-from-events",
        ),
        pytest.param(
            "- warning: Pulumi.dev.yaml: entra-consent:features.email.users[1]: user "
            "'gone@contoso.com' not found in the tenant (skipped, as "
            "entra-consent:missing_principals is skip)",
            id="diagnostics-warning",
        ),
        pytest.param(
            "**Totals**: grants: 1 created, 3 updated, 1 replaced, 1 revoked; scopes: +12 / -8; "
            "assignments: 1 added, 1 removed; service principals: 1 created, 1 updated, 1 "
            "removed from the stack; policy violations: 1 mandatory, 1 advisory.",
            id="totals",
        ),
        pytest.param(
            "- ⛔ **Revocations**: 3 grants losing scopes: `jemhc` (1), `m365-jira-mail` (2)",
            id="revocations-stand-out",
        ),
    ],
)
def test_mixed_preview_lines(mixed_lines: list[str], line: str) -> None:
    assert line in mixed_lines


@pytest.mark.parametrize(
    "absent",
    [
        pytest.param("m365-jira-teams-jsm-portal", id="same-omitted"),
        pytest.param("api-microsoft-graph", id="read-omitted"),
        pytest.param("debugging chatter", id="info-diagnostic-omitted"),
        pytest.param("[secret]", id="secret-marker-not-shown-as-scope"),
    ],
)
def test_mixed_preview_omits(mixed_lines: list[str], absent: str) -> None:
    assert not any(absent in line for line in mixed_lines)


def test_replacement_steps_count_once(mixed_lines: list[str]) -> None:
    assert sum("takes over the grant" in line for line in mixed_lines) == 1


@pytest.mark.parametrize(
    "content",
    [
        pytest.param((DIGESTS / "empty.json").read_text(), id="stack-step-only"),
        pytest.param('{"duration": 1, "changeSummary": {}}', id="no-steps-key"),
    ],
)
def test_empty_preview(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    path = tmp_path / "preview.json"
    path.write_text(content)
    code, out, err = render(capsys, str(path))
    assert (code, err) == (0, "")
    assert "No consent changes: no grants, assignments or service principals change." in out
    assert "**Totals**: grants: none;" in out


def test_mandatory_violation_fails_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = render(capsys, str(MIXED), "--events", str(EVENTS))
    assert code == 0
    assert "1 mandatory policy violation: this change cannot be applied." in out
    code, _, _ = render(capsys, str(MIXED), "--events", str(EVENTS), "--fail-on-mandatory")
    assert code == EXIT_MANDATORY_VIOLATIONS
    code, _, _ = render(capsys, str(MIXED), "--fail-on-mandatory")
    assert code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "empty file", id="empty-file"),
        pytest.param("{not json", "not valid JSON", id="not-json"),
        pytest.param(
            '{"steps": [{"urn": "x"}]}', "steps[0].op: required key is missing", id="no-op"
        ),
    ],
)
def test_bad_digest_is_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "preview.json"
    path.write_text(content)
    code, out, err = render(capsys, str(path))
    assert code == 1 and out == ""
    assert err.splitlines() == [line for line in err.splitlines() if message in line]
    assert len(err.splitlines()) == 1


def test_bad_event_log_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text('{"sequence": 1}\nnot json\n')
    code, _, err = render(capsys, str(MIXED), "--events", str(events))
    assert code == 1
    assert err.strip() == f"{events}: line 2: not a JSON engine event"


def test_large_preview_stays_under_the_comment_limit(catalogue: Catalogue) -> None:
    digest = PreviewDigest.model_validate(large_digest(20_000))
    diff = consent_diff(digest, catalogue)
    assert len(diff.grants) + len(diff.assignments) == 20_000
    text = render_markdown(diff, catalogue, stack="prod")
    assert len(text) < GITHUB_COMMENT_LIMIT
    assert "**Totals**: grants: 4000 created, 8000 updated, 4000 revoked;" in text
    assert "<details><summary>users</summary>" in text
    assert "… and " in text  # user lists shortened, not dropped


def test_small_budget_summarises_per_app(catalogue: Catalogue) -> None:
    digest = PreviewDigest.model_validate(large_digest(2_000))
    diff = consent_diff(digest, catalogue)
    text = render_markdown(diff, catalogue, stack="prod", budget=1_500)
    assert len(text.encode()) <= 1_500
    assert "_Summarised to the counts above: too many changes" in text
    # jemhc: users 3, 7, 11, ... (500), each with all three optional scopes; by index % 5:
    # 100 created (+11 scopes), 100 widened (+3), 100 narrowed (-6), 100 revoked (-11), and
    # 100 assignments, all for odd indexes, so all added.
    assert "| `jemhc` | 100 | 200 | 0 | 100 | 1400 | 1700 | 100 | 0 |" in text.splitlines()


def test_digest_fixture_is_the_documented_shape() -> None:
    data = json.loads(MIXED.read_text())
    assert set(data) == {"config", "steps", "diagnostics", "duration", "changeSummary"}
    ops = {s["op"] for s in data["steps"]}
    assert {"create", "update", "delete", "same", "read", "replace"} <= ops
    assert {"create-replacement", "delete-replaced"} <= ops
    assert any(s["detailedDiff"] is None for s in data["steps"] if "detailedDiff" in s)
    assert any("detailedDiff" not in s for s in data["steps"])


def test_import_is_adoption_not_a_new_grant(catalogue: Catalogue) -> None:
    user = "a1a1a1a1-0000-4000-8000-000000000009"
    scopes = ["Mail.ReadWrite", "Mail.Send", "User.Read"]
    step = grant_step("dev", "jemhc", user, "import", None, scopes)
    digest = PreviewDigest.model_validate({"steps": [step]})
    diff = consent_diff(digest, catalogue)
    lines = render_markdown(diff, catalogue, stack="dev").splitlines()
    assert (
        f"- user `{user}`: adopted into the stack (already in the tenant, unchanged): "
        "`Mail.ReadWrite`, `Mail.Send`, `User.Read`" in lines
    )
    assert "**Totals**: grants: 1 imported; scopes: +0 / -0;" in lines[2]


def test_replace_step_alone_reads_the_same(catalogue: Catalogue) -> None:
    """Without --show-replacement-steps the digest holds only the `replace` step."""
    data = json.loads(MIXED.read_text())
    data["steps"] = [
        s for s in data["steps"] if s["op"] not in ("create-replacement", "delete-replaced")
    ]
    diff = consent_diff(PreviewDigest.model_validate(data), catalogue)
    lines = render_markdown(diff, catalogue, stack="dev").splitlines()
    assert (
        f"- user `{MEGAN}`: ⛔ takes over the grant of user `Lee Gu` (`{LEE}`) (replaced: "
        "userObjectId): `Mail.ReadWrite`, `Mail.Send`, `User.Read`" in lines
    )


ENGINE_CHANGE = DIGESTS / "engine-change.json"
ENGINE_EVENTS = DIGESTS / "engine-change-events.jsonl"


def test_a_real_engine_digest_renders_exactly_its_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """engine-change.json: `pulumi preview --json` of the real CLI (tests/e2e/test_review.py):
    Team.ReadBasic.All added for three users of Calendar, Alex taken off Email."""
    code, out, _ = render(capsys, str(ENGINE_CHANGE), "--events", str(ENGINE_EVENTS))
    assert code == 0
    steps = json.loads(ENGINE_CHANGE.read_text())["steps"]
    alex = next(
        s["oldState"]["outputs"]["principalObjectId"]
        for s in steps
        if s["op"] == "delete" and "assign-user" in s["urn"]
    )
    lines = out.splitlines()
    assert lines[2] == (
        "**Totals**: grants: 3 updated, 1 revoked; scopes: +3 / -9; assignments: 1 removed; "
        "service principals: none; policy violations: 0 mandatory, 0 advisory."
    )
    assert f"- user `Alex Wilber` (`{alex}`): ⛔ **assignment removed** (default role)" in lines
    assert "- 3 users: adds `Team.ReadBasic.All`" in lines
    assert sum("⛔ **grant revoked**" in line for line in lines) == 1
    assert [line for line in lines if line.startswith("### ")] == [
        "### `m365-jira-mail`: Microsoft 365 for Jira (Email, Meetings, Calendar)",
        "### Diagnostics",
    ]
