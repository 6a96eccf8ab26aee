"""The engine floor: the resources the program declares for a per-user stack, in its shape (one
component, the client app's service principal adopted with `use_existing`, a read of Microsoft
Graph's service principal, one grant per user with the two object ids as Output inputs), but
nothing else: no settings, look-ups, planner, kept fields or exports. Run by the real CLI on
the same stand-in provider and simulated tenant as the program, so the gap between the two is
what the program adds to the engine's own cost.

Config: `bench:users` (a JSON file of user object ids), `bench:clientId`, `bench:graphSp`
(Microsoft Graph's service principal object id), `bench:scopes` (space-separated)."""

import json
from pathlib import Path

import pulumi
import pulumi_azuread as azuread

config = pulumi.Config("bench")
users = json.loads(Path(config.require("users")).read_text("utf-8"))
scopes = config.require("scopes").split()


class App(pulumi.ComponentResource):
    def __init__(self) -> None:
        super().__init__("entra-consent:index:EnterpriseApp", "app", None, None)
        sp = azuread.ServicePrincipal(
            "app-sp",
            client_id=config.require("clientId"),
            use_existing=True,
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )
        api = azuread.ServicePrincipal.get(
            "api-microsoft-graph", id=f"/servicePrincipals/{config.require('graphSp')}"
        )
        opts = pulumi.ResourceOptions(parent=self, delete_before_replace=True)
        for user in users:
            azuread.ServicePrincipalDelegatedPermissionGrant(
                f"grant-{user}",
                service_principal_object_id=sp.object_id,
                resource_service_principal_object_id=api.object_id,
                claim_values=scopes,
                user_object_id=user,
                opts=opts,
            )
        self.register_outputs({})


App()
