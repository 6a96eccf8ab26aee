"""A small, read-only Microsoft Graph client: GET only, paging via `@odata.nextLink`, 429
`Retry-After`, transient 5xx and network retries, timeouts, a configurable base URL (national
clouds, the tests' local server) and pluggable credentials.

Bounded (previews.tenant.graph_paging): a deadline, one waiting budget and byte caps for the whole
discovery; listings are read whole or fail. Credentials: previews.tenant.graph_credentials;
the base URL: previews.tenant.graph_url; progress lines: previews.tenant.graph_progress.

httpx + azure-identity rather than msgraph-sdk: discovery needs a handful of GET endpoints, and
the full SDK installs at about 470 MB and imports slowly; azure-identity alone gives every
credential the project needs (Azure CLI, OIDC workload identity, managed identity).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from catalog.text import clean
from previews.tenant.graph_credentials import (
    AzureIdentityToken,
    StaticToken,
    TokenProvider,
    default_token_provider,
    token_scope,
    token_tenant,
)
from previews.tenant.graph_errors import GraphError, connect_failure, describe, quoted
from previews.tenant.graph_paging import (
    MAX_RESPONSE_BYTES,
    Budget,
    Listing,
    Reading,
    retry_after_seconds,
    url_key,
)
from previews.tenant.graph_progress import Progress
from previews.tenant.graph_settings import (
    DEFAULT_DEADLINE_S,
    DEFAULT_MAX_MIB,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_WAIT_S,
    GRAPH_TOKEN_ENV,
    GRAPH_URL_ENV,
    MIB,
    NATIONAL_CLOUDS,
    PUBLIC_GRAPH_URL,
)
from previews.tenant.graph_url import check_base_url, graph_url_from

__all__ = [  # the names other modules import from here
    "GRAPH_TOKEN_ENV",
    "GRAPH_URL_ENV",
    "NATIONAL_CLOUDS",
    "AzureIdentityToken",
    "GraphClient",
    "GraphError",
    "Progress",
    "StaticToken",
    "TokenProvider",
    "check_base_url",
    "default_token_provider",
    "graph_url_from",
    "retry_after_seconds",
    "token_scope",
    "token_tenant",
]


RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass
class RequestStats:
    requests: int = 0
    retries: int = 0
    waited_s: float = 0.0


class GraphClient:
    """GET-only by construction: there is no method that sends anything else. Bounded by a
    `Budget` (deadline, total waiting, bytes) for the client's whole life: one discovery."""

    def __init__(
        self,
        base_url: str,
        token: TokenProvider,
        *,
        timeout_s: float = 30.0,
        max_retries: int = 6,
        max_wait_s: float = DEFAULT_MAX_WAIT_S,
        deadline_s: float = DEFAULT_DEADLINE_S,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_bytes: int = DEFAULT_MAX_MIB * MIB,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        memory: Callable[[], int] | None = None,
        progress: Progress | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._origin = urlsplit(self.base_url)
        self._token = token
        self._timeout_s = timeout_s
        self._max_retries = max_retries
        self._max_pages = max_pages
        self._sleep = sleep
        self.budget = Budget(deadline_s, max_wait_s, max_bytes, max_response_bytes, clock, memory)
        self.budget.start()
        self.progress = progress or Progress(stream=None)
        self.stats = RequestStats()
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=False,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "entra-consent-discover"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("https://", "http://")):
            try:
                parts = urlsplit(path_or_url)
                httpx.URL(path_or_url)
            except (ValueError, httpx.InvalidURL):
                message = f"graph: a link Graph sent is not a URL: {quoted(path_or_url, 100)}"
                raise GraphError(message) from None
            if (parts.scheme, parts.netloc) != (self._origin.scheme, self._origin.netloc):
                raise GraphError(
                    f"graph: refusing to follow a link to {clean(parts.netloc, 100)} "
                    f"(not {self._origin.netloc})"
                )
            return path_or_url
        return f"{self.base_url}/{path_or_url.lstrip('/')}"

    def _backoff(self, attempt: int) -> float:
        return float(min(2**attempt, 60))

    def _fetch(
        self, url: str, params: Mapping[str, str] | None, shown: str
    ) -> tuple[int, httpx.Headers, bytes]:
        """One GET, its body read in chunks within the byte limits and the deadline."""
        timeout = max(min(self._timeout_s, self.budget.remaining_s()), 0.001)
        headers = {"Authorization": f"Bearer {self._token()}"}
        with self._http.stream(
            "GET", url, params=params, headers=headers, timeout=timeout
        ) as response:
            content = self.budget.read_body(response, shown)
            return response.status_code, response.headers, content

    def get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any] | None:
        """One GET, retried when transient. None for 404 (the object does not exist)."""
        url = self._url(path)
        shown = clean(urlsplit(url).path, 200)
        self.budget.reading = Reading(shown)
        return self._get(url, params, shown)

    def _get(self, url: str, params: Mapping[str, str] | None, shown: str) -> dict[str, Any] | None:
        attempt = 0
        while True:
            self.budget.check_time(shown)
            self.stats.requests += 1
            self.budget.requests += 1
            try:
                status, headers, content = self._fetch(url, params, shown)
            except httpx.TimeoutException as exc:
                reason, wait = f"timed out ({type(exc).__name__})", self._backoff(attempt)
            except httpx.TransportError as exc:
                fatal = connect_failure(exc, urlsplit(url).netloc)
                if fatal:
                    raise GraphError(fatal) from None
                reason, wait = f"network error ({clean(exc, 200)})", self._backoff(attempt)
            else:
                if status == 200:
                    try:
                        body = json.loads(content)
                    except RecursionError:
                        raise GraphError(
                            f"graph: GET {shown}: the answer nests deeper than it can be read "
                            "(not a Graph answer: check --graph-url)"
                        ) from None
                    except ValueError:
                        body = None
                    if not isinstance(body, dict):
                        raise GraphError(f"graph: GET {shown}: expected a JSON object")
                    return body
                if status == 404:
                    return None
                if status not in RETRYABLE_STATUS:
                    raise GraphError(f"graph: GET {shown}: {describe(status, content)}")
                after = retry_after_seconds(headers.get("Retry-After"))
                wait = after if after is not None else self._backoff(attempt)
                reason = "throttled (429)" if status == 429 else f"HTTP {status}"
            if attempt >= self._max_retries:
                raise GraphError(
                    f"graph: GET {shown}: {reason}, still failing after {attempt + 1} attempts (try again later)"
                )
            self.budget.check_wait(wait, shown, reason)
            self.progress.note(f"GET {shown}: {reason}; retrying in {wait:g} s")
            self.stats.retries += 1
            self.stats.waited_s += wait
            self.budget.waited_s += wait
            self._sleep(wait)
            attempt += 1

    def get_all(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        what: str = "",
        *,
        absent_ok: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Every item of a collection, following `@odata.nextLink` (which carries the query).

        A 404 on the first page is an error, or, with `absent_ok` (the collection of an object
        that may have been deleted since it was read), an empty listing. A 404 on a later page,
        a page without a `value` list, a link back to a page already read or more than
        `max_pages` pages is an error: a listing is read whole or not at all."""
        url = self._url(path)
        shown = clean(urlsplit(url).path, 200)
        reading = Reading(clean(what, 120) if what else shown)
        listing = Listing(reading, shown, self._max_pages)
        query = params
        listing.follow(url_key(url, query))
        while True:
            self.budget.reading = reading
            body = self._get(url, query, shown)
            if body is None:
                if reading.pages == 0 and absent_ok:
                    break
                if reading.pages == 0:
                    raise GraphError(
                        f"graph: GET {shown}: not found (404): {reading.what} does not exist "
                        f"(check --graph-url: it ends with the API version, e.g. {PUBLIC_GRAPH_URL})"
                    )
                raise listing.gone()
            yield from listing.items(body)
            self.progress.page(reading.what, reading.pages, reading.items)
            link = listing.next_link(body)
            if link is None:
                break
            url, query = self._url(link), None
            listing.follow(url_key(url))
        self.progress.done(reading.what, reading.pages, reading.items)
