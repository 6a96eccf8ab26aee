"""The stack changes only what it declares: adopting an enterprise app an admin configured,
and later settings changes, leave every other field as the tenant has it (the provider writes
the whole service principal; components/core/kept_fields.py)."""

from __future__ import annotations

import copy

import pytest

from simtenant.workspace import Workspace
from tests.e2e.conftest import TenantProcess

pytestmark = pytest.mark.e2e

MAIL = "e7185a25-9df9-4d05-b779-76b04bf46424"
JEMHC = "08b9fc2c-f6b8-4da0-8d4d-c065edfa949b"
GALLERY = "WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1"
ADMIN = {
    "accountEnabled": False,
    "description": "Disabled by IT until the Jira upgrade",
    "loginUrl": "https://jira.contoso.com/login",
    "notificationEmailAddresses": ["it@contoso.com"],
    "tags": [GALLERY, "Owner:IT"],
}


def test_adoption_and_updates_keep_what_the_stack_does_not_declare(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    graph = tenant.graph
    sp = graph.send("POST", "/servicePrincipals", {"appId": MAIL})
    graph.send("PATCH", f"/servicePrincipals/{sp['id']}", ADMIN)

    def check(notes: str) -> None:
        now = graph.get(f"/servicePrincipals/{sp['id']}")
        for key in ("accountEnabled", "description", "loginUrl", "notificationEmailAddresses"):
            assert now[key] == ADMIN[key], key
        assert set(now["tags"]) == {GALLERY, "Owner:IT", "WindowsAzureActiveDirectoryIntegratedApp"}
        assert now["appRoleAssignmentRequired"] is True  # declared by the stack
        assert now["notes"] == notes

    workspace.up()  # adopts the existing service principal (use_existing)
    check("Approved in CHG-1234")
    config = copy.deepcopy(workspace.stack_config())
    config["entra-consent:apps"]["m365-jira-mail"]["notes"] = "Approved in CHG-5678"
    workspace.write_stack_config(config)
    workspace.up()
    check("Approved in CHG-5678")
    workspace.up("--expect-no-changes")


def test_an_adopted_app_keeps_its_owners_through_every_up(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """The provider reads an app's owners into state and removes, on its next update, every
    owner the program does not declare (owners is optional, not computed). The stack declares
    none and ignores them: the people who review the app stay its owners."""
    graph = tenant.graph
    sp = graph.send("POST", "/servicePrincipals", {"appId": MAIL})
    owner = graph.user_id("megan.bowen@contoso.com")
    ref = {"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{owner}"}
    graph.send("POST", f"/servicePrincipals/{sp['id']}/owners/$ref", ref)

    def owners() -> list[str]:
        return sorted(o["id"] for o in graph.list(f"/servicePrincipals/{sp['id']}/owners"))

    workspace.up()  # adopts it; the provider records the owner in state
    assert owners() == [owner]
    config = copy.deepcopy(workspace.stack_config())
    config["entra-consent:apps"]["m365-jira-mail"]["notes"] = "Approved in CHG-5678"
    workspace.write_stack_config(config)
    workspace.up()  # an update of the service principal: the one that used to strip owners
    assert owners() == [owner]
    workspace.up("--refresh", "--expect-no-changes")
    assert owners() == [owner]
    # A service principal the stack created has no owner left behind: the provider adds its
    # caller as owner while creating and removes it afterwards.
    jemhc = graph.service_principal(JEMHC)
    assert jemhc is not None
    assert list(graph.list(f"/servicePrincipals/{jemhc['id']}/owners")) == []
