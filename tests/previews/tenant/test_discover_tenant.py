"""Reading the tenant: principals resolved as the program resolves them, filters chunked and
quoted as Graph needs, against the simulated Graph on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from catalog.catalogue import Catalogue
from components.core.settings import StackSettings
from components.core.stack_file import load_stack
from previews.tenant import discover_tenant
from previews.tenant.discover_tenant import TenantSnapshot, odata_string, read_tenant
from previews.tenant.graph_client import GraphClient, StaticToken
from simtenant.graph import SimTenant
from tests.previews.conftest import REPO
from tests.previews.tenant.discover.seeding import TOKEN, SeededTenant, seed_tenant

TENANT = "11111111-2222-3333-4444-555555555555"
MAIL = "e7185a25-9df9-4d05-b779-76b04bf46424"
GRAPH = "00000003-0000-0000-c000-000000000000"
UPNS = [f"user{i}@contoso.com" for i in range(20)] + ["o'brien@contoso.com"]
TENANT_SPEC: dict[str, Any] = {
    "users": UPNS,
    "devices": ["KIOSK-01"],
    "service_principals": [MAIL, GRAPH],
    "groups": [
        {"name": "Jira Users", "members": [*UPNS[:3], "device:KIOSK-01"]},
        {"name": "Twins", "members": []},
        {"name": "Twins", "members": []},
    ],
}


@pytest.fixture(scope="module")
def seeded() -> SeededTenant:
    return seed_tenant(TENANT_SPEC)


@pytest.fixture
def graph(seeded: SeededTenant) -> Iterator[SimTenant]:
    with seeded.serve(page_size=5) as server:
        yield server


def settings_for(email: dict[str, Any]) -> tuple[Catalogue, StackSettings]:
    config = {
        "azuread:tenantId": TENANT,
        "entra-consent:features": {"email": {"consent": "principals", **email}},
    }
    return load_stack(config, REPO, "Pulumi.test.yaml")


def read(graph: SimTenant, email: dict[str, Any]) -> TenantSnapshot:
    catalogue, settings = settings_for(email)
    with GraphClient(graph.base_url, StaticToken(TOKEN)) as client:
        return read_tenant(client, catalogue, settings, TENANT)


def test_many_upns_are_looked_up_in_chunks_of_at_most_15(
    graph: SimTenant, seeded: SeededTenant
) -> None:
    snapshot = read(graph, {"users": UPNS})
    principals = snapshot.principals()
    assert {u: principals.users[u] for u in UPNS} == {u: seeded.users[u] for u in UPNS}
    filters = [r.query["$filter"] for r in graph.requests if r.path == "/v1.0/users"]
    assert len({f for f in filters}) == 2  # 21 UPNs: 15 + 6


def test_quotes_in_upns_are_doubled() -> None:
    assert odata_string("o'brien@contoso.com") == "'o''brien@contoso.com'"


def test_group_by_name_and_by_id_keep_user_members_only(
    graph: SimTenant, seeded: SeededTenant
) -> None:
    group_id = seeded.group("Jira Users")
    assert len(seeded.members[group_id]) == 4  # three users and a device
    snapshot = read(graph, {"groups": ["Jira Users", group_id.upper()]})
    principals = snapshot.principals()
    users = frozenset(seeded.users[u] for u in UPNS[:3])
    assert principals.groups["Jira Users"].user_ids == users
    assert principals.groups[group_id.upper()].user_ids == users
    assert principals.groups["Jira Users"].object_id == group_id
    assert {u: principals.users[u] for u in UPNS[:3]} == {u: seeded.users[u] for u in UPNS[:3]}
    assert f"/v1.0/groups/{group_id}/transitiveMembers" in graph.paths()


def test_ambiguous_group_name_is_a_problem_not_a_guess(graph: SimTenant) -> None:
    snapshot = read(graph, {"groups": ["Twins"]})
    assert "Twins" not in snapshot.principals().groups
    assert snapshot.problems == ["group 'Twins': 2 groups have this name (name it by object id)"]


def test_unknown_group_id_is_simply_absent(graph: SimTenant) -> None:
    missing = "00000000-0000-0000-0000-0000000000aa"
    snapshot = read(graph, {"groups": [missing]})
    assert snapshot.principals().groups == {}
    assert snapshot.problems == []


def test_beyond_the_limit_all_users_are_listed_once(
    graph: SimTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discover_tenant, "LIST_ALL_USERS_ABOVE", 3)
    snapshot = read(graph, {"users": UPNS[:10]})
    assert {u.user_principal_name for u in snapshot.users} == set(UPNS[:10])
    user_requests = [r for r in graph.requests if r.path == "/v1.0/users"]
    assert all("$filter" not in r.query for r in user_requests)
    assert len(user_requests) == 5  # 21 users in pages of 5
