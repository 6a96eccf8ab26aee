"""Variant of __main__.py: the example stack plus a grant of `Group.ReadWrite.All` to the mail
app for one user at preview and for no user at the update (the program branches on
`pulumi.runtime.is_dry_run()`), which makes it tenant-wide. Every stack rule passes at preview;
the pack must refuse the grant before the update writes it."""

from pathlib import Path

import pulumi
import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
mail = apps["m365-jira-mail"]
graph = azuread.get_service_principal(client_id="00000003-0000-0000-c000-000000000000")
support = azuread.get_users(user_principal_names=["jira-support@contoso.com"])
azuread.ServicePrincipalDelegatedPermissionGrant(
    "mail-graph-everyone-at-update",
    service_principal_object_id=mail.service_principal.object_id,
    resource_service_principal_object_id=graph.object_id,
    claim_values=["Group.ReadWrite.All"],
    user_object_id=None if not pulumi.runtime.is_dry_run() else support.object_ids[0],
    opts=pulumi.ResourceOptions(parent=mail),
)
