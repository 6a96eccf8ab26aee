"""The tenant as `checked-before-write` asks it (policies/before_write.py): which app a service
principal object id is, read over Microsoft Graph with GET only, through discover's client and
credentials (`az login`, a workload or managed identity, or ENTRA_CONSENT_GRAPH_TOKEN; the
base URL from ENTRA_CONSENT_GRAPH_URL, Microsoft Graph by default).

Entra ID replicates writes: a service principal created a moment ago may answer 404 for a few
seconds, so a 404 is asked again, with growing waits, for up to `replication_s` (the rule's `replicationSeconds`) before the
answer is "no such service principal". An object id never changes app, so each answer is kept
for the pack process; whether the app requires assignment can change within an update, so it is
read again whenever it is asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from catalog.guid import is_guid
from catalog.text import clean
from previews.tenant.graph_client import (
    GraphClient,
    GraphError,
    TokenProvider,
    default_token_provider,
    graph_url_from,
)

from .before_write import TenantPrincipal, TenantUnavailable

REPLICATION_S = 120.0
DEADLINE_S = 300.0  # one question, with its retries of throttling and transient errors
_SELECT = "id,appId,displayName,appRoleAssignmentRequired,appOwnerOrganizationId"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return clean(text.splitlines()[0] if text else type(exc).__name__, 300)


class GraphDirectory:
    def __init__(
        self,
        base_url: str | None = None,
        token: TokenProvider | None = None,
        *,
        replication_s: float = REPLICATION_S,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._base_url = base_url
        self._token = token
        self.replication_s = replication_s
        self._sleep = sleep
        self._clock = clock
        self._known: dict[str, TenantPrincipal] = {}
        # A credential that could not sign in is not tried again for every grant (trying the
        # chain of azure-identity credentials takes seconds each time): the same refusal.
        self._no_credential: str | None = None

    def _read(self, object_id: str) -> dict[str, Any] | None:
        """The service principal's fields, None after `replication_s` of 404s."""
        if self._no_credential is not None:
            raise TenantUnavailable(self._no_credential)
        try:
            base_url = self._base_url or graph_url_from(None)
            token = self._token or default_token_provider(base_url)
            self._base_url, self._token = base_url, token
            start, wait = self._clock(), 1.0
            with GraphClient(base_url, token, deadline_s=DEADLINE_S) as client:
                while True:
                    body = client.get(f"servicePrincipals/{object_id}", {"$select": _SELECT})
                    if body is not None:
                        return body
                    if self._clock() - start + wait > self.replication_s:
                        return None
                    self._sleep(wait)
                    wait = min(wait * 2, 30.0)
        except GraphError as exc:
            raise TenantUnavailable(_first_line(exc)) from None
        except Exception as exc:  # a credential that cannot sign in: refused, never passed
            self._no_credential = f"credentials: {_first_line(exc)}"
            raise TenantUnavailable(self._no_credential) from None

    def service_principal(self, object_id: str) -> TenantPrincipal | None:
        key = object_id.lower()
        if key in self._known:
            return self._known[key]
        if not is_guid(object_id):
            return None  # no object has such an id; never sent to Graph as part of a path
        body = self._read(key)
        if body is None:
            return None
        app_id = body.get("appId")
        if not isinstance(app_id, str) or not is_guid(app_id):
            raise TenantUnavailable(f"Graph answered for service principal {key} without an app id")
        name, owner = body.get("displayName"), body.get("appOwnerOrganizationId")
        found = TenantPrincipal(
            key,
            app_id.lower(),
            name if isinstance(name, str) else "",
            owner.lower() if isinstance(owner, str) and is_guid(owner) else None,
        )
        self._known[key] = found
        return found

    def requires_assignment(self, object_id: str) -> bool:
        """Read now, never kept: an update may have just changed it."""
        if not is_guid(object_id):
            return False
        body = self._read(object_id.lower())
        return body is not None and body.get("appRoleAssignmentRequired") is True
