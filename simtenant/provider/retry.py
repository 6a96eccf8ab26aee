"""When a request is sent again, and how long the client waits first: go-azure-sdk's client
(sdk v0.20260212.1143955, which terraform-provider-azuread v3.9.0 requires) over
go-retryablehttp v0.7.8.

Every request of an operation runs under the operation's deadline (`Deadline`): the plugin
SDK's context timeout for the resource's Create/Read/Update/Delete, or a data source's Read.

- What is retried (`sdk/client/client.go`, `Client.Execute`, the CheckRetry closure, lines
  446-486): 424 and 408 always; then the operation's own `RetryFunc` (a resource's create rules,
  e.g. a grant's 404); then `retryablehttp.DefaultRetryPolicy` (client.go lines 472-535 of
  go-retryablehttp): 429, and any 5xx but 501.
- How often (`Client.retryableClient`, lines 674-724): `RetryMax` is worked out from the time
  left before the deadline when the request starts (`safe_retry_number`), so that the backoff
  below fits in it: 0 retries with under 3 s left, 9 with 5 minutes, 14 with 10.
- How long between tries (the `Backoff` func, lines 677-694): the `Retry-After` header's whole
  seconds when the answer has one (any status), else 2^n seconds (n = 0, 1, ...: 1 s, 2 s, 4 s)
  up to 61 s. The wait is cut short by the deadline, which then fails the request with Go's
  `Patch "<url>": context deadline exceeded` (go-retryablehttp `Client.Do`, lines 761-790, and
  net/http's `url.Error`).
- After the last try the last answer stands, and its status becomes the error
  (`RetryableErrorHandler`, client.go lines 73-79).

The simulated tenant answers at once, so the exponential waits are scaled by
`ENTRA_CONSENT_SIM_BACKOFF_SCALE` (default 0.01: 10 ms stands for a second; 1 waits as the real
provider does). `Retry-After` is always honoured as given, in real seconds."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from simtenant.provider.errors import GraphError

RETRY_WAIT_MIN_S = 1.0
RETRY_WAIT_MAX_S = 61.0


def _scale() -> float:
    try:
        return max(0.0, float(os.environ.get("ENTRA_CONSENT_SIM_BACKOFF_SCALE") or 0.01))
    except ValueError:
        return 0.01


BACKOFF_SCALE = _scale()

# An operation's own retry rule: (status, the OData error's text) -> send it again?
RetryFunc = Callable[[int, str], bool]


@dataclass(frozen=True)
class Deadline:
    at: float  # time.monotonic()

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def left(self) -> float:
        return self.at - time.monotonic()


def safe_retry_number(seconds: float) -> int:
    """`safeRetryNumber`: the most retries whose backoff (1 + 2 + ... + 32, then 61 each)
    fits in `seconds`."""
    if seconds <= 63:
        return math.floor(math.log2(seconds + 1)) - 1 if seconds > -1 else -1
    return (int(seconds) - 63) // 61 + 6


def backoff_s(attempt: int, retry_after: str | None) -> float:
    """The wait before retry number `attempt` + 1 (attempt 0 is the first retry), in real
    seconds: `Retry-After` as given, else the scaled exponential backoff."""
    if retry_after is not None:
        try:
            return max(0.0, float(int(retry_after.strip())))
        except ValueError:
            pass
    return min(2.0**attempt * RETRY_WAIT_MIN_S, RETRY_WAIT_MAX_S) * BACKOFF_SCALE


def should_retry(resp: httpx.Response, odata: str, retry: RetryFunc | None) -> bool:
    status = resp.status_code
    if status in (424, 408):
        return True
    if retry is not None and retry(status, odata):
        return True
    return status == 429 or status == 0 or (status >= 500 and status != 501)


def go_url_error(method: str, url: str, err: str) -> GraphError:
    """net/http's `*url.Error`: `Get "<url>": <err>` (a request with no answer: status 0)."""
    return GraphError(f'{method[:1].upper()}{method[1:].lower()} "{url}": {err}')


def deadline_exceeded(method: str, url: str) -> GraphError:
    return go_url_error(method, url, "context deadline exceeded")


def execute(
    send: Callable[[float], httpx.Response],
    method: str,
    url: str,
    deadline: Deadline,
    retry: RetryFunc | None = None,
) -> httpx.Response:
    """One request as `Client.Execute` sends it: `send(timeout_s)` until the answer is not to
    be retried, or the retries or the deadline run out. Returns the last answer, whatever its
    status (the caller turns an unexpected one into a `GraphError`)."""
    retry_max = safe_retry_number(deadline.left())
    attempt = 0
    while True:
        left = deadline.left()
        if left <= 0:
            raise deadline_exceeded(method, url)
        try:
            resp = send(left)
        except httpx.TimeoutException as exc:
            if deadline.left() <= 0:
                raise deadline_exceeded(method, url) from exc
            raise go_url_error(method, url, str(exc) or type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            # Refused or dropped connections: go-azure-sdk's extended policy does not retry
            # `dial tcp` failures nor EOF, and never retries a non-idempotent request.
            raise go_url_error(method, url, str(exc) or type(exc).__name__) from exc
        if attempt >= retry_max or not should_retry(resp, _odata(resp), retry):
            return resp
        wait = backoff_s(attempt, resp.headers.get("Retry-After"))
        left = deadline.left()
        if wait >= left:
            time.sleep(max(0.0, left))
            raise deadline_exceeded(method, url)
        time.sleep(wait)
        attempt += 1


def _odata(resp: httpx.Response) -> str:
    if resp.status_code < 400:
        return ""
    return GraphError.from_response(
        resp.status_code, resp.reason_phrase, resp.content, resp.headers.get("Content-Type", "")
    ).odata
