"""The only module that speaks HTTP: a small Microsoft Graph client (v1.0 and beta) with
paging by `@odata.nextLink`, error bodies turned into `GraphError`, and the short retry the
real provider applies to writes that race directory replication."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from simtenant.provider.errors import GraphError, ProviderError

GRAPH_ENV = "ENTRA_CONSENT_SIM_GRAPH"
TOKEN_ENV = "ENTRA_CONSENT_SIM_TOKEN"
MISSING_GRAPH = (
    f"{GRAPH_ENV} is not set: start a simulated tenant with `python -m simtenant serve` "
    f"and set {GRAPH_ENV} to the base URL it prints (http://127.0.0.1:PORT/v1.0)"
)

Json = dict[str, Any]
Params = Mapping[str, str]

# Replication retries: the real provider retries for minutes (its create timeout); a
# simulated tenant replicates at once, so a few short attempts are enough.
RETRY_ATTEMPTS = 5
RETRY_DELAY_S = 0.2

# Each request on stderr, for debugging (the engine logs plugin stderr, at -v 9 and up).
_DEBUG = bool(os.environ.get("ENTRA_CONSENT_SIM_PROVIDER_DEBUG"))


class Graph:
    def __init__(self, base_url: str, token: str, timeout_s: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.beta_url = self._beta(self.base_url)
        self._http = httpx.Client(
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout_s,
        )

    @staticmethod
    def _beta(base: str) -> str:
        return base[: -len("/v1.0")] + "/beta" if base.endswith("/v1.0") else base + "/beta"

    @classmethod
    def from_env(cls) -> Graph:
        base = os.environ.get(GRAPH_ENV, "").strip()
        if not base:
            raise ProviderError(MISSING_GRAPH)
        return cls(base, os.environ.get(TOKEN_ENV) or "simulated")

    def close(self) -> None:
        self._http.close()

    def _url(self, path: str, beta: bool) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.beta_url if beta else self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Json | None = None,
        beta: bool = False,
    ) -> Json:
        url = self._url(path, beta)
        try:
            resp = self._http.request(method, url, params=params, json=body)
        except httpx.HTTPError as exc:
            raise ProviderError(f"{method} {url}: {exc}") from exc
        if _DEBUG:
            print(
                f"azuread (simulated): {method} {resp.url} -> {resp.status_code}", file=sys.stderr
            )
        if resp.status_code >= 400:
            raise _error(resp)
        if not resp.content:
            return {}
        data = resp.json()
        return data if isinstance(data, dict) else {"value": data}

    def get(self, path: str, params: Params | None = None, *, beta: bool = False) -> Json:
        return self.request("GET", path, params=params, beta=beta)

    def find(self, path: str, operation: str) -> Json | None:
        """GET one object: None when Graph answers 404 (a resource's Read: it is gone), any
        other failure as `<operation>: <status> <code>: <message>`."""
        try:
            return self.get(path)
        except GraphError as exc:
            if not_found(exc):
                return None
            raise exc.during(operation) from exc

    def list(self, path: str, params: Params | None = None, *, beta: bool = False) -> list[Json]:
        """Every item of a collection, following `@odata.nextLink` (which carries the query)."""
        items: list[Json] = []
        page = self.get(path, params, beta=beta)
        while True:
            items.extend(item for item in page.get("value", []) if isinstance(item, dict))
            next_link = page.get("@odata.nextLink")
            if not isinstance(next_link, str) or not next_link:
                return items
            page = self.get(next_link)

    def post(self, path: str, body: Json) -> Json:
        return self.request("POST", path, body=body)

    def patch(self, path: str, body: Json) -> Json:
        return self.request("PATCH", path, body=body)

    def delete(self, path: str) -> None:
        self.request("DELETE", path)


def retrying(call: Callable[[], Json], retry: Callable[[GraphError], bool]) -> Json:
    """`call()`, again after a short pause while `retry(error)` says the failure is transient."""
    for attempt in range(RETRY_ATTEMPTS):
        try:
            return call()
        except GraphError as exc:
            if attempt == RETRY_ATTEMPTS - 1 or not retry(exc):
                raise
            time.sleep(RETRY_DELAY_S * (attempt + 1))
    raise AssertionError("unreachable")


def _error(resp: httpx.Response) -> GraphError:
    code, message = "", resp.reason_phrase
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = str(body["error"].get("code") or "")
        message = str(body["error"].get("message") or message)
    elif resp.text:
        message = resp.text.strip().splitlines()[0]
    return GraphError(resp.status_code, code or resp.reason_phrase, message)


def not_found(exc: GraphError) -> bool:
    return exc.status == 404
