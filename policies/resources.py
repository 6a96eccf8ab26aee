"""The stack as the pack sees it: resources by URN, and who each grant or assignment is for.

Pure Python over plain values (no Pulumi import). The engine hands the pack registered resources
with their outputs; `.get` reads arrive only when it refreshes (`--refresh`). A grant's client app is the
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

# Microsoft first-party resource APIs besides those the catalogue lists (well-known app ids).
FIRST_PARTY_APP_IDS = frozenset(
    {
        "00000003-0000-0000-c000-000000000000",  # Microsoft Graph
        "00000002-0000-0ff1-ce00-000000000000",  # Office 365 Exchange Online
        "00000003-0000-0ff1-ce00-000000000000",  # Office 365 SharePoint Online
        "00000002-0000-0000-c000-000000000000",  # Windows Azure Active Directory (Azure AD Graph)
        "00000004-0000-0ff1-ce00-000000000000",  # Skype for Business Online
    }
)

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


class Malformed(Unknown):
    """A value of the wrong shape (a string where a list belongs): as undecidable as an
    unknown, and said for what it is."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return f"<malformed: {self.what}>"


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
    parent: str = ""

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


def _claim_values(raw: Any) -> tuple[str, ...] | Unknown:
    if type(raw) is list:  # the common case, fast: all strings and no unknown among them
        try:
            "".join(raw)
        except TypeError:
            pass  # not only strings: said below
        else:
            return tuple(raw) if UNKNOWN_VALUES.isdisjoint(raw) else UNKNOWN
    if raw is None:
        return ()
    if is_unknown(raw):
        return UNKNOWN
    if isinstance(raw, str):
        return Malformed(f"a string, not a list of scopes: {raw[:200]!r}")
    if not isinstance(raw, list | tuple):
        return Malformed(f"not a list of scopes: {str(raw)[:200]!r}")
    if any(is_unknown(s) for s in raw):
        return UNKNOWN
    odd = [s for s in raw if not isinstance(s, str)]
    if odd:
        return Malformed(f"a list holding {str(odd[0])[:200]!r}, not only scope names")
    return tuple(raw)


def _shown(raw: Any) -> str:
    if raw is None or raw == "":
        return "empty"
    return f"not an object id: {raw!r}"[:200]


@dataclass(frozen=True, slots=True)
class Link:
    """Where a grant's or an assignment's object id property leads: the registered service
    principal (or `ResourceApi`) it names, or why it cannot be tied to one."""

    target: Resource | None
    problem: str | None = None


@dataclass(slots=True)
class Grant:
    resource: Resource
    client: Resource | None
    api: Resource | None
    scopes: tuple[str, ...] | Unknown
    user: str | Unknown | None  # None: tenant-wide
    links: tuple[tuple[str, Link], ...] = ()

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
    links: tuple[tuple[str, Link], ...] = ()


class Stack:
    def __init__(self, resources: Iterable[Resource]) -> None:
        self.resources = list(resources)
        self.by_urn = {r.urn: r for r in self.resources}
        self.service_principals = [r for r in self.resources if r.type == SERVICE_PRINCIPAL]
        self.resource_apis = [r for r in self.resources if r.type == RESOURCE_API]
        self._sp_by_urn = {r.urn: r for r in [*self.service_principals, *self.resource_apis]}
        self._by_object_id: dict[str, list[Resource]] = {}
        for sp in [*self.service_principals, *self.resource_apis]:
            for object_id in sp.object_ids:
                self._by_object_id.setdefault(object_id, []).append(sp)
        self._grants: list[Grant] | None = None
        self._assignments: list[Assignment] | None = None

    def by_object_id(self, object_id: str) -> list[Resource]:
        """The registered service principals and `ResourceApi`s with this object id."""
        return list(self._by_object_id.get(object_id.lower(), []))

    def link(self, resource: Resource, key: str) -> Link:
        """The one service principal `resource.props[key]` comes from, if it can be told; a
        known value must be that service principal's object id (a value that disagrees with
        the dependency it came through, or that no registered resource holds, is a problem)."""
        sps = self._sp_by_urn
        deps = [sps[urn] for urn in resource.property_dependencies.get(key, ()) if urn in sps]
        raw = resource.props.get(key)
        value = known_str(raw)
        if len(deps) > 1:
            names = ", ".join(d.name for d in deps)
            return Link(None, f"{key} depends on several service principals ({names})")
        if deps:
            target = deps[0]
            ids = target.object_ids
            if isinstance(value, Unknown):
                return Link(target)  # as at preview; the engine judges the known value at update
            if not isinstance(value, str):
                return Link(None, f"{key} is {_shown(raw)}")
            if not ids:
                return Link(
                    None,
                    f"{key} holds {value}, but {target.name}, which it depends on, has no object "
                    "id until apply, so the value does not come from it",
                )
            if value.lower() not in ids:
                return Link(
                    None,
                    f"{key} holds {value}, but it depends on {target.name}, whose object id is "
                    f"{', '.join(sorted(ids))}",
                )
            return Link(target)
        if isinstance(value, Unknown):
            return Link(
                None,
                f"{key} is not known until apply and depends on no registered service "
                "principal, so it cannot be tied to one",
            )
        if not isinstance(value, str):
            return Link(None, f"{key} is {_shown(raw)}")
        found = self.by_object_id(value)
        if len(found) == 1:
            return Link(found[0])
        if not found:
            return Link(
                None,
                f"{key} holds {value}, the object id of no service principal or API this stack "
                "registers",
            )
        names = ", ".join(f.name for f in found)
        return Link(
            None, f"{key} holds {value}, which several registered resources claim ({names})"
        )

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
            scopes = _claim_values(r.props.get("claimValues"))
            user = known_str(r.props.get("userObjectId"))
            client = self.link(r, "servicePrincipalObjectId")
            api = self.link(r, "resourceServicePrincipalObjectId")
            out.append(
                Grant(
                    resource=r,
                    client=client.target,
                    api=api.target,
                    scopes=scopes,
                    user=user.lower() if isinstance(user, str) else user,
                    links=(
                        ("servicePrincipalObjectId", client),
                        ("resourceServicePrincipalObjectId", api),
                    ),
                )
            )
        return out

    def _read_assignments(self) -> list[Assignment]:
        out = []
        for r in self.resources:
            if r.type != ASSIGNMENT:
                continue
            role = known_str(r.props.get("appRoleId"))
            app = self.link(r, "resourceObjectId")
            out.append(
                Assignment(
                    resource=r,
                    app=app.target,
                    links=(("resourceObjectId", app),),
                    role=role.lower() if isinstance(role, str) else role,
                    principal=known_str(r.props.get("principalObjectId")),
                )
            )
        return out
