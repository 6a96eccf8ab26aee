"""Microsoft 365 (Unified) groups: their Exchange settings are refused to app-only callers (403)
and answered to delegated ones; other groups answer them as null
(simtenant/graph/unified_groups.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from simtenant.graph import SimTenant, seed
from tests.simtenant.graph.conftest import created, error

SETTINGS = (
    "allowExternalSenders,autoSubscribeNewMembers,hideFromAddressLists,hideFromOutlookClients"
)
UNIFIED: dict[str, Any] = {
    "displayName": "Jira Project Team",
    "mailNickname": "jira-project-team",
    "mailEnabled": True,
    "securityEnabled": False,
    "groupTypes": ["Unified"],
}
SECURITY = {**UNIFIED, "mailEnabled": False, "securityEnabled": True, "groupTypes": []}


def get(client: httpx.Client, group_id: str, select: str | None = None) -> httpx.Response:
    params = {} if select is None else {"$select": select}
    return client.get(f"groups/{group_id}", params=params)


@pytest.mark.parametrize("version", ["v1.0", "beta"])
def test_app_only_callers_get_403_for_a_unified_groups_exchange_settings(
    sim: SimTenant, graph: httpx.Client, version: str
) -> None:
    client = httpx.Client(base_url=f"{sim.origin}/{version}/", headers=graph.headers)
    team = created(graph.post("groups", json=UNIFIED))
    assert team["groupTypes"] == ["Unified"]
    for select in (
        SETTINGS,
        "hideFromOutlookClients",
        "id,HIDEFROMADDRESSLISTS",
        " allowExternalSenders ",
    ):
        assert error(get(client, team["id"], select), 403) == (
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        )
    # the rest of the group reads as ever, without the settings
    plain = get(client, team["id"]).json()
    assert plain["groupTypes"] == ["Unified"] and "allowExternalSenders" not in plain
    picked = get(client, team["id"], "displayName,groupTypes").json()
    assert {k for k in picked if not k.startswith("@")} == {"id", "displayName", "groupTypes"}
    # listings never carry the settings, so never refuse
    listed = client.get("groups", params={"$select": SETTINGS}).json()["value"]
    assert [set(g) for g in listed] == [{"id"}]


def test_delegated_callers_get_the_settings(sim: SimTenant, graph: httpx.Client) -> None:
    team = created(graph.post("groups", json=UNIFIED))["id"]
    admin = httpx.Client(base_url=f"{sim.origin}/_sim/")
    assert admin.get("caller").json() == {"delegated": False}
    assert admin.post("caller", json={"delegated": True}).json() == {"delegated": True}
    body = get(graph, team, SETTINGS).json()
    assert {k: v for k, v in body.items() if not k.startswith("@")} == {
        "id": team,
        "allowExternalSenders": False,
        "autoSubscribeNewMembers": False,
        "hideFromAddressLists": False,
        "hideFromOutlookClients": False,
    }
    assert body["@odata.context"].endswith("/v1.0/$metadata#groups/$entity")
    for bad in ({"delegated": "yes"}, {}, {"delegated": True, "x": 1}):
        assert admin.post("caller", json=bad).status_code == 400
    assert admin.post("caller", json={"delegated": False}).status_code == 200
    error(get(graph, team, SETTINGS), 403)
    with SimTenant(delegated=True, state=sim.state()) as other:
        headers = {"Authorization": "Bearer t"}
        answer = httpx.get(f"{other.base_url}/groups/{team}?$select={SETTINGS}", headers=headers)
        assert answer.status_code == 200 and answer.json()["hideFromOutlookClients"] is False


def test_other_groups_answer_the_settings_as_null(graph: httpx.Client) -> None:
    plain = created(graph.post("groups", json=SECURITY))["id"]
    body = get(graph, plain, "id," + SETTINGS).json()
    assert [body[k] for k in SETTINGS.split(",")] == [None] * 4
    error(get(graph, "0f0f0f0f-0000-0000-0000-000000000000", SETTINGS), 404)


def test_a_seed_makes_a_unified_group(sim: SimTenant, graph: httpx.Client) -> None:
    names = seed(sim.base_url, [{"path": "/groups", "as": "team", "body": UNIFIED}])
    error(get(graph, names["team"]["id"], SETTINGS), 403)
    found = graph.get("groups").json()["value"]
    assert [(g["id"], g["groupTypes"]) for g in found] == [(names["team"]["id"], ["Unified"])]
