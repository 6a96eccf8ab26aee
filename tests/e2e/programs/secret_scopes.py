"""Variant of __main__.py: the example stack plus a per-user grant whose scopes are a secret
(so the preview shows "[secret]"), with a scope the catalogue does not list for Teams. The pack
judges a secret by its value and must refuse it."""

from pathlib import Path

import pulumi
import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
teams = apps["m365-jira-teams"]
graph = azuread.get_service_principal(client_id="00000003-0000-0000-c000-000000000000")
(user_id,) = azuread.get_users(user_principal_names=["lee.gu@contoso.com"]).object_ids
azuread.ServicePrincipalDelegatedPermissionGrant(
    "teams-secret-scopes",
    service_principal_object_id=teams.service_principal.object_id,
    resource_service_principal_object_id=graph.object_id,
    claim_values=pulumi.Output.secret(["User.Read", "Mail.Send"]),
    user_object_id=user_id,
    opts=pulumi.ResourceOptions(parent=teams),
)
