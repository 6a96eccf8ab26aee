"""Microsoft Graph requests behind the program's look-ups: a model of what the azuread provider
(terraform-provider-azuread 3.x, under pulumi-azuread 6.x) sends, from its source. Pure.

- `get_users(user_principal_names=[...])`: one `GET /users?$filter=userPrincipalName eq '…'`
  per UPN.
- `get_users(object_ids=[...])`: one `GET /users/{id}` per id (the path that timed out at 30,000
  ids, terraform-provider-azuread #1174). The program uses it only for at most
  `UPN_LOOKUP_LIMIT` ids.
- `get_users(return_all=True)`: one paged `GET /users`, no `$top`, so Graph's default page of
  100 users: ceil(users / 100) requests.
- `get_group(display_name=…, include_transitive_members=True)`: one filtered `GET /groups`,
  then `GET /groups/{id}/transitiveMembers` paged by 100 (members include groups, devices and
  service principals), then `GET /groups/{id}/owners` (one page assumed).
- `get_service_principal(client_id=…)`: one filtered `GET /servicePrincipals`.

Figures are counts of HTTP requests, not measurements: no tenant is contacted.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from components.core.principals import UPN_LOOKUP_LIMIT, UserLookup

PAGE_SIZE = 100


def pages(items: int) -> int:
    return max(1, ceil(items / PAGE_SIZE))


def user_lookup_requests(lookup: UserLookup, tenant_users: int) -> int:
    if lookup.mode == "none":
        return 0
    if lookup.mode == "upns":
        return len(lookup.upns)
    if lookup.mode == "ids":
        return len(lookup.ids)
    return pages(tenant_users)


def group_requests(transitive_members: int) -> int:
    return 1 + pages(transitive_members) + 1


@dataclass(frozen=True)
class LookupCost:
    path: str
    users: int
    groups: int
    apis: int
    by_object_id: int  # the users' look-up done per object id instead, for comparison

    @property
    def total(self) -> int:
        return self.users + self.groups + self.apis


def lookup_cost(
    lookup: UserLookup,
    tenant_users: int,
    group_members: list[int],
    apis: int,
    users_to_resolve: int,
) -> LookupCost:
    path = {
        "none": "no user look-up",
        "upns": f"by UPN ({len(lookup.upns)} names, at most {UPN_LOOKUP_LIMIT})",
        "ids": f"by object id ({len(lookup.ids)} ids, at most {UPN_LOOKUP_LIMIT})",
        "all": "one return_all list",
    }[lookup.mode]
    return LookupCost(
        path=path,
        users=user_lookup_requests(lookup, tenant_users),
        groups=sum(group_requests(m) for m in group_members),
        apis=apis,
        by_object_id=users_to_resolve,
    )
