"""Variant of __main__.py: the example stack plus Global Administrator for the Teams app's
service principal, declared only at the update (`pulumi.runtime.is_dry_run()`), so the preview
shows nothing of it. The pack must refuse it before the provider is asked to write it."""

from pathlib import Path

import pulumi
import pulumi_azuread as azuread

from components.program import declare_stack

apps = declare_stack(Path(__file__).resolve().parent)
if not pulumi.runtime.is_dry_run():
    azuread.DirectoryRoleAssignment(
        "teams-global-admin-at-update",
        role_id="62e90394-69f5-4237-9190-012177145e10",
        principal_object_id=apps["m365-jira-teams"].service_principal.object_id,
    )
