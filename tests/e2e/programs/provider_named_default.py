"""Variant of __main__.py: explicit_provider.py with the explicit provider named as the engine
names its default ones (`default_<version>`): the program registers it, so it is not the
stack's default provider whatever its name. The pack must refuse it."""

from pathlib import Path

import pulumi
import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
teams = apps["m365-jira-teams"]
elsewhere = azuread.Provider("default_9_9_9", tenant_id="11111111-2222-3333-4444-555555555555")
graph = azuread.get_service_principal(client_id="00000003-0000-0000-c000-000000000000")
support = azuread.get_users(user_principal_names=["jira-support@contoso.com"])
azuread.ServicePrincipalDelegatedPermissionGrant(
    "teams-graph-elsewhere",
    service_principal_object_id=teams.service_principal.object_id,
    resource_service_principal_object_id=graph.object_id,
    claim_values=["User.Read"],
    user_object_id=support.object_ids[0],
    opts=pulumi.ResourceOptions(parent=teams, provider=elsewhere),
)
