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
