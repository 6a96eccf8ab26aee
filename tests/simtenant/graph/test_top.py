"""`$top`: 1 to 999 items a page, above the server's default page size too; anything else is
Graph's 400 (simtenant/graph/odata.py `parse_top`)."""

from __future__ import annotations

import httpx
import pytest

from simtenant.graph import SimTenant, seed
from tests.simtenant.graph.conftest import error


@pytest.fixture
def many(sim: SimTenant) -> SimTenant:
    sim.page_size = 3
    body = {"displayName": "u"}
    seed(
        sim.base_url,
        [
            {"path": "/users", "body": body | {"userPrincipalName": f"u{i}@c.com"}}
            for i in range(12)
        ],
    )
    return sim


def pages(graph: httpx.Client, top: str | None) -> list[int]:
    sizes: list[int] = []
    url: str | None = "users"
    params: dict[str, str] | None = None if top is None else {"$top": top}
    while url:
        body = graph.get(url, params=params).json()
        sizes.append(len(body["value"]))
        url, params = body.get("@odata.nextLink"), None
        assert len(sizes) < 20, "the next links do not end"
    return sizes


def test_top_sets_the_page_size_up_to_999(many: SimTenant, graph: httpx.Client) -> None:
    assert pages(graph, None) == [3, 3, 3, 3]  # the server's default page size
    assert pages(graph, "2") == [2] * 6
    assert pages(graph, "5") == [5, 5, 2]  # above the default: $top raises the page size
    assert pages(graph, "999") == [12]
    assert pages(graph, "1") == [1] * 12
    many.max_page_size = 4  # a test's cap on every page, whatever $top asks
    assert pages(graph, "999") == [4, 4, 4]
    assert pages(graph, "2") == [2] * 6
    assert pages(graph, None) == [3, 3, 3, 3]


@pytest.mark.parametrize(
    "top", ["0", "1000", "-1", "abc", "", "2.5", " 5", "+5", "1e2", "٣", "99999999"]
)
def test_other_tops_are_graphs_400(graph: httpx.Client, top: str) -> None:
    assert error(graph.get("users", params={"$top": top}), 400) == (
        "Request_UnsupportedQuery",
        f"Invalid page size specified: '{top}'. Must be between 1 and 999 inclusive.",
    )
