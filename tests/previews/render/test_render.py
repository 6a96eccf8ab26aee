"""`python -m previews render`: consent diffs from preview digests.

The digests are the real engine's (tests/previews/digests/engine-*.json, written by
tests/e2e/test_review.py): object ids differ per run, so they are read from the fixtures.
What the real engine cannot produce from this project is built in code by
simtenant/fakes/preview_digests.py, in the engine's shape, and labelled synthetic below."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from catalog.catalogue import Catalogue, load_catalogue
from previews.__main__ import main
from previews.cli.render_command import EXIT_MANDATORY_VIOLATIONS, EXIT_PREVIEW_FAILED
from previews.render.consent_diff import consent_diff
from previews.render.digest import (
    SECRET,
    UNKNOWN,
    PolicyEvent,
    PreviewDigest,
    read_policy_events,
)
from previews.render.pipeline import render_digest
from previews.render.render_markdown import GITHUB_COMMENT_LIMIT, render_markdown
from simtenant.fakes.preview_digests import (
    MAIL_SCOPES,
    assignment_step,
    grant_step,
    large_digest,
    moved_grant_steps,
    stack_step,
    user_id,
)
from tests.previews.conftest import REPO

DIGESTS = Path(__file__).resolve().parents[1] / "digests"
MIXED = DIGESTS / "engine-mixed.json"
EVENTS = DIGESTS / "engine-mixed-events.jsonl"
EMPTY = DIGESTS / "engine-empty.json"
ENGINE_CHANGE = DIGESTS / "engine-change.json"
ENGINE_EVENTS = DIGESTS / "engine-change-events.jsonl"
BASE = "`User.Read`, `email`, `offline_access`, `openid`, `profile`"


def steps(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text("utf-8"))["steps"])


def object_ids(path: Path) -> dict[str, list[str]]:
    """From a digest: who is granted or assigned what, by the op and kind of the step."""
    found: dict[str, list[str]] = defaultdict(list)
    for step in steps(path):
        state = step.get("newState") or step.get("oldState") or {}
        inputs = state.get("inputs", {})
        name = step["urn"].rsplit("::", 1)[-1]
        if "-assign-" in name:
            found[f"{step['op']} assignment"].append(inputs["principalObjectId"])
        elif inputs.get("userObjectId"):
            found[f"{step['op']} grant"].append(inputs["userObjectId"])
    return {key: sorted(ids) for key, ids in found.items()}


IDS = object_ids(MIXED)
ALEX = IDS["delete grant"][0]  # Alex Wilber, taken off Email
ADMINS = IDS["create assignment"][0]  # the group Jira Admins, added to Meetings
CALENDAR = IDS["update grant"]  # Adele, Megan and Lee: Calendar's optional scope swapped
REVOKED_MAIL = (
    "`Mail.ReadWrite.Shared`, `Mail.Send.Shared`, `People.Read`, `User.Read`, "
    "`User.ReadBasic.All`, `email`, `offline_access`, `openid`, `profile`"
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REPO / "catalog")


def render(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["render", *args, "--catalog", str(REPO / "catalog")])
    out, err = capsys.readouterr()
    return code, out, err


def lines_of(catalogue: Catalogue, digest: dict[str, Any], events: Path | None = None) -> list[str]:
    policy = read_policy_events(events) if events else None
    return render_digest(json.dumps(digest), catalogue, policy).markdown.splitlines()


@pytest.fixture(scope="module")
def mixed_lines(catalogue: Catalogue) -> list[str]:
    return lines_of(catalogue, json.loads(MIXED.read_text("utf-8")), EVENTS)


# -- the real engine: engine-mixed.json, one of each kind of consent change -------------------


def test_the_fixture_holds_the_change_of_the_e2e_test() -> None:
    """tests/e2e/test_review.py::mixed_change: three Calendar users, Alex, Jira Admins."""
    assert len(CALENDAR) == 3 and ALEX not in CALENDAR
    assert IDS["delete assignment"] == [ALEX]
    assert len(IDS["create assignment"]) == 1


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
            "- 3 users: adds `Group.ReadWrite.All` (admin consent, privilege 4); ⛔ removes "
            "`Team.ReadBasic.All`",
            id="update-claimValues-alike-users-share-a-line",
        ),
        pytest.param(
            f"- user `Alex Wilber` (`{ALEX}`): ⛔ **grant revoked**: {REVOKED_MAIL}",
            id="delete-is-a-revocation-named-from-the-assignment",
        ),
        pytest.param(f"- group `{ADMINS}`: assigned (default role)", id="assignment-created"),
        pytest.param(
            f"- user `Alex Wilber` (`{ALEX}`): ⛔ **assignment removed** (default role)",
            id="assignment-deleted",
        ),
        pytest.param(
            "- service principal: created (or adopted, when the app is already in the tenant): "
            "⚠️ sign-in open to every user (`appRoleAssignmentRequired`: `false`)",
            id="service-principal-created",
        ),
        pytest.param(
            "- service principal: updated: ⚠️ sign-in opened to every user "
            "(`appRoleAssignmentRequired`: `true` → `false`)",
            id="service-principal-update-has-a-direction",
        ),
        pytest.param(
            "- service principal: removed from the stack; kept in the tenant (retain on delete)",
            id="service-principal-retained",
        ),
        pytest.param(
            "⛔ **1 mandatory policy violation: this change cannot be applied.**",
            id="mandatory-violation-banner",
        ),
        pytest.param(
            "- warning: `Pulumi.dev.yaml: entra-consent:features.email.users[0]: user "
            "'gone@contoso.com' not found in the tenant (skipped, as "
            "entra-consent:missing_principals is skip)`",
            id="diagnostics-warning",
        ),
        pytest.param("- error: `preview failed`", id="diagnostics-error"),
        pytest.param(
            "- ⚠️ **Sign-in opened to every user** (assignment no longer required): "
            "`m365-jira-mail`",
            id="sign-in-opened-stands-out",
        ),
        pytest.param(
            "**Totals**: grants: 1 created, 3 updated, 1 revoked; scopes: +13 / -12; "
            "assignments: 1 added, 1 removed; service principals: 1 created, 1 updated, 1 "
            "removed from the stack; policy violations: 1 mandatory, 0 advisory.",
            id="totals",
        ),
        pytest.param(
            "- ⛔ **Revocations**: 4 grants losing scopes: `m365-jira-mail` (4)",
            id="revocations-stand-out",
        ),
        pytest.param("- ⛔ **Assignments removed**: 1", id="assignments-removed-stand-out"),
        pytest.param(
            "- ⚠️ **Tenant-wide** for `m365-jira-teams` on `Microsoft Graph`: adds "
            "`Channel.ReadBasic.All`, `ChannelMessage.Send`, `Chat.ReadWrite`, "
            "`Team.ReadBasic.All`, `User.Read`, `User.ReadBasic.All`, `email`, "
            "`offline_access`, `openid`, `profile`",
            id="tenant-wide-stands-out",
        ),
        pytest.param(
            "- ⚠️ **Admin-consent or high-privilege scopes** added for 3 user grants: "
            "`Group.ReadWrite.All`",
            id="admin-consent-stands-out",
        ),
    ],
)
def test_mixed_preview_lines(mixed_lines: list[str], line: str) -> None:
    assert line in mixed_lines


def test_alike_users_are_listed_by_name_where_the_preview_knows_it(mixed_lines: list[str]) -> None:
    """Adele's assignment stays the same: with --show-sames its outputs name her."""
    listed = [line for line in mixed_lines if line.startswith("  - user ")]
    for user in CALENDAR:
        (line,) = [x for x in listed if f"`{user}`" in x]
        named = line == f"  - user `Adele Vance` (`{user}`)"
        assert named or line == f"  - user `{user}`", line
    assert sum("Adele Vance" in x for x in listed) == 1


def test_policy_violation_from_events_is_one_row(mixed_lines: list[str]) -> None:
    """The pack's two-line message, in one table cell."""
    rows = [line for line in mixed_lines if line.startswith("| `mandatory` |")]
    assert len(rows) == 1
    assert rows[0].startswith(
        "| `mandatory` | `tenant-wide-privileged-scopes` | `m365-jira-teams` | "
        "`m365-jira-teams-microsoft-graph-tenant` | `Admin-consent-required or high-privilege "
        "scopes tenant-wide only with an allowance. grant m365-jira-teams-microsoft-graph-tenant: "
    )
    assert rows[0].endswith("under allowances.m365-jira-teams.microsoft-graph)` |")


def test_repeated_diagnostics_are_counted(mixed_lines: list[str]) -> None:
    """The stand-in provider's PATH warning, once per plugin load."""
    repeated = [line for line in mixed_lines if "using pulumi-resource-azuread" in line]
    assert len(repeated) == 1 and repeated[0].endswith(" (2 times)")


def test_mixed_preview_sections(mixed_lines: list[str]) -> None:
    assert [line for line in mixed_lines if line.startswith("### ")] == [
        "### Policy violations",
        "### `m365-jira-mail`: `Microsoft 365 for Jira (Email, Meetings, Calendar)`",
        "### `m365-jira-teams`: `Microsoft 365 for Jira (Teams)`",
        "### `m365-jira-todo`: `Microsoft 365 for Jira (To Do)`",
        "### Diagnostics",
    ]


@pytest.mark.parametrize(
    "absent",
    [
        pytest.param("jemhc", id="unchanged-app-omitted"),
        pytest.param("m365-jira-teams-jsm-portal", id="unchanged-tenant-grant-omitted"),
        pytest.param("api-microsoft-graph", id="read-omitted"),
        pytest.param("api-exchange-online", id="read-omitted-exchange"),
        pytest.param("entra-consent-dev", id="stack-same-omitted"),
        pytest.param(UNKNOWN, id="unknown-object-id-not-shown"),
    ],
)
def test_mixed_preview_omits(mixed_lines: list[str], absent: str) -> None:
    assert not any(absent in line for line in mixed_lines)


def test_update_without_detailed_diff_reads_the_same(catalogue: Catalogue) -> None:
    """Providers that diff nothing in detail send `detailedDiff: null`: the states decide."""
    data = json.loads(MIXED.read_text("utf-8"))
    for step in data["steps"]:
        step["detailedDiff"] = None
    assert lines_of(catalogue, data, EVENTS) == lines_of(
        catalogue, json.loads(MIXED.read_text("utf-8")), EVENTS
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(EMPTY.read_text("utf-8"), id="engine-nothing-to-do"),
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
    """engine-mixed.json failed (the engine stops on a mandatory violation): exit 4 whatever
    is asked, 3 when asked to fail on mandatory violations (the reason it failed)."""
    code, out, _ = render(capsys, str(MIXED), "--events", str(EVENTS))
    assert code == EXIT_PREVIEW_FAILED
    assert "1 mandatory policy violation: this change cannot be applied." in out
    code, _, _ = render(capsys, str(MIXED), "--events", str(EVENTS), "--fail-on-mandatory")
    assert code == EXIT_MANDATORY_VIOLATIONS
    code, out, _ = render(capsys, str(MIXED), "--fail-on-mandatory")
    assert code == EXIT_PREVIEW_FAILED
    assert "policy violations: not checked (no event log)." in out


def test_a_real_engine_digest_renders_exactly_its_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """engine-change.json: `pulumi preview --json` of the real CLI (tests/e2e/test_review.py):
    Team.ReadBasic.All added for three users of Calendar, Alex taken off Email."""
    code, out, _ = render(capsys, str(ENGINE_CHANGE), "--events", str(ENGINE_EVENTS))
    assert code == 0
    alex = object_ids(ENGINE_CHANGE)["delete assignment"][0]
    lines = out.splitlines()
    assert lines[2] == (
        "**Totals**: grants: 3 updated, 1 revoked; scopes: +3 / -9; assignments: 1 removed; "
        "service principals: none; policy violations: 0 mandatory, 0 advisory."
    )
    assert f"- user `Alex Wilber` (`{alex}`): ⛔ **assignment removed** (default role)" in lines
    assert "- 3 users: adds `Team.ReadBasic.All`" in lines
    assert sum("⛔ **grant revoked**" in line for line in lines) == 1
    assert [line for line in lines if line.startswith("### ")] == [
        "### `m365-jira-mail`: `Microsoft 365 for Jira (Email, Meetings, Calendar)`",
        "### Diagnostics",
    ]


# -- the shape of the real digests, and of the synthetic steps ---------------------------------

REAL = (MIXED, ENGINE_CHANGE, EMPTY)


def shapes(all_steps: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[frozenset[str], ...]]:
    """(op, resource type) -> key sets of the step, its old state and its new state."""
    out: dict[tuple[str, str], tuple[frozenset[str], ...]] = {}
    for step in all_steps:
        state = step.get("newState") or step.get("oldState") or {}
        keys = tuple(
            frozenset(s) for s in (step, step.get("oldState") or {}, step.get("newState") or {})
        )
        out.setdefault((step["op"], state.get("type", "")), keys)
    return out


def test_real_digests_are_the_engine_shape() -> None:
    data = json.loads(MIXED.read_text("utf-8"))
    assert set(data) == {"config", "steps", "diagnostics", "duration", "changeSummary"}
    assert {s["op"] for s in data["steps"]} == {"same", "read", "create", "update", "delete"}
    every = [step for path in REAL for step in steps(path)]
    for step in every:
        assert "detailedDiff" in step
        for key in ("oldState", "newState"):
            assert (step.get(key) or {}).get("retainOnDelete", True) is True, step["urn"]
        new = step.get("newState") or {}
        if step["op"] in ("create", "update") and new.get("custom"):
            assert not {"id", "outputs"} & set(new), step["urn"]  # known after apply
        if step["op"] == "read":
            assert step["oldState"]["external"] and step["newState"]["external"]
        if step["op"] == "same" and step["newState"]["type"] == "pulumi:pulumi:Stack":
            assert "inputs" not in step["newState"]


def test_synthetic_steps_are_the_engine_shape() -> None:
    real = shapes([step for path in REAL for step in steps(path)])
    user = user_id(1)
    synthetic = shapes(
        [
            grant_step("dev", "m365-jira-mail", user, "create", None, MAIL_SCOPES),
            grant_step("dev", "m365-jira-mail", user, "update", MAIL_SCOPES, MAIL_SCOPES[1:]),
            grant_step("dev", "m365-jira-mail", user, "delete", MAIL_SCOPES, None),
            assignment_step("dev", "m365-jira-mail", user, "create"),
            assignment_step("dev", "m365-jira-mail", user, "delete"),
            stack_step("dev", {}),
        ]
    )
    for key, keys in synthetic.items():
        assert keys == real[key], key


def test_synthetic_detailed_diff_is_the_engines() -> None:
    """As the engine diffs a list: the added element by its new index, the removed by its old."""
    update = next(s for s in steps(MIXED) if s["op"] == "update" and "-user-" in s["urn"])
    old = update["oldState"]["inputs"]["claimValues"]
    new = update["newState"]["inputs"]["claimValues"]
    synthetic = grant_step("dev", "m365-jira-mail", user_id(1), "update", old, new)
    assert synthetic["detailedDiff"] == update["detailedDiff"]


# -- synthetic: what a real engine cannot produce from this project ----------------------------


def test_secret_scopes_are_not_shown(catalogue: Catalogue) -> None:
    """Synthetic: grants whose scopes are secrets (the engine masks them as `[secret]`)."""
    user = user_id(3)
    step = grant_step("dev", "m365-jira-mail", user, "update", SECRET, SECRET)
    lines = lines_of(catalogue, {"steps": [step]})
    assert f"- user `{user}`: scopes not shown (secret or unknown); changed: `claimValues`" in lines
    assert not any(SECRET in line for line in lines)


def test_unknown_scopes_are_not_shown(catalogue: Catalogue) -> None:
    """Synthetic: scopes known only at apply, whole or one element (the engine's sentinel)."""
    user = user_id(3)
    whole = grant_step("dev", "m365-jira-mail", user, "create", None, UNKNOWN)
    element = grant_step(
        "dev", "m365-jira-mail", user_id(4), "create", None, ["User.Read", UNKNOWN]
    )
    lines = lines_of(catalogue, {"steps": [whole, element]})
    assert "- 2 users: new grant: scopes not shown (secret or unknown); changed: `claimValues`" in (
        lines
    )
    assert not any(UNKNOWN in line for line in lines)


def test_info_diagnostics_are_omitted(catalogue: Catalogue) -> None:
    """Synthetic: this program logs no info; the real digest with one added."""
    data = json.loads(MIXED.read_text("utf-8"))
    data["diagnostics"].append({"message": "debugging chatter\n", "severity": "info"})
    assert not any("debugging chatter" in line for line in lines_of(catalogue, data))


def test_users_named_from_a_stack_output(catalogue: Catalogue) -> None:
    """Synthetic: a stack output `users` (object id -> UPN) names users; this program exports
    none. The engine shows the outputs of the last update in the stack's old state only."""
    adele, alex = user_id(1), user_id(2)
    digest = {
        "steps": [
            stack_step("dev", {"users": {adele: "adele.vance@contoso.com"}}),
            grant_step("dev", "m365-jira-mail", adele, "update", MAIL_SCOPES, MAIL_SCOPES[1:]),
            grant_step("dev", "m365-jira-mail", alex, "update", MAIL_SCOPES[1:], MAIL_SCOPES),
        ]
    }
    lines = lines_of(catalogue, digest)
    assert (
        f"- user `adele.vance@contoso.com` (`{adele}`): ⛔ removes `Calendars.ReadWrite`" in lines
    )
    assert f"- user `{alex}`: adds `Calendars.ReadWrite`" in lines


def moved(replacement_steps: bool) -> list[str]:
    lee, megan = user_id(4), user_id(3)
    scopes = ["Mail.ReadWrite", "Mail.Send", "User.Read"]
    digest = {
        "steps": [
            assignment_step("dev", "jemhc", lee, "delete"),
            *moved_grant_steps(
                "dev", "jemhc", lee, megan, scopes, replacement_steps=replacement_steps
            ),
        ]
    }
    digest["steps"][0]["oldState"]["outputs"]["principalDisplayName"] = "Lee Gu"
    return lines_of(load_catalogue(REPO / "catalog"), digest)


TAKES_OVER = (
    f"- user `{user_id(3)}`: ⛔ takes over the grant of user `Lee Gu` (`{user_id(4)}`) "
    "(replaced: `userObjectId`): `Mail.ReadWrite`, `Mail.Send`, `User.Read`"
)


def test_replacement_to_another_user_is_one_change() -> None:
    """Synthetic: a grant replaced because its user changed. This program names per-user
    grants by the user's object id, so another user is another resource."""
    lines = moved(replacement_steps=True)
    assert TAKES_OVER in lines
    assert sum("takes over the grant" in line for line in lines) == 1
    assert "**Totals**: grants: 1 replaced; scopes: +0 / -0;" in lines[2]
    assert "- ⛔ **Revocations**: 1 grant losing scopes: `jemhc` (1)" in lines


def test_replace_step_alone_reads_the_same() -> None:
    """Without --show-replacement-steps the digest holds only the `replace` step."""
    assert moved(replacement_steps=False) == moved(replacement_steps=True)


def test_import_is_adoption_not_a_new_grant(catalogue: Catalogue) -> None:
    """Synthetic: an import (`pulumi import`, or the import resource option)."""
    user = user_id(9)
    scopes = ["Mail.ReadWrite", "Mail.Send", "User.Read"]
    step = grant_step("dev", "jemhc", user, "import", None, scopes)
    diff = consent_diff(PreviewDigest.model_validate({"steps": [step]}), catalogue)
    lines = render_markdown(diff, catalogue, stack="dev").splitlines()
    assert (
        f"- user `{user}`: adopted into the stack (already in the tenant, unchanged): "
        "`Mail.ReadWrite`, `Mail.Send`, `User.Read`" in lines
    )
    assert "**Totals**: grants: 1 imported; scopes: +0 / -0;" in lines[2]


def event_lines(tmp_path: Path, events: list[dict[str, Any]]) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    return path


def test_advisory_and_stack_violations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Synthetic: the real event at the advisory level, and a violation of the whole stack
    (no resource). The settings can trigger one rule only, at one level."""
    real = [json.loads(line) for line in EVENTS.read_text("utf-8").splitlines()]
    events = [e for e in real if "policyEvent" in e]
    assert len(events) == 1
    events[0]["policyEvent"]["enforcementLevel"] = "advisory"
    stack_wide = {
        "message": "Two grants for one target.",
        "policyName": "one-grant-per-target",
        "policyPackName": "entra-consent",
        "enforcementLevel": "advisory",
    }
    path = event_lines(tmp_path, [*events, {"sequence": 9, "policyEvent": stack_wide}])
    code, out, _ = render(capsys, str(MIXED), "--events", str(path), "--fail-on-mandatory")
    assert code == EXIT_PREVIEW_FAILED  # not 3: no mandatory violation
    assert "policy violations: 0 mandatory, 2 advisory." in out
    assert "| `advisory` | `one-grant-per-target` |  |  | `Two grants for one target.` |" in out
    assert "this change cannot be applied" not in out


# -- bad input ---------------------------------------------------------------------------------


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


# -- synthetic: large digests ------------------------------------------------------------------


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


def test_a_file_that_is_not_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preview = tmp_path / "preview.json"
    preview.write_bytes(b'{"steps": [\xff]}')
    code, out, err = render(capsys, str(preview))
    assert (code, out) == (1, "")
    assert err == f"{preview}: not UTF-8 text (byte 11); give the file pulumi wrote\n"


def test_a_budget_too_small_for_a_comment_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        render(capsys, str(EMPTY), "--max-bytes", "5")
    assert exited.value.code == 2
    assert "5 is too small (give at least 1024)" in capsys.readouterr().err


@pytest.mark.parametrize("budget", [2_000, 10_000, GITHUB_COMMENT_LIMIT])
def test_at_4000_changes_what_matters_stays_in_view_within_the_budget(
    catalogue: Catalogue, budget: int
) -> None:
    """Truncation drops lists, never the revocation highlight, a mandatory violation or the
    line saying some resources were not recognised."""
    digest = large_digest(4_000)
    rogue = grant_step("prod", "rogue-app", user_id(99_999), "create", None, ["Mail.Read"])
    digest["steps"].append(rogue)
    event = {
        "policyEvent": {
            "resourceUrn": digest["steps"][0]["urn"],
            "message": "Scopes outside the catalogue.",
            "policyName": "catalogue-scopes-only",
            "policyPackName": "entra-consent",
            "enforcementLevel": "mandatory",
        }
    }
    events = [PolicyEvent.model_validate(event["policyEvent"])]
    text = render_digest(json.dumps(digest), catalogue, events, budget=budget).markdown
    assert len(text.encode()) <= budget
    assert "⛔ **1 mandatory policy violation: this change cannot be applied.**" in text
    assert "**Revocations**: 1600 grants losing scopes" in text
    assert "**Not recognised**: 1 resource changing" in text
