"""The only module that speaks HTTP to Graph: a small Microsoft Graph client (v1.0 and beta)
signed in with the token the provider obtained when it was configured (see `signin.py`). Every
request runs under the operation's deadline with go-azure-sdk's retries (`retry.py`); a status
the operation does not expect becomes a `GraphError` worded as go-azure-sdk words it; lists
follow `@odata.nextLink` (`Client.ExecutePaged`, sdk/client/client.go lines 584-671), each page
a request of its own. No request asks for a page size (`$top`): terraform-provider-azuread
v3.9.0 sets none anywhere, so Graph's default page size applies."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from simtenant.provider.errors import GraphError, not_found
from simtenant.provider.retry import Deadline, RetryFunc, execute

GRAPH_ENV = "ENTRA_CONSENT_SIM_GRAPH"

Json = dict[str, Any]
Params = Mapping[str, str]

# A data source's read, and any operation the engine gives no deadline: 5 minutes.
DEFAULT_TIMEOUT_S = 300.0

# Each request on stderr, for debugging (the engine logs plugin stderr, at -v 9 and up).
_DEBUG = bool(os.environ.get("ENTRA_CONSENT_SIM_PROVIDER_DEBUG"))


@dataclass(frozen=True)
class Caller:
    """Who the provider is signed in as (`clients.Client`: TenantID, ClientID, ObjectID)."""

    tenant_id: str
    client_id: str
    object_id: str


def beta_url(base: str) -> str:
    return base[: -len("/v1.0")] + "/beta" if base.endswith("/v1.0") else base + "/beta"


class Graph:
    def __init__(
        self,
        base_url: str,
        token: str,
        caller: Caller,
        *,
        http: httpx.Client | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.beta_url = beta_url(self.base_url)
        self.caller = caller
        self._token = token
        self._http = http or httpx.Client(
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
        )
        self._deadline = deadline

    def until(self, deadline: Deadline) -> Graph:
        """This client for one operation: every request under `deadline`."""
        return Graph(self.base_url, self._token, self.caller, http=self._http, deadline=deadline)

    @property
    def deadline(self) -> Deadline:
        return self._deadline or Deadline.after(DEFAULT_TIMEOUT_S)

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
        retry: RetryFunc | None = None,
    ) -> Json:
        url = str(
            httpx.URL(self._url(path, beta), params=params) if params else self._url(path, beta)
        )

        def send(timeout_s: float) -> httpx.Response:
            return self._http.request(method, url, json=body, timeout=timeout_s)

        resp = execute(send, method, url, self.deadline, retry)
        if _DEBUG:
            print(
                f"azuread (simulated): {method} {resp.url} -> {resp.status_code}", file=sys.stderr
            )
        if resp.status_code >= 400:
            raise GraphError.from_response(
                resp.status_code,
                resp.reason_phrase,
                resp.content,
                resp.headers.get("Content-Type", ""),
            )
        if not resp.content:
            return {}
        data = resp.json()
        return data if isinstance(data, dict) else {"value": data}

    def get(self, path: str, params: Params | None = None, *, beta: bool = False) -> Json:
        return self.request("GET", path, params=params, beta=beta)

    def find(self, path: str, summary: str) -> Json | None:
        """GET one object: None when Graph answers 404 (a resource's Read: it is gone), any
        other failure as the diagnostic `summary: <error>`."""
        try:
            return self.get(path)
        except GraphError as exc:
            if not_found(exc):
                return None
            raise exc.during(summary) from exc

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

    def post(self, path: str, body: Json, retry: RetryFunc | None = None) -> Json:
        return self.request("POST", path, body=body, retry=retry)

    def patch(self, path: str, body: Json) -> Json:
        return self.request("PATCH", path, body=body)

    def delete(self, path: str) -> None:
        self.request("DELETE", path)
