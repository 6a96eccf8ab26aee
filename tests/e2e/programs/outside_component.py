"""Variant of __main__.py: the example stack plus a per-user grant for the Teams app declared
at the top of the program instead of inside its EnterpriseApp component, where a review of the
app would not show it. The pack must refuse it."""

from pathlib import Path

import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
graph = azuread.get_service_principal(client_id="00000003-0000-0000-c000-000000000000")
(user_id,) = azuread.get_users(user_principal_names=["lee.gu@contoso.com"]).object_ids
azuread.ServicePrincipalDelegatedPermissionGrant(
    "stray-teams-grant",
    service_principal_object_id=apps["m365-jira-teams"].service_principal.object_id,
    resource_service_principal_object_id=graph.object_id,
    claim_values=["User.Read"],
    user_object_id=user_id,
)
