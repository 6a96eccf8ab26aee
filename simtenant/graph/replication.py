"""A scripted replication delay: Entra ID is eventually consistent, and an object just created
(a service principal above all) can be unknown to the replica that answers the next request
for seconds or minutes. While on (`POST /_sim/replication`), every user, group, device and
service principal created through Graph, and every application registered through
`/_sim/applications`, stays invisible to requests that name it until `seconds` have passed
since its creation or `requests` such requests have been answered (whichever comes first).
Listings and `$filter` queries still show it (the simulator delays only the lookups below).

What a request that names a replicating object gets, as Graph answers it in the cases
terraform-provider-azuread v3.9.0 retries on:

- its id (or UPN, or `servicePrincipals(appId='…')`) in the path, any method ("read": GET,
  "write": PATCH/PUT/DELETE, "reference": a POST under it, such as `appRoleAssignedTo` or
  `owners/$ref`): 404 `Request_ResourceNotFound` "Resource '{id}' does not exist or one of its
  queried reference-property objects are not present." The provider retries a 404 on the
  app role assignment POST (`app_role_assignment_resource.go` lines 126-135) and the grant
  POST (`service_principal_delegated_permission_grant_resource.go` lines 135-144), not on the
  GETs that come before them (lines 113-118; 108-120) nor on the PATCH right after a service
  principal's create (`service_principal_resource.go` lines 502-510: the comment says the SDK
  retries 404, but go-azure-sdk's `UpdateServicePrincipal` passes no RetryFunc and its client
  retries only 429 and 5xx by itself, `sdk/client/client.go` `Execute`).
- in a grant POST's `clientId`, `resourceId` or `principalId`: 400 `Request_BadRequest` with
  the same text (the grant create retries a 400 matching "does not exist or one of its queried
  reference-property objects are not present");
- in an app role assignment POST's `principalId`: 400 `Request_BadRequest` "Not a valid
  reference update." (what the assignment create retries on a 400);
- in a create's `owners@odata.bind` or `members@odata.bind`: 400 as for the grant (the group
  create retries it, `group_resource.go` lines 662-670);
- a `$ref` POST's `@odata.id`: 404, as for an unknown object;
- a service principal POST for a replicating application's appId: 400 `Request_BadRequest`
  "The appId '{appId}' of the service principal does not reference a valid application
  object." (the service principal create retries it, `service_principal_resource.go` lines
  470-482).

Body: `{"seconds": S}` and/or `{"requests": N}`; optional `"types"` (of `user`, `group`,
`device`, `servicePrincipal`, `application`; default all) and `"on"` (of `read`, `write`,
`reference`; default all: `{"on": ["reference"]}` delays only what the v3.9.0 provider
retries). Grants and app role assignments themselves are never delayed."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simtenant.graph.errors import GraphError, bad_request, not_found
from simtenant.graph.owners import does_not_exist
from simtenant.graph.store import Obj, referenced_id
from simtenant.graph.tenant import Tenant

COLLECTIONS = {
    "users": "user",
    "groups": "group",
    "devices": "device",
    "servicePrincipals": "servicePrincipal",
}
TYPES = (*COLLECTIONS.values(), "application")
ON = ("read", "write", "reference")
_BY_APP_ID = re.compile(r"servicePrincipals\(appId='([^']*)'\)", re.IGNORECASE)


@dataclass
class Pending:
    kind: str
    since: float
    left: int | None


def _ref_id(url: Any) -> str:
    """The id an `@odata.id` / `@odata.bind` URL names; "" when malformed (the model answers
    that)."""
    try:
        return referenced_id(url)
    except GraphError:
        return ""


def _names(value: Any, allowed: tuple[str, ...], key: str) -> tuple[str, ...]:
    if value is None:
        return allowed
    if not isinstance(value, list) or not value or not set(value) <= set(allowed):
        raise bad_request(f"{key} must be a non-empty list of {list(allowed)}")
    return tuple(value)


class Replication:
    def __init__(
        self,
        seconds: float | None = None,
        requests: int | None = None,
        types: tuple[str, ...] = TYPES,
        on: tuple[str, ...] = ON,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds, self.requests, self.types, self.on = seconds, requests, types, on
        self.clock = clock
        self.pending: dict[str, Pending] = {}  # object id, or "app:{appId}"
        self.answered = 0

    @classmethod
    def from_json(cls, body: Obj) -> Replication:
        unknown = sorted(set(body) - {"seconds", "requests", "types", "on"})
        seconds, requests = body.get("seconds"), body.get("requests")
        ok_s = seconds is None or (type(seconds) in (int, float) and 0 < seconds < 1e7)
        ok_n = requests is None or (type(requests) is int and 0 < requests < 1e7)
        if unknown or not ok_s or not ok_n or (seconds is None and requests is None):
            raise bad_request(
                "replication takes seconds (above 0) and/or requests (a whole number above 0), "
                "types and on"
            )
        types = _names(body.get("types"), TYPES, "types")
        return cls(seconds, requests, types, _names(body.get("on"), ON, "on"))

    def to_json(self) -> Obj:
        now = self.clock()
        return {
            "seconds": self.seconds,
            "requests": self.requests,
            "types": list(self.types),
            "on": list(self.on),
            "answered": self.answered,
            "pending": [
                {"id": k, "type": p.kind, "age_s": round(now - p.since, 3), "left": p.left}
                for k, p in self._live().items()
            ],
        }

    def created(self, kind: str, key: str) -> None:
        if kind in self.types:
            self.pending[key.lower()] = Pending(kind, self.clock(), self.requests)

    def _live(self) -> dict[str, Pending]:
        if self.seconds is not None:
            cutoff = self.clock() - self.seconds
            self.pending = {k: p for k, p in self.pending.items() if p.since > cutoff}
        return self.pending

    def _hide(self, key: str, on: str) -> bool:
        """True (and one request counted) when the object behind `key` is still replicating."""
        pending = self._live().get(key.lower())
        if pending is None or on not in self.on:
            return False
        self.answered += 1
        if pending.left is not None:
            pending.left -= 1
            if pending.left <= 0:
                del self.pending[key.lower()]
        return True

    def check(self, tenant: Tenant, method: str, rest: str, body: Obj) -> None:
        """Raise Graph's answer when the request names a replicating object."""
        if not self._live():
            return
        on = {"GET": "read", "POST": "reference"}.get(method, "write")
        for segment in rest.strip("/").split("/"):
            key = segment.lower()
            by_app = _BY_APP_ID.fullmatch(segment)
            if by_app:
                app_id = by_app.group(1).lower()
                found = [s for s in tenant.service_principals.values() if s["appId"] == app_id]
                key = found[0]["id"] if found else ""
            elif "@" in segment:
                key = tenant.upns.get(key, "")
            if key and self._hide(key, on):
                raise not_found(segment)
        if method == "POST":
            self._check_body(rest.strip("/"), body)

    def _check_body(self, rest: str, body: Obj) -> None:
        if rest.lower() == "oauth2permissiongrants":
            for prop in ("clientId", "resourceId", "principalId"):
                value = body.get(prop)
                if isinstance(value, str) and self._hide(value, "reference"):
                    raise does_not_exist(value)
        if rest.lower().endswith("/approleassignedto"):
            value = body.get("principalId")
            if isinstance(value, str) and self._hide(value, "reference"):
                raise bad_request("Not a valid reference update.")
        if rest.lower().endswith("/$ref"):
            object_id = _ref_id(body.get("@odata.id"))
            if object_id and self._hide(object_id, "reference"):
                raise not_found(object_id)
        for prop in ("owners@odata.bind", "members@odata.bind"):
            urls = body.get(prop)
            for object_id in map(_ref_id, urls if isinstance(urls, list) else []):
                if object_id and self._hide(object_id, "reference"):
                    raise does_not_exist(object_id)
        app_id = body.get("appId")
        is_sp = rest.lower() == "serviceprincipals" and isinstance(app_id, str)
        if is_sp and self._hide(f"app:{app_id}", "reference"):
            raise bad_request(
                f"The appId '{app_id}' of the service principal does not reference a valid "
                "application object."
            )
