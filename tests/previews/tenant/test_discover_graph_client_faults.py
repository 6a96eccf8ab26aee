"""The Graph client on answers a real Graph (or a proxy in front of it) gives now and then:
a redirect, each transient status once, each status that is an answer and not retried, and
the exact messages of what it cannot use. Each test here kills mutants of the Graph client that
survived the other discover tests (`make mutate`). Time is a fake clock: nothing here waits."""

from __future__ import annotations

import io
import json

import httpx
import pytest

from previews.tenant.graph_client import GraphClient, GraphError, Progress, StaticToken
from tests.previews.tenant.test_discover_bounds import BASE, FakeTime, mock_client, page, read_users

TOKEN = "secret-token"


def one_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=page(0, more=False))


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("host", ["evil.example", "graph.microsoft.com"])
def test_a_redirect_is_an_error_never_followed(status: int, host: str) -> None:
    """A redirect is no Graph answer: following it would send the token wherever a proxy or a
    compromised front door points (another host), or hide a wrong --graph-url (the same)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1.0/users":
            location = f"https://{host}/v1.0/elsewhere"
            return httpx.Response(status, headers={"Location": location})
        return one_page(request)

    client = GraphClient(BASE, StaticToken(TOKEN), transport=httpx.MockTransport(handler))
    with client, pytest.raises(GraphError) as caught:
        list(client.get_all("users"))
    assert str(caught.value) == f"graph: GET /v1.0/users: HTTP {status}"
    assert [r.url.path for r in seen] == ["/v1.0/users"]
    assert client.stats.requests == 1


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (429, "throttled (429)"),
        (500, "HTTP 500"),
        (502, "HTTP 502"),
        (503, "HTTP 503"),
        (504, "HTTP 504"),
    ],
)
def test_one_transient_failure_is_retried_and_the_listing_completes(
    status: int, reason: str
) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(status, json={"error": {"code": "Busy", "message": "later"}})
        return one_page(request)

    time = FakeTime()
    stream = io.StringIO()
    client = mock_client(handler, time, progress=Progress(stream=stream))
    assert [u["id"] for u in read_users(client)] == ["u0a", "u0b"]
    assert time.sleeps == [1.0]
    assert (client.stats.requests, client.stats.retries, client.stats.waited_s) == (2, 1, 1.0)
    assert client.budget.waited_s == 1.0
    assert client.budget.requests == 2
    assert stream.getvalue() == (
        f"discover: GET /v1.0/users: {reason}; retrying in 1 s\ndiscover: users: 2 in 1 page\n"
    )


@pytest.mark.parametrize("status", [400, 401, 403, 405, 409, 410, 501, 505])
def test_a_status_that_is_an_answer_fails_at_once(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"code": "Nope", "message": "no"}})

    time = FakeTime()
    client = mock_client(handler, time)
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert str(caught.value).startswith(f"graph: GET /v1.0/users: HTTP {status} Nope: no")
    assert time.sleeps == []
    assert client.stats.requests == 1


def test_backoff_doubles_up_to_a_minute() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    time = FakeTime()
    client = mock_client(handler, time, max_retries=8, max_wait_s=10_000, deadline_s=10_000)
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert time.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    assert str(caught.value) == (
        "graph: GET /v1.0/users: HTTP 503, still failing after 9 attempts (try again later)"
    )
    assert client.stats.retries == 8
    assert client.stats.waited_s == sum(time.sleeps)


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"null", b"not json"])
def test_an_answer_that_is_not_a_json_object_is_an_error(body: bytes) -> None:
    client = mock_client(lambda request: httpx.Response(200, content=body))
    with client, pytest.raises(GraphError) as caught:
        client.get("organization")
    assert str(caught.value) == "graph: GET /v1.0/organization: expected a JSON object"


@pytest.mark.parametrize(
    "body",
    [
        b'{"value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"value": [' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"]}",
    ],
)
def test_an_answer_nested_beyond_reading_is_one_line(body: bytes) -> None:
    client = mock_client(lambda request: httpx.Response(200, content=body))
    with client, pytest.raises(GraphError) as caught:
        client.get("organization")
    assert str(caught.value) == (
        "graph: GET /v1.0/organization: the answer nests deeper than it can be read "
        "(not a Graph answer: check --graph-url)"
    )


def test_a_deeply_nested_error_body_still_gives_its_status() -> None:
    nested = b'{"error": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    client = mock_client(lambda request: httpx.Response(400, content=nested))
    with client, pytest.raises(GraphError) as caught:
        client.get("organization")
    assert str(caught.value).startswith("graph: GET /v1.0/organization: HTTP 400")


def test_a_single_object_is_read_and_a_missing_one_is_none() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/gone"):
            return httpx.Response(404, json={"error": {"code": "Request_ResourceNotFound"}})
        assert request.headers["Authorization"] == "Bearer t"
        assert request.headers["Accept"] == "application/json"
        return httpx.Response(200, json={"id": "x", "displayName": "X"})

    with mock_client(handler) as client:
        assert client.get("/servicePrincipals/x") == {"id": "x", "displayName": "X"}
        assert client.get("servicePrincipals/gone") is None
        assert [r.url.path for r in client.seen] == [  # type: ignore[attr-defined]
            "/v1.0/servicePrincipals/x",
            "/v1.0/servicePrincipals/gone",
        ]


def test_progress_on_a_terminal_overwrites_one_line() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def handler(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("$skiptoken", "0"))
        return httpx.Response(200, json=page(n, more=n < 1))

    stream = Terminal()
    client = mock_client(handler, progress=Progress(stream=stream))
    read_users(client)
    assert stream.getvalue() == (
        "\rdiscover: users: 2 (page 1)\x1b[K"
        "\rdiscover: users: 4 (page 2)\x1b[K"
        "\rdiscover: users: 4 in 2 pages\x1b[K\n"
    )
    stream = Terminal()
    Progress(stream=stream).note("GET /x: HTTP 503; retrying in 1 s")
    assert stream.getvalue() == "\rdiscover: GET /x: HTTP 503; retrying in 1 s\n"


def test_no_progress_stream_writes_nothing() -> None:
    progress = Progress(stream=None)
    progress.page("users", 1, 2)
    progress.done("users", 1, 2)
    progress.note("x")  # nothing to write to, and no error


def test_an_error_answer_without_json_is_its_status() -> None:
    client = mock_client(lambda request: httpx.Response(400, content=b"<html>bad</html>"))
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert str(caught.value) == "graph: GET /v1.0/users: HTTP 400"
    client = mock_client(
        lambda request: httpx.Response(400, content=json.dumps({"error": "flat"}).encode())
    )
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert str(caught.value) == "graph: GET /v1.0/users: HTTP 400"
