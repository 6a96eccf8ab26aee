"""The Graph client against a hostile or broken Graph: a deadline for the whole discovery, one
waiting budget, caps on pages and bytes, paging loops, pages that vanish or are not pages,
host names that do not resolve, and server text that tries to break the error line. Time is a
fake clock: nothing here waits."""

from __future__ import annotations

import json
import socket
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from previews.tenant.graph_client import GraphClient, GraphError, StaticToken
from simtenant.graph import Fault
from tests.previews.tenant.discover.seeding import TOKEN, SeededTenant, seed_tenant

BASE = "https://graph.microsoft.com/v1.0"
GUARD = 60  # a handler answering more requests than this: the client would loop forever


@dataclass
class FakeTime:
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Handler = Callable[[httpx.Request], httpx.Response]


def mock_client(handler: Handler, time: FakeTime | None = None, **kwargs: Any) -> GraphClient:
    time = time or FakeTime()
    seen: list[httpx.Request] = []

    def guarded(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) > GUARD:
            raise AssertionError(f"more than {GUARD} requests: the client does not stop")
        return handler(request)

    client = GraphClient(
        BASE,
        StaticToken("t"),
        transport=httpx.MockTransport(guarded),
        sleep=time.sleep,
        clock=time.clock,
        **kwargs,
    )
    client.seen = seen  # type: ignore[attr-defined]
    return client


def page(n: int, *, more: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {"value": [{"id": f"u{n}a"}, {"id": f"u{n}b"}]}
    if more:
        body["@odata.nextLink"] = f"{BASE}/users?$skiptoken={n + 1}"
    return body


def endless(request: httpx.Request) -> httpx.Response:
    """Pages without end, every link new."""
    return httpx.Response(200, json=page(int(request.url.params.get("$skiptoken", "0"))))


def read_users(client: GraphClient, what: str = "users") -> list[dict[str, Any]]:
    with client:
        return list(client.get_all("users", {"$select": "id"}, what))


# -- 1. the deadline -------------------------------------------------------------------------


def test_the_deadline_stops_before_the_next_request_and_says_what_was_read() -> None:
    time = FakeTime()
    client = mock_client(endless, time, deadline_s=350)
    with client, pytest.raises(GraphError) as caught:
        for _ in client.get_all("users", {"$select": "id"}, "users"):
            time.now += 50  # two items a page: 100 s a page
    assert len(client.seen) == 4  # type: ignore[attr-defined]
    assert str(caught.value) == (
        "graph: GET /v1.0/users: discovery passed its --deadline of 350 s while reading users "
        "(8 items of it in 4 page(s) so far; 4 request(s), 0.0 MiB read in all); raise "
        "--deadline for a tenant this large or a Graph this slow, and run again"
    )


def test_a_wait_that_would_pass_the_deadline_fails_before_sleeping() -> None:
    time = FakeTime()
    throttled = httpx.Response(429, headers={"Retry-After": "60"})
    client = mock_client(lambda request: throttled, time, deadline_s=30, max_wait_s=600)
    with pytest.raises(GraphError, match=r"waiting 60 s would pass the --deadline of 30 s"):
        read_users(client)
    assert time.sleeps == []


def test_a_trickling_body_is_cut_off_at_the_deadline() -> None:
    time = FakeTime()
    sent: list[int] = []

    def trickle() -> Iterator[bytes]:
        for _ in range(10_000):
            time.now += 1
            sent.append(1)
            yield b" "

    client = mock_client(lambda r: httpx.Response(200, content=trickle()), time, deadline_s=20)
    with pytest.raises(GraphError, match=r"passed its --deadline of 20 s"):
        read_users(client)
    assert len(sent) <= 21


def test_a_request_near_the_deadline_waits_only_for_the_time_left() -> None:
    """A request's timeout is what is left of the deadline (the default beyond it), with a
    floor of a millisecond: httpx reads a zero timeout as none at all."""
    time = FakeTime()
    timeouts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        first = not request.url.params.get("$skiptoken")
        time.now += 9.9995 if first else 0
        return httpx.Response(200, json=page(0 if first else 1, more=first))

    client = mock_client(answer, time, deadline_s=10, timeout_s=30)
    assert len(read_users(client)) == 4
    assert timeouts == [10, 0.001]


# -- 2. a nextLink that repeats --------------------------------------------------------------


@pytest.mark.parametrize("back_to", ["0", "1"])  # to the first page, or a page to itself
def test_a_next_link_to_a_page_already_read_is_an_error(back_to: str) -> None:
    def looping(request: httpx.Request) -> httpx.Response:
        body = page(0)
        if request.url.params.get("$skiptoken"):
            body["@odata.nextLink"] = f"{BASE}/users?$select=id&$skiptoken={back_to}"
        else:
            body["@odata.nextLink"] = f"{BASE}/users?$select=id&$skiptoken=1"
        if back_to == "0" and request.url.params.get("$skiptoken") == "1":
            body["@odata.nextLink"] = f"{BASE}/users?%24select=id"  # the first page again
        return httpx.Response(200, json=body)

    client = mock_client(looping)
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert len(client.seen) == 2  # type: ignore[attr-defined]
    assert str(caught.value) == (
        "graph: GET /v1.0/users: page 3 of users links back to a page already read (Graph's "
        "paging loops; the listing is incomplete after 4 item(s)); run discover again later"
    )


# -- 3. caps on pages and bytes --------------------------------------------------------------


def test_more_pages_than_max_pages_is_an_error_not_a_truncated_listing() -> None:
    client = mock_client(endless, max_pages=5)
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert len(client.seen) == 5  # type: ignore[attr-defined]
    assert str(caught.value) == (
        "graph: GET /v1.0/users: users has more than --max-pages 5 pages (raise --max-pages "
        "for a tenant this large)"
    )


def test_an_endless_body_is_cut_off_at_the_answer_cap() -> None:
    sent: list[int] = []

    def flood() -> Iterator[bytes]:
        for _ in range(64):  # 64 MiB, if nobody stops reading
            sent.append(1)
            yield b"[" * (1 << 20)

    client = mock_client(lambda r: httpx.Response(200, content=flood()), max_response_bytes=4 << 20)
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert len(sent) <= 5
    assert str(caught.value) == (
        "graph: GET /v1.0/users: the answer is larger than 4 MiB (no Graph page is that large: "
        "check --graph-url and any proxy in between)"
    )


def test_a_declared_length_beyond_the_cap_fails_before_the_body_is_read() -> None:
    sent: list[int] = []

    def body() -> Iterator[bytes]:
        sent.append(1)
        yield b"{}"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(1 << 30)}, content=body())

    with pytest.raises(GraphError, match=r"the answer is larger than 64 MiB"):
        read_users(mock_client(handler))
    assert sent == []


def test_the_bytes_of_all_answers_are_capped_together() -> None:
    client = mock_client(endless, max_bytes=1000)  # about 100 bytes a page
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert str(caught.value).startswith("graph: GET /v1.0/users: more than --max-mib")
    assert "while reading users (raise --max-mib for a tenant this large)" in str(caught.value)
    assert client.budget.read_bytes <= 1000


# -- 4. one waiting budget -------------------------------------------------------------------


def test_the_wait_budget_is_shared_by_every_request_of_the_run() -> None:
    time = FakeTime()
    throttled: set[str] = set()

    def handler(request: httpx.Request) -> httpx.Response:
        key = str(request.url)
        if key not in throttled:  # every page is throttled once, for 60 s
            throttled.add(key)
            return httpx.Response(429, headers={"Retry-After": "60"})
        return endless(request)

    client = mock_client(handler, time, max_wait_s=100)
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert time.sleeps == [60.0]  # the second page's 60 s is more than the 40 s left
    assert str(caught.value) == (
        "graph: GET /v1.0/users: throttled (429); the next retry would wait 60 s, more than "
        "the 40 s left of the --max-wait budget of 100 s for the whole run (run again later, "
        "or raise --max-wait)"
    )


# -- 5. names that do not resolve, connections refused ---------------------------------------


def _gaierror(request: httpx.Request) -> httpx.Response:
    try:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    except socket.gaierror as exc:
        raise httpx.ConnectError("[Errno -2] Name or service not known") from exc


def _message_only(message: str) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(message)

    return handler


@pytest.mark.parametrize(
    "handler",
    [
        _gaierror,
        _message_only("[Errno 8] nodename nor servname provided, or not known"),
        _message_only("[Errno 11001] getaddrinfo failed"),
        _message_only("[Errno -3] Temporary failure in name resolution"),
    ],
    ids=["gaierror", "macos", "windows", "temporary"],
)
def test_a_host_that_does_not_resolve_fails_at_once(handler: Handler) -> None:
    time = FakeTime()
    client = mock_client(handler, time)
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert str(caught.value) == (
        "graph: cannot resolve host graph.microsoft.com (check --graph-url / network)"
    )
    assert time.sleeps == []
    assert len(client.seen) == 1  # type: ignore[attr-defined]


def test_a_refused_connection_fails_at_once() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    time = FakeTime()
    client = GraphClient(
        f"http://127.0.0.1:{port}/v1.0", StaticToken("t"), sleep=time.sleep, clock=time.clock
    )
    with client, pytest.raises(GraphError) as caught:
        client.get("users")
    assert str(caught.value) == (
        f"graph: 127.0.0.1:{port} refused the connection (nothing listens there: check "
        "--graph-url, HTTPS_PROXY / network)"
    )
    assert time.sleeps == []


def test_other_connection_errors_are_still_retried() -> None:
    calls: list[int] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("[Errno 104] Connection reset by peer")
        return httpx.Response(200, json=page(0, more=False))

    time = FakeTime()
    assert len(read_users(mock_client(flaky, time))) == 2
    assert time.sleeps == [1.0]


# -- 6. a listing is read whole or not at all ------------------------------------------------


@pytest.fixture(scope="module")
def seeded() -> SeededTenant:
    return seed_tenant()


def test_a_404_in_the_middle_of_a_listing_is_an_error(seeded: SeededTenant) -> None:
    with seeded.serve(page_size=2) as graph:
        graph.faults.append(Fault("/v1.0/users", status=404, page="2"))
        client = GraphClient(graph.base_url, StaticToken(TOKEN))
        with client, pytest.raises(GraphError) as caught:
            list(client.get_all("users", what="users", absent_ok=True))
    assert str(caught.value) == (
        "graph: GET /v1.0/users: page 2 of users is gone (404) after 2 item(s) in 1 page(s): "
        "the listing is incomplete; run discover again"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"@odata.context": "x"}, "page 1 of users has no 'value' (not a page of a collection"),
        ({"value": {"id": "1"}}, "page 1 of users: 'value' is not a list"),
        ({"value": [{"id": "1"}, 5]}, "page 1 of users: record 2 is 5, not an object"),
        ({"value": [None]}, "page 1 of users: record 1 is null, not an object"),
        ({"value": [], "@odata.nextLink": 5}, "page 1 of users: '@odata.nextLink' is not a link"),
    ],
)
def test_a_page_that_is_not_a_page_is_an_error(body: dict[str, Any], expected: str) -> None:
    client = mock_client(lambda request: httpx.Response(200, json=body))
    with pytest.raises(GraphError) as caught:
        read_users(client)
    assert str(caught.value).startswith(f"graph: GET /v1.0/users: {expected}")


def test_a_page_without_value_later_in_a_listing_is_an_error_too() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("$skiptoken"):
            return httpx.Response(200, json={"error": "nope"})
        return httpx.Response(200, json=page(0))

    with pytest.raises(GraphError, match=r"page 2 of users has no 'value'"):
        read_users(mock_client(handler))


# -- 8. server text in error lines -----------------------------------------------------------

_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def assert_one_clean_line(text: str) -> None:
    assert text.splitlines() == [text]
    for char in text:
        assert unicodedata.category(char) not in ("Cc", "Cs", "Zl", "Zp"), repr(char)
        assert char not in _BIDI, repr(char)
    text.encode("utf-8")  # writable to stderr


def _error_from(status: int, code: Any, message: Any) -> str:
    body = json.dumps({"error": {"code": code, "message": message}})  # \ud800 as an escape
    client = mock_client(lambda request: httpx.Response(status, content=body))
    with client, pytest.raises(GraphError) as caught:
        client.get("users")
    return str(caught.value)


def test_control_characters_are_removed_from_graph_error_text() -> None:
    message = "\x1b[31mAccess\x1b[0m denied\r\nline two\u202egnp.exe\x9b2J\x07 " + "x" * 400
    text = _error_from(400, "Bad\x1b]0;title\x07Request\n", message)
    assert_one_clean_line(text)
    assert text.startswith("graph: GET /v1.0/users: HTTP 400 BadRequest: Access denied line two")
    assert "gnp.exe" in text and "\u202e" not in text
    assert text.endswith("…")
    assert len(text) < 400


@settings(max_examples=200, deadline=None)
@given(code=st.text(), message=st.text(alphabet=st.characters(exclude_categories=())))
def test_any_graph_error_text_gives_one_clean_line(code: str, message: str) -> None:
    text = _error_from(403, code, message)
    assert_one_clean_line(text)
    assert len(text) < 700


def test_lone_surrogates_and_other_json_values_do_not_break_the_line() -> None:
    assert_one_clean_line(_error_from(400, ["a", "\n"], {"x": "\ud800"}))
    assert_one_clean_line(_error_from(400, 5, "\ud83d\n"))


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://evil.example:8443/v1.0/users", "refusing to follow a link to evil.example:8443"),
        ("https://evil.example/v1.0/\x1b[2J\u202eusers", "not a URL: 'https://evil.example/v1.0/"),
        ("https://evil\x1b[2J.example/v1.0/users", "a link Graph sent is not a URL: 'https://evil"),
        ("https://[::1/v1.0/users", "a link Graph sent is not a URL"),
    ],
)
def test_a_foreign_or_malformed_next_link_is_one_clean_line(link: str, expected: str) -> None:
    body = {"value": [], "@odata.nextLink": link}
    with pytest.raises(GraphError) as caught:
        read_users(mock_client(lambda request: httpx.Response(200, json=body)))
    assert_one_clean_line(str(caught.value))
    assert expected in str(caught.value)
