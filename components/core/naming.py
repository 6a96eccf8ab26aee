"""Resource names, the type tokens of the resources the components register and of the functions
they invoke, and URNs. Shared by everything that must name the same resources (components, the
policy pack, import documents, previews, benchmarks): derive, never copy. It imports only the
target type, so that the policy pack and the benchmarks' measuring process load it cheaply."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from components.core.target import Target

# The engine's own types: the stack's root resource, and providers (`pulumi:providers:<pkg>`).
STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_TYPE_PREFIX = "pulumi:providers:"
ENTERPRISE_APP_TYPE = "entra-consent:index:EnterpriseApp"
RESOURCE_API_TYPE = "entra-consent:index:ResourceApi"
SERVICE_PRINCIPAL_TYPE = "azuread:index/servicePrincipal:ServicePrincipal"
GRANT_TYPE = "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant"
ASSIGNMENT_TYPE = "azuread:index/appRoleAssignment:AppRoleAssignment"

# The azuread functions the program's look-ups invoke (`get_group` through its typed call).
GET_USERS = "azuread:index/getUsers:getUsers"
GET_GROUP = "azuread:index/getGroup:getGroup"
GET_GROUPS = "azuread:index/getGroups:getGroups"
GET_SERVICE_PRINCIPAL = "azuread:index/getServicePrincipal:getServicePrincipal"
GET_CLIENT_CONFIG = "azuread:index/getClientConfig:getClientConfig"


def enterprise_app_name(app: str) -> str:
    return app


def service_principal_name(app: str) -> str:
    return f"{app}-sp"


def grant_name(app: str, api: str, target: Target) -> str:
    if target.kind == "tenant":
        return f"{app}-{api}-tenant"
    return f"{app}-{api}-{target.kind}-{target.ref}"


def assignment_name(app: str, principal: Target) -> str:
    return f"{app}-assign-{principal.kind}-{principal.ref}"


def resource_api_name(api: str) -> str:
    return f"api-{api}"


def resource_api_id(object_id: str) -> str:
    """Import/read id of a service principal in azuread 6.x."""
    return f"/servicePrincipals/{object_id}"


@dataclass(frozen=True)
class Renames:
    """Previous keys of catalogue apps and APIs (`previous_keys`), for the aliases that carry
    resources named after an old key over to the new name: a rename then changes no resource
    in the tenant (the engine would otherwise delete the old grant and create the new one)."""

    apps: Mapping[str, Sequence[str]] = field(default_factory=dict)
    apis: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def _apps(self, app: str) -> list[str]:
        return [app, *self.apps.get(app, ())]

    def _apis(self, api: str) -> list[str]:
        return [api, *self.apis.get(api, ())]

    def enterprise_app(self, app: str) -> list[str]:
        return [enterprise_app_name(a) for a in self.apps.get(app, ())]

    def service_principal(self, app: str) -> list[str]:
        return [service_principal_name(a) for a in self.apps.get(app, ())]

    def grant(self, app: str, api: str, target: Target) -> list[str]:
        current = grant_name(app, api, target)
        names = {grant_name(a, p, target) for a in self._apps(app) for p in self._apis(api)}
        return sorted(names - {current})

    def assignment(self, app: str, principal: Target) -> list[str]:
        return [assignment_name(a, principal) for a in self.apps.get(app, ())]

    def resource_api(self, api: str) -> list[str]:
        return [resource_api_name(p) for p in self.apis.get(api, ())]


def urn(project: str, stack: str, typ: str, name: str, parent_type: str = "") -> str:
    """The URN the engine gives a resource. `parent_type` is the parent's qualified type: empty
    for the stack's direct children (the EnterpriseApp components), `ENTERPRISE_APP_TYPE` for
    a component's service principal, grants and assignments."""
    qualified = f"{parent_type}${typ}" if parent_type else typ
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def split_urn(urn: str) -> tuple[str, str]:
    """`urn:pulumi:stack::project::parent$type::name` -> (type, name)."""
    parts = urn.split("::", 3)
    if len(parts) < 4:
        return "", urn
    return parts[2].rsplit("$", 1)[-1], parts[3]


def urn_stack(urn: str) -> str | None:
    """The stack a URN names, or None for what is not a Pulumi URN."""
    if not urn.startswith("urn:pulumi:"):
        return None
    return urn[len("urn:pulumi:") :].split("::", 1)[0]


_DEFAULT_PROVIDER = re.compile(r"^default(_[0-9]+_[0-9]+_[0-9]+[A-Za-z0-9_.]*)?$")
_PROVIDER_TYPE = re.compile(r"^urn:pulumi:[^:]*::[^:]*::pulumi:providers:[A-Za-z0-9-]+::")


def is_default_provider(urn: str) -> bool:
    """A provider the engine made from the stack's settings: a top-level provider resource
    (no parent type in its URN) named `default` or `default_<version>`."""
    if not _PROVIDER_TYPE.match(urn):
        return False
    return bool(_DEFAULT_PROVIDER.match(urn.rsplit("::", 1)[-1]))


def provider_urn(reference: str) -> str:
    """A resource's provider reference (`<provider URN>::<provider id>`) without the id, which
    changes whenever the engine makes the provider anew."""
    head, sep, _ = reference.rpartition("::")
    return head if sep and head.startswith("urn:pulumi:") and head.count("::") >= 3 else reference
