"""`discover` and consent `assigned`: the group is read as itself (no member listing, whatever
its size), and the drift report compares what the mode plans: one tenant-wide grant, the group
assigned, assignment required."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from components.core.stack_file import load_stack
from previews.tenant.discover_tenant import read_tenant
from previews.tenant.drift import compare
from previews.tenant.graph_client import GraphClient, StaticToken
from simtenant.graph import SimTenant
from tests.previews.conftest import REPO
from tests.previews.tenant.discover.seeding import TOKEN, SeededTenant, seed_tenant

TENANT = "11111111-2222-3333-4444-555555555555"
MAIL = "e7185a25-9df9-4d05-b779-76b04bf46424"
GRAPH = "00000003-0000-0000-c000-000000000000"
UPNS = [f"user{i}@contoso.com" for i in range(12)]
SPEC: dict[str, Any] = {
    "users": UPNS,
    "service_principals": [MAIL, GRAPH],
    "groups": [{"name": "Jira Users", "members": UPNS}],
}


@pytest.fixture(scope="module")
def seeded() -> SeededTenant:
    return seed_tenant(SPEC)


@pytest.fixture
def graph(seeded: SeededTenant) -> Iterator[SimTenant]:
    with seeded.serve(page_size=5) as server:
        yield server


def test_an_assigned_group_is_read_without_its_members(
    graph: SimTenant, seeded: SeededTenant
) -> None:
    config = {
        "azuread:tenantId": TENANT,
        "entra-consent:features": {"email": {"consent": "assigned", "groups": ["Jira Users"]}},
    }
    catalogue, settings = load_stack(config, REPO, "Pulumi.test.yaml")
    with GraphClient(graph.base_url, StaticToken(TOKEN)) as client:
        snapshot = read_tenant(client, catalogue, settings, TENANT)
    [group] = snapshot.groups
    assert group.id == seeded.group("Jira Users") and group.user_ids == []
    assert not [r for r in graph.requests if "members" in r.path.lower()]
    assert not [r for r in graph.requests if r.path == "/v1.0/users"]

    report = compare(catalogue, settings, snapshot, "test", "Pulumi.test.yaml")
    grants = [(g.target, g.status) for g in report.grants]
    assert grants == [("tenant", "missing")]  # nothing consented yet: one tenant-wide grant
    assert [(a.principal, a.status) for a in report.assignments] == [
        (f"group:{group.id}", "missing")
    ]
