"""The read-only Graph client: paging, throttling, transient failures, timeouts, links and
credentials, against the simulated Graph on 127.0.0.1 (or httpx's mock transport where a server
cannot misbehave the way a test needs)."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from previews.tenant.graph_client import (
    AzureIdentityToken,
    GraphClient,
    GraphError,
    Progress,
    StaticToken,
    check_base_url,
    default_token_provider,
    graph_url_from,
    retry_after_seconds,
    token_scope,
    token_tenant,
)
from simtenant.graph import Fault, SimTenant
from tests.previews.tenant.discover.seeding import TOKEN, SeededTenant, seed_tenant

USERS = "/v1.0/users"


@pytest.fixture(scope="module")
def seeded() -> SeededTenant:
    return seed_tenant()


@pytest.fixture
def graph(seeded: SeededTenant) -> Iterator[SimTenant]:
    with seeded.serve(page_size=2) as server:
        yield server


def client_for(graph: SimTenant, sleeps: list[float], **kwargs: Any) -> GraphClient:
    return GraphClient(graph.base_url, StaticToken(TOKEN), sleep=sleeps.append, **kwargs)


def test_paging_follows_next_links_and_keeps_the_query(graph: SimTenant) -> None:
    sleeps: list[float] = []
    with client_for(graph, sleeps) as client:
        users = list(client.get_all("users", {"$select": "id,userPrincipalName"}))
    assert len(users) == 6
    assert len({u["id"] for u in users}) == 6
    assert [r.query.get("$skiptoken") for r in graph.requests] == [None, "2", "4"]
    assert all(r.query["$select"] == "id,userPrincipalName" for r in graph.requests)
    assert sleeps == []


def test_429_waits_for_retry_after_then_repeats_the_same_request(graph: SimTenant) -> None:
    graph.faults.append(Fault(USERS, status=429, headers={"Retry-After": "7"}, page="2"))
    sleeps: list[float] = []
    with client_for(graph, sleeps) as client:
        users = list(client.get_all("users"))
        assert client.stats.retries == 1
    assert len(users) == 6
    assert sleeps == [7.0]
    assert [r.query.get("$skiptoken") for r in graph.requests] == [None, "2", "2", "4"]


def test_429_with_an_http_date_waits_until_then() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=12), usegmt=True)
    assert retry_after_seconds(later, now=now.timestamp()) == 12.0
    assert retry_after_seconds("0") == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_transient_503_is_retried_with_backoff(graph: SimTenant) -> None:
    graph.faults.append(Fault(USERS, status=503, times=2))
    sleeps: list[float] = []
    with client_for(graph, sleeps) as client:
        assert len(list(client.get_all("users"))) == 6
    assert sleeps == [1.0, 2.0]


def test_a_persistent_failure_stops_after_the_retries_with_one_line(graph: SimTenant) -> None:
    graph.faults.append(Fault(USERS, status=503, times=100))
    sleeps: list[float] = []
    with client_for(graph, sleeps, max_retries=3) as client, pytest.raises(GraphError) as caught:
        list(client.get_all("users"))
    assert len(sleeps) == 3
    assert len(graph.requests) == 4
    message = str(caught.value)
    assert (
        message
        == "graph: GET /v1.0/users: HTTP 503, still failing after 4 attempts (try again later)"
    )


def test_a_retry_after_beyond_the_wait_budget_fails_at_once(graph: SimTenant) -> None:
    graph.faults.append(Fault(USERS, status=429, headers={"Retry-After": "86400"}))
    sleeps: list[float] = []
    with client_for(graph, sleeps, max_wait_s=120) as client, pytest.raises(GraphError) as caught:
        list(client.get_all("users"))
    assert sleeps == []  # not slept first
    assert len(graph.requests) == 1
    assert str(caught.value) == (
        "graph: GET /v1.0/users: throttled (429); the next retry would wait 86400 s, more than "
        "the 120 s left of the --max-wait budget of 120 s for the whole run (run again later, "
        "or raise --max-wait)"
    )


def test_a_stalled_response_times_out_and_is_retried(graph: SimTenant) -> None:
    graph.faults.append(Fault(USERS, status=None, stall_s=1.0))  # the answer, late
    sleeps: list[float] = []
    with client_for(graph, sleeps, timeout_s=0.2) as client:
        assert len(list(client.get_all("users"))) == 6
    assert sleeps == [1.0]


def test_forbidden_says_which_read_permissions_are_needed(graph: SimTenant) -> None:
    graph.faults.append(Fault(USERS, status=403))
    with client_for(graph, []) as client, pytest.raises(GraphError) as caught:
        client.get("users")
    assert (
        "HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the "
        "operation. (the identity lacks read permissions"
    ) in str(caught.value)
    assert "Directory.Read.All" in str(caught.value)


def test_not_found_is_none_and_an_empty_listing_where_allowed(graph: SimTenant) -> None:
    path = "servicePrincipals/nope/oauth2PermissionGrants"
    with client_for(graph, []) as client:
        assert client.get("groups/00000000-0000-0000-0000-0000000000ff") is None
        assert list(client.get_all(path, absent_ok=True)) == []
        with pytest.raises(GraphError) as caught:
            list(client.get_all(path, what="grants of x"))
    assert str(caught.value) == (
        f"graph: GET /v1.0/{path}: not found (404): grants of x does not exist (check "
        "--graph-url: it ends with the API version, e.g. https://graph.microsoft.com/v1.0)"
    )


def test_next_link_to_another_host_is_refused_and_the_token_not_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"value": [{"id": "1"}], "@odata.nextLink": "https://evil.example/v1.0/users?x=1"}
        return httpx.Response(200, json=body)

    client = GraphClient(
        "https://graph.microsoft.com/v1.0",
        StaticToken("t"),
        transport=httpx.MockTransport(handler),
    )
    with client, pytest.raises(GraphError, match=r"refusing to follow a link to evil\.example"):
        list(client.get_all("users"))
    assert [r.url.host for r in seen] == ["graph.microsoft.com"]


def test_only_get_is_ever_sent() -> None:
    methods: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        methods.append(request.method)
        return httpx.Response(200, json={"value": []})

    client = GraphClient(
        "https://graph.microsoft.com/v1.0", StaticToken("t"), transport=httpx.MockTransport(handler)
    )
    with client:
        client.get("servicePrincipals")
        list(client.get_all("users"))
    assert methods == ["GET", "GET"]
    assert not any(hasattr(client, verb) for verb in ("post", "patch", "put", "delete"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "https://graph.microsoft.com/v1.0"),
        ("usgov", "https://graph.microsoft.us/v1.0"),
        ("china", "https://microsoftgraph.chinacloudapi.cn/v1.0"),
        ("http://127.0.0.1:8080/v1.0/", "http://127.0.0.1:8080/v1.0"),
    ],
)
def test_graph_url_choices(given: str | None, expected: str) -> None:
    assert graph_url_from(given, env={}) == expected


def test_graph_url_from_the_environment() -> None:
    env = {"ENTRA_CONSENT_GRAPH_URL": "https://dod-graph.microsoft.us/v1.0"}
    assert graph_url_from(None, env=env) == "https://dod-graph.microsoft.us/v1.0"


@pytest.mark.parametrize("url", ["http://graph.microsoft.com/v1.0", "ftp://x/v1.0", "graph"])
def test_unsafe_or_malformed_graph_urls_are_refused(url: str) -> None:
    with pytest.raises(GraphError):
        check_base_url(url)


def test_token_scope_follows_the_cloud() -> None:
    assert token_scope("https://graph.microsoft.us/v1.0") == "https://graph.microsoft.us/.default"


def test_injected_token_bypasses_azure_identity() -> None:
    provider = default_token_provider(
        "https://graph.microsoft.com/v1.0", {"ENTRA_CONSENT_GRAPH_TOKEN": "abc"}
    )
    assert provider() == "abc"
    fallback = default_token_provider("https://graph.microsoft.us/v1.0", {})
    assert isinstance(fallback, AzureIdentityToken)
    assert fallback.scope == "https://graph.microsoft.us/.default"


class _Credential:
    def __init__(self, lifetime_s: float) -> None:
        self.calls: list[str] = []
        self.lifetime_s = lifetime_s

    def get_token(self, scope: str) -> Any:
        import time

        from azure.core.credentials import AccessToken

        self.calls.append(scope)
        return AccessToken(f"token-{len(self.calls)}", int(time.time() + self.lifetime_s))


def test_azure_identity_tokens_are_cached_until_near_expiry() -> None:
    credential = _Credential(lifetime_s=3600)
    provider = AzureIdentityToken("https://graph.microsoft.com/.default", _credential=credential)
    assert [provider() for _ in range(3)] == ["token-1"] * 3
    assert credential.calls == ["https://graph.microsoft.com/.default"]
    short = _Credential(lifetime_s=60)  # inside the refresh margin: asked every time
    provider = AzureIdentityToken("s", _credential=short)
    assert [provider(), provider()] == ["token-1", "token-2"]


def _jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


def test_token_tenant_reads_the_tid_claim() -> None:
    assert token_tenant(_jwt({"tid": "AAAA-1"})) == "aaaa-1"
    assert token_tenant(_jwt({"sub": "x"})) is None
    assert token_tenant("opaque") is None
    assert token_tenant("a.!!!.c") is None


def test_progress_is_one_line_per_listing_off_a_terminal(graph: SimTenant) -> None:
    stream = io.StringIO()
    with GraphClient(graph.base_url, StaticToken(TOKEN), progress=Progress(stream)) as client:
        list(client.get_all("users", what="users"))
    assert stream.getvalue() == "discover: users: 6 in 3 pages\n"


def test_a_non_json_answer_is_one_line() -> None:
    client = GraphClient(
        "https://graph.microsoft.com/v1.0",
        StaticToken("t"),
        transport=httpx.MockTransport(lambda request: httpx.Response(200, text="<html>")),
    )
    with (
        client,
        pytest.raises(GraphError, match=r"^graph: GET /v1\.0/users: expected a JSON object$"),
    ):
        client.get("users")
