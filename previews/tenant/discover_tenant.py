"""What the tenant holds for a stack's catalogue apps, read through Microsoft Graph (GET only),
as a snapshot file that can be compared again offline."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from pydantic import Field

from catalog.catalogue import Catalogue
from catalog.guid import is_guid
from catalog.strict import Strict
from catalog.text import clean
from components.core.principals import (
    ResolvedGroup,
    ResolvedPrincipals,
    index_users,
    member_groups,
    referenced_groups,
    referenced_users,
)
from components.core.settings import StackSettings
from previews.tenant.discover_records import (
    AssignmentRecord,
    Fields,
    GrantRecord,
    GroupRecord,
    ServicePrincipalRecord,
    UserRecord,
    assignment,
    grant,
    service_principal,
    user,
)
from previews.tenant.graph_client import GraphClient

__all__ = [  # the records are defined in previews.tenant.discover_records
    "AssignmentRecord",
    "GrantRecord",
    "GroupRecord",
    "ServicePrincipalRecord",
    "TenantReader",
    "TenantSnapshot",
    "UserRecord",
    "odata_string",
    "read_tenant",
]

# Values per `in (...)` filter: Graph caps the expressions of a directory query's $filter.
FILTER_CHUNK = 15
# Beyond this many users to look up by id, one paged listing of all users is cheaper.
LIST_ALL_USERS_ABOVE = 1000
_SP_FIELDS = "id,appId,displayName,appRoleAssignmentRequired,tags,notes"
_GRANT_FIELDS = "id,clientId,consentType,principalId,resourceId,scope"
_ASSIGNMENT_FIELDS = "id,appRoleId,principalId,principalType,principalDisplayName,resourceId"
_USER_FIELDS = "id,userPrincipalName"
_USER_TYPE = "#microsoft.graph.user"


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


def _name(sp: ServicePrincipalRecord) -> str:
    """The service principal as progress and messages name it (its display name is Graph's)."""
    return clean(sp.display_name, 80) or sp.app_id


class TenantReader:
    def __init__(self, client: GraphClient) -> None:
        self.client = client
        self.problems: list[str] = []
        self._member_users: list[UserRecord] = []

    def _records(
        self, path: str, params: dict[str, str], what: str, *, absent_ok: bool = False
    ) -> Iterator[Fields]:
        """The items of a listing, each to be read field by field (see discover_records)."""
        items = self.client.get_all(path, params, what, absent_ok=absent_ok)
        for index, item in enumerate(items, 1):
            yield Fields(path, index, item, self.problems)

    def service_principals(self, prop: str, values: Iterable[str]) -> list[ServicePrincipalRecord]:
        found: list[ServicePrincipalRecord] = []
        for chunk in _chunks(sorted(set(values))):
            params = {"$filter": _in_filter(prop, chunk), "$select": _SP_FIELDS}
            records = self._records("servicePrincipals", params, "service principals")
            found.extend(map(service_principal, records))
        return found

    def grants(self, sp: ServicePrincipalRecord) -> list[GrantRecord]:
        """Empty when the service principal was deleted since it was listed (404)."""
        path = f"servicePrincipals/{sp.id}/oauth2PermissionGrants"
        params = {"$select": _GRANT_FIELDS}
        what = f"grants of {_name(sp)}"
        return list(map(grant, self._records(path, params, what, absent_ok=True)))

    def assignments(self, sp: ServicePrincipalRecord) -> list[AssignmentRecord]:
        path = f"servicePrincipals/{sp.id}/appRoleAssignedTo"
        params = {"$select": _ASSIGNMENT_FIELDS, "$top": "999"}
        what = f"assignments to {_name(sp)}"
        return list(map(assignment, self._records(path, params, what, absent_ok=True)))

    def users(self, upns: Iterable[str], ids: Iterable[str]) -> list[UserRecord]:
        upns, ids = sorted(set(upns)), sorted(set(ids))
        if len(ids) + len(upns) > LIST_ALL_USERS_ABOVE:
            params = {"$select": _USER_FIELDS, "$top": "999"}
            wanted_upns = {u.lower() for u in upns}
            wanted_ids = set(ids)
            return [
                found
                for found in map(user, self._records("users", params, "users"))
                if found.id in wanted_ids or found.user_principal_name.lower() in wanted_upns
            ]
        found: list[UserRecord] = []
        for prop, values in (("userPrincipalName", upns), ("id", ids)):
            for chunk in _chunks(values):
                params = {"$filter": _in_filter(prop, chunk), "$select": _USER_FIELDS}
                found.extend(map(user, self._records("users", params, "users")))
        return found

    def group(self, ref: str, *, with_members: bool = True) -> GroupRecord | None:
        """The group named `ref`; `with_members`: its transitive user members too (per-user
        consent needs them; a group only assigned does not, however large)."""
        if is_guid(ref):
            path = f"groups/{ref.lower()}"
            item = self.client.get(path, {"$select": "id,displayName"})
            if item is None:
                return None
            found = Fields(path, 1, item, self.problems)
        else:
            params = {"$filter": f"displayName eq {odata_string(ref)}", "$select": "id,displayName"}
            matches = list(self._records("groups", params, f"group {ref}"))
            if not matches:
                return None
            if len(matches) > 1:
                self.problems.append(
                    f"group {ref!r}: {len(matches)} groups have this name (name it by object id)"
                )
                return None
            found = matches[0]
        group_id = found.id()
        if not with_members:
            name = found.cosmetic("displayName") or ""
            return GroupRecord(ref=ref, id=group_id, display_name=name, user_ids=[])
        path = f"groups/{group_id}/transitiveMembers"
        params = {"$select": _USER_FIELDS, "$top": "999"}
        members = [
            user(m)
            for m in self._records(path, params, f"members of {ref}", absent_ok=True)
            if m.text("@odata.type", "the member's type, e.g. " + _USER_TYPE) == _USER_TYPE
        ]
        self._member_users.extend(members)
        return GroupRecord(
            ref=ref,
            id=group_id,
            display_name=found.cosmetic("displayName") or "",
            user_ids=sorted({m.id for m in members}),
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

        needed = set(member_groups(settings))
        read = (self.group(ref, with_members=ref in needed) for ref in referenced_groups(settings))
        groups = [g for g in read if g]
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
