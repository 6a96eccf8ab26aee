"""Opt-in throttling of identity writes at Microsoft Graph's published limits: 3,000 writes
(POST, PATCH, PUT, DELETE) per 150 s per app and tenant, and 18,000 per 5 minutes per tenant
(the limits docs/scale.md cites for Microsoft Entra writes). Each limit is a sliding window: a
write is admitted when fewer than the limit were admitted in the window before it.

A write over a limit is answered 429 `TooManyRequests` "Please retry again later." (the code
and message of the sample answer on Graph's throttling page) with `Retry-After`: the whole
seconds (at least 1) until the window admits it. A rejected request is not counted against the
limits (Graph says throttled requests do not count as writes), so a client that waits
`Retry-After` gets in; every admitted write counts, whatever its answer. Reads are never
throttled. "App" is the caller as its bearer token names it (`appid`, else `azp`, of a JWT
payload, read without verification), one app for any other token.

On: `SimTenant(throttle=Limits(...))`, `python -m simtenant serve --throttle` (Graph's limits),
or `POST /_sim/throttle` with any of `app_writes`, `app_window_s`, `tenant_writes`,
`tenant_window_s` (the rest: Graph's). `GET /_sim/throttle` says the limits and how many
requests were admitted and throttled (per app too); `DELETE /_sim/throttle` turns it off and
keeps the counts for reading."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from simtenant.graph.errors import bad_request


@dataclass(frozen=True)
class Limits:
    app_writes: int = 3000
    app_window_s: float = 150.0
    tenant_writes: int = 18000
    tenant_window_s: float = 300.0

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Limits:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(body) - known)
        if unknown:
            raise bad_request(f"unknown throttle settings {unknown}: known are {sorted(known)}")
        for key, value in body.items():
            whole = key.endswith("_writes")
            if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
                raise bad_request(f"{key} must be a {'whole ' if whole else ''}number")
            if not 0 < value < 1e9:
                raise bad_request(f"{key} must be above 0")
        return cls(**body)


class Throttle:
    """The sliding windows of one tenant (not thread-safe: the server's lock serialises)."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self.enabled = True
        self.apps: dict[str, deque[float]] = {}
        self.tenant: deque[float] = deque()
        self.admitted = 0
        self.throttled = 0
        self.throttled_by_app: dict[str, int] = {}

    def admit(self, app: str) -> int | None:
        """None when the write is admitted (and counted), else the Retry-After seconds."""
        if not self.enabled:
            return None
        now = self.clock()
        mine = self.apps.setdefault(app, deque())
        waits = []
        for window, limit, span in (
            (mine, self.limits.app_writes, self.limits.app_window_s),
            (self.tenant, self.limits.tenant_writes, self.limits.tenant_window_s),
        ):
            while window and window[0] <= now - span:
                window.popleft()
            if len(window) >= limit:
                # the write that leaves the window first frees the place
                waits.append(window[len(window) - limit] + span - now)
        if waits:
            self.throttled += 1
            self.throttled_by_app[app] = self.throttled_by_app.get(app, 0) + 1
            return max(1, math.ceil(max(waits)))
        mine.append(now)
        self.tenant.append(now)
        self.admitted += 1
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            **asdict(self.limits),
            "admitted": self.admitted,
            "throttled": self.throttled,
            "throttled_by_app": dict(self.throttled_by_app),
        }
