"""`ResourceApi`: the registered identity of a Microsoft API (Graph, Exchange Online) that grants
are for.

The API's service principal is read, never managed (terraform-provider-azuread #1141). But the
engine hands a policy pack only the resources a program registers, never its `.get` reads
(NOTES-pulumi.md), so a grant's API would be unknowable to the pack. This component carries the
API's app id and its service principal's object id as outputs, known at preview; the pack ties a
grant's `resourceServicePrincipalObjectId` to it by value. The read stays, as its child.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_azuread as azuread

from components.core.naming import RESOURCE_API_TYPE, resource_api_id, resource_api_name


def aliases(previous_names: Sequence[str]) -> list[pulumi.Input[str | pulumi.Alias]]:
    """Pulumi aliases for the names a resource had under renamed catalogue keys."""
    return [pulumi.Alias(name=name) for name in previous_names]


class ResourceApi(pulumi.ComponentResource):
    service_principal: azuread.ServicePrincipal

    def __init__(
        self, key: str, app_id: str, object_id: str, previous_names: Sequence[str] = ()
    ) -> None:
        super().__init__(
            RESOURCE_API_TYPE,
            resource_api_name(key),
            None,
            pulumi.ResourceOptions(aliases=aliases(previous_names)),
        )
        self.service_principal = azuread.ServicePrincipal.get(
            resource_api_name(key),
            id=resource_api_id(object_id),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"api": key, "appId": app_id, "objectId": object_id})
