"""Seeding a simulated (or any Graph-like) tenant with ordinary Graph requests over HTTP.

A seed file is YAML: a list of requests, replayed in order, each

    - method: POST                # default POST
      path: /users                # relative to the base URL (…/v1.0); /v1.0/…, /beta/… and
                                  # /_sim/… are taken from the server's root
      body: {displayName: Adele Vance, userPrincipalName: adele.vance@contoso.com}
      as: adele                   # optional: name the answer, for later requests

A later request refers to an earlier named answer in two ways: a string containing `${name}`
(its `id`) or `${name.prop}` (another property; `${name.value.0.id}` walks into lists by
index), e.g. `path: /groups/${jira-users}/members/$ref` or
`body: {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/${adele}"}`; or a value
written `{ref: name}` (or `{ref: name.prop}`), replaced by that value whatever its JSON type.
Any answer other than 2xx stops the replay with a one-line `SeedError`.

Graph gives every new object a random id. Where a seed needs a fixed one (the deploying
identity's service principal, whose object id the provider's caller reports), it queues the id
on the simulator first, and the next object created takes it:

    - path: /_sim/next-ids
      body: {ids: [51a7e27a-0000-4000-8000-0000000000b1]}
    - path: /servicePrincipals
      body: {appId: 51a7e27a-0000-4000-8000-00000000c11e}

Owners go in a create's body as Graph takes them, `owners@odata.bind: [".../directoryObjects/
${name}"]` (users and service principals), or later with `POST /servicePrincipals/{id}/owners/
$ref` or `/groups/{id}/owners/$ref`. A Microsoft 365 group is a group with `groupTypes:
[Unified]`."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_.:@-]+)\}")
_ROOTED = ("/v1.0/", "/beta/", "/_sim/")
_KEYS = frozenset({"method", "path", "body", "as"})


class SeedError(Exception):
    """A seed file or request that failed: one line."""


class GraphSession:
    """Plain HTTP to a Graph base URL over one kept-alive connection, JSON in and out."""

    def __init__(self, base_url: str, token: str = "seed", timeout_s: float = 30.0) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SeedError(f"{base_url}: not an http(s) URL")
        self.prefix = parts.path
        self._scheme, self._netloc, self._timeout = parts.scheme, parts.netloc, timeout_s
        self._token = token
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> GraphSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def target(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            parts = urlsplit(path)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(_ROOTED):
            return path
        return f"{self.prefix}/{path.lstrip('/')}"

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(status, parsed JSON answer or None). Retries once on a dropped connection."""
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self._conn is None:
                kind = (
                    http.client.HTTPSConnection
                    if self._scheme == "https"
                    else http.client.HTTPConnection
                )
                self._conn = kind(self._netloc, timeout=self._timeout)
            try:
                self._conn.request(method.upper(), self.target(path), payload, headers)
                response = self._conn.getresponse()
                raw = response.read()
            except (http.client.HTTPException, ConnectionError) as exc:
                self.close()
                if attempt == 2:
                    raise SeedError(f"{method} {path}: {exc}") from None
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, json.loads(raw) if raw.strip() else None
        raise AssertionError("unreachable")

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """The answer of a request that must succeed."""
        status, answer = self.request(method, path, body)
        if status >= 300:
            error = answer.get("error", {}) if isinstance(answer, dict) else {}
            raise SeedError(
                f"{method.upper()} {path}: HTTP {status} {error.get('code', '')}: "
                f"{error.get('message', answer)}"
            )
        return answer

    def get_all(self, path: str) -> list[Any]:
        """Every item of a collection, following `@odata.nextLink`."""
        items: list[Any] = []
        url: str | None = path
        while url:
            page = self.call("GET", url)
            items.extend(page.get("value", []))
            url = page.get("@odata.nextLink")
        return items


def load_seed(path: Path) -> list[dict[str, Any]]:
    """The requests of a seed file, checked."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SeedError(f"{path}: {exc}".splitlines()[0]) from None
    if not isinstance(data, list):
        raise SeedError(f"{path}: expected a list of requests")
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise SeedError(f"{path}: request {index + 1}: a mapping with a path is needed")
        unknown = set(entry) - _KEYS
        if unknown:
            raise SeedError(f"{path}: request {index + 1}: unknown keys {sorted(unknown)}")
    return data


def _value(names: Mapping[str, Any], ref: str) -> Any:
    name, _, prop = ref.partition(".")
    if name not in names:
        raise SeedError(f"reference to {name!r}, which no earlier request is named (as:)")
    value = names[name]
    for step in (prop or "id").split("."):
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdecimal() and int(step) < len(value):
            value = value[int(step)]
        else:
            raise SeedError(f"reference {ref!r}: the answer named {name!r} has no {prop or 'id'!r}")
    return value


def resolve(value: Any, names: Mapping[str, Any]) -> Any:
    """`value` with `${name}` / `${name.prop}` and `{ref: …}` references filled in."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: str(_value(names, m.group(1))), value)
    if isinstance(value, dict):
        if set(value) == {"ref"} and isinstance(value["ref"], str):
            return _value(names, value["ref"])
        return {k: resolve(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, names) for v in value]
    return value


def replay(session: GraphSession, requests: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Send the requests in order; the named answers (name -> answer body)."""
    names: dict[str, Any] = {}
    for entry in requests:
        method = str(entry.get("method", "POST")).upper()
        path = resolve(entry["path"], names)
        body = resolve(entry.get("body"), names)
        answer = session.call(method, path, body)
        if entry.get("as"):
            names[str(entry["as"])] = answer
    return names


def seed(
    base_url: str, requests: Path | Iterable[Mapping[str, Any]], token: str | None = None
) -> dict[str, Any]:
    """Replay a seed file (or requests) against a running server; the named answers."""
    entries = load_seed(requests) if isinstance(requests, Path) else list(requests)
    with GraphSession(base_url, token or "seed") as session:
        return replay(session, entries)
