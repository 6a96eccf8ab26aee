"""The resource kinds and functions this provider serves, by type token."""

from __future__ import annotations

from collections.abc import Callable

from simtenant.provider import (
    get_client_config,
    get_group,
    get_groups,
    get_service_principal,
    get_users,
)
from simtenant.provider.assignment import AppRoleAssignment
from simtenant.provider.grant import DelegatedPermissionGrant
from simtenant.provider.graph import Graph
from simtenant.provider.props import Props
from simtenant.provider.resource import ResourceKind
from simtenant.provider.service_principal import ServicePrincipal

PROVIDER_NAME = "azuread"
# The version requirements.txt pins for pulumi-azuread: the engine asks for this one.
PROVIDER_VERSION = "6.11.1"

RESOURCES: dict[str, ResourceKind] = {
    kind.token: kind
    for kind in (ServicePrincipal(), DelegatedPermissionGrant(), AppRoleAssignment())
}

Function = Callable[[Graph, Props], Props]
FUNCTIONS: dict[str, Function] = {
    get_service_principal.TOKEN: get_service_principal.get_service_principal,
    get_users.TOKEN: get_users.get_users,
    get_group.TOKEN: get_group.get_group,
    get_groups.TOKEN: get_groups.get_groups,
    get_client_config.TOKEN: get_client_config.get_client_config,
}
