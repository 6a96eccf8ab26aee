"""What reviewers read: `pulumi preview --json` of a real change, with the engine's event log,
rendered by `previews render`, shows exactly that change. The digests and event logs of these
runs are the render fixtures in tests/previews/digests/ (regenerate them with
ENTRA_CONSENT_WRITE_DIGESTS=1): engine-change (a few grants), engine-mixed (one of each kind of
consent change a review shows, and a policy violation) and engine-empty (nothing to do),
as the engine wrote them but for what only adds size: registration stack traces, debug
diagnostics, and the hundreds of scopes and roles Microsoft Graph publishes, in the outputs of
its read service principal."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from components.core.naming import GRANT_TYPE
from simtenant.workspace import POLICY_CONFIG, ROOT, Workspace
from tests.e2e.conftest import TenantProcess

pytestmark = pytest.mark.e2e

DIGESTS = ROOT / "tests" / "previews" / "digests"
FEATURES = "entra-consent:features"


def change(ws: Workspace) -> None:
    """Team.ReadBasic.All for Calendar (its users: Adele, and Jira Users' members Megan, Lee and
    Adele), and Alex (in no configured group) taken off Email: his grant and assignment go."""
    config = copy.deepcopy(ws.stack_config())
    config[FEATURES]["calendar"]["optional_scopes"] = ["Team.ReadBasic.All"]
    del config[FEATURES]["email"]["users"]
    ws.write_stack_config(config)


def test_rendered_preview_shows_exactly_the_change(
    workspace: Workspace, tenant: TenantProcess, tmp_path: Path
) -> None:
    base = copy.deepcopy(workspace.stack_config())
    del base[FEATURES]["calendar"]["optional_scopes"]
    workspace.write_stack_config(base)
    workspace.up()
    change(workspace)
    events = tmp_path / "events.jsonl"
    workspace.env["PULUMI_DEBUG_COMMANDS"] = "true"
    preview = workspace.preview("--json", "--show-sames", "--event-log", str(events))
    digest = tmp_path / "preview.json"
    digest.write_text(preview.stdout, "utf-8")
    if os.environ.get("ENTRA_CONSENT_WRITE_DIGESTS"):
        write_fixtures("engine-change", digest, events)

    ops = {s["urn"].rsplit("::", 1)[-1]: s["op"] for s in json.loads(preview.stdout)["steps"]}
    changed = {name: op for name, op in ops.items() if op not in ("same", "read")}
    ids = {
        u: tenant.graph.user_id(f"{u}@contoso.com")
        for u in ("alex.wilber", "adele.vance", "megan.bowen", "lee.gu")
    }
    assert changed == {
        **{
            f"m365-jira-mail-microsoft-graph-user-{ids[u]}": "update"
            for u in ("adele.vance", "megan.bowen", "lee.gu")
        },
        f"m365-jira-mail-microsoft-graph-user-{ids['alex.wilber']}": "delete",
        f"m365-jira-mail-assign-user-{ids['alex.wilber']}": "delete",
    }

    rendered = workspace.previews(
        "render", str(digest), "--events", str(events), "--catalog", "catalog"
    ).stdout
    assert "grants: 3 updated, 1 revoked" in rendered, rendered
    assert "assignments: 1 removed" in rendered, rendered
    assert "policy violations: 0 mandatory, 0 advisory" in rendered, rendered
    mail = section(rendered, "m365-jira-mail")
    # Users are named as Graph names them on their assignments (with --show-sames, also those
    # that stay the same: Adele's); the others by object id.
    alex = ids["alex.wilber"]
    assert re.search(rf"user `Alex Wilber` \(`{alex}`\): ⛔ \*\*grant revoked\*\*", mail), mail
    assert re.search(rf"user `Alex Wilber` \(`{alex}`\): ⛔ \*\*assignment removed\*\*", mail), mail
    assert "3 users: adds `Team.ReadBasic.All`" in mail, mail
    assert f"user `Adele Vance` (`{ids['adele.vance']}`)" in mail, mail
    for user in ("megan.bowen", "lee.gu"):
        assert f"user `{ids[user]}`" in mail, mail
    for app in ("jemhc", "m365-jira-teams", "m365-jira-teams-jsm-portal", "m365-jira-todo"):
        assert f"### `{app}`" not in rendered


APPS = "entra-consent:apps"
TEAMS_ROW = (
    "| `mandatory` | `tenant-wide-privileged-scopes` | `m365-jira-teams` | "
    "`m365-jira-teams-microsoft-graph-tenant` | `Admin-consent-required or high-privilege scopes "
    "tenant-wide only with an allowance. grant m365-jira-teams-microsoft-graph-tenant: client app "
    "m365-jira-teams (client id 89d5ca9f-d63b-4885-bd30-6e7433c1540c), API microsoft-graph "
    "(Microsoft Graph), target all principals (tenant-wide): privileged scopes granted "
    "tenant-wide (admin consent required, privilege level 2 or more, or unknown): "
    "Channel.ReadBasic.All, ChannelMessage.Send, Chat.ReadWrite, Team.ReadBasic.All, User.Read, "
    "User.ReadBasic.All (grant them per user instead, or allow them through review in the "
    "policy config under allowances.m365-jira-teams.microsoft-graph)` |"
)


def mixed_base(ws: Workspace) -> None:
    """The example stack without Teams, with Team.ReadBasic.All as Calendar's optional scope."""
    config = copy.deepcopy(ws.stack_config())
    del config[FEATURES]["teams"]
    config[FEATURES]["calendar"]["optional_scopes"] = ["Team.ReadBasic.All"]
    ws.write_stack_config(config)


def mixed_change(ws: Workspace) -> None:
    """One of each kind of consent change a review shows, in one change set of the settings:
    - Teams enabled tenant-wide: a new service principal and a new tenant-wide grant;
    - Calendar's optional scope Team.ReadBasic.All swapped for Group.ReadWrite.All: the grants
      of Adele, Megan and Lee (Calendar's users) gain one scope and lose another;
    - Email's user Alex replaced by gone@contoso.com, who is not in the tenant (skipped, with a
      warning, as missing_principals is now skip): Alex's grant and assignment go;
    - Jira Admins added to Meetings: a group assignment (its member Lee has his grant already);
    - m365-jira-mail no longer requires assignment: its service principal is updated;
    - To Do dropped from the settings: its service principal leaves the stack, kept in the tenant.
    A replaced grant cannot be made from the settings: a per-user grant's name holds the user's
    object id, so another user is another resource (a delete and a create), and the client and
    API object ids change only with the catalogue."""
    config = copy.deepcopy(ws.stack_config())
    features = config[FEATURES]
    features["teams"] = {"consent": "tenant"}
    features["calendar"]["optional_scopes"] = ["Group.ReadWrite.All"]
    features["email"]["users"] = ["gone@contoso.com"]
    features["meetings"]["groups"] = ["Jira Users", "Jira Admins"]
    config[APPS]["m365-jira-mail"]["assignment_required"] = False
    del features["todo"]
    del config[APPS]["m365-jira-todo"]
    config["entra-consent:missing_principals"] = "skip"
    ws.write_stack_config(config)


def strict_policy(path: Path) -> Path:
    """The example policy config with privilege level 2 as the tenant-wide threshold: the Teams
    grant is the one violation (User.Read, level 2, allowed for the Teams JSM portal)."""
    config = json.loads(POLICY_CONFIG.read_text("utf-8"))
    rule = config["tenant-wide-privileged-scopes"]
    rule["privilegeThreshold"] = 2
    rule["allowances"]["m365-jira-teams-jsm-portal"] = {"microsoft-graph": ["User.Read"]}
    path.write_text(json.dumps(config), "utf-8")
    return path


def test_rendered_preview_of_a_mixed_change(
    workspace: Workspace, tenant: TenantProcess, tmp_path: Path
) -> None:
    mixed_base(workspace)
    workspace.up()
    empty = workspace.preview("--json", "--show-sames")
    assert set(empty.json()["changeSummary"]) == {"same"}, empty
    (tmp_path / "empty.json").write_text(empty.stdout, "utf-8")

    mixed_change(workspace)
    events = tmp_path / "events.jsonl"
    workspace.env["PULUMI_DEBUG_COMMANDS"] = "true"
    policy = workspace.policy_args(config=strict_policy(tmp_path / "policy.json"))
    preview = workspace.preview(
        *policy, "--json", "--show-sames", "--event-log", str(events), check=False, policy=False
    )
    assert preview.code != 0, preview  # the mandatory violation fails the preview
    digest = tmp_path / "preview.json"
    digest.write_text(preview.stdout, "utf-8")
    if os.environ.get("ENTRA_CONSENT_WRITE_DIGESTS"):
        write_fixtures("engine-mixed", digest, events)
        write_fixtures("engine-empty", tmp_path / "empty.json")

    ops = {s["urn"].rsplit("::", 1)[-1]: s["op"] for s in json.loads(preview.stdout)["steps"]}
    changed = {name: op for name, op in ops.items() if op not in ("same", "read")}
    ids = {
        u: tenant.graph.user_id(f"{u}@contoso.com")
        for u in ("alex.wilber", "adele.vance", "megan.bowen", "lee.gu")
    }
    admins = tenant.graph.group("Jira Admins")["id"]
    assert changed == {
        "m365-jira-teams": "create",
        "m365-jira-teams-sp": "create",
        "m365-jira-teams-microsoft-graph-tenant": "create",
        "m365-jira-mail-sp": "update",
        **{
            f"m365-jira-mail-microsoft-graph-user-{ids[u]}": "update"
            for u in ("adele.vance", "megan.bowen", "lee.gu")
        },
        f"m365-jira-mail-microsoft-graph-user-{ids['alex.wilber']}": "delete",
        f"m365-jira-mail-assign-user-{ids['alex.wilber']}": "delete",
        f"m365-jira-mail-assign-group-{admins}": "create",
        "m365-jira-todo": "delete",
        "m365-jira-todo-sp": "delete",
    }

    result = workspace.previews(
        "render", str(digest), "--events", str(events), "--catalog", "catalog", check=False
    )
    assert result.code == 4, result  # EXIT_PREVIEW_FAILED: the policy pack stopped it
    rendered = result.stdout
    lines = rendered.splitlines()
    assert lines[2].startswith("⛔ **FAILURE: the preview failed** (`preview failed`)."), rendered
    assert lines[4] == (
        "**Totals**: grants: 1 created, 3 updated, 1 revoked; scopes: +13 / -12; "
        "assignments: 1 added, 1 removed; service principals: 1 created, 1 updated, "
        "1 removed from the stack; policy violations: 1 mandatory, 0 advisory."
    ), rendered
    alex = ids["alex.wilber"]
    for line in (
        "⛔ **1 mandatory policy violation: this change cannot be applied.**",
        "- ⛔ **Revocations**: 4 grants losing scopes: `m365-jira-mail` (4)",
        "- ⛔ **Assignments removed**: 1",
        "- ⚠️ **Admin-consent or high-privilege scopes** added for 3 user grants: "
        "`Group.ReadWrite.All`",
        TEAMS_ROW,
        "- service principal: updated: ⚠️ sign-in opened to every user "
        "(`appRoleAssignmentRequired`: `true` → `false`)",
        "- 3 users: adds `Group.ReadWrite.All` (admin consent, privilege 4); "
        "⛔ removes `Team.ReadBasic.All`",
        f"  - user `Adele Vance` (`{ids['adele.vance']}`)",
        *(f"  - user `{ids[u]}`" for u in ("megan.bowen", "lee.gu")),
        f"- user `Alex Wilber` (`{alex}`): ⛔ **grant revoked**: `Mail.ReadWrite.Shared`, "
        "`Mail.Send.Shared`, `People.Read`, `User.Read`, `User.ReadBasic.All`, `email`, "
        "`offline_access`, `openid`, `profile`",
        f"- group `{admins}`: assigned (default role)",
        f"- user `Alex Wilber` (`{alex}`): ⛔ **assignment removed** (default role)",
        "- service principal: created (or adopted, when the app is already in the tenant): "
        "⚠️ sign-in open to every user (`appRoleAssignmentRequired`: `false`)",
        "- **tenant-wide** (all users): new grant: adds `Channel.ReadBasic.All`, "
        "`ChannelMessage.Send`, `Chat.ReadWrite`, `Team.ReadBasic.All`, `User.Read`, "
        "`User.ReadBasic.All`, `email`, `offline_access`, `openid`, `profile`",
        "- service principal: removed from the stack; kept in the tenant (retain on delete)",
        "- warning: `Pulumi.dev.yaml: entra-consent:features.email.users[0]: user "
        "'gone@contoso.com' not found in the tenant (skipped, as "
        "entra-consent:missing_principals is skip)`",
        "- error: `preview failed`",
    ):
        assert line in lines, f"{line}\n---\n{rendered}"
    assert [line for line in lines if line.startswith("### ")] == [
        "### Policy violations",
        "### `m365-jira-mail`: `Microsoft 365 for Jira (Email, Meetings, Calendar)`",
        "### `m365-jira-teams`: `Microsoft 365 for Jira (Teams)`",
        "### `m365-jira-todo`: `Microsoft 365 for Jira (To Do)`",
        "### Diagnostics",
    ], rendered

    nothing = workspace.previews("render", str(tmp_path / "empty.json"), "--catalog", "catalog")
    assert "No consent changes: no grants" in nothing.stdout, nothing
    assert "policy violations: not checked (no event log)" in nothing.stdout, nothing


PROGRAMS = Path(__file__).resolve().parent / "programs"
TEAMS_TENANT = "grant `m365-jira-teams-microsoft-graph-tenant` (**tenant-wide** (all users))"


@pytest.mark.parametrize(
    ("program", "said"),
    [
        (
            "ignore_changes_grant.py",
            [
                "⚠️ **ignores changes** to `claimValues`: the stack stops setting them, so what "
                "the tenant holds stays, whatever the stack declares"
            ],
        ),
        (
            "retained_grants.py",
            [
                "⚠️ **retained on delete**: removing it from the stack leaves it in the tenant",
                "**protected**: `pulumi up` cannot delete it, so removing it from the stack fails",
            ],
        ),
    ],
)
def test_options_set_on_grants_that_stay_the_same_are_listed(
    workspace: Workspace, tmp_path: Path, program: str, said: list[str]
) -> None:
    """The engine shows an option set on an unchanged resource as a `same` step, for
    ignore_changes only with --show-sames: the comment lists each, and without --show-sames
    says what it cannot show."""
    workspace.up()
    workspace.write_program(PROGRAMS / program)
    digest = tmp_path / "preview.json"
    for shown in (True, False):
        args = ("--json", "--show-sames") if shown else ("--json",)
        digest.write_text(workspace.preview(*args, policy=False).stdout, "utf-8")
        rendered = workspace.previews("render", str(digest), "--catalog", "catalog").stdout
        lines = rendered.splitlines()
        if not shown:
            # The engine shows a same step whose protect or retain_on_delete changed, never
            # one whose ignore_changes did.
            section = "### Resource options" in rendered
            assert section == (program == "retained_grants.py"), rendered
            assert any("without `--show-sames`" in line for line in lines), rendered
            continue
        assert "No consent changes" not in rendered, rendered
        assert "### Resource options" in rendered, rendered
        for effect in said:
            assert f"- {TEAMS_TENANT}: {effect}" in lines, rendered
        steps = json.loads(digest.read_text("utf-8"))["steps"]
        declared = [s for s in steps if (s.get("newState") or {}).get("type") == GRANT_TYPE]
        listed = [line for line in lines if line.startswith("- grant ")]
        assert len(declared) > 1 and len(listed) == len(said) * len(declared), rendered


PUBLISHED = ("oauth2PermissionScopes", "oauth2PermissionScopeIds", "appRoles", "appRoleIds")


def trim(state: dict[str, Any] | None) -> None:
    if not state:
        return
    state.pop("stackTrace", None)
    if state.get("external"):
        for key in PUBLISHED:
            (state.get("outputs") or {}).pop(key, None)


def write_fixtures(name: str, digest: Path, events: Path | None = None) -> None:
    """`name`.json (the digest) and, given an event log, `name`-events.jsonl, trimmed."""
    body = json.loads(digest.read_text("utf-8"))
    for step in body["steps"]:
        trim(step.get("oldState"))
        trim(step.get("newState"))
    (DIGESTS / f"{name}.json").write_text(json.dumps(body, indent=1) + "\n", "utf-8")
    if events is None:
        return
    kept = []
    for line in events.read_text("utf-8").splitlines():
        event = json.loads(line)
        if event.get("diagnosticEvent", {}).get("severity") == "debug":
            continue
        for kind in ("resourcePreEvent", "resOutputsEvent"):
            metadata = event.get(kind, {}).get("metadata", {})
            trim(metadata.get("old"))
            trim(metadata.get("new"))
        kept.append(json.dumps(event))
    (DIGESTS / f"{name}-events.jsonl").write_text("\n".join(kept) + "\n", "utf-8")


def section(markdown: str, app: str) -> str:
    start = markdown.index(f"### `{app}`")
    end = markdown.find("\n### ", start + 1)
    return markdown[start : end if end != -1 else None]
