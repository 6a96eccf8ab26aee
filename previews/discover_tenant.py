"""What the tenant holds for a stack's catalogue apps, read through Microsoft Graph (GET only),
as a snapshot file that can be compared again offline."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from catalog.catalogue import Catalogue
from catalog.guid import is_guid
from components.principals import (
    ResolvedGroup,
    ResolvedPrincipals,
    index_users,
    referenced_groups,
    referenced_users,
)
from components.settings import StackSettings
from previews.graph_client import GraphClient

# Values per `in (...)` filter: Graph caps the expressions of a directory query's $filter.
FILTER_CHUNK = 15
# Beyond this many users to look up by id, one paged listing of all users is cheaper.
LIST_ALL_USERS_ABOVE = 1000
_SP_FIELDS = "id,appId,displayName,appRoleAssignmentRequired,tags,notes"
_GRANT_FIELDS = "id,clientId,consentType,principalId,resourceId,scope"
_ASSIGNMENT_FIELDS = "id,appRoleId,principalId,principalType,principalDisplayName,resourceId"
_USER_FIELDS = "id,userPrincipalName"
_USER_TYPE = "#microsoft.graph.user"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServicePrincipalRecord(Strict):
    id: str
    app_id: str
    display_name: str = ""
    app_role_assignment_required: bool | None = None
    tags: list[str] = Field(default_factory=list)
    notes: str | None = None


class GrantRecord(Strict):
    id: str
    client_id: str
    resource_id: str
    consent_type: Literal["AllPrincipals", "Principal"]
    principal_id: str | None = None
    scope: str = ""

    def scopes(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.scope.split())))


class AssignmentRecord(Strict):
    id: str
    resource_id: str
    principal_id: str
    principal_type: str
    app_role_id: str
    principal_display_name: str | None = None


class UserRecord(Strict):
    id: str
    user_principal_name: str


class GroupRecord(Strict):
    ref: str = Field(description="The reference as written in the stack's config.")
    id: str
    display_name: str
    user_ids: list[str] = Field(description="Transitive members that are users.")


class TenantSnapshot(Strict):
    """Everything discovery read; enough to compare with any plan of the same catalogue."""

    graph_url: str
    tenant_id: str | None = None
    read_at: str
    service_principals: list[ServicePrincipalRecord]
    grants: list[GrantRecord]
    assignments: list[AssignmentRecord]
    users: list[UserRecord]
    groups: list[GroupRecord]
    problems: list[str] = Field(default_factory=list)

    def principals(self) -> ResolvedPrincipals:
        """The stack's principals as the program's look-ups would resolve them."""
        users = index_users((u.id, u.user_principal_name) for u in self.users)
        groups = {g.ref: ResolvedGroup(g.id, frozenset(g.user_ids)) for g in self.groups}
        return ResolvedPrincipals(users=users, groups=groups)

    def service_principal(self, app_id: str) -> ServicePrincipalRecord | None:
        return next((s for s in self.service_principals if s.app_id == app_id.lower()), None)

    def upn(self, object_id: str) -> str | None:
        return next((u.user_principal_name for u in self.users if u.id == object_id), None)


def _chunks(values: list[str], size: int = FILTER_CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def odata_string(value: str) -> str:
    """A quoted OData string literal (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def _in_filter(prop: str, values: list[str]) -> str:
    return f"{prop} in ({', '.join(odata_string(v) for v in values)})"


def _lower(value: Any) -> str:
    return str(value or "").lower()


def _sp(item: dict[str, Any]) -> ServicePrincipalRecord:
    required = item.get("appRoleAssignmentRequired")
    return ServicePrincipalRecord(
        id=_lower(item.get("id")),
        app_id=_lower(item.get("appId")),
        display_name=str(item.get("displayName") or ""),
        app_role_assignment_required=required if isinstance(required, bool) else None,
        tags=[str(t) for t in item.get("tags") or []],
        notes=item.get("notes"),
    )


def _grant(item: dict[str, Any]) -> GrantRecord:
    return GrantRecord(
        id=str(item.get("id") or ""),
        client_id=_lower(item.get("clientId")),
        resource_id=_lower(item.get("resourceId")),
        consent_type=item.get("consentType", "AllPrincipals"),
        principal_id=_lower(item.get("principalId")) or None,
        scope=str(item.get("scope") or ""),
    )


def _assignment(item: dict[str, Any]) -> AssignmentRecord:
    return AssignmentRecord(
        id=str(item.get("id") or ""),
        resource_id=_lower(item.get("resourceId")),
        principal_id=_lower(item.get("principalId")),
        principal_type=str(item.get("principalType") or ""),
        app_role_id=_lower(item.get("appRoleId")),
        principal_display_name=item.get("principalDisplayName"),
    )


def _user(item: dict[str, Any]) -> UserRecord:
    return UserRecord(
        id=_lower(item.get("id")), user_principal_name=str(item.get("userPrincipalName") or "")
    )


class TenantReader:
    def __init__(self, client: GraphClient) -> None:
        self.client = client
        self.problems: list[str] = []
        self._member_users: list[UserRecord] = []

    def service_principals(self, prop: str, values: Iterable[str]) -> list[ServicePrincipalRecord]:
        found: list[ServicePrincipalRecord] = []
        for chunk in _chunks(sorted(set(values))):
            params = {"$filter": _in_filter(prop, chunk), "$select": _SP_FIELDS}
            found.extend(
                _sp(i)
                for i in self.client.get_all("servicePrincipals", params, "service principals")
            )
        return found

    def grants(self, sp: ServicePrincipalRecord) -> list[GrantRecord]:
        path = f"servicePrincipals/{sp.id}/oauth2PermissionGrants"
        params = {"$select": _GRANT_FIELDS}
        what = f"grants of {sp.display_name or sp.app_id}"
        return [_grant(i) for i in self.client.get_all(path, params, what)]

    def assignments(self, sp: ServicePrincipalRecord) -> list[AssignmentRecord]:
        path = f"servicePrincipals/{sp.id}/appRoleAssignedTo"
        params = {"$select": _ASSIGNMENT_FIELDS, "$top": "999"}
        what = f"assignments to {sp.display_name or sp.app_id}"
        return [_assignment(i) for i in self.client.get_all(path, params, what)]

    def users(self, upns: Iterable[str], ids: Iterable[str]) -> list[UserRecord]:
        upns, ids = sorted(set(upns)), sorted(set(ids))
        if len(ids) + len(upns) > LIST_ALL_USERS_ABOVE:
            params = {"$select": _USER_FIELDS, "$top": "999"}
            wanted_upns = {u.lower() for u in upns}
            wanted_ids = set(ids)
            return [
                user
                for user in map(_user, self.client.get_all("users", params, "users"))
                if user.id in wanted_ids or user.user_principal_name.lower() in wanted_upns
            ]
        found: list[UserRecord] = []
        for prop, values in (("userPrincipalName", upns), ("id", ids)):
            for chunk in _chunks(values):
                params = {"$filter": _in_filter(prop, chunk), "$select": _USER_FIELDS}
                found.extend(_user(i) for i in self.client.get_all("users", params, "users"))
        return found

    def group(self, ref: str) -> GroupRecord | None:
        if is_guid(ref):
            item = self.client.get(f"groups/{ref.lower()}", {"$select": "id,displayName"})
            if item is None:
                return None
        else:
            params = {"$filter": f"displayName eq {odata_string(ref)}", "$select": "id,displayName"}
            matches = list(self.client.get_all("groups", params, f"group {ref}"))
            if not matches:
                return None
            if len(matches) > 1:
                self.problems.append(
                    f"group {ref!r}: {len(matches)} groups have this name (name it by object id)"
                )
                return None
            item = matches[0]
        group_id = _lower(item.get("id"))
        path = f"groups/{group_id}/transitiveMembers"
        params = {"$select": _USER_FIELDS, "$top": "999"}
        members = [
            m
            for m in self.client.get_all(path, params, f"members of {ref}")
            if m.get("@odata.type") == _USER_TYPE
        ]
        self._member_users.extend(_user(m) for m in members)
        return GroupRecord(
            ref=ref,
            id=group_id,
            display_name=str(item.get("displayName") or ""),
            user_ids=sorted({_lower(m.get("id")) for m in members}),
        )

    def read(
        self, catalogue: Catalogue, settings: StackSettings, tenant_id: str | None = None
    ) -> TenantSnapshot:
        self._member_users = []
        wanted = [a.client_id for a in catalogue.apps.values()]
        wanted += [a.app_id for a in catalogue.apis.values()]
        sps = {s.id: s for s in self.service_principals("appId", wanted)}
        client_ids = {a.client_id for a in catalogue.apps.values()}
        grants: list[GrantRecord] = []
        assignments: list[AssignmentRecord] = []
        for sp in sorted(sps.values(), key=lambda s: s.app_id):
            if sp.app_id in client_ids:
                grants.extend(self.grants(sp))
                assignments.extend(self.assignments(sp))
        foreign = {g.resource_id for g in grants} - set(sps)
        sps.update((s.id, s) for s in self.service_principals("id", foreign))

        groups = [g for g in (self.group(ref) for ref in referenced_groups(settings)) if g]
        refs = referenced_users(settings)
        upns = [r for r in refs if not is_guid(r)]
        known = {u.id for u in self._member_users}
        ids = {r for r in refs if is_guid(r)}
        ids |= {g.principal_id for g in grants if g.principal_id}
        ids |= {a.principal_id for a in assignments if a.principal_type == "User"}
        users = {u.id: u for u in self._member_users}
        users.update((u.id, u) for u in self.users(upns, ids - known))
        return TenantSnapshot(
            graph_url=self.client.base_url,
            tenant_id=tenant_id,
            read_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            service_principals=sorted(sps.values(), key=lambda s: (s.app_id, s.id)),
            grants=sorted(
                grants, key=lambda g: (g.client_id, g.resource_id, g.principal_id or "", g.id)
            ),
            assignments=sorted(assignments, key=lambda a: (a.resource_id, a.principal_id, a.id)),
            users=sorted(users.values(), key=lambda u: u.id),
            groups=groups,
            problems=self.problems,
        )


def read_tenant(
    client: GraphClient,
    catalogue: Catalogue,
    settings: StackSettings,
    tenant_id: str | None = None,
) -> TenantSnapshot:
    """Service principals of every catalogue app and API; the apps' grants and assignments;
    the stack's users and groups (groups with their transitive user members); the users the
    grants and assignments name. GET requests only."""
    return TenantReader(client).read(catalogue, settings, tenant_id)
