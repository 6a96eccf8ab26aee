from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simtenant.graph import SimTenant

GRAPH_APP = "00000003-0000-0000-c000-000000000000"
EXO_APP = "00000002-0000-0ff1-ce00-000000000000"
MAIL_APP = "e7185a25-9df9-4d05-b779-76b04bf46424"  # catalogue: m365-jira-mail
DEFAULT_ROLE = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def sim() -> Iterator[SimTenant]:
    with SimTenant() as server:
        yield server


@pytest.fixture
def graph(sim: SimTenant) -> Iterator[httpx.Client]:
    headers = {"Authorization": "Bearer test-token"}
    with httpx.Client(base_url=sim.base_url + "/", headers=headers, timeout=10) as client:
        yield client


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def error(response: httpx.Response, status: int) -> tuple[str, str]:
    """(code, message) of a Graph error answer, checking its shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]["innerError"]) >= {"date", "request-id"}
    return body["error"]["code"], body["error"]["message"]


def user(graph: httpx.Client, upn: str) -> dict[str, Any]:
    name = upn.split("@", 1)[0]
    return created(graph.post("users", json={"displayName": name, "userPrincipalName": upn}))


def group(graph: httpx.Client, name: str) -> dict[str, Any]:
    body = {"displayName": name, "mailNickname": "g", "mailEnabled": False, "securityEnabled": True}
    return created(graph.post("groups", json=body))


def add_member(graph: httpx.Client, group_id: str, member_id: str) -> httpx.Response:
    ref = {"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{member_id}"}
    return graph.post(f"groups/{group_id}/members/$ref", json=ref)


def sp_id(graph: httpx.Client, app_id: str) -> str:
    found = graph.get("servicePrincipals", params={"$filter": f"appId eq '{app_id}'"}).json()
    if found["value"]:
        return str(found["value"][0]["id"])
    return str(created(graph.post("servicePrincipals", json={"appId": app_id}))["id"])
