"""Failures on the real engine: bad input stops the run before anything is declared, and Graph's
own refusals reach the user as one readable line."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from simtenant.workspace import SimulatedTenant, Workspace
from tests.e2e.conftest import TenantProcess
from tests.e2e.tenant import GraphReader
from tests.e2e.test_adoption import TEAMS, TEAMS_SCOPES

pytestmark = pytest.mark.e2e

FEATURES = "entra-consent:features"


def test_a_missing_user_stops_the_run_with_its_line(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    config = copy.deepcopy(workspace.stack_config())
    config[FEATURES]["email"]["users"] = ["nobody@contoso.com"]
    workspace.write_stack_config(config)
    result = workspace.up(check=False)
    assert result.code != 0
    assert (
        "Pulumi.dev.yaml: entra-consent:features.email.users[0]: user 'nobody@contoso.com' not "
        "found in the tenant (fix or remove it, or set entra-consent:missing_principals: skip)"
    ) in result.stdout, str(result)
    assert "1 configuration problem(s) listed above; nothing was declared" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert list(tenant.graph.list("/oauth2PermissionGrants")) == []


def test_consent_made_by_hand_and_not_adopted_is_refused_by_graph(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """Graph keeps one grant per client, API and target: declaring one the tenant already has
    fails with 409 (docs/adopting.md says to import it first)."""
    graph = tenant.graph
    teams = graph.send("POST", "/servicePrincipals", {"appId": TEAMS})
    api = graph.service_principal("00000003-0000-0000-c000-000000000000")
    assert api is not None
    body = {
        "clientId": teams["id"],
        "consentType": "AllPrincipals",
        "resourceId": api["id"],
        "scope": TEAMS_SCOPES,
    }
    graph.send("POST", "/oauth2PermissionGrants", body)
    result = workspace.up(check=False)
    assert result.code != 0
    assert "Permission entry already exists" in result.stdout, str(result)
    assert "m365-jira-teams-microsoft-graph-tenant" in result.stdout


def test_a_failed_look_up_is_not_a_departed_group_even_when_skipping(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """With `missing_principals: skip`, a look-up that fails (here Graph answers 400 with
    "Could not find a property ...", as an expired login or throttling would fail otherwise)
    must stop the run, not read as a group that no longer exists: that would revoke the
    consent of all its members at the next `pulumi up`."""
    workspace.up()
    before = {g["id"]: g["scope"] for g in tenant.graph.list("/oauth2PermissionGrants")}
    config = copy.deepcopy(workspace.stack_config())
    config["entra-consent:missing_principals"] = "skip"
    workspace.write_stack_config(config)
    fault = {
        "path": "/groups",
        "status": 400,
        "times": 1000,
        "message": "Could not find a property named 'securityIdentifier' on type 'microsoft.graph.group'.",
    }
    response = tenant.graph.http.post(tenant.base_url.replace("/v1.0", "/_sim/faults"), json=fault)
    assert response.status_code < 300, response.text
    result = workspace.up(check=False)
    assert result.code != 0, str(result)
    assert "Could not find a property named" in result.stdout, str(result)
    assert "not found in the tenant" not in result.stdout, str(result)
    tenant.graph.http.delete(tenant.base_url.replace("/v1.0", "/_sim/faults"))
    assert {g["id"]: g["scope"] for g in tenant.graph.list("/oauth2PermissionGrants")} == before


def test_credentials_of_another_directory_declare_nothing(tmp_path: Path, pulumi_cli: Path) -> None:
    """The provider signs in to the tenant the stack configures (azuread:tenantId); credentials
    that belong to another directory are refused by Entra at token time (AADSTS700016), as the
    real provider meets it when it is configured. The user reads one line, not a traceback, and
    the tenant the credentials do belong to is untouched."""
    other = SimulatedTenant(tmp_path / "other", tenant_id="99999999-8888-7777-6666-555555555555")
    try:
        graph = GraphReader(other.base_url)
        before = graph.get("/servicePrincipals")["value"]
        ws = Workspace(tmp_path / "ws", pulumi_cli, other.base_url)
        result = ws.up(check=False)
        assert result.code != 0
        assert (
            "Pulumi.dev.yaml: azuread:tenantId: the azuread provider could not sign in to tenant "
            "11111111-2222-3333-4444-555555555555: AADSTS700016: "
        ) in result.stdout, str(result)
        assert "Traceback" not in result.stdout + result.stderr, str(result)
        assert list(graph.list("/oauth2PermissionGrants")) == []
        assert graph.get("/servicePrincipals")["value"] == before
        graph.close()
    finally:
        other.close()


def test_a_microsoft_365_group_under_per_user_consent_is_refused_before_anything(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """A Microsoft 365 group's read asks for Exchange settings Graph refuses to app-only
    credentials (403): the stack names the group and says what to use instead, and nothing is
    declared. Assigned consent reads the group without them and applies."""
    graph = tenant.graph
    alex = graph.user_id("alex.wilber@contoso.com")
    graph.send(
        "POST",
        "/groups",
        {
            "displayName": "Jira Project Team",
            "mailNickname": "jira-project-team",
            "mailEnabled": True,
            "securityEnabled": False,
            "groupTypes": ["Unified"],
            "members@odata.bind": [f"https://graph.microsoft.com/v1.0/directoryObjects/{alex}"],
        },
    )
    config = copy.deepcopy(workspace.stack_config())
    config.pop("entra-consent:apps", None)
    config[FEATURES] = {"todo": {"consent": "principals", "groups": ["Jira Project Team"]}}
    workspace.write_stack_config(config)
    result = workspace.up(check=False)
    assert result.code != 0
    assert (
        "Pulumi.dev.yaml: entra-consent:features.todo.groups[0]: group 'Jira Project Team' is a "
        "Microsoft 365 group"
    ) in result.stdout, str(result)
    assert "nothing was declared" in result.stdout, str(result)
    assert list(graph.list("/oauth2PermissionGrants")) == []
    config[FEATURES] = {"todo": {"consent": "assigned", "groups": ["Jira Project Team"]}}
    workspace.write_stack_config(config)
    workspace.up()
    todo = graph.service_principal("32d752a1-8945-4600-97c9-73ed32c3627a")
    assert todo is not None
    assigned = list(graph.list(f"/servicePrincipals/{todo['id']}/appRoleAssignedTo"))
    assert [a["principalDisplayName"] for a in assigned] == ["Jira Project Team"]


def test_throttling_outages_and_replication_are_retried_to_a_whole_apply(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """As the real provider's HTTP client does: 429 (after Retry-After), 503 and a new service
    principal that is not yet visible are retried until the resource's timeout, so one such
    answer fails no step and nothing is half applied."""
    sim = tenant.base_url.replace("/v1.0", "/_sim")
    http = tenant.graph.http
    faults = [
        {
            "path": "/oauth2PermissionGrants",
            "method": "POST",
            "status": 429,
            "times": 2,
            "headers": {"Retry-After": "1"},
        },
        {"path": "/users", "method": "GET", "status": 503, "times": 1},
        {"path": "/servicePrincipals", "method": "POST", "status": 500, "times": 1},
    ]
    for fault in faults:
        response = http.post(f"{sim}/faults", json=fault)
        assert response.status_code < 300, response.text
    # Only where the provider retries: a grant or assignment naming the new service principal.
    replication = {"requests": 2, "on": ["reference"]}
    assert http.post(f"{sim}/replication", json=replication).status_code < 300
    workspace.up()
    assert [f["times"] for f in http.get(f"{sim}/faults").json()["value"]] == [0, 0, 0]
    workspace.up("--expect-no-changes")


def test_graphs_write_limits_slow_an_apply_but_fail_no_step(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """Graph's identity write limits, scaled down (4 writes a second instead of 3,000 per
    150 s): every write the stack makes is throttled in turn and retried after Retry-After."""
    sim = tenant.base_url.replace("/v1.0", "/_sim")
    http = tenant.graph.http
    limits = {"app_writes": 4, "app_window_s": 1, "tenant_writes": 100, "tenant_window_s": 5}
    response = http.post(f"{sim}/throttle", json=limits)
    assert response.status_code < 300, response.text
    workspace.up()
    throttled = http.get(f"{sim}/throttle").json()
    http.delete(f"{sim}/throttle")
    assert throttled["throttled"] > 0, throttled
    workspace.up("--expect-no-changes")


def test_a_missing_group_is_skipped_with_a_warning_under_skip(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """The provider's own "no group found" (as the bridge wraps it) is a missing group: under
    `missing_principals: skip` the run goes on without it and says so."""
    config = copy.deepcopy(workspace.stack_config())
    config[FEATURES]["meetings"]["groups"] = ["Jira Users", "Gone Group"]
    config["entra-consent:missing_principals"] = "skip"
    workspace.write_stack_config(config)
    result = workspace.up()
    assert (
        "Pulumi.dev.yaml: entra-consent:features.meetings.groups[1]: group 'Gone Group' not "
        "found in the tenant"
    ) in result.stdout, str(result)
    assert "Traceback" not in result.stdout + result.stderr
