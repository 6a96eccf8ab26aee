"""Variant of __main__.py: the example stack plus a second tenant-wide Microsoft Graph grant for
the Teams app, with scopes the catalogue lists. Graph allows one grant per client, API and
target; the policy pack must refuse it before Graph answers 409."""

from pathlib import Path

import pulumi
import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
teams = apps["m365-jira-teams"]
graph = azuread.get_service_principal(client_id="00000003-0000-0000-c000-000000000000")
azuread.ServicePrincipalDelegatedPermissionGrant(
    "second-teams-graph-tenant",
    service_principal_object_id=teams.service_principal.object_id,
    resource_service_principal_object_id=graph.object_id,
    claim_values=["User.Read"],
    opts=pulumi.ResourceOptions(parent=teams),
)
