"""Grants and app role assignments: Graph's rules, over plain HTTP."""

from __future__ import annotations

import httpx
import pytest

from simtenant.graph import SimTenant
from tests.simtenant.graph.conftest import (
    DEFAULT_ROLE,
    GRAPH_APP,
    MAIL_APP,
    add_member,
    created,
    error,
    group,
    sp_id,
    user,
)

ROLE = "62e90394-69f5-4237-9190-012177145e10"


def grant(graph: httpx.Client, **body: str) -> httpx.Response:
    return graph.post("oauth2PermissionGrants", json=body)


def test_one_grant_per_client_resource_and_target(graph: httpx.Client) -> None:
    client, api = sp_id(graph, MAIL_APP), sp_id(graph, GRAPH_APP)
    adele = user(graph, "adele@contoso.com")["id"]
    first = created(
        grant(graph, clientId=client, resourceId=api, consentType="AllPrincipals", scope="openid")
    )
    assert len(first["id"]) == 43 and first["principalId"] is None
    duplicate = grant(
        graph, clientId=client, resourceId=api, consentType="AllPrincipals", scope="User.Read"
    )
    assert error(duplicate, 409) == (
        "Request_MultipleObjectsWithSameKeyValue",
        "Permission entry already exists.",
    )
    # A per-user grant for the same pair coexists with the tenant-wide one; once per user.
    body = {"clientId": client, "resourceId": api, "consentType": "Principal"}
    created(grant(graph, **body, principalId=adele, scope="Mail.Read"))
    error(grant(graph, **body, principalId=adele, scope="Mail.Send"), 409)
    listed = graph.get(f"servicePrincipals/{client}/oauth2PermissionGrants").json()["value"]
    assert len(listed) == 2
    both = f"clientId eq '{client}' and consentType eq 'Principal'"
    filtered = graph.get("oauth2PermissionGrants", params={"$filter": both}).json()["value"]
    assert [g["principalId"] for g in filtered] == [adele]


def test_patch_changes_the_scope_only(graph: httpx.Client) -> None:
    client, api = sp_id(graph, MAIL_APP), sp_id(graph, GRAPH_APP)
    made = created(
        grant(graph, clientId=client, resourceId=api, consentType="AllPrincipals", scope="openid")
    )
    url = f"oauth2PermissionGrants/{made['id']}"
    assert graph.patch(url, json={"scope": "openid User.Read"}).status_code == 204
    assert graph.get(url).json()["scope"] == "openid User.Read"
    refused = graph.patch(url, json={"consentType": "Principal", "scope": "x"})
    assert error(refused, 400)[0] == "Request_BadRequest"
    other = sp_id(graph, "00000002-0000-0ff1-ce00-000000000000")
    error(graph.patch(url, json={"resourceId": other}), 400)
    assert graph.get(url).json()["scope"] == "openid User.Read"
    # Unchanged values and annotations, as SDKs send them, are no change.
    same = {"@odata.type": "#microsoft.graph.oAuth2PermissionGrant", "clientId": client}
    assert graph.patch(url, json={**same, "scope": "openid"}).status_code == 204


def test_principal_must_be_an_existing_user(graph: httpx.Client) -> None:
    client, api = sp_id(graph, MAIL_APP), sp_id(graph, GRAPH_APP)
    team = group(graph, "Team")["id"]
    body = {"clientId": client, "resourceId": api, "consentType": "Principal", "scope": "openid"}
    _, message = error(grant(graph, **body, principalId=team), 400)
    assert "principalId" in message
    missing = "0f0f0f0f-0000-0000-0000-000000000000"
    assert error(grant(graph, **body, principalId=missing), 404)[0] == "Request_ResourceNotFound"
    error(grant(graph, **body), 400)  # Principal without principalId
    tenant_wide = {**body, "consentType": "AllPrincipals"}
    error(grant(graph, **{**tenant_wide, "clientId": missing}), 404)
    error(grant(graph, **{**tenant_wide, "principalId": team}), 400)  # AllPrincipals: none


def test_scope_is_at_most_3850_characters(graph: httpx.Client) -> None:
    client, api = sp_id(graph, MAIL_APP), sp_id(graph, GRAPH_APP)
    body = {"clientId": client, "resourceId": api, "consentType": "AllPrincipals"}
    error(grant(graph, **body, scope="x" * 3851), 400)
    created(grant(graph, **body, scope="x" * 3850))


def register(sim: SimTenant, app_id: str, roles: list[dict[str, object]]) -> None:
    body = {"appId": app_id, "displayName": "Vendor app", "appRoles": roles}
    response = httpx.post(f"{sim.origin}/_sim/applications", json=body)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("member_types", "default_allowed"), [(["User"], False), (["Application"], True)]
)
def test_the_default_role_is_refused_where_the_app_publishes_user_roles(
    sim: SimTenant, graph: httpx.Client, member_types: list[str], default_allowed: bool
) -> None:
    app = "5a5a5a5a-0000-0000-0000-000000000001"
    register(sim, app, [{"id": ROLE, "value": "Agent", "allowedMemberTypes": member_types}])
    resource = sp_id(graph, app)
    adele = user(graph, "adele@contoso.com")["id"]
    url = f"servicePrincipals/{resource}/appRoleAssignedTo"
    body = {"principalId": adele, "resourceId": resource, "appRoleId": DEFAULT_ROLE}
    if default_allowed:
        created(graph.post(url, json=body))
        error(graph.post(url, json={**body, "appRoleId": ROLE}), 400)  # not a user role
    else:
        assert "not found on application" in error(graph.post(url, json=body), 400)[1]
        made = created(graph.post(url, json={**body, "appRoleId": ROLE}))
        assert (made["principalType"], made["principalDisplayName"]) == ("User", "adele")
        assert made["resourceDisplayName"] == "Vendor app"
        assert graph.get(f"{url}/{made['id']}").json()["appRoleId"] == ROLE


def test_assignments_are_unique_and_listed_from_both_ends(graph: httpx.Client) -> None:
    resource = sp_id(graph, MAIL_APP)
    team = group(graph, "Team")["id"]
    url = f"servicePrincipals/{resource}/appRoleAssignedTo"
    body = {"principalId": team, "resourceId": resource, "appRoleId": DEFAULT_ROLE}
    made = created(graph.post(url, json=body))
    assert made["principalType"] == "Group"
    assert error(graph.post(url, json=body), 409)[1] == (
        "Permission being assigned already exists on the object"
    )
    other = sp_id(graph, GRAPH_APP)
    error(graph.post(url, json={**body, "resourceId": other}), 400)
    error(graph.post(url, json={**body, "principalId": other}), 400)  # not a user or group
    assert [a["id"] for a in graph.get(f"groups/{team}/appRoleAssignments").json()["value"]] == [
        made["id"]
    ]
    assert graph.delete(f"{url}/{made['id']}").status_code == 204
    error(graph.get(f"{url}/{made['id']}"), 404)


def test_deletes_cascade(graph: httpx.Client) -> None:
    client, api = sp_id(graph, MAIL_APP), sp_id(graph, GRAPH_APP)
    adele = user(graph, "adele@contoso.com")["id"]
    alex = user(graph, "alex@contoso.com")["id"]
    team = group(graph, "Team")["id"]
    assert add_member(graph, team, adele).status_code == 204
    base = {"clientId": client, "resourceId": api, "scope": "openid"}
    created(grant(graph, **base, consentType="Principal", principalId=adele))
    kept = created(grant(graph, **base, consentType="Principal", principalId=alex))
    url = f"servicePrincipals/{client}/appRoleAssignedTo"
    for principal in (adele, alex):
        body = {"principalId": principal, "resourceId": client, "appRoleId": DEFAULT_ROLE}
        created(graph.post(url, json=body))

    assert graph.delete(f"users/{adele}").status_code == 204
    grants = graph.get("oauth2PermissionGrants").json()["value"]
    assert [g["id"] for g in grants] == [kept["id"]]
    assert [a["principalId"] for a in graph.get(url).json()["value"]] == [alex]
    assert graph.get(f"groups/{team}/members").json()["value"] == []

    assert graph.delete(f"servicePrincipals/{client}").status_code == 204
    assert graph.get("oauth2PermissionGrants").json()["value"] == []
    assert graph.get(f"users/{alex}/appRoleAssignments").json()["value"] == []
    error(graph.get(url), 404)
