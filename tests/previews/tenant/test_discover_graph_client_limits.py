"""The Graph client's limits at their exact edges (a deadline reached to the second, a wait or a
body exactly at its cap), its defaults, and the one-line error text it builds from what a
server sends. Each test here kills mutants of previews/tenant/graph_*.py that survived the other
discover tests (`make mutate`). Time is a fake clock: nothing here waits."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from previews.tenant.graph_client import (
    GraphClient,
    GraphError,
    Progress,
    StaticToken,
    check_base_url,
)
from previews.tenant.graph_errors import connect_failure, describe, quoted
from previews.tenant.graph_paging import Budget, Reading, retry_after_seconds
from previews.tenant.graph_settings import (
    DEFAULT_DEADLINE_S,
    DEFAULT_MAX_MIB,
    DEFAULT_MAX_WAIT_S,
    MIB,
)
from tests.previews.tenant.test_discover_bounds import BASE, FakeTime, mock_client, page, read_users


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=page(0, more=False))


# --- defaults --------------------------------------------------------------------------------


def test_a_client_asks_as_graph_expects_and_closes() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok(request)

    client = GraphClient(BASE, StaticToken("t"), transport=httpx.MockTransport(handler))
    with client:
        assert client.get("organization") == page(0, more=False)
        assert not client._http.is_closed
    assert client._http.is_closed
    (request,) = seen
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"] == "entra-consent-discover"
    assert request.headers["Authorization"] == "Bearer t"
    assert request.extensions["timeout"] == {
        "connect": 30.0,
        "read": 30.0,
        "write": 30.0,
        "pool": 30.0,
    }
    assert (client.stats.requests, client.stats.retries, client.stats.waited_s) == (1, 0, 0.0)


def test_by_default_a_request_is_tried_seven_times() -> None:
    time = FakeTime()
    client = mock_client(lambda request: httpx.Response(503), time)
    with pytest.raises(GraphError, match=r"still failing after 7 attempts"):
        read_users(client)
    assert time.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0]


def test_budget_defaults() -> None:
    budget = Budget()
    assert (budget.deadline_s, budget.max_wait_s) == (DEFAULT_DEADLINE_S, DEFAULT_MAX_WAIT_S)
    assert budget.max_bytes == DEFAULT_MAX_MIB * MIB == 1024 << 20
    assert (budget.started, budget.waited_s, budget.read_bytes, budget.requests) == (0.0, 0.0, 0, 0)
    assert budget.reading.what == "Graph"
    assert "while reading Graph (nothing of it read yet; 0 request(s), 0.0 MiB read in all)" in (
        _deadline_message(Budget(deadline_s=0.0, clock=lambda: 5.0))
    )


def _deadline_message(budget: Budget) -> str:
    with pytest.raises(GraphError) as caught:
        budget.check_time("/x")
    return str(caught.value)


@pytest.mark.parametrize(
    ("pages", "items", "expected"),
    [
        (0, 0, "nothing of it read yet"),
        (1, 1, "1 item of it in 1 page(s) so far"),
        (2, 3, "3 items of it in 2 page(s) so far"),
        (1, 0, "0 items of it in 1 page(s) so far"),
    ],
)
def test_what_was_read_so_far(pages: int, items: int, expected: str) -> None:
    assert Reading("users", pages, items).progress() == expected


# --- the edges of the bounds --------------------------------------------------------------------


def test_the_deadline_is_reached_at_its_second_not_before() -> None:
    now = [100.0]
    budget = Budget(deadline_s=10.0, clock=lambda: now[0])
    budget.start()
    now[0] = 109.5
    budget.check_time("/x")  # half a second left: still within
    now[0] = 110.0
    assert _deadline_message(budget).startswith(
        "graph: GET /x: discovery passed its --deadline of 10 s while reading Graph"
    )


def test_a_wait_may_use_exactly_what_is_left() -> None:
    now = [0.0]
    budget = Budget(deadline_s=100.0, max_wait_s=10.0, clock=lambda: now[0])
    budget.start()
    budget.check_wait(10.0, "/x", "HTTP 503")  # the whole wait budget
    budget.waited_s = 10.0
    with pytest.raises(GraphError, match=r"more than the 0 s left of the --max-wait budget"):
        budget.check_wait(0.5, "/x", "HTTP 503")
    budget = Budget(deadline_s=100.0, max_wait_s=1000.0, clock=lambda: now[0])
    budget.start()
    now[0] = 60.0
    budget.check_wait(40.0, "/x", "HTTP 503")  # up to the deadline exactly
    with pytest.raises(GraphError, match=r"waiting 40.5 s would pass the --deadline of 100 s"):
        budget.check_wait(40.5, "/x", "HTTP 503")


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_exactly_at_the_caps_is_read_and_counted_once(declared: bool) -> None:
    body = httpx.Response(200, json=page(0, more=False)).content
    size = len(body)

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Length": str(size)} if declared else {}
        return httpx.Response(200, content=body, headers=headers)

    client = mock_client(handler, max_response_bytes=size, max_bytes=size)
    assert [u["id"] for u in read_users(client)] == ["u0a", "u0b"]
    assert client.budget.read_bytes == size
    client = mock_client(handler, max_response_bytes=size - 1)
    with pytest.raises(GraphError, match=r"the answer is larger than"):
        read_users(client)
    client = mock_client(handler, max_bytes=size - 1)
    with pytest.raises(GraphError, match=r"more than --max-mib"):
        read_users(client)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        (" 7 ", 7.0),
        ("-5", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: no wait
        ("", None),
        ("soon", None),
    ],
)
def test_retry_after(value: str, expected: float | None) -> None:
    assert retry_after_seconds(value, now=2_000_000_000.0) == expected


def test_long_paths_and_names_are_cut_in_messages() -> None:
    long = "x" * 300

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400)

    client = mock_client(handler)
    with client, pytest.raises(GraphError) as caught:
        client.get(long)
    path = ("/v1.0/" + long)[:199] + "…"
    assert str(caught.value) == f"graph: GET {path}: HTTP 400"
    client = mock_client(handler)
    with client, pytest.raises(GraphError) as caught:
        list(client.get_all(long))
    assert str(caught.value) == f"graph: GET {path}: HTTP 400"

    def missing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    client = mock_client(missing)
    with client, pytest.raises(GraphError) as caught:
        list(client.get_all("users", what="y" * 200))
    assert f"not found (404): {'y' * 119}… does not exist" in str(caught.value)


# --- progress ----------------------------------------------------------------------------------


class Recording:
    """A terminal that records what was written and every flush."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.events: list[str] = []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.events.append(text)
        return len(text)

    def flush(self) -> None:
        self.events.append("<flush>")


@pytest.mark.parametrize("tty", [True, False])
def test_progress_flushes_every_line(tty: bool) -> None:
    stream = Recording(tty)
    progress = Progress(stream=stream)  # type: ignore[arg-type]
    progress.page("users", 1, 2)
    progress.done("users", 1, 2)
    progress.note("waiting")
    written = [e for e in stream.events if e != "<flush>"]
    assert stream.events == [e for w in written for e in (w, "<flush>")]
    assert len(written) == (3 if tty else 2)


# --- one-line errors ---------------------------------------------------------------------------


def test_a_graph_error_is_one_line() -> None:
    assert str(GraphError("a\nb\tc  d\x1b[31m!")) == "a b c d!"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (5, "5"),
        ([1], "a JSON array"),
        ({"a": 1}, "a JSON object"),
        ("x" * 100, repr("x" * 59 + "…")),
    ],
)
def test_quoted(value: Any, expected: str) -> None:
    assert quoted(value) == expected


def test_describe_gives_the_hint_of_each_status() -> None:
    assert describe(401, b"") == (
        "HTTP 401 (the credential was refused (log in again: az login, or check the workload "
        "identity))"
    )
    assert describe(403, b"").startswith("HTTP 403 (the identity lacks read permissions")
    assert describe(402, b"") == "HTTP 402"
    code = "C" * 100
    assert describe(400, f'{{"error": {{"code": "{code}"}}}}'.encode()) == (f"HTTP 400 {'C' * 79}…")


def _connect_error(*chain: BaseException) -> httpx.ConnectError:
    """A ConnectError caused by `chain[0]`, caused by `chain[1]`, ..."""
    error = httpx.ConnectError("connect failed")
    current: BaseException = error
    for cause in chain:
        current.__cause__ = cause
        current = cause
    return error


def test_connection_failures_that_retrying_will_not_cure() -> None:
    refused = connect_failure(_connect_error(ConnectionRefusedError("nope")), "h")
    assert refused == (
        "graph: h refused the connection (nothing listens there: check --graph-url, "
        "HTTPS_PROXY / network)"
    )
    shouting = connect_failure(_connect_error(OSError("Connection REFUSED by peer")), "h")
    assert shouting == refused
    dns = socket.gaierror("nope")
    # a chain that loops back on itself still ends, and finds what lies past the loop
    first, second = OSError("first"), OSError("second")
    second.__context__ = first
    first.__cause__ = second
    first.__context__ = dns
    assert connect_failure(_connect_error(first), "h") == (
        "graph: cannot resolve host h (check --graph-url / network)"
    )
    assert connect_failure(_connect_error(OSError("reset")), "h") is None
    # an exception that is its own context is read once, and the causes behind it still are
    looped = OSError("looped")
    looped.__context__ = looped
    looped.__cause__ = ConnectionRefusedError()
    assert connect_failure(_connect_error(looped), "h") == refused
    looped.__cause__ = socket.gaierror("nope")
    assert connect_failure(_connect_error(looped), "h") == (
        "graph: cannot resolve host h (check --graph-url / network)"
    )


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/v1.0", "http://localhost:8080/v1.0/", "http://[::1]:80/v1.0"]
)
def test_plain_http_is_for_loopback_servers(url: str) -> None:
    assert check_base_url(url) == url.rstrip("/")
    with pytest.raises(GraphError, match=r"plain http is allowed for loopback test servers only"):
        check_base_url(
            url.replace("localhost", "example.com")
            .replace("127.0.0.1", "10.0.0.1")
            .replace("[::1]", "[::2]")
        )
