"""A fake Microsoft Graph on 127.0.0.1 for discovery tests: the read endpoints discovery uses,
small pages chained by `@odata.nextLink`, scripted faults (429 with Retry-After, 503, a stalled
response), a bearer-token check, and a log of every request (any method)."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import yaml

from catalog.guid import DEFAULT_APP_ROLE_ID
from tests.support.mock_runtime import FakeTenant, fake_id

TOKEN = "fake-graph-token"
FILTER_LIMIT = 15
_FILTER = re.compile(r"^(\w+) (in|eq) (.*)$", re.S)
_LITERAL = re.compile(r"'((?:[^']|'')*)'")


@dataclass
class Fault:
    """Served instead of the real answer while `times` lasts, to requests whose path ends with
    `path` (and, when given, whose $skiptoken is `page`)."""

    path: str
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    page: str | None = None
    times: int = 1
    stall_s: float = 0.0  # sleep this long first (a response slower than the client's timeout)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    authorization: str


@dataclass
class GraphData:
    service_principals: list[dict[str, Any]] = field(default_factory=list)
    grants: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)


def load_tenant(path: Path) -> tuple[GraphData, FakeTenant]:
    """The fixture as Graph objects, and the mock-runtime tenant it extends."""
    raw = yaml.safe_load(path.read_text("utf-8"))
    base = FakeTenant.from_file((path.parent / raw["base"]).resolve())
    users = dict(base.users)
    users.update({fake_id("user", u): u for u in raw.get("extra_users", [])})
    by_upn = {upn.lower(): oid for oid, upn in users.items()}
    group_ids = {name: oid for name, (oid, _) in base.groups.items()}
    sp_ids = {app_id: fake_id("sp", app_id) for app_id in raw["service_principals"]}
    settings = raw.get("service_principal_settings") or {}
    data = GraphData(devices=list(raw.get("devices", [])))
    for app_id, name in raw["service_principals"].items():
        sp = {
            "id": sp_ids[app_id],
            "appId": app_id,
            "displayName": name,
            "appRoleAssignmentRequired": False,
            "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
            "notes": None,
        }
        sp.update(settings.get(app_id, {}))
        data.service_principals.append(sp)
    for index, g in enumerate(raw.get("grants", [])):
        user = g.get("user")
        data.grants.append(
            {
                "id": f"grant-{index}-{sp_ids[g['client']][:8]}",
                "clientId": sp_ids[g["client"]],
                "consentType": "Principal" if user else "AllPrincipals",
                "principalId": by_upn[user.lower()] if user else None,
                "resourceId": sp_ids[g["api"]],
                "scope": g["scope"],
            }
        )
    for index, a in enumerate(raw.get("assignments", [])):
        principal = a["principal"]
        if principal.startswith("group:"):
            name = principal.removeprefix("group:")
            pid, ptype, pname = group_ids[name], "Group", name
        else:
            pid, ptype, pname = by_upn[principal.lower()], "User", principal
        data.assignments.append(
            {
                "id": f"assignment-{index}",
                "appRoleId": a.get("role", DEFAULT_APP_ROLE_ID),
                "principalId": pid,
                "principalType": ptype,
                "principalDisplayName": pname,
                "resourceId": sp_ids[a["app"]],
            }
        )
    data.users = [{"id": oid, "userPrincipalName": upn} for oid, upn in users.items()]
    for name, (oid, members) in base.groups.items():
        data.groups.append({"id": oid, "displayName": name, "members": members})
    return data, base


class FakeGraph:
    def __init__(self, data: GraphData, page_size: int = 2, token: str = TOKEN) -> None:
        self.data = data
        self.page_size = page_size
        self.token = token
        self.faults: list[Fault] = []
        self._users: dict[str, dict[str, Any]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1.0"

    def __enter__(self) -> FakeGraph:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def methods(self) -> set[str]:
        return {r.method for r in self.requests}

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # -- routing -----------------------------------------------------------------------------

    def _fault(self, path: str, query: dict[str, str]) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                page_matches = fault.page is None or query.get("$skiptoken") == fault.page
                if fault.times > 0 and path.endswith(fault.path) and page_matches:
                    fault.times -= 1
                    return fault
        return None

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if parts[:1] != ["v1.0"]:
            return 404, _error("Request_ResourceNotFound", path)
        parts = parts[1:]
        d = self.data
        if parts == ["servicePrincipals"]:
            return self._filtered(d.service_principals, query)
        if parts == ["users"]:
            return self._filtered(d.users, query)
        if parts == ["groups"]:
            groups = [{k: v for k, v in g.items() if k != "members"} for g in d.groups]
            return self._filtered(groups, query)
        if len(parts) == 3 and parts[0] == "servicePrincipals":
            if not any(s["id"] == parts[1] for s in d.service_principals):
                return 404, _error("Request_ResourceNotFound", parts[1])
            if parts[2] == "oauth2PermissionGrants":
                return 200, [g for g in d.grants if g["clientId"] == parts[1]]
            if parts[2] == "appRoleAssignedTo":
                return 200, [a for a in d.assignments if a["resourceId"] == parts[1]]
        if len(parts) in (2, 3) and parts[0] == "groups":
            group = next((g for g in d.groups if g["id"] == parts[1]), None)
            if group is None:
                return 404, _error("Request_ResourceNotFound", parts[1])
            if len(parts) == 2:
                return 200, {"id": group["id"], "displayName": group["displayName"]}
            if parts[2] == "transitiveMembers":
                return 200, [self._member(m) for m in group["members"]]
        return 404, _error("Request_ResourceNotFound", path)

    def _member(self, object_id: str) -> dict[str, Any]:
        if len(self._users) != len(self.data.users):
            self._users = {u["id"]: u for u in self.data.users}
        user = self._users.get(object_id)
        if user is not None:
            return {"@odata.type": "#microsoft.graph.user", **user}
        kind = "device" if object_id in self.data.devices else "group"
        return {"@odata.type": f"#microsoft.graph.{kind}", "id": object_id}

    def _filtered(self, items: list[dict[str, Any]], query: dict[str, str]) -> tuple[int, Any]:
        text = query.get("$filter")
        if text is None:
            return 200, items
        match = _FILTER.match(text)
        if match is None:
            return 400, _error("Request_UnsupportedQuery", text)
        prop, op, rest = match.groups()
        values = [v.replace("''", "'").lower() for v in _LITERAL.findall(rest)]
        if op == "in" and len(values) > FILTER_LIMIT:
            return 400, _error("Request_UnsupportedQuery", f"more than {FILTER_LIMIT} values")
        if op == "eq" and len(values) != 1:
            return 400, _error("Request_UnsupportedQuery", text)
        return 200, [i for i in items if str(i.get(prop, "")).lower() in values]

    # -- HTTP --------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _record(self) -> tuple[str, dict[str, str]]:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                with graph._lock:
                    graph.requests.append(
                        Request(
                            self.command,
                            parts.path,
                            query,
                            self.headers.get("Authorization", ""),
                        )
                    )
                return parts.path, query

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def do_GET(self) -> None:
                path, query = self._record()
                if self.headers.get("Authorization") != f"Bearer {graph.token}":
                    self._send(401, _error("InvalidAuthenticationToken", "bad token"))
                    return
                fault = graph._fault(path, query)
                if fault is not None:
                    if fault.stall_s:
                        time.sleep(fault.stall_s)
                    self._send(fault.status, _error("Fault", "scripted"), fault.headers)
                    return
                status, body = graph.answer(path, query)
                if status != 200 or not isinstance(body, list):
                    self._send(status, body)
                    return
                start = int(query.get("$skiptoken", "0"))
                page = body[start : start + graph.page_size]
                out: dict[str, Any] = {"value": page}
                if start + graph.page_size < len(body):
                    rest = {k: v for k, v in query.items() if k != "$skiptoken"}
                    rest["$skiptoken"] = str(start + graph.page_size)
                    out["@odata.nextLink"] = (
                        f"{graph.base_url.rsplit('/v1.0', 1)[0]}{path}?{urlencode(rest)}"
                    )
                self._send(200, out)

            def _refuse(self) -> None:
                self._record()
                self._send(405, _error("Request_BadRequest", "read-only fake"))

            do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _refuse

        return Handler


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}
