"""Owners of service principals and groups: the listing, `$ref` adds and removals, owners bound
at create, their errors, the cascades, the state and seeds (simtenant/graph/owners.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from simtenant.graph import SimTenant, seed
from tests.simtenant.graph.conftest import MAIL_APP, created, error, group, sp_id, user

MISSING = "0f0f0f0f-0000-0000-0000-000000000000"
SEEDS = Path(__file__).resolve().parents[3] / "simtenant" / "seeds"


def ref(object_id: str, host: str = "https://graph.microsoft.com/v1.0") -> dict[str, str]:
    return {"@odata.id": f"{host}/directoryObjects/{object_id}"}


def owner_ids(graph: httpx.Client, path: str, **params: str) -> list[str]:
    return [o["id"] for o in graph.get(f"{path}/owners", params=params).json()["value"]]


@pytest.mark.parametrize("version", ["v1.0", "beta"])
def test_owners_are_listed_added_and_removed_by_ref(
    sim: SimTenant, graph: httpx.Client, version: str
) -> None:
    root = httpx.Client(base_url=f"{sim.origin}/{version}/", headers=graph.headers)
    megan = user(graph, "megan@contoso.com")["id"]
    robot = sp_id(graph, "00000002-0000-0ff1-ce00-000000000000")
    for path in (
        f"servicePrincipals/{sp_id(graph, MAIL_APP)}",
        f"groups/{group(graph, 'g')['id']}",
    ):
        assert root.get(f"{path}/owners").json()["value"] == []
        assert root.post(f"{path}/owners/$ref", json=ref(megan)).status_code == 204
        # any host and version in the reference, as go-azure-sdk sends its own base URI
        assert (
            root.post(f"{path}/owners/$ref", json=ref(robot, "https://x:1/beta")).status_code == 204
        )
        listed = root.get(f"{path}/owners").json()
        assert listed["@odata.context"].endswith(f"/{version}/$metadata#directoryObjects")
        assert [(o["@odata.type"], o["id"]) for o in listed["value"]] == [
            ("#microsoft.graph.user", megan),
            ("#microsoft.graph.servicePrincipal", robot),
        ]
        selected = root.get(f"{path}/owners", params={"$select": "id"}).json()["value"]
        assert [set(o) for o in selected] == [{"@odata.type", "id"}] * 2
        paged = root.get(f"{path}/owners", params={"$top": "1"}).json()
        assert len(paged["value"]) == 1 and "@odata.nextLink" in paged
        assert error(root.post(f"{path}/owners/$ref", json=ref(megan.upper())), 400) == (
            "Request_BadRequest",
            "One or more added object references already exist for the following modified "
            "properties: 'owners'.",
        )
        assert root.delete(f"{path}/owners/{megan}/$ref").status_code == 204
        assert owner_ids(root, path) == [robot]
        assert error(root.delete(f"{path}/owners/{megan}/$ref"), 404)[0] == (
            "Request_ResourceNotFound"
        )


def test_owner_errors(graph: httpx.Client) -> None:
    sp = sp_id(graph, MAIL_APP)
    team = group(graph, "team")["id"]
    code, message = error(graph.get(f"servicePrincipals/{MISSING}/owners"), 404)
    assert (code, message) == (
        "Request_ResourceNotFound",
        f"Resource '{MISSING}' does not exist or one of its queried reference-property objects "
        "are not present.",
    )
    error(graph.post(f"groups/{MISSING}/owners/$ref", json=ref(user(graph, "a@x.com")["id"])), 404)
    # a user's id is no group nor service principal
    adele = user(graph, "adele@contoso.com")["id"]
    error(graph.get(f"groups/{adele}/owners"), 404)
    error(graph.post(f"servicePrincipals/{sp}/owners/$ref", json=ref(MISSING)), 404)
    assert error(graph.post(f"servicePrincipals/{sp}/owners/$ref", json=ref(team)), 400)[1] == (
        f"The reference target 'Group_{team}' of type 'Group' is invalid for the 'owners' "
        "reference."
    )
    for hostile in ({}, {"@odata.id": 5}, {"@odata.id": "../../users"}, ref("not-a-guid")):
        assert error(graph.post(f"servicePrincipals/{sp}/owners/$ref", json=hostile), 400)[0] == (
            "Request_BadRequest"
        )
    assert error(graph.get(f"servicePrincipals/{sp}/owners/$ref"), 405)[0] == "Request_BadRequest"
    assert owner_ids(graph, f"servicePrincipals/{sp}") == []


def test_owners_bound_at_create(sim: SimTenant, graph: httpx.Client) -> None:
    caller = sp_id(graph, "00000002-0000-0ff1-ce00-000000000000")
    megan = user(graph, "megan@contoso.com")["id"]
    bind = [
        f"https://127.0.0.1:1/v1.0/directoryObjects/{caller}",
        f"https://graph.microsoft.com/v1.0/directoryObjects/{megan}",
    ]
    made = created(
        graph.post("servicePrincipals", json={"appId": MAIL_APP, "owners@odata.bind": bind})
    )
    assert "owners@odata.bind" not in made
    assert owner_ids(graph, f"servicePrincipals/{made['id']}") == [caller, megan]
    body = {"displayName": "M", "mailNickname": "m", "mailEnabled": False, "securityEnabled": True}
    team = created(graph.post("groups", json={**body, "owners@odata.bind": bind[1:]}))
    assert owner_ids(graph, f"groups/{team['id']}") == [megan]
    # Graph's create refusals: a reference to no object (the create the provider retries), a
    # group as owner, a bind that is not a list
    before = sim.state()
    answers: list[tuple[Any, int, str]] = [
        (
            [f"https://graph.microsoft.com/v1.0/directoryObjects/{MISSING}"],
            400,
            f"Resource '{MISSING}' does not exist or one of its queried reference-property objects "
            "are not present.",
        ),
        (
            [f"https://graph.microsoft.com/v1.0/directoryObjects/{team['id']}"],
            400,
            f"The reference target 'Group_{team['id']}' of type 'Group' is invalid for the "
            "'owners' reference.",
        ),
        (
            "https://graph.microsoft.com/v1.0/directoryObjects/x",
            400,
            "Invalid value specified for property 'owners@odata.bind' of resource "
            "'ServicePrincipal'.",
        ),
        (["nonsense"], 400, "Invalid object identifier 'nonsense'."),
    ]
    app = MAIL_APP  # its service principal is deleted: each refused create would make it
    graph.delete(f"servicePrincipals/{made['id']}")
    for value, status, message in answers:
        answer = graph.post("servicePrincipals", json={"appId": app, "owners@odata.bind": value})
        assert error(answer, status)[1] == message
        group_answer = graph.post("groups", json={**body, "owners@odata.bind": value})
        assert error(group_answer, status)[1] == message.replace("'ServicePrincipal'", "'Group'")
    state = sim.state()
    assert len(state["groups"]) == len(before["groups"])
    assert app not in {s["appId"] for s in state["servicePrincipals"]}
    # members@odata.bind naming no object is the same 400 (it was a 404)
    missing = [f"https://graph.microsoft.com/v1.0/directoryObjects/{MISSING}"]
    assert error(graph.post("groups", json={**body, "members@odata.bind": missing}), 400)[0] == (
        "Request_BadRequest"
    )


def test_deletes_cascade_and_the_state_keeps_owners(sim: SimTenant, graph: httpx.Client) -> None:
    sp = sp_id(graph, MAIL_APP)
    megan, lee = user(graph, "megan@contoso.com")["id"], user(graph, "lee@contoso.com")["id"]
    robot = sp_id(graph, "00000002-0000-0ff1-ce00-000000000000")
    team = group(graph, "team")["id"]
    for owned in (f"servicePrincipals/{sp}", f"groups/{team}"):
        for owner in (megan, lee, robot):
            assert graph.post(f"{owned}/owners/$ref", json=ref(owner)).status_code == 204
    state = sim.state()
    assert state["owners"] == {sp: [megan, lee, robot], team: [megan, lee, robot]}
    copy = SimTenant(state=state)
    assert [o["id"] for o in copy.tenant.owners_of(team)] == [megan, lee, robot]
    copy.stop()
    assert graph.delete(f"users/{megan}").status_code == 204
    assert graph.delete(f"servicePrincipals/{robot}").status_code == 204
    assert owner_ids(graph, f"groups/{team}") == [lee]
    assert graph.delete(f"groups/{team}").status_code == 204
    assert sim.state()["owners"] == {sp: [lee]}
    # a state written before owners existed still loads
    old = sim.state()
    del old["owners"], old["verifiedDomains"]
    copy = SimTenant(state=old)
    assert copy.tenant.owners == {}
    copy.stop()


def test_a_seed_sets_owners(sim: SimTenant, graph: httpx.Client) -> None:
    names = seed(
        sim.base_url,
        [
            {
                "path": "/users",
                "as": "megan",
                "body": {"displayName": "M", "userPrincipalName": "m@x.com"},
            },
            {
                "path": "/servicePrincipals",
                "as": "mail",
                "body": {
                    "appId": MAIL_APP,
                    "owners@odata.bind": [
                        "https://graph.microsoft.com/v1.0/directoryObjects/${megan}"
                    ],
                },
            },
        ],
    )
    assert owner_ids(graph, f"servicePrincipals/{names['mail']['id']}") == [names["megan"]["id"]]
    assert sim.state()["owners"] == {names["mail"]["id"]: [names["megan"]["id"]]}


def test_the_providers_create_of_a_service_principal(sim: SimTenant, graph: httpx.Client) -> None:
    """terraform-provider-azuread v3.9.0 binds its caller as owner, patches the description,
    then removes the caller (service_principal_resource.go lines 433-526): the caller must
    exist, which the example seed provides."""
    caller = "51a7e27a-0000-4000-8000-0000000000b1"
    body = {
        "accountEnabled": True,
        "alternativeNames": [],
        "appId": MAIL_APP,
        "appRoleAssignmentRequired": False,
        "description": "TERRAFORM_UPDATE_0f0f0f0f-0000-0000-0000-000000000000",
        "notificationEmailAddresses": [],
        "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
        "owners@odata.bind": [f"{sim.origin}/v1.0/directoryObjects/{caller}"],
    }
    assert error(graph.post("servicePrincipals", json=body), 400)[1] == (
        f"Resource '{caller}' does not exist or one of its queried reference-property objects "
        "are not present."
    )
    seed(sim.base_url, SEEDS / "contoso.yaml")
    made = created(graph.post("servicePrincipals", json=body))
    path = f"servicePrincipals/{made['id']}"
    assert owner_ids(graph, path) == [caller]
    assert graph.patch(path, json={"description": "Mail"}).status_code == 204
    assert graph.delete(f"{path}/owners/{caller}/$ref").status_code == 204
    assert owner_ids(graph, path) == []
    assert graph.get(path).json()["description"] == "Mail"
