"""Records Graph should never send: a field that decides the consent picture stops discovery with
one line naming the listing, the record and the field; a cosmetic one is a problem, left
blank. Never a traceback, never a record read as something else."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from previews.tenant.discover_tenant import ServicePrincipalRecord, TenantReader
from previews.tenant.graph_client import GraphClient, GraphError, StaticToken

SP = ServicePrincipalRecord(id="sp1", app_id="app1", display_name="Mail")
GRANTS = "graph: GET servicePrincipals/sp1/oauth2PermissionGrants"
ASSIGNMENTS = "graph: GET servicePrincipals/sp1/appRoleAssignedTo"

GRANT = {
    "id": "g1",
    "clientId": "SP1",
    "resourceId": "api1",
    "consentType": "AllPrincipals",
    "principalId": None,
    "scope": "User.Read",
}
SERVICE_PRINCIPAL = {
    "id": "sp1",
    "appId": "app1",
    "displayName": "Mail",
    "appRoleAssignmentRequired": True,
    "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
    "notes": None,
}
ASSIGNMENT = {
    "id": "a1",
    "appRoleId": "role1",
    "principalId": "u1",
    "principalType": "User",
    "principalDisplayName": "Pat",
    "resourceId": "sp1",
}


def reader_of(*items: Any, objects: dict[str, Any] | None = None) -> TenantReader:
    """Every listing answers `items`; a path in `objects` answers its object."""

    def handler(request: httpx.Request) -> httpx.Response:
        found = (objects or {}).get(request.url.path.removeprefix("/v1.0/"))
        return httpx.Response(200, json=found if found else {"value": list(items)})

    client = GraphClient(
        "https://graph.microsoft.com/v1.0",
        StaticToken("t"),
        transport=httpx.MockTransport(handler),
    )
    return TenantReader(client)


def with_(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = {**record, **changes}
    return {k: v for k, v in changed.items() if v is not ...}  # ...: leave the field out


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            with_(GRANT, consentType=None),
            f"{GRANTS}: record 2 (id 'g1'): consentType is null (expected AllPrincipals or Principal)",
        ),
        (
            with_(GRANT, consentType="Weird"),
            f"{GRANTS}: record 2 (id 'g1'): consentType is 'Weird' (expected AllPrincipals or Principal)",
        ),
        (
            with_(GRANT, consentType=...),
            f"{GRANTS}: record 2 (id 'g1'): consentType is missing (expected AllPrincipals or Principal)",
        ),
        (
            with_(GRANT, consentType="Principal"),
            f"{GRANTS}: record 2 (id 'g1'): principalId is null (expected a user's object id, "
            "for a Principal grant)",
        ),
        (
            with_(GRANT, scope=7),
            f"{GRANTS}: record 2 (id 'g1'): scope is 7 (expected text or null)",
        ),
        (with_(GRANT, id=...), f"{GRANTS}: record 2: id is missing (expected text)"),
        (
            with_(GRANT, clientId=["x"]),
            f"{GRANTS}: record 2 (id 'g1'): clientId is a JSON array (expected an object id)",
        ),
        (
            with_(GRANT, principalId=5),
            f"{GRANTS}: record 2 (id 'g1'): principalId is 5 (expected text or null)",
        ),
    ],
)
def test_an_odd_grant_is_one_line(item: dict[str, Any], expected: str) -> None:
    reader = reader_of(GRANT, item)
    with pytest.raises(GraphError) as caught:
        reader.grants(SP)
    assert str(caught.value) == expected


def test_a_good_grant_is_read_as_before() -> None:
    principal = with_(GRANT, id="g2", consentType="Principal", principalId="U1", scope=None)
    first, second = reader_of(GRANT, principal).grants(SP)
    assert (first.client_id, first.consent_type, first.principal_id) == (
        "sp1",
        "AllPrincipals",
        None,
    )
    assert first.scopes() == ("User.Read",)
    assert (second.consent_type, second.principal_id, second.scope) == ("Principal", "u1", "")


SPS = "graph: GET servicePrincipals: record 1 (id 'sp1')"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (with_(SERVICE_PRINCIPAL, tags=5), f"{SPS}: tags is 5 (expected a list of text)"),
        (with_(SERVICE_PRINCIPAL, tags=["a", 5]), f"{SPS}: tags[1] is 5 (expected text)"),
        (
            with_(SERVICE_PRINCIPAL, appRoleAssignmentRequired="yes"),
            f"{SPS}: appRoleAssignmentRequired is 'yes' (expected true, false or null)",
        ),
        (
            with_(SERVICE_PRINCIPAL, notes={"a": 1}),
            f"{SPS}: notes is a JSON object (expected text or null)",
        ),
        (with_(SERVICE_PRINCIPAL, appId=""), f"{SPS}: appId is '' (expected an object id)"),
        (
            with_(SERVICE_PRINCIPAL, id=None),
            "graph: GET servicePrincipals: record 1: id is null (expected an object id)",
        ),
    ],
)
def test_an_odd_service_principal_is_one_line(item: dict[str, Any], expected: str) -> None:
    with pytest.raises(GraphError) as caught:
        reader_of(item).service_principals("appId", ["app1"])
    assert str(caught.value) == expected


def test_a_display_name_that_is_not_text_is_a_problem_left_blank() -> None:
    reader = reader_of(with_(SERVICE_PRINCIPAL, displayName=5, tags=None))
    (sp,) = reader.service_principals("appId", ["app1"])
    assert (sp.display_name, sp.tags) == ("", [])
    assert reader.problems == [f"{SPS}: displayName is 5 (expected text); left blank"]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            with_(ASSIGNMENT, principalType=5),
            f"{ASSIGNMENTS}: record 1 (id 'a1'): principalType is 5 (expected User, Group or "
            "ServicePrincipal)",
        ),
        (
            with_(ASSIGNMENT, principalId=...),
            f"{ASSIGNMENTS}: record 1 (id 'a1'): principalId is missing (expected an object id)",
        ),
    ],
)
def test_an_odd_assignment_is_one_line(item: dict[str, Any], expected: str) -> None:
    with pytest.raises(GraphError) as caught:
        reader_of(item).assignments(SP)
    assert str(caught.value) == expected


def test_an_odd_principal_display_name_is_a_problem() -> None:
    reader = reader_of(with_(ASSIGNMENT, principalDisplayName=["Pat"]))
    (found,) = reader.assignments(SP)
    assert found.principal_display_name is None
    assert reader.problems == [
        f"{ASSIGNMENTS}: record 1 (id 'a1'): principalDisplayName is a JSON array (expected "
        "text); left blank"
    ]


def test_a_user_without_a_user_principal_name_is_one_line() -> None:
    reader = reader_of({"id": "u1", "userPrincipalName": None})
    with pytest.raises(GraphError) as caught:
        reader.users(["pat@contoso.com"], [])
    assert str(caught.value) == (
        "graph: GET users: record 1 (id 'u1'): userPrincipalName is null (expected text)"
    )


def test_a_group_by_id_keeps_its_user_members() -> None:
    group_id = "00000000-0000-0000-0000-000000000001"
    group = {"id": group_id, "displayName": 7}
    user = {"@odata.type": "#microsoft.graph.user", "id": "U1", "userPrincipalName": "a@b"}
    device = {"@odata.type": "#microsoft.graph.device", "id": "d1"}
    reader = reader_of(user, device, objects={f"groups/{group_id}": group})
    found = reader.group(group_id)
    assert found is not None
    assert (found.display_name, found.user_ids) == ("", ["u1"])
    assert reader.problems == [
        f"graph: GET groups/{group_id}: record 1 (id '{group_id}'): displayName is 7 "
        "(expected text); left blank"
    ]


def test_a_group_member_of_unknown_type_is_one_line() -> None:
    group_id = "00000000-0000-0000-0000-000000000001"
    group = {"id": group_id, "displayName": "Jira Users"}
    user = {"@odata.type": "#microsoft.graph.user", "id": "u1", "userPrincipalName": "a@b"}
    untyped = {"id": "u2", "userPrincipalName": "pat@contoso.com"}  # no @odata.type
    reader = reader_of(user, untyped, objects={f"groups/{group_id}": group})
    with pytest.raises(GraphError) as caught:
        reader.group(group_id)
    assert str(caught.value) == (
        f"graph: GET groups/{group_id}/transitiveMembers: record 2 (id 'u2'): @odata.type is missing "
        "(expected the member's type, e.g. #microsoft.graph.user)"
    )


def test_a_non_object_record_is_one_line() -> None:
    with pytest.raises(GraphError) as caught:
        reader_of(GRANT, "g2").grants(SP)
    assert str(caught.value) == (
        "graph: GET /v1.0/servicePrincipals/sp1/oauth2PermissionGrants: page 1 of grants of "
        "Mail: record 2 is 'g2', not an object (the listing cannot be trusted; run discover again)"
    )


def test_server_text_in_a_record_line_is_cleaned() -> None:
    item = with_(GRANT, id="g\x1b[2J\n1\u202e", consentType="Weird\r\nline")
    with pytest.raises(GraphError) as caught:
        reader_of(item).grants(SP)
    assert str(caught.value) == (
        f"{GRANTS}: record 1 (id 'g 1'): consentType is 'Weird line' (expected AllPrincipals "
        "or Principal)"
    )
