"""The simulator's own endpoints under `/_sim/` (not Graph; no token needed), so tests in another
process can script and inspect the server:

- `POST /_sim/applications` `{appId, displayName, appRoles?, oauth2PermissionScopes?,
  appOwnerOrganizationId?}`: make a multi-tenant application known (201; 200 when it replaces
  one), so that `POST /servicePrincipals {"appId"}` can instantiate it. `GET
  /_sim/applications` lists them.
- `POST /_sim/next-ids` `{"ids": [guid, ...]}`: the next objects Graph creates (users, groups,
  devices, service principals) take these ids, in order (201 `{"ids": [the queue]}`; 400 for an
  id that is no GUID or already taken). Graph never lets a client choose an object id: this is
  how a seed gives one a fixed id. `GET /_sim/next-ids` shows the queue.
- `GET /_sim/state`: the whole tenant as JSON (the `--state` file's format).
- `POST /_sim/faults` (a `Fault` as JSON: path, status, headers, page, method, times, stall_s,
  code, message), `GET /_sim/faults`, `DELETE /_sim/faults` (clear).
- `POST /_sim/throttle` `{app_writes?, app_window_s?, tenant_writes?, tenant_window_s?}` (the
  rest: Graph's published limits) turns write throttling on with fresh counts (201);
  `GET /_sim/throttle`: `{enabled, app_writes, app_window_s, tenant_writes, tenant_window_s,
  admitted, throttled, throttled_by_app: {app: n}}` (`{"enabled": false}` before any);
  `DELETE /_sim/throttle`: off, the counts kept for reading (204). See graph/throttle.py.
- `POST /_sim/replication` `{seconds?, requests?, types?, on?}`: objects created from now on
  stay invisible to requests that name them for a while (201, the settings); `GET
  /_sim/replication`: `{seconds, requests, types, on, answered, pending: [{id, type, age_s,
  left}]}` (`{"enabled": false}` when off); `DELETE /_sim/replication`: off, every object
  visible (204). See graph/replication.py for the answers.
- `GET /_sim/caller` `{"delegated": bool}`; `POST /_sim/caller {"delegated": bool}`: callers are
  app-only (the default) or hold a signed-in user's token (200).
- `GET /_sim/requests` (`{"value": [{method, path, query, authorization, body}]}`),
  `POST /_sim/reset-requests` (empty the log).

`/_sim/` requests are not logged, and faults, throttling and replication never apply to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simtenant.graph.applications import from_request
from simtenant.graph.errors import GraphError, bad_request
from simtenant.graph.faults import Fault
from simtenant.graph.replication import Replication
from simtenant.graph.replies import Reply
from simtenant.graph.store import GUID, Obj
from simtenant.graph.throttle import Limits, Throttle

if TYPE_CHECKING:
    from simtenant.graph.server import SimTenant


def _next_ids(sim: SimTenant, body: Obj) -> Reply:
    ids = body.get("ids")
    if set(body) != {"ids"} or not isinstance(ids, list):
        raise bad_request('next-ids takes {"ids": [object ids]}')
    for object_id in ids:
        if not isinstance(object_id, str) or not GUID.fullmatch(object_id):
            raise bad_request(f"not an object id: {object_id!r}")
        taken = sim.tenant.directory_object(object_id) is not None
        if taken or object_id.lower() in sim.tenant.next_ids:
            raise bad_request(f"object id {object_id} is already taken")
    sim.tenant.next_ids += [i.lower() for i in ids]
    return Reply(201, {"ids": list(sim.tenant.next_ids)})


def _switches(sim: SimTenant, key: tuple[str, str], body: Obj) -> Reply | None:
    """Throttling, replication and the kind of caller."""
    off = {"enabled": False}
    if key == ("POST", "throttle"):
        sim.throttle = Throttle(Limits.from_json(body))
        return Reply(201, sim.throttle.to_json())
    if key == ("GET", "throttle"):
        return Reply(200, off if sim.throttle is None else sim.throttle.to_json())
    if key == ("DELETE", "throttle"):
        if sim.throttle is not None:
            sim.throttle.enabled = False
        return Reply(204)
    if key == ("POST", "replication"):
        sim.replication = Replication.from_json(body)
        return Reply(201, sim.replication.to_json())
    if key == ("GET", "replication"):
        return Reply(200, off if sim.replication is None else sim.replication.to_json())
    if key == ("DELETE", "replication"):
        sim.replication = None
        return Reply(204)
    if key == ("POST", "caller"):
        if set(body) != {"delegated"} or not isinstance(body["delegated"], bool):
            raise bad_request('caller takes {"delegated": true|false}')
        sim.delegated = body["delegated"]
    if key in (("GET", "caller"), ("POST", "caller")):
        return Reply(200, {"delegated": sim.delegated})
    return None


def admin(sim: SimTenant, method: str, name: str, body: Obj) -> Reply:
    """`name`: the path after `/_sim/`."""
    key = (method, name.strip("/"))
    with sim.lock:
        if key == ("POST", "applications"):
            app = from_request(body)
            new = sim.tenant.register_application(app)
            if sim.replication is not None:
                sim.replication.created("application", f"app:{app['appId']}")
            sim.save()
            return Reply(201 if new else 200, sim.tenant.applications[app["appId"]])
        if key == ("GET", "applications"):
            return Reply(200, {"value": list(sim.tenant.applications.values())})
        if key == ("POST", "next-ids"):
            return _next_ids(sim, body)
        if key == ("GET", "next-ids"):
            return Reply(200, {"ids": list(sim.tenant.next_ids)})
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
        reply = _switches(sim, key, body)
        if reply is not None:
            return reply
    raise GraphError(
        404, "Request_ResourceNotFound", f"no simulator endpoint {method} /_sim/{name}"
    )
