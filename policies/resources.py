"""The stack as the pack sees it: resources by URN, and who each grant or assignment is for.

Pure Python over plain values (no Pulumi import). The engine hands the pack registered resources
only, with their outputs; `.get` reads never arrive (NOTES-pulumi.md). A grant's client app is the
service principal its `servicePrincipalObjectId` depends on; its API is the `ResourceApi`
component (the registered identity of a read Microsoft API: app id and object id) or managed
service principal whose object id `resourceServicePrincipalObjectId` holds. Property
dependencies on registered service principals decide first; a known object id value is the
fallback, and for an API the rule (its read is never among the resources).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SERVICE_PRINCIPAL = "azuread:index/servicePrincipal:ServicePrincipal"
GRANT = "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant"
ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment"
RESOURCE_API = "entra-consent:index:ResourceApi"

# Values the engine sends for properties not known until apply (pulumi_policy's sentinels).
UNKNOWN_VALUES = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # bool
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in UNKNOWN_VALUES


class Unknown:
    """A value the engine does not know yet (preview)."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()


def known_str(value: Any) -> str | Unknown | None:
    """A string property: its value, None when absent or empty, UNKNOWN when not known yet."""
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, str) and value:
        return value
    return None


@dataclass(slots=True)
class Resource:
    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    dependencies: Sequence[str] = ()
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def client_id(self) -> str | Unknown | None:
        """The app id this service principal (or `ResourceApi`) stands for."""
        value = known_str(self.props.get("appId" if self.type == RESOURCE_API else "clientId"))
        return value.lower() if isinstance(value, str) else value

    @property
    def object_ids(self) -> set[str]:
        """Object ids this service principal answers to (known values only)."""
        out = set()
        object_id = known_str(self.props.get("objectId"))
        if isinstance(object_id, str):
            out.add(object_id.lower())
        resource_id = known_str(self.props.get("id"))
        if isinstance(resource_id, str):
            out.add(resource_id.rsplit("/", 1)[-1].lower())
        return out


TENANT = "all principals (tenant-wide)"


@dataclass(slots=True)
class Grant:
    resource: Resource
    client: Resource | None
    api: Resource | None
    scopes: tuple[str, ...] | Unknown
    user: str | Unknown | None  # None: tenant-wide

    @property
    def tenant_wide(self) -> bool:
        return self.user is None

    @property
    def target(self) -> str:
        if self.user is None:
            return TENANT
        if isinstance(self.user, Unknown):
            return "a user not known until apply"
        return f"user {self.user}"


@dataclass(slots=True)
class Assignment:
    resource: Resource
    app: Resource | None
    role: str | Unknown | None
    principal: str | Unknown | None


class Stack:
    def __init__(self, resources: Iterable[Resource]) -> None:
        self.resources = list(resources)
        self.by_urn = {r.urn: r for r in self.resources}
        self.service_principals = [r for r in self.resources if r.type == SERVICE_PRINCIPAL]
        self.resource_apis = [r for r in self.resources if r.type == RESOURCE_API]
        self._sp_by_urn = {sp.urn: sp for sp in self.service_principals}
        self._by_object_id: dict[str, list[Resource]] = {}
        for sp in [*self.service_principals, *self.resource_apis]:
            for object_id in sp.object_ids:
                self._by_object_id.setdefault(object_id, []).append(sp)
        self._grants: list[Grant] | None = None
        self._assignments: list[Assignment] | None = None

    def referenced_sp(self, resource: Resource, key: str) -> Resource | None:
        """The one service principal `resource.props[key]` comes from, if it can be told."""
        sps = self._sp_by_urn
        deps = [sps[urn] for urn in resource.property_dependencies.get(key, ()) if urn in sps]
        if len(deps) == 1:
            return deps[0]
        if deps:
            return None  # ambiguous: several service principals feed one id
        value = known_str(resource.props.get(key))
        if isinstance(value, str):
            found = self._by_object_id.get(value.lower(), [])
            if len(found) == 1:
                return found[0]
        return None

    def grants(self) -> list[Grant]:
        if self._grants is None:
            self._grants = self._read_grants()
        return self._grants

    def assignments(self) -> list[Assignment]:
        if self._assignments is None:
            self._assignments = self._read_assignments()
        return self._assignments

    def _read_grants(self) -> list[Grant]:
        out = []
        for r in self.resources:
            if r.type != GRANT:
                continue
            raw = r.props.get("claimValues")
            scopes: tuple[str, ...] | Unknown
            if isinstance(raw, list | tuple) and not any(is_unknown(s) for s in raw):
                scopes = tuple(str(s) for s in raw)
            elif raw is None:
                scopes = ()
            else:
                scopes = UNKNOWN
            user = known_str(r.props.get("userObjectId"))
            out.append(
                Grant(
                    resource=r,
                    client=self.referenced_sp(r, "servicePrincipalObjectId"),
                    api=self.referenced_sp(r, "resourceServicePrincipalObjectId"),
                    scopes=scopes,
                    user=user.lower() if isinstance(user, str) else user,
                )
            )
        return out

    def _read_assignments(self) -> list[Assignment]:
        out = []
        for r in self.resources:
            if r.type != ASSIGNMENT:
                continue
            role = known_str(r.props.get("appRoleId"))
            out.append(
                Assignment(
                    resource=r,
                    app=self.referenced_sp(r, "resourceObjectId"),
                    role=role.lower() if isinstance(role, str) else role,
                    principal=known_str(r.props.get("principalObjectId")),
                )
            )
        return out
