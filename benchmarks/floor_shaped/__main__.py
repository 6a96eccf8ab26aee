"""The SDK floor for the program's resource shape: `bench:count` resources as the program
registers them (one component, its service principal, a read of the API's service principal,
and grants with the component as parent, `delete_before_replace` and the two service principal
object ids as Output inputs), but nothing else: no settings, look-ups, planner or exports.
The gap between this and the bare floor is what the SDK charges for that shape."""

import pulumi
import pulumi_azuread as azuread

count = pulumi.Config("bench").require_int("count")


class App(pulumi.ComponentResource):
    def __init__(self, grants: int) -> None:
        super().__init__("entra-consent:index:EnterpriseApp", "app", None, None)
        sp = azuread.ServicePrincipal(
            "app-sp",
            client_id="e7185a25-9df9-4d05-b779-76b04bf46424",
            use_existing=True,
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )
        api = azuread.ServicePrincipal.get(
            "api-microsoft-graph", id="/servicePrincipals/00000000-0000-4000-8000-000000000002"
        )
        opts = pulumi.ResourceOptions(parent=self, delete_before_replace=True)
        for i in range(grants):
            azuread.ServicePrincipalDelegatedPermissionGrant(
                f"grant-{i}",
                service_principal_object_id=sp.object_id,
                resource_service_principal_object_id=api.object_id,
                claim_values=["Mail.ReadWrite.Shared", "Mail.Send.Shared"],
                user_object_id=f"{i:08x}-a000-4000-8000-000000000000",
                opts=opts,
            )
        self.register_outputs({})


App(count - 3)
