"""Variant of __main__.py: the example stack plus a per-user grant of the Teams app that names
the Teams app's service principal at preview and Exchange Online's at the update (the program
branches on `pulumi.runtime.is_dry_run()`). Every stack rule passes at preview; the pack must
refuse the grant before the update writes it, having asked the tenant whose object id it holds."""

from pathlib import Path

import pulumi
import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
teams = apps["m365-jira-teams"]
graph = azuread.get_service_principal(client_id="00000003-0000-0000-c000-000000000000")
exchange = azuread.get_service_principal(client_id="00000002-0000-0ff1-ce00-000000000000")
support = azuread.get_users(user_principal_names=["jira-support@contoso.com"])
azuread.ServicePrincipalDelegatedPermissionGrant(
    "teams-graph-swapped-at-update",
    service_principal_object_id=teams.service_principal.object_id.apply(
        lambda own: own if pulumi.runtime.is_dry_run() else exchange.object_id
    ),
    resource_service_principal_object_id=graph.object_id,
    claim_values=["User.Read"],
    user_object_id=support.object_ids[0],
    opts=pulumi.ResourceOptions(parent=teams),
)
