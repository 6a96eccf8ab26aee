"""Variant of __main__.py: the example stack plus a grant to the mail app whose user is not
known at preview (it comes from a resource new in the update) and resolves to none at apply,
which makes it tenant-wide: `Group.ReadWrite.All` for every user. The pack must judge the
unknown user as the worst it could be and refuse the grant before anything is written."""

from pathlib import Path

import pulumi
import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
mail = apps["m365-jira-mail"]
graph = azuread.get_service_principal(client_id="00000003-0000-0000-c000-000000000000")
azuread.ServicePrincipalDelegatedPermissionGrant(
    "mail-graph-user-later",
    service_principal_object_id=mail.service_principal.object_id,
    resource_service_principal_object_id=graph.object_id,
    claim_values=["Group.ReadWrite.All"],
    user_object_id=mail.service_principal.object_id.apply(lambda _: None),
    opts=pulumi.ResourceOptions(parent=mail),
)
