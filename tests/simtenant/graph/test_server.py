"""The HTTP surface: tokens, errors, faults, service principals, the `/_sim/` endpoints and
seeding."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from simtenant.graph import Fault, SeedError, SimTenant, seed
from tests.simtenant.graph.conftest import EXO_APP, GRAPH_APP, MAIL_APP, created, error

SEEDS = Path(__file__).resolve().parents[3] / "simtenant" / "seeds"
# The deploying identity (simtenant/provider/get_client_config.py's fixed ids).
PIPELINE_SP = "51a7e27a-0000-4000-8000-0000000000b1"
PIPELINE_APP = "51a7e27a-0000-4000-8000-00000000c11e"


def test_tokens(sim: SimTenant) -> None:
    url = f"{sim.base_url}/organization"
    assert error(httpx.get(url), 401)[0] == "InvalidAuthenticationToken"
    assert httpx.get(url, headers={"Authorization": "Bearer anything"}).status_code == 200
    sim.token = "secret"
    error(httpx.get(url, headers={"Authorization": "Bearer anything"}), 401)
    body = httpx.get(url, headers={"Authorization": "Bearer secret"}).json()
    assert body["value"] == [
        {"id": "11111111-2222-3333-4444-555555555555", "displayName": "Contoso (simulated)"}
    ]
    authorizations = [r.authorization for r in sim.requests]
    assert authorizations == ["", "Bearer anything", "Bearer anything", "Bearer secret"]


def test_unknown_paths_methods_and_bodies(graph: httpx.Client) -> None:
    assert error(graph.get("nothing/here"), 404)[0] == "Request_ResourceNotFound"
    assert error(graph.put("users", json={}), 405)[0] == "Request_BadRequest"
    bad = graph.post("users", content=b"{not json", headers={"Content-Type": "application/json"})
    assert error(bad, 400)[0] == "BadRequest"


def test_microsoft_apis_exist_from_the_start(graph: httpx.Client) -> None:
    sps = graph.get("servicePrincipals").json()["value"]
    assert {s["appId"]: s["displayName"] for s in sps} == {
        GRAPH_APP: "Microsoft Graph",
        EXO_APP: "Office 365 Exchange Online",
    }
    graph_sp = next(s for s in sps if s["appId"] == GRAPH_APP)
    scopes = {s["value"]: s for s in graph_sp["oauth2PermissionScopes"]}
    assert scopes["User.Read"]["type"] == "User" and scopes["Directory.Read.All"]["type"] == "Admin"
    assert scopes["User.Read"]["id"] == "e1fe6dd8-ba31-4d61-89e7-88639da4683d"
    exo = next(s for s in sps if s["appId"] == EXO_APP)
    assert [s["value"] for s in exo["oauth2PermissionScopes"]] == ["EWS.AccessAsUser.All"]


def test_service_principals_of_known_apps_once_each(graph: httpx.Client) -> None:
    made = created(graph.post("servicePrincipals", json={"appId": MAIL_APP, "tags": ["HideApp"]}))
    assert made["displayName"] == "Microsoft 365 for Jira (Email, Meetings, Calendar)"
    assert (made["servicePrincipalNames"], made["tags"]) == ([MAIL_APP], ["HideApp"])
    assert made["signInAudience"] == "AzureADMultipleOrgs"
    again = graph.post("servicePrincipals", json={"appId": MAIL_APP.upper()})
    assert error(again, 409) == (
        "Request_MultipleObjectsWithSameKeyValue",
        "The service principal cannot be created, updated, or restored because the service "
        f"principal name {MAIL_APP} is already in use.",
    )
    unknown = "0f0f0f0f-0000-0000-0000-000000000000"
    assert error(graph.post("servicePrincipals", json={"appId": unknown}), 400)[1] == (
        f"The appId '{unknown}' of the service principal does not reference a valid "
        "application object."
    )
    url = f"servicePrincipals/{made['id']}"
    patch: dict[str, object] = {
        "accountEnabled": False,
        "notes": None,
        "alternativeNames": [],
        "tags": [],
    }
    assert graph.patch(url, json=patch).status_code == 204
    assert graph.get(url).json()["accountEnabled"] is False
    error(graph.patch(url, json={"displayColour": "red"}), 400)
    error(graph.patch(url, json={"accountEnabled": "yes"}), 400)
    by_app = graph.get(f"servicePrincipals(appId='{MAIL_APP}')").json()
    assert by_app["id"] == made["id"]


def test_faults_by_path_page_and_method(sim: SimTenant, graph: httpx.Client) -> None:
    sim.page_size = 1
    sim.faults += [
        Fault("/servicePrincipals", status=429, headers={"Retry-After": "3"}, page="1"),
        Fault("/servicePrincipals", method="POST", times=2),
    ]
    first = graph.get("servicePrincipals")
    assert first.status_code == 200
    throttled = graph.get(first.json()["@odata.nextLink"])
    assert throttled.headers["Retry-After"] == "3"
    assert error(throttled, 429)[0] == "TooManyRequests"
    assert graph.get(first.json()["@odata.nextLink"]).status_code == 200
    for _ in range(2):
        assert error(graph.post("servicePrincipals", json={"appId": MAIL_APP}), 503)[0] == (
            "ServiceUnavailable"
        )
    created(graph.post("servicePrincipals", json={"appId": MAIL_APP}))


def test_a_stalled_answer_comes_late_but_right(sim: SimTenant, graph: httpx.Client) -> None:
    sim.faults.append(Fault("/organization", status=None, stall_s=0.3))
    started = time.monotonic()
    assert graph.get("organization").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_admin_endpoints(sim: SimTenant, graph: httpx.Client) -> None:
    admin = httpx.Client(base_url=f"{sim.origin}/_sim/")
    app = {"appId": "5A5A5A5A-0000-0000-0000-000000000002", "displayName": "Vendor"}
    assert admin.post("applications", json=app).status_code == 201
    assert admin.post("applications", json=app).status_code == 200
    made = created(graph.post("servicePrincipals", json={"appId": app["appId"]}))
    assert made["appId"] == app["appId"].lower()
    fault = {"path": "/organization", "status": 503}
    assert admin.post("faults", json=fault).status_code == 201
    assert admin.post("faults", json={"path": "/x", "colour": 1}).status_code == 400
    error(graph.get("organization"), 503)
    logged = admin.get("requests").json()["value"]
    assert [(r["method"], r["path"]) for r in logged] == [
        ("POST", "/v1.0/servicePrincipals"),
        ("GET", "/v1.0/organization"),
    ]
    assert logged[0]["body"] == {"appId": app["appId"]}
    assert admin.post("reset-requests").status_code == 204
    assert admin.get("requests").json()["value"] == []
    state = admin.get("state").json()
    assert made["id"] in {s["id"] for s in state["servicePrincipals"]}
    copy = SimTenant(state=state)
    assert copy.tenant.service_principal(made["id"])["appId"] == app["appId"].lower()
    copy.stop()


def test_the_example_seed_builds_the_example_tenant(sim: SimTenant, graph: httpx.Client) -> None:
    names = seed(sim.base_url, SEEDS / "contoso.yaml")
    members = graph.get(f"groups/{names['jira-users']['id']}/transitiveMembers").json()["value"]
    kinds = sorted(m["@odata.type"].rsplit(".", 1)[1] for m in members)
    assert kinds == ["device", "group", "user", "user", "user"]
    upns = {u["userPrincipalName"] for u in graph.get("users").json()["value"]}
    assert upns == {
        "adele.vance@contoso.com",
        "alex.wilber@contoso.com",
        "megan.bowen@contoso.com",
        "lee.gu@contoso.com",
        "jira-support@contoso.com",
    }
    pipeline = graph.get(f"servicePrincipals/{PIPELINE_SP}").json()
    assert (pipeline["appId"], pipeline["displayName"]) == (PIPELINE_APP, "entra-consent pipeline")
    assert pipeline["appOwnerOrganizationId"] == "11111111-2222-3333-4444-555555555555"
    assert names["pipeline"]["id"] == PIPELINE_SP
    # a seed is for a new tenant: the fixed id is taken the second time
    with pytest.raises(SeedError, match=r"^POST /_sim/next-ids: HTTP 400 .*already taken"):
        seed(sim.base_url, SEEDS / "contoso.yaml")
    with pytest.raises(SeedError, match="no earlier request"):
        seed(sim.base_url, [{"path": "/groups/${nope}/members/$ref", "body": {}}])
