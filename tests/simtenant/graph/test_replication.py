"""The scripted replication delay: what a request naming a just-created object gets, for how
long, and `/_sim/replication` (simtenant/graph/replication.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from simtenant.graph import SimTenant
from simtenant.graph.replication import Replication
from tests.simtenant.graph.conftest import DEFAULT_ROLE, GRAPH_APP, MAIL_APP, created, error, sp_id

NOT_THERE = "does not exist or one of its queried reference-property objects are not present."
VENDOR = "5a5a5a5a-0000-0000-0000-000000000003"


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def replicate(sim: SimTenant, **body: Any) -> httpx.Response:
    return httpx.post(f"{sim.origin}/_sim/replication", json=body)


def make_user(graph: httpx.Client, upn: str) -> str:
    return str(
        created(graph.post("users", json={"displayName": "u", "userPrincipalName": upn}))["id"]
    )


def test_a_new_service_principal_is_404_by_id_until_n_requests(
    sim: SimTenant, graph: httpx.Client
) -> None:
    api = sp_id(graph, GRAPH_APP)  # made before: visible
    assert replicate(sim, requests=3).status_code == 201
    sp = created(graph.post("servicePrincipals", json={"appId": MAIL_APP}))
    assert graph.get(f"servicePrincipals/{api}").status_code == 200
    assert error(graph.get(f"servicePrincipals/{sp['id']}"), 404) == (
        "Request_ResourceNotFound",
        f"Resource '{sp['id']}' {NOT_THERE}",
    )
    error(graph.patch(f"servicePrincipals/{sp['id']}", json={"notes": "x"}), 404)
    error(graph.get(f"servicePrincipals(appId='{MAIL_APP}')"), 404)
    # listings show it all along
    listed = graph.get("servicePrincipals", params={"$filter": f"appId eq '{MAIL_APP}'"})
    assert [s["id"] for s in listed.json()["value"]] == [sp["id"]]
    assert graph.get(f"servicePrincipals/{sp['id']}").status_code == 200
    state = httpx.get(f"{sim.origin}/_sim/replication").json()
    assert (state["requests"], state["answered"], state["pending"]) == (3, 3, [])


def test_references_get_the_answers_the_provider_retries(
    sim: SimTenant, graph: httpx.Client
) -> None:
    api = sp_id(graph, GRAPH_APP)
    assert replicate(sim, requests=1, on=["reference"]).status_code == 201
    client = created(graph.post("servicePrincipals", json={"appId": MAIL_APP}))["id"]
    adele = make_user(graph, "adele@contoso.com")
    # reads and writes by id: not delayed under on=[reference]
    assert graph.get(f"servicePrincipals/{client}").status_code == 200
    assert graph.get(f"users/{adele}").status_code == 200
    grant = {
        "clientId": client,
        "resourceId": api,
        "consentType": "AllPrincipals",
        "scope": "openid",
    }
    assert error(graph.post("oauth2PermissionGrants", json=grant), 400) == (
        "Request_BadRequest",
        f"Resource '{client}' {NOT_THERE}",
    )
    created(graph.post("oauth2PermissionGrants", json=grant))  # one request: replicated
    assignment = {"principalId": adele, "resourceId": client, "appRoleId": DEFAULT_ROLE}
    graph.delete(f"servicePrincipals/{client}")
    client = created(graph.post("servicePrincipals", json={"appId": MAIL_APP}))["id"]
    assignment["resourceId"] = client
    # the resource in the path: 404; the principal (replicated by now) is fine
    error(graph.post(f"servicePrincipals/{client}/appRoleAssignedTo", json=assignment), 404)
    bob = make_user(graph, "bob@contoso.com")
    assignment["principalId"] = bob
    assert error(
        graph.post(f"servicePrincipals/{client}/appRoleAssignedTo", json=assignment), 400
    ) == (
        "Request_BadRequest",
        "Not a valid reference update.",
    )
    created(graph.post(f"servicePrincipals/{client}/appRoleAssignedTo", json=assignment))


def test_binds_refs_and_new_applications(sim: SimTenant, graph: httpx.Client) -> None:
    sim.replication = Replication(requests=1)
    owner = make_user(graph, "megan@contoso.com")
    url = f"https://graph.microsoft.com/v1.0/directoryObjects/{owner}"
    body = {"displayName": "G", "mailNickname": "g", "mailEnabled": False, "securityEnabled": True}
    bound = graph.post("groups", json={**body, "owners@odata.bind": [url]})
    assert error(bound, 400) == ("Request_BadRequest", f"Resource '{owner}' {NOT_THERE}")
    team = created(graph.post("groups", json={**body, "owners@odata.bind": [url]}))["id"]
    member = make_user(graph, "lee@contoso.com")
    ref = {"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{member}"}
    # the group in the path, then the member in the body: 404 each, one request each
    assert error(graph.post(f"groups/{team}/members/$ref", json=ref), 404)[1].startswith(
        f"Resource '{team}'"
    )
    assert error(graph.post(f"groups/{team}/members/$ref", json=ref), 404)[1].startswith(
        f"Resource '{member}'"
    )
    assert graph.post(f"groups/{team}/members/$ref", json=ref).status_code == 204
    # an application registered now cannot be instantiated yet: the create the provider retries
    app = {"appId": VENDOR, "displayName": "Vendor"}
    assert httpx.post(f"{sim.origin}/_sim/applications", json=app).status_code == 201
    assert error(graph.post("servicePrincipals", json={"appId": VENDOR.upper()}), 400) == (
        "Request_BadRequest",
        f"The appId '{VENDOR.upper()}' of the service principal does not reference a valid "
        "application object.",
    )
    created(graph.post("servicePrincipals", json={"appId": VENDOR}))
    # by UPN, and under /beta
    lee = graph.get(f"{sim.origin}/beta/users/LEE@contoso.com")
    assert lee.status_code == 200  # replicated by the $ref above
    make_user(graph, "pat@contoso.com")
    error(graph.get(f"{sim.origin}/beta/users/Pat@Contoso.com"), 404)


def test_seconds_and_types(sim: SimTenant, graph: httpx.Client) -> None:
    clock = Clock()
    sim.replication = Replication(seconds=30, types=("user",), clock=clock)
    adele = make_user(graph, "adele@contoso.com")
    sp = created(graph.post("servicePrincipals", json={"appId": MAIL_APP}))["id"]
    assert graph.get(f"servicePrincipals/{sp}").status_code == 200  # not a delayed type
    for _ in range(5):  # any number of requests: the time decides
        error(graph.delete(f"users/{adele}"), 404)
    error(graph.get(f"directoryObjects/{adele}"), 404)
    clock.now += 29.9
    pending = httpx.get(f"{sim.origin}/_sim/replication").json()["pending"]
    assert pending == [{"id": adele, "type": "user", "age_s": 29.9, "left": None}]
    clock.now += 0.1
    assert graph.delete(f"users/{adele}").status_code == 204
    assert httpx.delete(f"{sim.origin}/_sim/replication").status_code == 204
    assert httpx.get(f"{sim.origin}/_sim/replication").json() == {"enabled": False}
    assert sim.replication is None


def test_off_the_moment_it_is_deleted(sim: SimTenant, graph: httpx.Client) -> None:
    replicate(sim, seconds=3600)
    adele = make_user(graph, "adele@contoso.com")
    error(graph.get(f"users/{adele}"), 404)
    httpx.delete(f"{sim.origin}/_sim/replication")
    assert graph.get(f"users/{adele}").status_code == 200


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"seconds": 0},
        {"requests": 1.5},
        {"requests": True},
        {"seconds": "5"},
        {"requests": 1, "types": []},
        {"requests": 1, "types": ["grant"]},
        {"requests": 1, "on": "read"},
        {"requests": 1, "colour": "red"},
    ],
)
def test_bad_settings_are_400(sim: SimTenant, bad: dict[str, Any]) -> None:
    assert replicate(sim, **bad).status_code == 400
    assert sim.replication is None
