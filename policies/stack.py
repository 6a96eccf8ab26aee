"""The stack as the pack sees it: resources by URN, and who each grant or assignment is for.

The engine hands the pack registered resources with their outputs; `.get` reads arrive only
when it refreshes (`--refresh`). A grant's client app is the service principal its
`servicePrincipalObjectId` depends on; its API is the `ResourceApi` component (the registered
identity of a read Microsoft API: app id and object id) or managed service principal whose
object id `resourceServicePrincipalObjectId` holds. Property dependencies on registered service
principals decide first; a known object id value is the fallback, and for an API the rule (its
read is never among the resources).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from components.core.naming import (
    ASSIGNMENT_TYPE,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
)

from .property_values import Unknown, claim_values, known_str
from .resources import Assignment, Grant, Link, Resource


def _shown(raw: Any) -> str:
    if raw is None or raw == "":
        return "empty"
    return f"not an object id: {raw!r}"[:200]


class Stack:
    def __init__(self, resources: Iterable[Resource]) -> None:
        self.resources = list(resources)
        self.by_urn = {r.urn: r for r in self.resources}
        self.service_principals = [r for r in self.resources if r.type == SERVICE_PRINCIPAL_TYPE]
        self.resource_apis = [r for r in self.resources if r.type == RESOURCE_API_TYPE]
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
            if r.type != GRANT_TYPE:
                continue
            scopes = claim_values(r.props.get("claimValues"))
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
            if r.type != ASSIGNMENT_TYPE:
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
