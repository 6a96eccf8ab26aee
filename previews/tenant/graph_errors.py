"""The Graph client's one-line errors: `GraphError`, Graph's error answers described, and the
connection failures that retrying will not cure.

Text that the server at --graph-url controls (error codes and messages, record values, link
hosts) goes through `catalog.text.clean` before it is shown: one safe line on a terminal or in
a CI log, cut with an ellipsis when long. `GraphError` itself keeps every message it is given
on one line (`catalog.text.one_line`), whatever went into it."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx

from catalog.text import clean, one_line


class GraphError(Exception):
    """A Graph request that failed for good: one line, with what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def quoted(value: object, limit: int = 60) -> str:
    """A server value quoted for a message: `'abc'`, or `null`, `5`, `[...]` for non-text."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(clean(value, limit))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return clean(value, limit)
    return f"a JSON {'array' if isinstance(value, list) else 'object'}"


_HINTS = {
    401: "the credential was refused (log in again: az login, or check the workload identity)",
    403: "the identity lacks read permissions (grant Directory.Read.All, or Application.Read.All, "
    "DelegatedPermissionGrant.Read.All, User.ReadBasic.All and Group.Read.All)",
}


def describe(status: int, content: bytes) -> str:
    """`HTTP 403 Code: message (what to do)`: Graph's error code and message, made safe."""
    code, message = "", ""
    try:
        error = json.loads(content).get("error", {})
        code, message = clean(error.get("code") or "", 80), clean(error.get("message") or "")
    except (ValueError, AttributeError, RecursionError):
        pass
    text = f"HTTP {status}"
    if code:
        text += f" {code}"
    if message:
        text += f": {message}"
    hint = _HINTS.get(status)
    return f"{text} ({hint})" if hint else text


_DNS_FAILURES = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo failed",
    "temporary failure in name resolution",
    "no address associated with hostname",
)
_REFUSED = ("connection refused", "actively refused")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]


def connect_failure(exc: httpx.TransportError, host: str) -> str | None:
    """The one line for a connection that retrying will not make: the host name does not
    resolve (socket.gaierror, or its message), or the host refused the connection.

    A refused connection is not retried either: it is an answer (nothing listens at that
    address, or a proxy turned the request away), not a lost packet, and Graph's front door
    answers an outage with 5xx, which is retried. Six retries with back-off would only spend
    a minute before the same line. Other connection errors (timeouts, resets) are retried."""
    if not isinstance(exc, httpx.ConnectError):
        return None
    for e in _chain(exc):
        text = str(e).lower()
        if isinstance(e, socket.gaierror) or any(m in text for m in _DNS_FAILURES):
            return f"graph: cannot resolve host {clean(host, 100)} (check --graph-url / network)"
    for e in _chain(exc):
        text = str(e).lower()
        if isinstance(e, ConnectionRefusedError) or any(m in text for m in _REFUSED):
            return (
                f"graph: {clean(host, 100)} refused the connection (nothing listens there: "
                "check --graph-url, HTTPS_PROXY / network)"
            )
    return None
