"""Variant of __main__.py: the example stack plus a tenant-wide grant that depends on the Teams
app's service principal but holds JEMHC's object id (`object_id.apply`), so the pack would judge
Teams while Graph would give JEMHC. The pack must refuse it."""

from pathlib import Path

import pulumi
import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
teams, jemhc = apps["m365-jira-teams"], apps["jemhc"]
graph = azuread.get_service_principal(client_id="00000002-0000-0ff1-ce00-000000000000")
azuread.ServicePrincipalDelegatedPermissionGrant(
    "teams-spoofed-exchange",
    service_principal_object_id=pulumi.Output.all(
        teams.service_principal.object_id, jemhc.service_principal.object_id
    ).apply(lambda ids: ids[1]),
    resource_service_principal_object_id=graph.object_id,
    claim_values=["EWS.AccessAsUser.All"],
    opts=pulumi.ResourceOptions(parent=teams),
)
