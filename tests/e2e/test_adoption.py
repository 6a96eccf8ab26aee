"""Adopting a tenant consented by hand, and drift behind the stack's back, on the real engine:
`previews discover` reads the simulated tenant (GETs only), `pulumi import --file` takes its
import document, and `pulumi up` then changes no consent; a grant changed by hand afterwards is
drift that discover reports (exit 2) and `pulumi preview --refresh` shows being set back."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from simtenant.workspace import Workspace
from tests.e2e.conftest import TenantProcess
from tests.e2e.tenant import GraphReader

pytestmark = pytest.mark.e2e

GRAPH = "00000003-0000-0000-c000-000000000000"
EXCHANGE = "00000002-0000-0ff1-ce00-000000000000"
JEMHC = "08b9fc2c-f6b8-4da0-8d4d-c065edfa949b"
TEAMS = "89d5ca9f-d63b-4885-bd30-6e7433c1540c"
PROGRAMS = Path(__file__).resolve().parent / "programs"
TENANT_ID = "11111111-2222-3333-4444-555555555555"
TEAMS_SCOPES = (
    "Channel.ReadBasic.All ChannelMessage.Send Chat.ReadWrite Team.ReadBasic.All User.Read "
    "User.ReadBasic.All email offline_access openid profile"
)


def token(tenant_id: str = TENANT_ID) -> str:
    """A bearer token shaped like Entra's (discover reads its `tid` before anything else);
    the simulated Graph accepts any."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part({'tid': tenant_id})}.sig"


def discover(ws: Workspace, graph_url: str, out: Path, *args: str, check: bool = True) -> Any:
    ws.env["ENTRA_CONSENT_GRAPH_TOKEN"] = token()
    return ws.previews(
        "discover", "--stack", ws.stack, "--graph-url", graph_url, "--out", str(out),
        "--quiet", *args, check=check,
    )  # fmt: skip


def consent_by_hand(graph: GraphReader) -> dict[str, str]:
    """What an admin clicked before adoption: JEMHC's and Teams' service principals, JEMHC's
    tenant-wide EWS grant, Teams' tenant-wide Graph grant, JEMHC's per-user Graph grant for
    the support mailbox and its assignment. Returns the ids, by what they are."""
    ids: dict[str, str] = {}
    sp = {
        app: graph.send("POST", "/servicePrincipals", {"appId": app})["id"]
        for app in (JEMHC, TEAMS)
    }
    graph_sp = graph.service_principal(GRAPH)
    exchange_sp = graph.service_principal(EXCHANGE)
    assert graph_sp is not None and exchange_sp is not None
    support = graph.user_id("jira-support@contoso.com")
    grants = {
        "jemhc-ews": (sp[JEMHC], exchange_sp["id"], None, "EWS.AccessAsUser.All"),
        "jemhc-graph-tenant": (sp[JEMHC], graph_sp["id"], None, "openid profile email offline_access"),
        "jemhc-graph-support": (sp[JEMHC], graph_sp["id"], support, "User.Read Mail.ReadWrite Mail.Send"),
        "teams": (sp[TEAMS], graph_sp["id"], None, TEAMS_SCOPES),
    }  # fmt: skip
    for name, (client, resource, user, scope) in grants.items():
        body = {
            "clientId": client,
            "consentType": "Principal" if user else "AllPrincipals",
            "principalId": user,
            "resourceId": resource,
            "scope": scope,
        }
        ids[name] = graph.send("POST", "/oauth2PermissionGrants", body)["id"]
    assignment = {
        "principalId": support,
        "resourceId": sp[JEMHC],
        "appRoleId": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
    }
    ids["jemhc-assign-support"] = graph.send(
        "POST", f"/servicePrincipals/{sp[JEMHC]}/appRoleAssignedTo", assignment
    )["id"]
    return ids


def grant_state(graph: GraphReader) -> dict[str, str]:
    return {
        g["id"]: " ".join(sorted(g["scope"].split())) for g in graph.list("/oauth2PermissionGrants")
    }


def test_adoption_imports_hand_made_consent_and_up_changes_none_of_it(
    workspace: Workspace, tenant: TenantProcess, tmp_path: Path
) -> None:
    graph = tenant.graph
    by_hand = consent_by_hand(graph)
    before = grant_state(graph)

    out = tmp_path / "discovered"
    discover(workspace, tenant.base_url, out)
    document = json.loads((out / "import.json").read_text("utf-8"))
    imported_ids = {r.get("id") for r in document["resources"]}
    for name in ("jemhc-ews", "jemhc-graph-tenant", "jemhc-graph-support", "teams"):
        assert f"/oauth2PermissionGrants/{by_hand[name]}" in imported_ids, name

    workspace.run_pulumi(
        "import", "--yes", "--file", str(out / "import.json"), "--protect=false",
        "--generate-code=false",
    )  # fmt: skip
    workspace.up()
    after = grant_state(graph)
    # Every grant made by hand is still the same Graph object with the same scopes: adopted,
    # not recreated (which Graph would refuse with 409) and not revoked.
    for grant_id, scopes in before.items():
        assert after.get(grant_id) == scopes, grant_id
    jemhc = graph.service_principal(JEMHC)
    assert jemhc is not None
    assignments = graph.list(f"/servicePrincipals/{jemhc['id']}/appRoleAssignedTo")
    assert by_hand["jemhc-assign-support"] in {a["id"] for a in assignments}
    workspace.up("--expect-no-changes")


def test_drift_is_reported_and_set_back(
    workspace: Workspace, tenant: TenantProcess, tmp_path: Path
) -> None:
    workspace.up()
    graph = tenant.graph
    grant = graph.add_scope_behind_the_stack(TEAMS, "Mail.Send")

    result = discover(
        workspace,
        tenant.base_url,
        tmp_path / "d",
        "--existing-stack",
        "--fail-on-drift",
        check=False,
    )
    assert result.code == 2, str(result)
    report = json.loads((tmp_path / "d" / "drift.json").read_text("utf-8"))
    assert "Mail.Send" in json.dumps(report)

    preview = workspace.preview("--refresh", "--json").json()
    steps = {
        s["urn"].rsplit("::", 1)[-1]: s
        for s in preview["steps"]
        if s["op"] not in ("same", "refresh", "read")
    }
    assert list(steps) == ["m365-jira-teams-microsoft-graph-tenant"], {
        k: v["op"] for k, v in steps.items()
    }
    assert steps["m365-jira-teams-microsoft-graph-tenant"]["op"] == "update"
    workspace.up("--refresh")
    assert "Mail.Send" not in graph.get(f"/oauth2PermissionGrants/{grant['id']}")["scope"].split()


def test_drift_the_stack_ignores_is_reported_as_staying(
    workspace: Workspace, tenant: TenantProcess, tmp_path: Path
) -> None:
    """A grant whose scopes the state ignores (`ignore_changes`, applied without the pack,
    which refuses it) keeps a scope widened in the tenant: a refresh finds nothing to change,
    `up` leaves it, and discover says so when it reads the state, and that it cannot tell
    when it does not."""
    workspace.up()
    workspace.write_program(PROGRAMS / "ignore_changes_grant.py")
    workspace.up(policy=False)
    grant = tenant.graph.add_scope_behind_the_stack(TEAMS, "Mail.Send")
    workspace.preview("--refresh", "--expect-no-changes", policy=False)
    state = tmp_path / "state.json"
    workspace.run_pulumi("stack", "export", "--file", str(state))

    result = discover(
        workspace, tenant.base_url, tmp_path / "d", "--existing-stack", "--state", str(state)
    )
    report = json.loads((tmp_path / "d" / "drift.json").read_text("utf-8"))
    assert report["state_checked"] is True
    (drifted,) = [g for g in report["grants"] if g["status"] == "drifted"]
    assert drifted["extra_scopes"] == ["Mail.Send"]
    assert drifted["ignored_by_stack"] == ["claimValues"]
    markdown = (tmp_path / "d" / "drift.md").read_text("utf-8")
    assert "**leaves the tenant's scopes** (the stack ignores changes to them)" in markdown
    assert "## Grants whose scopes the stack ignores" in markdown, result

    unread = discover(workspace, tenant.base_url, tmp_path / "u", "--existing-stack")
    assert "the stack's state was not read" in (tmp_path / "u" / "drift.md").read_text(
        "utf-8"
    ).replace("The stack's", "the stack's"), unread

    workspace.up("--refresh", policy=False)
    scopes = tenant.graph.get(f"/oauth2PermissionGrants/{grant['id']}")["scope"].split()
    assert "Mail.Send" in scopes  # what discover said: up left it
