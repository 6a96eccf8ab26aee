"""The simulated Graph over HTTP on 127.0.0.1: a thin handler around the tenant model (one lock
serialises requests), with the bearer-token check, scripted faults, the request log and the
optional state file. `SimTenant` runs it in a background thread, for tests and for
`python -m simtenant serve`."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from simtenant.graph.admin import admin
from simtenant.graph.errors import GraphError, error_body
from simtenant.graph.faults import Fault, Request
from simtenant.graph.replies import Call, Reply
from simtenant.graph.routes import VERSIONS, dispatch
from simtenant.graph.store import DEFAULT_TENANT_ID, Obj, read_state, save_state
from simtenant.graph.tenant import Tenant

CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8"
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class SimTenant:
    """A simulated tenant served at `base_url` (`http://127.0.0.1:N/v1.0`) while started.

    `state`: start from this tenant (as `to_state` / `GET /_sim/state` give it); else from
    `state_file` when it exists; else a new tenant. With `state_file`, the tenant is saved
    there after every successful write. `token`: the only bearer token accepted (None: any
    non-empty one). `page_size`: the most items one page holds (`$top` may ask for fewer)."""

    def __init__(
        self,
        *,
        tenant_id: str = DEFAULT_TENANT_ID,
        state: Obj | None = None,
        state_file: Path | None = None,
        token: str | None = None,
        page_size: int = 100,
        port: int = 0,
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
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
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
                )
                reply = dispatch(call, unquote(rest))
                if method in WRITES and reply.status < 300:
                    self.save()
                # Serialised under the lock: the body may hold the tenant's own dicts.
                reply.body = None if reply.body is None else json.loads(json.dumps(reply.body))
                return reply
        except GraphError as error:
            return Reply(error.status, error.body())


def _handler(sim: SimTenant) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: seeding thousands of objects stays quick

        def setup(self) -> None:
            super().setup()
            # Headers and body leave in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK hold every kept-alive answer back ~40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                if parts.path.startswith("/_sim/"):
                    try:
                        body = json.loads(raw) if raw.strip() else {}
                        if not isinstance(body, dict):
                            raise ValueError("not an object")
                        reply = admin(sim, self.command, parts.path[len("/_sim/") :], body)
                    except ValueError as exc:
                        reply = Reply(400, error_body("BadRequest", f"malformed JSON body: {exc}"))
                    except GraphError as error:
                        reply = Reply(error.status, error.body())
                else:
                    auth = self.headers.get("Authorization", "")
                    reply = sim.answer(self.command, parts.path, query, auth, raw)
            except Exception:  # a bug in the simulator: say so, keep serving
                traceback.print_exc(file=sys.stderr)
                reply = Reply(500, error_body("InternalServerError", "simulator error"))
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            payload = b"" if reply.body is None else json.dumps(reply.body).encode()
            request_id = self.headers.get("client-request-id") or str(uuid.uuid4())
            try:
                self.send_response(reply.status)
                if reply.body is not None:
                    self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("request-id", request_id)
                self.send_header("client-request-id", request_id)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a stalled answer)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

    return Handler
