"""go-azure-sdk's retries, under each operation's deadline: 429 (waiting Retry-After), 5xx but
501, 408 and 424 are sent again; how many times follows the time left (5 minutes for data
sources and grants, 10 for service principals, or the program's customTimeouts); the
resources' own create rules (replication 404s and 400s) ride on the same retries."""

from __future__ import annotations

import time

import grpc  # type: ignore[import-untyped]
import pytest

from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import GRANT, SP

GET_USERS = "azuread:index/getUsers:getUsers"
APP = "aaaaaaaa-3333-4000-8000-000000000001"
GRAPH_APP = "00000003-0000-0000-c000-000000000000"


def _count(env: Env, method: str, path: str) -> int:
    return sum(r.method == method and r.path == path for r in env.sim.requests)


def _grant(env: Env, client: str | None = None) -> dict[str, object]:
    if client is None:
        env.seed.application(APP, "Vendor App")
        client = env.seed.service_principal(APP)
    return {
        "servicePrincipalObjectId": client,
        "resourceServicePrincipalObjectId": env.seed.sp_id(GRAPH_APP),
        "claimValues": ["User.Read"],
    }


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 424, 429])
def test_transient_statuses_are_sent_again(env: Env, status: int) -> None:
    env.seed.user("adele.vance@contoso.com")
    env.seed.fault("/users", status, times=2)
    env.sim.reset_requests()
    out = env.plugin.call(GET_USERS, {"returnAll": True})
    assert len(out["objectIds"]) == 1
    assert _count(env, "GET", "/v1.0/users") == 3


@pytest.mark.parametrize("status", [501, 400, 403, 404, 409])
def test_other_statuses_are_not(env: Env, status: int) -> None:
    env.seed.fault("/users", status, code="Scripted", message="No.")
    env.sim.reset_requests()
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_USERS, {"returnAll": True})
    assert _count(env, "GET", "/v1.0/users") == 1
    assert f"Could not retrieve users: unexpected status {status} ({status} " in (
        caught.value.details()
    )


def test_a_data_source_retries_as_often_as_five_minutes_allow(env: Env) -> None:
    """safeRetryNumber(5 min) = 9 retries: ten requests, then the last answer is the error."""
    env.seed.fault("/users", 503, times=100)
    env.sim.reset_requests()
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_USERS, {"returnAll": True})
    assert _count(env, "GET", "/v1.0/users") == 10
    assert caught.value.details() == (
        "invoking azuread:index/getUsers:getUsers: 1 error occurred:\n\t* Could not retrieve "
        "users: unexpected status 503 (503 Service Unavailable) with error: "
        "ServiceUnavailable: Service unavailable.\n\n"
    )


def test_retry_after_is_honoured(env: Env) -> None:
    env.seed.user("adele.vance@contoso.com")
    env.seed.fault("/users", 429, headers={"Retry-After": "1"})
    started = time.monotonic()
    env.plugin.call(GET_USERS, {"returnAll": True})
    assert time.monotonic() - started >= 1.0


def test_graph_throttling_is_waited_out(env: Env) -> None:
    """The simulated tenant's write limits: the second write gets 429 with Retry-After, and
    the provider waits that long and gets in."""
    inputs = _grant(env)
    rid, out = env.plugin.create(GRANT, inputs)
    env.seed.admin("POST", "throttle", {"app_writes": 1, "app_window_s": 1})
    env.plugin.update(GRANT, rid, out, {**inputs, "claimValues": ["Mail.Read"]})  # admitted
    env.sim.reset_requests()
    started = time.monotonic()
    updated = env.plugin.update(GRANT, rid, out, {**inputs, "claimValues": ["User.Read"]})
    assert time.monotonic() - started >= 1.0
    assert updated["claimValues"] == ["User.Read"]
    assert _count(env, "PATCH", f"/v1.0{rid}") == 2
    assert env.seed.admin("GET", "throttle")["throttled"] == 1


def test_custom_timeouts_bound_the_retries(env: Env) -> None:
    """A grant's create: 5 minutes (10 tries); `customTimeouts: {create: 5s}`: 1 retry."""
    inputs = _grant(env)
    env.seed.fault("/oauth2PermissionGrants", 503, method="POST", times=100)
    env.sim.reset_requests()
    with pytest.raises(grpc.RpcError):
        env.plugin.create(GRANT, inputs)
    assert _count(env, "POST", "/v1.0/oauth2PermissionGrants") == 10
    env.sim.reset_requests()
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(GRANT, inputs, timeout=5)
    assert _count(env, "POST", "/v1.0/oauth2PermissionGrants") == 2
    assert "Could not create delegated permission grant: unexpected status 503" in (
        caught.value.details()
    )


def test_a_retry_after_past_the_deadline_ends_at_the_deadline(env: Env) -> None:
    inputs = _grant(env)
    env.seed.fault("/oauth2PermissionGrants", 429, method="POST", headers={"Retry-After": "30"})
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(GRANT, inputs, timeout=4)
    assert 3.5 <= time.monotonic() - started < 10
    url = f"{env.sim.base_url}/oauth2PermissionGrants"
    assert caught.value.details() == (
        "1 error occurred:\n\t* Could not create delegated permission grant: "
        f'Post "{url}": context deadline exceeded\n\n'
    )


def test_a_grant_create_waits_out_replication_within_its_deadline(env: Env) -> None:
    """The grant's own rule (a 400 "does not exist or one of its queried reference-property
    objects are not present" for a service principal not replicated yet) on the SDK's retries:
    three refusals waited out; with 5 s, one retry only, and the refusal is the error."""
    env.seed.application(APP, "Vendor App")
    env.seed.admin("POST", "replication", {"requests": 3, "on": ["reference"]})
    inputs = _grant(env, env.seed.service_principal(APP))
    env.sim.reset_requests()
    rid, _ = env.plugin.create(GRANT, inputs)
    assert rid.startswith("/oauth2PermissionGrants/")
    assert _count(env, "POST", "/v1.0/oauth2PermissionGrants") == 4

    other = "aaaaaaaa-3333-4000-8000-000000000002"
    env.seed.application(other, "Other App")
    env.seed.admin("POST", "replication", {"requests": 50, "on": ["reference"]})
    inputs = _grant(env, env.seed.service_principal(other))
    env.sim.reset_requests()
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(GRANT, inputs, timeout=5)
    assert _count(env, "POST", "/v1.0/oauth2PermissionGrants") == 2
    assert (
        "Could not create delegated permission grant: unexpected status 400 (400 Bad Request) "
        "with error: Request_BadRequest: Resource '"
    ) in caught.value.details()


def test_a_service_principal_create_waits_for_its_application(env: Env) -> None:
    """400 "The appId '…' of the service principal does not reference a valid application
    object" is retried (the application not replicated yet)."""
    env.seed.admin("POST", "replication", {"requests": 2, "types": ["application"]})
    env.seed.application(APP, "Vendor App")
    env.sim.reset_requests()
    rid, out = env.plugin.create(SP, {"clientId": APP})
    assert rid == f"/servicePrincipals/{out['objectId']}"
    assert _count(env, "POST", "/v1.0/servicePrincipals") == 3


def test_a_service_principal_create_retries_one_403_only(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    replicating = (
        "When using this permission, the backing application of the service principal being "
        "created must in the local tenant"
    )
    env.seed.fault("/servicePrincipals", 403, method="POST", message=replicating)
    env.sim.reset_requests()
    env.plugin.create(SP, {"clientId": APP})
    assert _count(env, "POST", "/v1.0/servicePrincipals") == 2

    other = "aaaaaaaa-3333-4000-8000-000000000002"
    env.seed.application(other, "Other App")
    env.seed.fault("/servicePrincipals", 403, method="POST")
    env.sim.reset_requests()
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(SP, {"clientId": other})
    assert _count(env, "POST", "/v1.0/servicePrincipals") == 1
    assert caught.value.details() == (
        "1 error occurred:\n\t* Could not create service principal: unexpected status 403 "
        "(403 Forbidden) with error: Authorization_RequestDenied: Insufficient privileges to "
        "complete the operation.\n\n"
    )
