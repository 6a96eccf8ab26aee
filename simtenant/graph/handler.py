"""The HTTP request handler of the simulated Graph: `/_sim/` requests to graph/admin.py,
`POST /{tenant}/oauth2/v2.0/token` to graph/token.py (Entra ID's token endpoint, on the same
root), everything else to `SimTenant.answer` (Graph). A bug in the simulator is a 500 that
says so, and the server keeps serving."""

from __future__ import annotations

import json
import re
import socket
import sys
import traceback
import uuid
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from simtenant.graph.admin import admin
from simtenant.graph.errors import GraphError, error_body
from simtenant.graph.replies import Reply
from simtenant.graph.token import token_reply

if TYPE_CHECKING:
    from simtenant.graph.server import SimTenant

CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8"
TOKEN_PATH = re.compile(r"/([^/]+)/oauth2/v2\.0/token/?")


def make_handler(sim: SimTenant) -> type[BaseHTTPRequestHandler]:
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
            token = TOKEN_PATH.fullmatch(parts.path)
            try:
                if parts.path.startswith("/_sim/"):
                    reply = self._admin(parts.path[len("/_sim/") :], raw)
                elif token is not None and self.command == "POST":
                    with sim.lock:
                        reply = token_reply(sim.tenant, token.group(1), raw)
                    reply.headers["Cache-Control"] = "no-store, no-cache"
                else:
                    auth = self.headers.get("Authorization", "")
                    reply = sim.answer(self.command, parts.path, query, auth, raw)
            except Exception:  # a bug in the simulator: say so, keep serving
                traceback.print_exc(file=sys.stderr)
                reply = Reply(500, error_body("InternalServerError", "simulator error"))
            self._send(reply, json_type=token is not None)

        def _admin(self, name: str, raw: bytes) -> Reply:
            try:
                body = json.loads(raw) if raw.strip() else {}
                if not isinstance(body, dict):
                    raise ValueError("not an object")
                return admin(sim, self.command, name, body)
            except ValueError as exc:
                return Reply(400, error_body("BadRequest", f"malformed JSON body: {exc}"))
            except GraphError as error:
                return Reply(error.status, error.body())

        def _send(self, reply: Reply, json_type: bool = False) -> None:
            payload = b"" if reply.body is None else json.dumps(reply.body).encode()
            request_id = self.headers.get("client-request-id") or str(uuid.uuid4())
            try:
                self.send_response(reply.status)
                if reply.body is not None:
                    kind = "application/json; charset=utf-8" if json_type else CONTENT_TYPE
                    self.send_header("Content-Type", kind)
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
