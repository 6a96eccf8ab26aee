"""The Graph request model behind the look-ups, and which user look-up path stacks get."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.graph_requests import group_requests, lookup_cost, pages, user_lookup_requests
from components.core.principals import UPN_LOOKUP_LIMIT, UserLookup, user_lookup
from components.core.settings import settings_from_config

TENANT = "11111111-2222-3333-4444-555555555555"


def _lookup(feature: dict[str, Any]) -> UserLookup:
    config = {"azuread:tenantId": TENANT, "entra-consent:features": {"email": feature}}
    settings = settings_from_config(config, "Pulumi.x.yaml")
    return user_lookup(settings)


@pytest.mark.parametrize(
    ("items", "requests"),
    [(0, 1), (1, 1), (100, 1), (101, 2), (50_000, 500)],
    ids=lambda v: str(v),
)
def test_pages_of_100(items: int, requests: int) -> None:
    assert pages(items) == requests


def test_upn_path_costs_one_request_per_name_whatever_the_tenant() -> None:
    lookup = _lookup({"consent": "principals", "users": [f"u{i}@x.example" for i in range(30)]})
    assert lookup.mode == "upns"
    assert [user_lookup_requests(lookup, t) for t in (1_000, 50_000)] == [30, 30]


def test_more_names_than_the_limit_take_the_paged_list() -> None:
    users = [f"u{i}@x.example" for i in range(UPN_LOOKUP_LIMIT + 1)]
    lookup = _lookup({"consent": "principals", "users": users})
    assert lookup.mode == "all"
    assert user_lookup_requests(lookup, 50_000) == 500


def test_a_group_takes_the_paged_list() -> None:
    lookup = _lookup({"consent": "principals", "groups": ["Sales"]})
    assert lookup.mode == "all"
    assert user_lookup_requests(lookup, 10_000) == 100


def test_a_few_object_ids_cost_one_request_each() -> None:
    ids = [f"{i:08x}-1111-4222-8333-{i:012x}" for i in range(7)]
    lookup = _lookup({"consent": "principals", "users": ids})
    assert lookup.mode == "ids"
    assert [user_lookup_requests(lookup, t) for t in (1_000, 50_000)] == [7, 7]


def test_group_requests_count_lookup_member_pages_and_owners() -> None:
    assert group_requests(250) == 1 + 3 + 1


def test_lookup_cost_totals() -> None:
    cost = lookup_cost(UserLookup("all"), 10_000, [5_000, 3_000], 1, 8_000)
    assert (cost.users, cost.groups, cost.apis) == (100, 52 + 32, 1)
    assert cost.total == 100 + 84 + 1
    assert cost.by_object_id == 8_000
