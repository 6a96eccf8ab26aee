"""Write throttling at Graph's limits: sliding windows per app and per tenant, Retry-After,
rejected writes not counted, `/_sim/throttle` (simtenant/graph/throttle.py)."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest

from simtenant.graph import SimTenant
from simtenant.graph.throttle import Limits, Throttle
from simtenant.graph.token import caller_app
from tests.simtenant.graph.conftest import error, user


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def jwt(**claims: str) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"Bearer e30.{payload}.c2ln"


def test_graphs_published_limits_are_the_default() -> None:
    assert Limits() == Limits(
        app_writes=3000, app_window_s=150, tenant_writes=18000, tenant_window_s=300
    )


def test_the_app_window_slides_and_retry_after_is_the_wait_until_it_admits() -> None:
    clock = Clock()
    throttle = Throttle(Limits(app_writes=3, app_window_s=10), clock)
    for step in (0.0, 2.5, 2.5):
        clock.now += step
        assert throttle.admit("a") is None
    clock.now += 1.2  # 6.2 s after the first write: it leaves the window 3.8 s from now
    assert throttle.admit("a") == 4
    clock.now += 3.7
    assert throttle.admit("a") == 1  # 0.1 s left: whole seconds, at least 1
    clock.now += 0.1  # exactly 10 s after the first: the window admits
    assert throttle.admit("a") is None
    # the second write (at 2.5 s) leaves next: 2.5 s from now, so 3
    assert throttle.admit("a") == 3
    assert (throttle.admitted, throttle.throttled) == (4, 3)
    assert throttle.throttled_by_app == {"a": 3}


def test_rejected_writes_are_not_counted_and_apps_are_apart() -> None:
    clock = Clock()
    throttle = Throttle(Limits(app_writes=2, app_window_s=60, tenant_writes=3), clock)
    assert [throttle.admit("a") for _ in range(2)] == [None, None]
    # hammering while throttled does not push the window out
    assert {throttle.admit("a") for _ in range(50)} == {60}
    assert throttle.admit("b") is None  # another app: its own window
    # the tenant's limit (3 per 300 s) holds for every app
    assert throttle.admit("c") == 300
    clock.now += 60
    assert throttle.admit("a") == 240  # the app's window admits, the tenant's does not
    clock.now += 240
    assert throttle.admit("c") is None
    assert throttle.to_json() == {
        "enabled": True,
        "app_writes": 2,
        "app_window_s": 60,
        "tenant_writes": 3,
        "tenant_window_s": 300.0,
        "admitted": 4,
        "throttled": 52,
        "throttled_by_app": {"a": 51, "c": 1},
    }


def test_the_app_is_the_tokens_appid_or_azp() -> None:
    assert caller_app(jwt(appid="AAA", azp="bbb")) == "aaa"
    assert caller_app(jwt(azp="bbb")) == "bbb"
    for other in ("Bearer opaque", "Bearer a.b.c", jwt(appid=""), "Bearer x.W10.y", ""):
        assert caller_app(other) == "app"
    deep = base64.urlsafe_b64encode(b"[" * 100_000).decode()
    assert caller_app(f"Bearer x.{deep}.y") == "app"


@pytest.mark.parametrize(
    "bad",
    [
        {"app_writes": 0},
        {"app_writes": 1.5},
        {"app_writes": True},
        {"app_window_s": -1},
        {"tenant_window_s": "5"},
        {"apps": 5},
    ],
)
def test_bad_settings_are_400(sim: SimTenant, bad: dict[str, object]) -> None:
    answer = httpx.post(f"{sim.origin}/_sim/throttle", json=bad)
    assert answer.status_code == 400
    assert sim.throttle is None


def test_throttling_over_http(sim: SimTenant, graph: httpx.Client) -> None:
    admin = httpx.Client(base_url=f"{sim.origin}/_sim/")
    assert admin.get("throttle").json() == {"enabled": False}
    limits = {"app_writes": 5, "app_window_s": 1, "tenant_writes": 8, "tenant_window_s": 60}
    on = admin.post("throttle", json=limits)
    assert on.status_code == 201 and on.json()["throttled"] == 0
    for i in range(5):
        user(graph, f"u{i}@contoso.com")
    over = graph.post("users", json={"displayName": "x", "userPrincipalName": "x@contoso.com"})
    assert error(over, 429) == ("TooManyRequests", "Please retry again later.")
    assert over.headers["Retry-After"] == "1"
    assert graph.get("users").status_code == 200  # reads are never throttled
    other = {"Authorization": jwt(appid="other-app")}
    assert graph.delete("users/u0@contoso.com", headers=other).status_code == 204
    time.sleep(1.05)
    assert graph.delete("users/u1@contoso.com").status_code == 204
    assert graph.delete("users/u2@contoso.com", headers=other).status_code == 204
    # 8 admitted in the last 60 s: the tenant's limit now
    tenant_full = graph.delete("users/u3@contoso.com", headers=other)
    assert error(tenant_full, 429)[0] == "TooManyRequests"
    assert 55 <= int(tenant_full.headers["Retry-After"]) <= 60
    counts = admin.get("throttle").json()
    assert (counts["admitted"], counts["throttled"]) == (8, 2)
    assert counts["throttled_by_app"] == {"app": 1, "other-app": 1}
    # throttled requests are in the log (a benchmark counts writes made from it)
    assert sum(1 for r in sim.requests if r.method in ("POST", "DELETE")) == 10
    assert admin.delete("throttle").status_code == 204
    assert graph.delete("users/u3@contoso.com").status_code == 204
    assert admin.get("throttle").json()["enabled"] is False
    assert admin.get("throttle").json()["throttled"] == 2  # kept for reading
    assert admin.post("throttle", json={}).json()["throttled"] == 0  # a fresh start


def test_in_process_and_faults_come_after(graph: httpx.Client) -> None:
    with SimTenant(throttle=Limits(app_writes=1, app_window_s=30)) as sim:
        assert sim.throttle is not None and sim.throttle.limits.tenant_writes == 18000
        client = httpx.Client(base_url=sim.base_url + "/", headers=graph.headers)
        user(client, "a@contoso.com")
        assert client.post("users", json={}).headers["Retry-After"] == "30"
    with SimTenant(throttle=True) as sim:
        assert sim.throttle is not None and sim.throttle.limits == Limits()
