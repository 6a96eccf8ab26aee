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


def test_signed_in_to_another_tenant_nothing_is_declared(tmp_path: Path, pulumi_cli: Path) -> None:
    """A workstation signed in to another tenant must never receive this stack's consent: the
    program compares azuread:tenantId with the provider's tenant before anything else."""
    other = SimulatedTenant(tmp_path / "other", tenant_id="99999999-8888-7777-6666-555555555555")
    try:
        ws = Workspace(tmp_path / "ws", pulumi_cli, other.base_url)
        result = ws.up(check=False)
        assert result.code != 0
        assert (
            "Pulumi.dev.yaml: azuread:tenantId: this stack is for tenant "
            "11111111-2222-3333-4444-555555555555, but the azuread provider is signed in to "
            "tenant 99999999-8888-7777-6666-555555555555"
        ) in result.stdout, str(result)
        graph = GraphReader(other.base_url)
        assert list(graph.list("/oauth2PermissionGrants")) == []
        apps = {sp["appId"] for sp in graph.list("/servicePrincipals")}
        assert apps == {
            "00000003-0000-0000-c000-000000000000",
            "00000002-0000-0ff1-ce00-000000000000",
        }
        graph.close()
    finally:
        other.close()


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
