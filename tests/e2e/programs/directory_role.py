"""Variant of __main__.py: the example stack plus Global Administrator for the Teams app's
service principal. The pack must refuse the directory role assignment (closed world)."""

from pathlib import Path

import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
azuread.DirectoryRoleAssignment(
    "teams-global-admin",
    role_id="62e90394-69f5-4237-9190-012177145e10",
    principal_object_id=apps["m365-jira-teams"].service_principal.object_id,
)
