"""Principals of a synthetic tenant resolved without invokes, the way `components/lookups.py`
resolves the look-ups' results, for timing the planner alone. Pure: no Pulumi import."""

from __future__ import annotations

from benchmarks.synthetic import SyntheticTenant
from components.core.principals import (
    ResolvedPrincipals,
    index_users,
    referenced_groups,
    user_members,
)
from components.core.settings import StackSettings


def resolved_principals(tenant: SyntheticTenant, settings: StackSettings) -> ResolvedPrincipals:
    users = index_users(tenant.users())
    user_ids = set(users.values())
    groups = {}
    for ref in referenced_groups(settings):
        group = tenant.groups[ref]
        groups[ref] = user_members(group.object_id, group.members(), user_ids)
    return ResolvedPrincipals(users=users, groups=groups)
