"""`EnterpriseApp`: one client app's service principal, grants and assignments, mapped 1:1 from
its plan. No decisions here."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_azuread as azuread

from components.core.kept_fields import (
    SERVICE_PRINCIPAL_IGNORED,
    SERVICE_PRINCIPAL_RETAINED,
    TenantApp,
    kept_fields,
)
from components.core.naming import (
    ENTERPRISE_APP_TYPE,
    Renames,
    assignment_name,
    enterprise_app_name,
    grant_name,
    service_principal_name,
)
from components.core.planner import AppPlan
from components.resource_api import aliases


class EnterpriseApp(pulumi.ComponentResource):
    service_principal: azuread.ServicePrincipal
    grants: list[azuread.ServicePrincipalDelegatedPermissionGrant]
    assignments: list[azuread.AppRoleAssignment]

    def __init__(
        self,
        plan: AppPlan,
        resource_apis: Mapping[str, azuread.ServicePrincipal],
        tenant_app: TenantApp | None = None,
        renames: Renames | None = None,
    ) -> None:
        renamed = renames or Renames()
        super().__init__(
            ENTERPRISE_APP_TYPE,
            enterprise_app_name(plan.key),
            None,
            pulumi.ResourceOptions(aliases=aliases(renamed.enterprise_app(plan.key))),
        )
        settings = plan.settings
        # retain_on_delete: dropping an app from config must not delete it from the tenant.
        # The fields the stack does not declare are passed as the tenant has them, since the
        # provider writes the whole body (kept_fields.py). ignore_changes on owners: the
        # provider reads an adopted app's owners into state and, owners being optional but not
        # computed, would remove every one on the next update (service_principal_resource.go);
        # owners are often the app's access reviewers, and this stack does not manage them.
        self.service_principal = azuread.ServicePrincipal(
            service_principal_name(plan.key),
            client_id=plan.client_id,
            use_existing=True,
            app_role_assignment_required=settings.assignment_required,
            notes=settings.notes,
            **kept_fields(tenant_app, settings.hide),
            opts=pulumi.ResourceOptions(
                parent=self,
                retain_on_delete=SERVICE_PRINCIPAL_RETAINED,
                ignore_changes=list(SERVICE_PRINCIPAL_IGNORED),
                aliases=aliases(renamed.service_principal(plan.key)),
            ),
        )
        sp_id = self.service_principal.object_id
        # delete_before_replace: Graph allows one grant per (client, API, target), so a
        # replacement created before its predecessor is deleted would fail with 409.
        self.grants = [
            azuread.ServicePrincipalDelegatedPermissionGrant(
                grant_name(plan.key, grant.api, grant.target),
                service_principal_object_id=sp_id,
                resource_service_principal_object_id=resource_apis[grant.api].object_id,
                claim_values=list(grant.scopes),
                user_object_id=grant.target.ref if grant.target.kind == "user" else None,
                opts=pulumi.ResourceOptions(
                    parent=self,
                    delete_before_replace=True,
                    aliases=aliases(renamed.grant(plan.key, grant.api, grant.target)),
                ),
            )
            for grant in plan.grants
        ]
        self.assignments = [
            azuread.AppRoleAssignment(
                assignment_name(plan.key, assignment.principal),
                app_role_id=assignment.app_role_id,
                principal_object_id=assignment.principal.ref,
                resource_object_id=sp_id,
                opts=pulumi.ResourceOptions(
                    parent=self,
                    aliases=aliases(renamed.assignment(plan.key, assignment.principal)),
                ),
            )
            for assignment in plan.assignments
        ]
        self.register_outputs({"service_principal_object_id": sp_id})
