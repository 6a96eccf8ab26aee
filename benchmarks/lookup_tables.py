"""The scale report's Graph-request tables: what the look-ups of the synthetic stack cost at
each tenant size, and which user look-up a stack gets (and its cost) by how it names users.
Counted with `benchmarks/graph_requests.py`, not measured."""

from __future__ import annotations

from typing import Any

from benchmarks.figures import markdown_table, thousands
from benchmarks.graph_requests import LookupCost, lookup_cost
from benchmarks.synthetic import TENANT_ID, SyntheticTenant, stack_config, upn, user_id
from components.core.principals import UPN_LOOKUP_LIMIT, user_lookup
from components.core.settings import StackSettings, settings_from_config


def _settings(config: dict[str, Any]) -> StackSettings:
    return settings_from_config(config, "Pulumi.bench.yaml")


def synthetic_lookup_cost(size: int) -> LookupCost:
    """The Graph requests behind the synthetic stack's look-ups on a tenant of `size` users."""
    tenant = SyntheticTenant(size)
    settings = _settings(stack_config(tenant))
    members = [len(g.members()) for g in tenant.groups.values()]
    # Telling users from devices one member at a time: a GET per distinct member.
    distinct = {m for g in tenant.groups.values() for m in g.members()}
    direct = len(set(tenant.direct_by_upn) | set(tenant.direct_by_id))
    return lookup_cost(user_lookup(settings), size, members, 1, len(distinct) + direct)


def lookup_cost_table(sizes: list[int]) -> list[str]:
    rows = []
    for size in sizes:
        cost = synthetic_lookup_cost(size)
        rows.append(
            [
                thousands(size),
                cost.path,
                thousands(cost.users),
                thousands(cost.groups),
                thousands(cost.apis),
                thousands(cost.total),
                thousands(cost.by_object_id),
            ]
        )
    return markdown_table(
        [
            "users",
            "user look-up",
            "get_users",
            "get_group (3 groups)",
            "get_service_principal",
            "total",
            "one GET per member instead",
        ],
        rows,
    )


def upn_only_paths(sizes: list[int]) -> list[str]:
    """Which user look-up a stack naming only users by UPN (or object id) gets, and its Graph
    cost at each tenant size."""
    shapes: list[tuple[str, dict[str, Any]]] = []
    for count in (10, UPN_LOOKUP_LIMIT, UPN_LOOKUP_LIMIT + 1, 1_000):
        users = [upn(i) for i in range(count)]
        shapes.append(
            (f"{thousands(count)} users by UPN", {"consent": "principals", "users": users})
        )
    ids = [user_id(i) for i in range(10)]
    shapes.append(("10 users by object id", {"consent": "principals", "users": ids}))
    mixed = [*ids[:5], *(upn(i) for i in range(5, 10))]
    shapes.append(("5 by UPN and 5 by object id", {"consent": "principals", "users": mixed}))
    shapes.append(("any group", {"consent": "principals", "groups": ["Sales"]}))
    header = [
        "stack names",
        "user look-up",
        *[f"requests at {thousands(s)} users" for s in sizes],
    ]
    rows = []
    for label, feature in shapes:
        settings = _settings(
            {"azuread:tenantId": TENANT_ID, "entra-consent:features": {"email": feature}}
        )
        lookup = user_lookup(settings)
        costs = [lookup_cost(lookup, size, [], 0, 0).users for size in sizes]
        path = lookup_cost(lookup, sizes[0], [], 0, 0).path
        rows.append([label, path, *[thousands(c) for c in costs]])
    return markdown_table(header, rows, text_columns=2)
