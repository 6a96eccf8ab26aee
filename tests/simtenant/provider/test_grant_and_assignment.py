"""Delegated permission grants and app role assignments: Graph's 409 for a duplicate grant,
claim values as a set, the replacement rules, reads of deleted objects."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]
import pytest
from pulumi.runtime.proto import provider_pb2

from simtenant.provider.props import UNKNOWN
from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import ASSIGNMENT, GRANT

APP = "aaaaaaaa-2222-4000-8000-000000000001"
GRAPH_APP = "00000003-0000-0000-c000-000000000000"
DEFAULT_ROLE = "00000000-0000-0000-0000-000000000000"


def _setup(env: Env) -> tuple[str, str]:
    env.seed.application(APP, "Vendor App")
    return env.seed.service_principal(APP), env.seed.sp_id(GRAPH_APP)


def _grant(
    client: str, resource: str, claims: list[str], user: str | None = None
) -> dict[str, object]:
    inputs: dict[str, object] = {
        "servicePrincipalObjectId": client,
        "resourceServicePrincipalObjectId": resource,
        "claimValues": claims,
    }
    if user:
        inputs["userObjectId"] = user
    return inputs


def test_grant_lifecycle_and_duplicate_409(env: Env) -> None:
    client, graph = _setup(env)
    env.sim.reset_requests()
    rid, out = env.plugin.create(GRANT, _grant(client, graph, ["User.Read", "Mail.Read"]))
    assert rid.startswith("/oauth2PermissionGrants/")
    post = next(r for r in env.sim.requests if r.method == "POST")
    assert post.body == {
        "clientId": client,
        "resourceId": graph,
        "scope": "User.Read Mail.Read",
        "consentType": "AllPrincipals",
    }
    assert out == {
        "claimValues": ["User.Read", "Mail.Read"],
        "resourceServicePrincipalObjectId": graph,
        "servicePrincipalObjectId": client,
        "userObjectId": "",
    }
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(GRANT, _grant(client, graph, ["Calendars.Read"]))
    # go-azure-sdk's error text, under the provider's diagnostic, through the bridge.
    assert caught.value.details() == (
        "1 error occurred:\n\t* Could not create delegated permission grant: unexpected "
        "status 409 (409 Conflict) with error: Request_MultipleObjectsWithSameKeyValue: "
        "Permission entry already exists.\n\n"
    )
    assert sum(r.method == "POST" for r in env.sim.requests) == 2  # a 409 is not retried

    updated = env.plugin.update(
        GRANT, rid, out, _grant(client, graph, ["User.Read", "Calendars.Read"])
    )
    assert updated["claimValues"] == ["User.Read", "Calendars.Read"]
    patch = next(r for r in env.sim.requests if r.method == "PATCH")
    assert patch.body == {"scope": "User.Read Calendars.Read"}

    env.plugin.delete(GRANT, rid, updated)
    assert env.plugin.read(GRANT, rid, updated)[0] == ""


def test_grant_diff_set_semantics_and_replacements(env: Env) -> None:
    client, graph = _setup(env)
    user = env.seed.user("adele.vance@contoso.com")
    rid, olds = env.plugin.create(GRANT, _grant(client, graph, ["User.Read", "Mail.Read"], user))
    same = env.plugin.diff(
        GRANT, rid, olds, _grant(client, graph, ["Mail.Read", "User.Read"], user)
    )
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE
    scopes = env.plugin.diff(
        GRANT, rid, olds, _grant(client, graph, ["Mail.Read", "Files.Read"], user)
    )
    assert list(scopes.diffs) == ["claimValues"] and not scopes.replaces
    assert {k: v.kind for k, v in scopes.detailedDiff.items()} == {
        "claimValues[0]": provider_pb2.PropertyDiff.DELETE,  # User.Read, index in the old list
        "claimValues[1]": provider_pb2.PropertyDiff.ADD,  # Files.Read, index in the new list
    }
    for changed in (
        _grant(graph, graph, ["Mail.Read", "User.Read"], user),
        _grant(client, client, ["Mail.Read", "User.Read"], user),
        _grant(client, graph, ["Mail.Read", "User.Read"]),
        _grant(client, graph, ["Mail.Read", "User.Read"], UNKNOWN),
    ):
        resp = env.plugin.diff(GRANT, rid, olds, changed)
        assert resp.changes == provider_pb2.DiffResponse.DIFF_SOME and list(resp.replaces)


def test_grant_check_wants_a_claim_value_and_uuids(env: Env) -> None:
    """The schema's validation, worded as the bridge's Check words it: no property, the
    diagnostic's summary and detail, then where to look."""
    client, resource = (
        "aaaaaaaa-0000-4000-8000-000000000001",
        "aaaaaaaa-0000-4000-8000-000000000002",
    )
    _, failures = env.plugin.check(GRANT, _grant(client, resource, []))
    assert failures == [
        (
            "",
            "Not enough list items. Attribute claim_values requires 1 item minimum, but config "
            "has only 0 declared.. Examine values at 'r.claimValues'.",
        )
    ]
    _, failures = env.plugin.check(GRANT, _grant(client, resource, ["User.Read", ""]))
    assert failures == [
        (
            "",
            'expected "claim_values.1" to not be an empty string, got . Examine values at '
            "'r.claimValues[1]'.",
        )
    ]
    _, failures = env.plugin.check(GRANT, _grant("a", resource, ["x"], user="Adele"))
    assert sorted(r for _, r in failures) == [
        'expected "service_principal_object_id" to be a valid UUID, got a. Examine values at '
        "'r.servicePrincipalObjectId'.",
        'expected "user_object_id" to be a valid UUID, got Adele. Examine values at '
        "'r.userObjectId'.",
    ]
    # Values not known yet pass.
    unknown = {**_grant(UNKNOWN, UNKNOWN, ["x"], user=UNKNOWN), "claimValues": UNKNOWN}
    assert env.plugin.check(GRANT, unknown)[1] == []


def test_import_of_a_grant_returns_its_inputs(env: Env) -> None:
    client, graph = _setup(env)
    made = env.seed.request(
        "POST",
        "oauth2PermissionGrants",
        {
            "clientId": client,
            "resourceId": graph,
            "consentType": "AllPrincipals",
            "scope": " User.Read  Mail.Read ",
        },
    )
    rid, props, inputs = env.plugin.read(GRANT, f"/oauth2PermissionGrants/{made['id']}")
    assert rid == f"/oauth2PermissionGrants/{made['id']}"
    assert props["claimValues"] == ["User.Read", "Mail.Read"]
    assert inputs == _grant(client, graph, ["User.Read", "Mail.Read"])
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.read(GRANT, str(made["id"]))
    assert "OAuth2PermissionGrant ID" in caught.value.details()


def test_assignment_create_read_replace_delete(env: Env) -> None:
    client, _ = _setup(env)
    user = env.seed.user("alex.wilber@contoso.com")
    group = env.seed.group("Jira Users")
    inputs = {"appRoleId": DEFAULT_ROLE, "principalObjectId": user, "resourceObjectId": client}
    rid, out = env.plugin.create(ASSIGNMENT, inputs)
    assert rid.startswith(f"/servicePrincipals/{client}/appRoleAssignedTo/")
    assert out["principalType"] == "User" and out["resourceDisplayName"] == "Vendor App"
    for key, value in (
        ("principalObjectId", group),
        ("appRoleId", APP),
        ("resourceObjectId", user),
    ):
        resp = env.plugin.diff(ASSIGNMENT, rid, out, {**inputs, key: value})
        assert list(resp.replaces) == [key]
    assert (
        env.plugin.diff(ASSIGNMENT, rid, out, inputs).changes == provider_pb2.DiffResponse.DIFF_NONE
    )
    _, _, imported = env.plugin.read(ASSIGNMENT, rid)
    assert imported == inputs
    env.plugin.delete(ASSIGNMENT, rid, out)
    assert env.plugin.read(ASSIGNMENT, rid, out)[0] == ""
