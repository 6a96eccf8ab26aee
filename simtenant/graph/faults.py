"""Scripted faults (throttling, outages, stalls) and the log of requests, for tests."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from simtenant.graph.errors import bad_request

# Graph-like error codes and messages for the statuses tests script most.
_ANSWERS = {
    401: ("InvalidAuthenticationToken", "Access token validation failure."),
    403: ("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    404: ("Request_ResourceNotFound", "Resource does not exist (scripted)."),
    429: ("TooManyRequests", "Too many requests."),
    500: ("InternalServerError", "Internal server error."),
    502: ("BadGateway", "Bad gateway."),
    503: ("ServiceUnavailable", "Service unavailable."),
    504: ("GatewayTimeout", "Gateway timeout."),
}


@dataclass
class Fault:
    """Answers `status` (with `headers`) instead of the real answer, `times` times, to requests
    whose path ends with `path` and, when given, whose method is `method` and whose $skiptoken
    is `page` (the first page has none: page "" matches it). Sleeps `stall_s` seconds first;
    with `status` None it then gives the real answer (a slow response, e.g. past a client's
    timeout). `code` and `message` default to Graph's for the status."""

    path: str
    status: int | None = 503
    headers: dict[str, str] = field(default_factory=dict)
    page: str | None = None
    method: str | None = None
    times: int = 1
    stall_s: float = 0.0
    code: str | None = None
    message: str | None = None

    def matches(self, method: str, path: str, query: dict[str, str]) -> bool:
        return (
            self.times > 0
            and path.endswith(self.path)
            and (self.method is None or self.method.upper() == method)
            and (self.page is None or query.get("$skiptoken", "") == self.page)
        )

    def answer(self) -> tuple[str, str]:
        code, message = _ANSWERS.get(self.status or 0, ("Fault", "Scripted fault."))
        return self.code or code, self.message or message

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Fault:
        known = set(cls.__dataclass_fields__)
        unknown = set(body) - known
        if unknown or not isinstance(body.get("path"), str):
            raise bad_request(f"a fault needs a path and takes only {sorted(known)}")
        try:
            return cls(**body)
        except TypeError as exc:
            raise bad_request(f"bad fault: {exc}") from None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Request:
    """One request as the server saw it (query: the last value of each parameter)."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str
    body: Any = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
