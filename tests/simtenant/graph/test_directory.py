"""Users, groups, devices and membership; `$filter`, `$select` and paging, over plain HTTP."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simtenant.graph import SimTenant
from simtenant.graph.odata import quote
from tests.simtenant.graph.conftest import add_member, created, error, group, user


def test_unknown_ids_are_404_with_graphs_message(graph: httpx.Client) -> None:
    missing = "0f0f0f0f-0000-0000-0000-000000000000"
    for path in (f"users/{missing}", f"groups/{missing}", f"servicePrincipals/{missing}"):
        code, message = error(graph.get(path), 404)
        assert code == "Request_ResourceNotFound"
        assert message == (
            f"Resource '{missing}' does not exist or one of its queried reference-property "
            "objects are not present."
        )


def test_users_by_id_or_upn_and_upns_are_unique(graph: httpx.Client) -> None:
    adele = user(graph, "Adele.Vance@contoso.com")
    assert (adele["accountEnabled"], adele["mailNickname"]) == (True, "Adele.Vance")
    assert graph.get("users/adele.vance@contoso.com").json()["id"] == adele["id"]
    again = graph.post(
        "users", json={"displayName": "x", "userPrincipalName": "adele.vance@contoso.com"}
    )
    assert error(again, 400) == (
        "Request_BadRequest",
        "Another object with the same value for property userPrincipalName already exists.",
    )
    error(graph.post("users", json={"userPrincipalName": "x@contoso.com"}), 400)
    assert graph.patch(f"users/{adele['id']}", json={"jobTitle": "CEO"}).status_code == 204
    selected = graph.get(f"users/{adele['id']}", params={"$select": "jobTitle"}).json()
    assert {k: v for k, v in selected.items() if not k.startswith("@")} == {
        "id": adele["id"],
        "jobTitle": "CEO",
    }
    assert graph.delete(f"users/{adele['id']}").status_code == 204
    error(graph.get("users/adele.vance@contoso.com"), 404)


def test_in_filters_take_at_most_15_values(graph: httpx.Client) -> None:
    upns = [f"u{i}@contoso.com" for i in range(16)]
    for upn in upns:
        user(graph, upn)
    ok = f"userPrincipalName in ({', '.join(map(quote, upns[:15]))})"
    assert len(graph.get("users", params={"$filter": ok}).json()["value"]) == 15
    too_many = f"userPrincipalName in ({', '.join(map(quote, upns))})"
    assert error(graph.get("users", params={"$filter": too_many}), 400)[0] == (
        "Request_UnsupportedQuery"
    )


def test_paging_follows_next_links_that_keep_the_filter(
    sim: SimTenant, graph: httpx.Client
) -> None:
    sim.page_size = 3
    for i in range(8):
        user(graph, f"in{i}@contoso.com")
        user(graph, f"out{i}@fabrikam.com")
    wanted = {f"in{i}@contoso.com" for i in range(8)}
    flt = f"userPrincipalName in ({', '.join(map(quote, sorted(wanted)[:7]))}) or id eq 'none'"
    sim.reset_requests()
    seen: list[str] = []
    pages = 0
    url: str | None = "users"
    params: dict[str, str] | None = {"$filter": flt, "$select": "id,userPrincipalName"}
    while url:
        body = graph.get(url, params=params).json()
        pages += 1
        seen += [u["userPrincipalName"] for u in body["value"]]
        assert all(set(u) == {"id", "userPrincipalName"} for u in body["value"])
        url, params = body.get("@odata.nextLink"), None
        if url:
            assert url.startswith(f"{sim.base_url}/users?")
    assert pages == 3 and len(seen) == 7 and set(seen) < wanted
    assert all(r.query["$filter"] == flt for r in sim.requests)
    top = graph.get("users", params={"$top": "2"}).json()
    assert len(top["value"]) == 2 and "%24top=2" in top["@odata.nextLink"]
    error(graph.get("users", params={"$top": "1000"}), 400)


def test_display_name_filters_need_escaped_quotes(graph: httpx.Client) -> None:
    made = group(graph, "O'Brien's team")
    escaped = graph.get("groups", params={"$filter": "displayName eq 'O''Brien''s team'"})
    assert [g["id"] for g in escaped.json()["value"]] == [made["id"]]
    code, message = error(
        graph.get("groups", params={"$filter": "displayName eq 'O'Brien's team'"}), 400
    )
    assert (code, message.split(":")[0]) == ("BadRequest", "Invalid filter clause")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30))
def test_any_display_name_round_trips_through_an_escaped_filter(
    graph: httpx.Client, name: str
) -> None:
    made = group(graph, name)
    found = graph.get("groups", params={"$filter": f"displayName eq {quote(name)}"}).json()
    assert made["id"] in [g["id"] for g in found["value"]]
    assert all(g["displayName"].lower() == name.lower() for g in found["value"])


def test_members_and_transitive_members(graph: httpx.Client) -> None:
    adele, lee = user(graph, "adele@contoso.com"), user(graph, "lee@contoso.com")
    outer, inner, innermost = group(graph, "Outer"), group(graph, "Inner"), group(graph, "Deep")
    device = created(graph.post("devices", json={"displayName": "kiosk", "deviceId": "d-1"}))
    for parent, child in [
        (outer, adele),
        (outer, inner),
        (outer, device),
        (inner, lee),
        (inner, adele),  # reachable twice
        (inner, innermost),
        (innermost, outer),  # a cycle back to the top
    ]:
        assert add_member(graph, parent["id"], child["id"]).status_code == 204
    again = add_member(graph, outer["id"], adele["id"])
    assert error(again, 400)[1] == (
        "One or more added object references already exist for the following modified "
        "properties: 'members'."
    )
    error(add_member(graph, outer["id"], "0f0f0f0f-0000-0000-0000-000000000000"), 404)

    direct = graph.get(f"groups/{outer['id']}/members").json()["value"]
    assert [(m["@odata.type"], m["id"]) for m in direct] == [
        ("#microsoft.graph.user", adele["id"]),
        ("#microsoft.graph.group", inner["id"]),
        ("#microsoft.graph.device", device["id"]),
    ]
    for version in ("v1.0", "beta"):
        url = f"{graph.base_url}".replace("/v1.0/", f"/{version}/")
        everyone = graph.get(f"{url}groups/{outer['id']}/transitiveMembers").json()["value"]
        ids = [m["id"] for m in everyone]
        assert sorted(ids) == sorted(
            [adele["id"], inner["id"], device["id"], lee["id"], innermost["id"]]
        )
    users = [m for m in everyone if m["@odata.type"] == "#microsoft.graph.user"]
    assert {u["userPrincipalName"] for u in users} == {"adele@contoso.com", "lee@contoso.com"}

    assert graph.delete(f"groups/{outer['id']}/members/{device['id']}/$ref").status_code == 204
    error(graph.delete(f"groups/{outer['id']}/members/{device['id']}/$ref"), 404)
    assert graph.delete(f"groups/{inner['id']}").status_code == 204
    left = graph.get(f"groups/{outer['id']}/transitiveMembers").json()["value"]
    assert [m["id"] for m in left] == [adele["id"]]
