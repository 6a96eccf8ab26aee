"""The consent lifecycle of the example stack on the real engine: preview, up, no-change up,
changes of settings, and destroy; after each step the simulated tenant holds exactly what the
offline plan asks for."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from simtenant.workspace import Workspace
from tests.e2e.conftest import TenantProcess
from tests.e2e.tenant import Consent, expected_consent

pytestmark = pytest.mark.e2e

GRAPH = "00000003-0000-0000-c000-000000000000"
EXCHANGE = "00000002-0000-0ff1-ce00-000000000000"
API_APP_IDS = {"microsoft-graph": GRAPH, "exchange-online": EXCHANGE}
MAIL = "e7185a25-9df9-4d05-b779-76b04bf46424"
JEMHC = "08b9fc2c-f6b8-4da0-8d4d-c065edfa949b"
FEATURES = "entra-consent:features"


def planned(ws: Workspace, tenant: TenantProcess) -> Consent:
    plan = ws.previews("plan", "--stack", ws.stack, "--format", "json").json()
    return expected_consent(plan, tenant.graph, API_APP_IDS)


def held(ws: Workspace, tenant: TenantProcess, clients: set[str]) -> Consent:
    return tenant.graph.consent(clients)


def assert_tenant_matches_plan(ws: Workspace, tenant: TenantProcess) -> Consent:
    want = planned(ws, tenant)
    have = held(ws, tenant, set(want.service_principals))
    assert set(have.service_principals) == set(want.service_principals)
    assert have.grants == want.grants
    assert have.assignments == want.assignments
    return have


def changes(result_json: dict[str, Any]) -> dict[str, int]:
    summary: dict[str, int] = result_json.get("changeSummary") or {}
    return {op: n for op, n in summary.items() if op != "same"}


def test_example_stack_up_gives_the_tenant_exactly_the_plan(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    preview = workspace.preview("--json").json()
    assert changes(preview).get("create", 0) > 0
    workspace.up()
    held_after = assert_tenant_matches_plan(workspace, tenant)
    # Every enterprise app exists, with the settings the stack gives it.
    mail = held_after.service_principals[MAIL]
    assert mail["appRoleAssignmentRequired"] is True
    assert mail["notes"] == "Approved in CHG-1234"
    # A second run changes nothing.
    workspace.up("--expect-no-changes")
    assert workspace.preview("--json", "--expect-no-changes").json().get("changeSummary")


def without_calendar_options(ws: Workspace) -> dict[str, Any]:
    """The example stack with no optional scopes for Calendar, written as the stack file."""
    config = copy.deepcopy(ws.stack_config())
    del config[FEATURES]["calendar"]["optional_scopes"]
    ws.write_stack_config(config)
    return config


def test_changes_update_in_place_revoke_and_keep_the_enterprise_app(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    config = without_calendar_options(workspace)
    workspace.up()
    assert_tenant_matches_plan(workspace, tenant)
    grant_ids = {g["id"] for g in tenant.graph.list("/oauth2PermissionGrants")}

    # An optional scope added: the grants of Calendar's users (Adele, and Jira Users' members
    # Megan, Lee and Adele) are updated in place: same Graph objects, one more scope.
    added = copy.deepcopy(config)
    added[FEATURES]["calendar"]["optional_scopes"] = ["Team.ReadBasic.All"]
    workspace.write_stack_config(added)
    preview = workspace.preview("--json").json()
    assert changes(preview) == {"update": 3}
    workspace.up()
    assert_tenant_matches_plan(workspace, tenant)
    assert {g["id"] for g in tenant.graph.list("/oauth2PermissionGrants")} == grant_ids

    # A user removed (Alex, in no configured group): his grant and assignment go.
    removed = copy.deepcopy(added)
    del removed[FEATURES]["email"]["users"]
    workspace.write_stack_config(removed)
    workspace.up()
    after = assert_tenant_matches_plan(workspace, tenant)
    assert not any(k[2] == "alex.wilber@contoso.com" for k in after.grants)
    assert not any(a[1] == "user alex.wilber@contoso.com" for a in after.assignments)

    # A feature removed: its grants go, its enterprise app stays in the tenant.
    dropped = copy.deepcopy(removed)
    for feature in ("jemhc-graph", "jemhc-ews"):
        del dropped[FEATURES][feature]
    workspace.write_stack_config(dropped)
    workspace.up()
    assert_tenant_matches_plan(workspace, tenant)
    final = held(workspace, tenant, {MAIL, JEMHC})
    assert JEMHC in final.service_principals
    assert not any(k[0] == JEMHC for k in final.grants)
    assert not any(a[0] == JEMHC for a in final.assignments)


def test_destroy_revokes_everything_and_keeps_every_service_principal(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    workspace.up()
    apps = set(planned(workspace, tenant).service_principals)
    workspace.run_pulumi("destroy", "--yes", "--skip-preview")
    left = held(workspace, tenant, apps)
    assert left.grants == {}
    assert left.assignments == set()
    assert set(left.service_principals) == apps
    for api in (GRAPH, EXCHANGE):
        assert tenant.graph.service_principal(api) is not None
