"""The simulator's own endpoints under `/_sim/` (not Graph; no token needed), so tests in another
process can script and inspect the server:

- `POST /_sim/applications` `{appId, displayName, appRoles?, oauth2PermissionScopes?}`: make a
  multi-tenant application known (201; 200 when it replaces one), so that
  `POST /servicePrincipals {"appId"}` can instantiate it. `GET /_sim/applications` lists them.
- `GET /_sim/state`: the whole tenant as JSON (the `--state` file's format).
- `POST /_sim/faults` (a `Fault` as JSON: path, status, headers, page, method, times, stall_s,
  code, message), `GET /_sim/faults`, `DELETE /_sim/faults` (clear).
- `GET /_sim/requests` (`{"value": [{method, path, query, authorization, body}]}`),
  `POST /_sim/reset-requests` (empty the log).

`/_sim/` requests are not logged and faults never apply to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simtenant.graph.applications import from_request
from simtenant.graph.errors import GraphError
from simtenant.graph.faults import Fault
from simtenant.graph.replies import Reply
from simtenant.graph.store import Obj

if TYPE_CHECKING:
    from simtenant.graph.server import SimTenant


def admin(sim: SimTenant, method: str, name: str, body: Obj) -> Reply:
    """`name`: the path after `/_sim/`."""
    key = (method, name.strip("/"))
    with sim.lock:
        if key == ("POST", "applications"):
            new = sim.tenant.register_application(from_request(body))
            sim.save()
            return Reply(201 if new else 200, sim.tenant.applications[str(body["appId"]).lower()])
        if key == ("GET", "applications"):
            return Reply(200, {"value": list(sim.tenant.applications.values())})
        if key == ("GET", "state"):
            return Reply(200, sim.tenant.to_state())
        if key == ("POST", "faults"):
            fault = Fault.from_json(body)
            sim.faults.append(fault)
            return Reply(201, fault.to_json())
        if key == ("GET", "faults"):
            return Reply(200, {"value": [f.to_json() for f in sim.faults]})
        if key == ("DELETE", "faults"):
            sim.faults.clear()
            return Reply(204)
        if key == ("GET", "requests"):
            return Reply(200, {"value": [r.to_json() for r in sim.requests]})
        if key == ("POST", "reset-requests"):
            sim.requests.clear()
            return Reply(204)
    raise GraphError(
        404, "Request_ResourceNotFound", f"no simulator endpoint {method} /_sim/{name}"
    )
