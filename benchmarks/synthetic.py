"""Synthetic tenants and stack settings for the scale benchmarks. Pure: no Pulumi import.

A tenant of `size` users, identified by index, with three overlapping groups covering 95% of
them (plus non-user transitive members: a nested group, devices, service principals), and one
stack using the three features that share the Microsoft 365 for Jira mail app:

- `calendar`: tenant-wide consent;
- `email`: per-user consent for groups Sales and Support plus users named directly (by UPN and
  by object id, some of them already in Sales);
- `meetings`: per-user consent for groups Support and Engineering. Every scope it needs is in
  calendar's tenant-wide grant, so its users need no per-user grant of their own.

`expected_counts` derives the minimum the consent needs from this construction (set arithmetic
on user indices), not from the planner, so the benchmark checks the program against it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from components.core.naming import GET_CLIENT_CONFIG, GET_GROUP, GET_SERVICE_PRINCIPAL, GET_USERS

APP = "m365-jira-mail"
MAIL_CLIENT_ID = "e7185a25-9df9-4d05-b779-76b04bf46424"  # APP's client id (catalog/apps/)
TENANT_ID = "0b3e1f52-7c4d-4e8a-9f6b-2d1c0a9e8b7f"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
DOMAIN = "contoso.example"

# Group name -> (first, last) user index as fractions of the tenant size. Users from 95% on
# belong to no group.
GROUP_SPANS: dict[str, tuple[float, float]] = {
    "Sales": (0.0, 0.5),
    "Support": (0.4, 0.7),
    "Engineering": (0.6, 0.95),
}
EMAIL_GROUPS = ("Sales", "Support")
MEETINGS_GROUPS = ("Support", "Engineering")
DIRECT_UPNS = 40  # users outside every group, named by UPN
DIRECT_IDS = 10  # users outside every group, named by object id
DIRECT_IN_GROUP = 10  # users named by UPN who are also in Sales


def user_id(index: int) -> str:
    return f"{index:08x}-a000-4000-8000-{index * 2654435761 % (1 << 48):012x}"


def upn(index: int) -> str:
    return f"user{index:06d}@{DOMAIN}"


def _object_id(kind: str, index: int) -> str:
    return f"{index:08x}-{kind}-4000-8000-{index:012x}"


@dataclass(frozen=True)
class Group:
    name: str
    object_id: str
    users: range
    non_users: tuple[str, ...]

    def members(self) -> list[str]:
        """Transitive members as the provider lists them: users and non-users mixed."""
        ids = [user_id(i) for i in self.users]
        step = max(1, len(ids) // (len(self.non_users) + 1))
        for n, other in enumerate(self.non_users, start=1):
            ids.insert(min(len(ids), n * step + n - 1), other)
        return ids


@dataclass(frozen=True)
class SyntheticTenant:
    size: int

    @cached_property
    def groups(self) -> dict[str, Group]:
        groups = {}
        for number, (name, (start, stop)) in enumerate(GROUP_SPANS.items()):
            users = range(int(start * self.size), int(stop * self.size))
            devices = max(1, len(users) // 100)
            non_users = (
                _object_id("9000", number),  # a nested group
                *(_object_id("d000", number * 1_000_000 + d) for d in range(devices)),
                _object_id("5000", number * 2),  # service principals
                _object_id("5000", number * 2 + 1),
            )
            groups[name] = Group(name, _object_id("6000", number), users, non_users)
        return groups

    def user_indices(self) -> range:
        return range(self.size)

    def users(self) -> Iterator[tuple[str, str]]:
        """(object id, UPN) of every user."""
        return ((user_id(i), upn(i)) for i in range(self.size))

    @cached_property
    def ungrouped(self) -> range:
        return range(max(g.users.stop for g in self.groups.values()), self.size)

    @cached_property
    def direct_by_upn(self) -> list[int]:
        outside = list(self.ungrouped[:DIRECT_UPNS])
        inside = list(self.groups["Sales"].users[:DIRECT_IN_GROUP])
        return outside + inside

    @cached_property
    def direct_by_id(self) -> list[int]:
        return list(self.ungrouped[DIRECT_UPNS : DIRECT_UPNS + DIRECT_IDS])

    def service_principal_id(self, app_id: str) -> str:
        return _object_id("5e00", int(app_id[:8], 16) % (1 << 32))


def stack_config(tenant: SyntheticTenant, catalog: Path | None = None) -> dict[str, Any]:
    """The stack's config map, as in `Pulumi.<stack>.yaml` under `config:`."""
    config: dict[str, Any] = {
        "azuread:tenantId": TENANT_ID,
        "entra-consent:features": {
            "calendar": {"consent": "tenant"},
            "email": {
                "consent": "principals",
                "groups": list(EMAIL_GROUPS),
                "users": [upn(i) for i in tenant.direct_by_upn]
                + [user_id(i) for i in tenant.direct_by_id],
            },
            "meetings": {"consent": "principals", "groups": list(MEETINGS_GROUPS)},
        },
        "entra-consent:apps": {
            APP: {"assignment_required": True, "notes": "Synthetic benchmark stack"}
        },
        "entra-consent:missing_principals": "fail",
    }
    if catalog is not None:
        config["entra-consent:catalog"] = str(catalog)
    return config


@dataclass(frozen=True)
class Expected:
    """The minimum the consent needs, and the invokes it needs, for a synthetic stack."""

    service_principals: int
    tenant_grants: int
    user_grants: int
    assignments: int
    components: int
    reads: int
    invokes: dict[str, int]

    @property
    def grants(self) -> int:
        return self.tenant_grants + self.user_grants

    @property
    def resources(self) -> int:
        """Everything registered: component, service principal, grants, assignments, reads."""
        return (
            self.components + self.service_principals + self.grants + self.assignments + self.reads
        )


def expected_counts(tenant: SyntheticTenant) -> Expected:
    email_users = set(tenant.direct_by_upn) | set(tenant.direct_by_id)
    for name in EMAIL_GROUPS:
        email_users.update(tenant.groups[name].users)
    assigned_groups = set(EMAIL_GROUPS) | set(MEETINGS_GROUPS)
    direct_users = set(tenant.direct_by_upn) | set(tenant.direct_by_id)
    return Expected(
        service_principals=1,
        tenant_grants=1,  # calendar, shared by the app
        # One per email user (merged with meetings where both apply); meetings-only users are
        # covered by calendar's tenant-wide grant.
        user_grants=len(email_users),
        assignments=len(assigned_groups) + len(direct_users),
        components=2,  # the EnterpriseApp, and the ResourceApi of Microsoft Graph
        reads=1,  # Microsoft Graph's service principal
        invokes={
            GET_USERS: 1,
            GET_GROUP: len(assigned_groups),
            GET_SERVICE_PRINCIPAL: 2,  # Microsoft Graph's service principal, and the app's
            GET_CLIENT_CONFIG: 1,  # the signed-in tenant
        },
    )
