"""The simulated Graph over HTTP on 127.0.0.1: a thin handler around the tenant model (one lock
serialises requests), with the bearer-token check, the opt-in write throttling
(graph/throttle.py), scripted faults and replication delays (graph/faults.py,
graph/replication.py), the request log and the optional state file. `SimTenant` runs it in a
background thread, for tests and for `python -m simtenant serve`; graph/handler.py is the HTTP
side (with Entra ID's token endpoint, graph/token.py).

Every caller is app-only (client credentials), as the pipeline is, unless `delegated` says a
signed-in user's token (`SimTenant(delegated=True)`, `serve --delegated`, `POST
/_sim/caller`): Graph answers some requests differently to the two (graph/unified_groups.py)."""

from __future__ import annotations

import json
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from simtenant.graph.errors import GraphError, error_body
from simtenant.graph.faults import Fault, Request
from simtenant.graph.handler import make_handler
from simtenant.graph.replication import COLLECTIONS, Replication
from simtenant.graph.replies import Call, Reply
from simtenant.graph.routes import VERSIONS, dispatch
from simtenant.graph.store import DEFAULT_TENANT_ID, Obj, read_state, save_state
from simtenant.graph.tenant import Tenant
from simtenant.graph.throttle import Limits, Throttle
from simtenant.graph.token import caller_app

WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class SimTenant:
    """A simulated tenant served at `base_url` (`http://127.0.0.1:N/v1.0`) while started.

    `state`: start from this tenant (as `to_state` / `GET /_sim/state` give it); else from
    `state_file` when it exists; else a new tenant. With `state_file`, the tenant is saved
    there after every successful write. `token`: the only bearer token accepted (None: any
    non-empty one). `page_size`: the items of a page when `$top` does not say (it may ask for
    1 to 999, as Graph lets it); `max_page_size`: the most a page holds whatever `$top` says
    (999, Graph's; lower it to page through small tenants). `throttle`: Graph's write limits (True: the published ones; graph/throttle.py).
    `delegated`: callers hold a signed-in user's token (default: app-only)."""

    def __init__(
        self,
        *,
        tenant_id: str = DEFAULT_TENANT_ID,
        state: Obj | None = None,
        state_file: Path | None = None,
        token: str | None = None,
        page_size: int = 100,
        max_page_size: int = 999,
        port: int = 0,
        throttle: Limits | bool | None = None,
        delegated: bool = False,
    ) -> None:
        self.lock = threading.RLock()
        self.state_file = state_file
        if state is not None:
            self.tenant = Tenant.from_state(state)
        elif state_file is not None and state_file.exists():
            self.tenant = Tenant.from_state(read_state(state_file))
        else:
            self.tenant = Tenant.new(tenant_id)
        self.token = token
        self.page_size = page_size
        self.max_page_size = max_page_size
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self.throttle: Throttle | None = None
        if throttle:
            self.throttle = Throttle(throttle if isinstance(throttle, Limits) else Limits())
        self.replication: Replication | None = None
        self.delegated = delegated
        self._server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self.save()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1.0"

    def start(self) -> SimTenant:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> SimTenant:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- for tests -------------------------------------------------------------------------

    def methods(self) -> set[str]:
        return {r.method for r in self.requests}

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def reset_requests(self) -> None:
        with self.lock:
            self.requests.clear()

    def state(self) -> Obj:
        with self.lock:
            return self.tenant.to_state()

    def save(self) -> None:
        if self.state_file is not None:
            with self.lock:
                save_state(self.state_file, self.tenant.to_state())

    # -- serving ---------------------------------------------------------------------------

    def _check_token(self, authorization: str) -> None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.")
        if self.token is not None and token.strip() != self.token:
            raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.")

    def _check_throttle(self, authorization: str) -> None:
        with self.lock:
            wait = None if self.throttle is None else self.throttle.admit(caller_app(authorization))
        if wait is not None:
            raise GraphError(
                429, "TooManyRequests", "Please retry again later.", {"Retry-After": str(wait)}
            )

    def _note_created(self, method: str, rest: str, reply: Reply) -> None:
        """A new directory object starts replicating (while `/_sim/replication` is on)."""
        kind = {k.lower(): v for k, v in COLLECTIONS.items()}.get(rest.strip("/").lower())
        if self.replication is None or method != "POST" or reply.status != 201 or kind is None:
            return
        if isinstance(reply.body, dict) and isinstance(reply.body.get("id"), str):
            self.replication.created(kind, reply.body["id"])

    def _take_fault(self, method: str, path: str, query: dict[str, str]) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, path, query):
                    fault.times -= 1
                    return fault
        return None

    def answer(
        self, method: str, path: str, query: dict[str, str], authorization: str, raw: bytes
    ) -> Reply:
        """One Graph request (not `/_sim/`), logged first."""
        body: Any = None
        bad_json = False
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                bad_json, body = True, raw.decode("utf-8", "replace")
        with self.lock:
            self.requests.append(Request(method, path, query, authorization, body))
        try:
            self._check_token(authorization)
            if method in WRITES:
                self._check_throttle(authorization)
            fault = self._take_fault(method, path, query)
            if fault is not None:
                time.sleep(fault.stall_s)
                if fault.status is not None:
                    code, message = fault.answer()
                    return Reply(fault.status, error_body(code, message), dict(fault.headers))
            if method in ("POST", "PATCH", "PUT") and (bad_json or not isinstance(body, dict)):
                raise GraphError(
                    400,
                    "BadRequest",
                    "Unable to read JSON request payload. Please ensure Content-Type header is "
                    "set and payload is of valid JSON format.",
                )
            version, _, rest = path.lstrip("/").partition("/")
            if version not in VERSIONS:
                raise GraphError(
                    404,
                    "Request_ResourceNotFound",
                    f"Resource not found for the segment '{version}'.",
                )
            with self.lock:
                call = Call(
                    self.tenant,
                    method,
                    version,
                    path,
                    query,
                    body or {},
                    self.origin,
                    self.page_size,
                    self.delegated,
                    self.max_page_size,
                )
                if self.replication is not None:
                    self.replication.check(self.tenant, method, unquote(rest), call.body)
                reply = dispatch(call, unquote(rest))
                self._note_created(method, unquote(rest), reply)
                if method in WRITES and reply.status < 300:
                    self.save()
                # Serialised under the lock: the body may hold the tenant's own dicts.
                reply.body = None if reply.body is None else json.loads(json.dumps(reply.body))
                return reply
        except GraphError as error:
            return Reply(error.status, error.body(), dict(error.headers))
