"""A small, read-only Microsoft Graph client: GET only, paging via `@odata.nextLink`, 429
`Retry-After`, transient 5xx and network retries, timeouts, a configurable base URL (national
clouds, the tests' local server) and pluggable credentials.

httpx + azure-identity rather than msgraph-sdk: discovery needs a handful of GET endpoints, and
the full SDK installs at about 470 MB and imports slowly; azure-identity alone gives every
credential the project needs (Azure CLI, OIDC workload identity, managed identity).
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO
from urllib.parse import urlsplit

import httpx

PUBLIC_GRAPH_URL = "https://graph.microsoft.com/v1.0"
# National clouds (Microsoft Graph deployments); the token authority is set separately, e.g.
# AZURE_AUTHORITY_HOST=https://login.microsoftonline.us for azure-identity.
NATIONAL_CLOUDS = {
    "public": "https://graph.microsoft.com/v1.0",
    "usgov": "https://graph.microsoft.us/v1.0",
    "usgov-dod": "https://dod-graph.microsoft.us/v1.0",
    "china": "https://microsoftgraph.chinacloudapi.cn/v1.0",
}
GRAPH_URL_ENV = "ENTRA_CONSENT_GRAPH_URL"
# A bearer token obtained elsewhere (tests, or `az account get-access-token --resource-type
# ms-graph`); when set, azure-identity is not used.
GRAPH_TOKEN_ENV = "ENTRA_CONSENT_GRAPH_TOKEN"

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_REFRESH_MARGIN_S = 300


class GraphError(Exception):
    """A Graph request that failed for good: one line, with what to do."""


class TokenProvider(Protocol):
    def __call__(self) -> str: ...


@dataclass
class StaticToken:
    token: str

    def __call__(self) -> str:
        return self.token


@dataclass
class AzureIdentityToken:
    """DefaultAzureCredential (environment / workload identity OIDC / managed identity / Azure
    CLI / ...), cached until five minutes before expiry: some credentials (Azure CLI) do not
    cache, and a large tenant takes hundreds of requests."""

    scope: str
    _credential: Any = None
    _token: str = ""
    _expires_on: float = 0.0

    def __call__(self) -> str:
        if self._token and time.time() < self._expires_on - _REFRESH_MARGIN_S:
            return self._token
        if self._credential is None:
            from azure.identity import DefaultAzureCredential  # slow import: only when used

            self._credential = DefaultAzureCredential(exclude_interactive_browser_credential=True)
        access = self._credential.get_token(self.scope)
        self._token, self._expires_on = access.token, float(access.expires_on)
        return self._token


def token_scope(base_url: str) -> str:
    """`https://graph.microsoft.us/v1.0` -> `https://graph.microsoft.us/.default`."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/.default"


def default_token_provider(base_url: str, env: Mapping[str, str] | None = None) -> TokenProvider:
    env = os.environ if env is None else env
    token = env.get(GRAPH_TOKEN_ENV, "").strip()
    if token:
        return StaticToken(token)
    return AzureIdentityToken(token_scope(base_url))


def token_tenant(token: str) -> str | None:
    """The `tid` claim of a JWT access token (not verified: Graph verifies it; this only
    catches a credential logged in to another tenant). None when the token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    tid = claims.get("tid") if isinstance(claims, dict) else None
    return tid.lower() if isinstance(tid, str) else None


def check_base_url(base_url: str) -> str:
    """The URL without a trailing slash; https, or http to a loopback address (tests)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise GraphError(f"graph url {base_url!r}: not an http(s) URL (e.g. {PUBLIC_GRAPH_URL})")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise GraphError(
            f"graph url {base_url!r}: plain http is allowed for loopback test servers only (use https)"
        )
    return base_url.rstrip("/")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class Progress:
    """Progress on stderr: one line per page on a terminal (overwritten), one line per finished
    listing otherwise (CI logs stay short)."""

    stream: TextIO | None = field(default_factory=lambda: sys.stderr)
    _live: bool = False

    def __post_init__(self) -> None:
        self._live = bool(self.stream is not None and self.stream.isatty())

    def page(self, what: str, pages: int, items: int) -> None:
        if self.stream is not None and self._live:
            self.stream.write(f"\rdiscover: {what}: {items} (page {pages})\x1b[K")
            self.stream.flush()

    def done(self, what: str, pages: int, items: int) -> None:
        if self.stream is None:
            return
        prefix = "\r" if self._live else ""
        suffix = "\x1b[K" if self._live else ""
        plural = "s" if pages != 1 else ""
        self.stream.write(f"{prefix}discover: {what}: {items} in {pages} page{plural}{suffix}\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        if self.stream is not None:
            prefix = "\r" if self._live else ""
            self.stream.write(f"{prefix}discover: {message}\n")
            self.stream.flush()


@dataclass
class RequestStats:
    requests: int = 0
    retries: int = 0
    waited_s: float = 0.0


class GraphClient:
    """GET-only by construction: there is no method that sends anything else."""

    def __init__(
        self,
        base_url: str,
        token: TokenProvider,
        *,
        timeout_s: float = 30.0,
        max_retries: int = 6,
        max_wait_s: float = 300.0,
        progress: Progress | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._origin = urlsplit(self.base_url)
        self._token = token
        self._max_retries = max_retries
        self._max_wait_s = max_wait_s
        self._sleep = sleep
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
            parts = urlsplit(path_or_url)
            if (parts.scheme, parts.netloc) != (self._origin.scheme, self._origin.netloc):
                raise GraphError(
                    f"graph: refusing to follow a link to {parts.netloc} (not {self._origin.netloc})"
                )
            return path_or_url
        return f"{self.base_url}/{path_or_url.lstrip('/')}"

    def _backoff(self, attempt: int) -> float:
        return float(min(2**attempt, 60))

    def get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any] | None:
        """One GET, retried when transient. None for 404 (the object does not exist)."""
        url = self._url(path)
        shown = urlsplit(url).path
        attempt = 0
        while True:
            self.stats.requests += 1
            try:
                response = self._http.get(
                    url, params=params, headers={"Authorization": f"Bearer {self._token()}"}
                )
            except httpx.TimeoutException as exc:
                reason, wait = f"timed out ({type(exc).__name__})", self._backoff(attempt)
            except httpx.TransportError as exc:
                reason, wait = f"network error ({exc})", self._backoff(attempt)
            else:
                status = response.status_code
                if status == 200:
                    try:
                        body = response.json()
                    except ValueError:
                        body = None
                    if not isinstance(body, dict):
                        raise GraphError(f"graph: GET {shown}: expected a JSON object")
                    return body
                if status == 404:
                    return None
                if status not in RETRYABLE_STATUS:
                    raise GraphError(f"graph: GET {shown}: {_describe(response)}")
                after = retry_after_seconds(response.headers.get("Retry-After"))
                wait = after if after is not None else self._backoff(attempt)
                reason = "throttled (429)" if status == 429 else f"HTTP {status}"
            if attempt >= self._max_retries:
                raise GraphError(
                    f"graph: GET {shown}: {reason}, still failing after {attempt + 1} attempts (try again later)"
                )
            wait = min(wait, self._max_wait_s)
            self.progress.note(f"GET {shown}: {reason}; retrying in {wait:g} s")
            self.stats.retries += 1
            self.stats.waited_s += wait
            self._sleep(wait)
            attempt += 1

    def get_all(
        self, path: str, params: Mapping[str, str] | None = None, what: str = ""
    ) -> Iterator[dict[str, Any]]:
        """Every item of a collection, following `@odata.nextLink` (which carries the query).
        A missing collection (404) yields nothing."""
        label = what or path
        pages = items = 0
        url: str | None = path
        query: Mapping[str, str] | None = params
        while url is not None:
            body = self.get(url, query)
            if body is None:
                break
            pages += 1
            values = body.get("value", [])
            if not isinstance(values, list):
                raise GraphError(f"graph: GET {path}: 'value' is not a list")
            for item in values:
                if isinstance(item, dict):
                    items += 1
                    yield item
            self.progress.page(label, pages, items)
            link = body.get("@odata.nextLink")
            url, query = (link, None) if isinstance(link, str) and link else (None, None)
        self.progress.done(label, pages, items)


_HINTS = {
    401: "the credential was refused (log in again: az login, or check the workload identity)",
    403: "the identity lacks read permissions (grant Directory.Read.All, or Application.Read.All, "
    "DelegatedPermissionGrant.Read.All, User.Read.All and GroupMember.Read.All)",
}


def _describe(response: httpx.Response) -> str:
    code, message = "", ""
    try:
        error = response.json().get("error", {})
        code, message = str(error.get("code", "")), str(error.get("message", ""))
    except (ValueError, AttributeError):
        pass
    text = f"HTTP {response.status_code}"
    if code:
        text += f" {code}"
    if message:
        text += f": {message}"
    hint = _HINTS.get(response.status_code)
    return f"{text} ({hint})" if hint else text


def graph_url_from(arg: str | None, env: Mapping[str, str] | None = None) -> str:
    """--graph-url wins; then ENTRA_CONSENT_GRAPH_URL; a national cloud name is accepted too."""
    env = os.environ if env is None else env
    value = arg or env.get(GRAPH_URL_ENV) or PUBLIC_GRAPH_URL
    return check_base_url(NATIONAL_CLOUDS.get(value, value))
