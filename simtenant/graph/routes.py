"""Graph's URL space over the tenant model: which path and method does what, and the status
codes (201 with the object for a create, 204 for PATCH, DELETE and `$ref`). `/beta/` paths are
served like `/v1.0/` ones. Owners' paths are in graph/owner_routes.py; a single group's GET in
graph/unified_groups.py (Microsoft 365 groups' Exchange settings)."""

from __future__ import annotations

import re

from simtenant.graph import odata
from simtenant.graph.consent import ASSIGNMENT_FIELDS, GRANT_FIELDS
from simtenant.graph.directory import typed
from simtenant.graph.errors import GraphError, not_found
from simtenant.graph.owner_routes import OWNER_ROUTES
from simtenant.graph.replies import Call, Handler, Reply, created, done, entity, listing
from simtenant.graph.schema import DEVICE_FIELDS, GROUP_FIELDS, USER_FIELDS
from simtenant.graph.service_principals import SP_FIELDS
from simtenant.graph.store import Obj
from simtenant.graph.unified_groups import get_group

VERSIONS = ("v1.0", "beta")

# -- handlers: (call, *path groups) -> Reply ----------------------------------------------------


def _sp(call: Call, key: str) -> Obj:
    """`{id}` or `(appId='{appId}')`."""
    match = re.fullmatch(r"\(appId='([^']*)'\)", key)
    if match:
        return call.tenant.service_principal_by_app_id(match.group(1))
    return call.tenant.service_principal(key.lstrip("/"))


ROUTES: list[tuple[str, dict[str, Handler]]] = [
    (
        r"organization",
        {
            "GET": lambda c: Reply(
                200,
                {"@odata.context": c.context("organization"), "value": [c.tenant.organization()]},
            )
        },
    ),
    (
        r"users",
        {
            "GET": lambda c: listing(
                c, list(c.tenant.users.values()), "user", USER_FIELDS, "users"
            ),
            "POST": lambda c: created(c, c.tenant.create_user(c.body), "users"),
        },
    ),
    (
        r"users/([^/]+)",
        {
            "GET": lambda c, k: entity(c, c.tenant.user(k), "users"),
            "PATCH": lambda c, k: done(c.tenant.update_user(k, c.body)),
            "DELETE": lambda c, k: done(c.tenant.delete_user(k)),
        },
    ),
    (
        r"users/([^/]+)/appRoleAssignments",
        {
            "GET": lambda c, k: listing(
                c,
                c.tenant.assignments_of(c.tenant.user(k)["id"]),
                "appRoleAssignment",
                ASSIGNMENT_FIELDS,
                "appRoleAssignments",
            )
        },
    ),
    (
        r"groups",
        {
            "GET": lambda c: listing(
                c, list(c.tenant.groups.values()), "group", GROUP_FIELDS, "groups"
            ),
            "POST": lambda c: created(c, c.tenant.create_group(c.body), "groups"),
        },
    ),
    (
        r"groups/([^/]+)",
        {
            "GET": get_group,
            "PATCH": lambda c, g: done(c.tenant.update_group(g, c.body)),
            "DELETE": lambda c, g: done(c.tenant.delete_group(g)),
        },
    ),
    (
        r"groups/([^/]+)/members",
        {
            "GET": lambda c, g: listing(
                c, c.tenant.direct_members(g), "directoryObject", None, "directoryObjects"
            )
        },
    ),
    (
        r"groups/([^/]+)/transitiveMembers",
        {
            "GET": lambda c, g: listing(
                c, c.tenant.transitive_members(g), "directoryObject", None, "directoryObjects"
            )
        },
    ),
    (r"groups/([^/]+)/members/\$ref", {"POST": lambda c, g: done(c.tenant.add_member(g, c.body))}),
    (
        r"groups/([^/]+)/members/([^/]+)/\$ref",
        {"DELETE": lambda c, g, m: done(c.tenant.remove_member(g, m))},
    ),
    (
        r"groups/([^/]+)/appRoleAssignments",
        {
            "GET": lambda c, g: listing(
                c,
                c.tenant.assignments_of(c.tenant.group(g)["id"]),
                "appRoleAssignment",
                ASSIGNMENT_FIELDS,
                "appRoleAssignments",
            )
        },
    ),
    (
        r"devices",
        {
            "GET": lambda c: listing(
                c, list(c.tenant.devices.values()), "device", DEVICE_FIELDS, "devices"
            ),
            "POST": lambda c: created(c, c.tenant.create_device(c.body), "devices"),
        },
    ),
    (
        r"devices/([^/]+)",
        {
            "GET": lambda c, d: entity(c, c.tenant.device(d), "devices"),
            "DELETE": lambda c, d: done(c.tenant.delete_device(d)),
        },
    ),
    (r"directoryObjects/([^/]+)", {"GET": lambda c, o: _directory_object(c, o)}),
    (
        r"servicePrincipals",
        {
            "GET": lambda c: listing(
                c,
                list(c.tenant.service_principals.values()),
                "servicePrincipal",
                SP_FIELDS,
                "servicePrincipals",
            ),
            "POST": lambda c: created(
                c, c.tenant.create_service_principal(c.body), "servicePrincipals"
            ),
        },
    ),
    (
        r"servicePrincipals(/[^/]+|\(appId='[^']*'\))",
        {
            "GET": lambda c, s: entity(c, _sp(c, s), "servicePrincipals"),
            "PATCH": lambda c, s: done(c.tenant.update_service_principal(_sp(c, s)["id"], c.body)),
            "DELETE": lambda c, s: done(c.tenant.delete_service_principal(_sp(c, s)["id"])),
        },
    ),
    (
        r"servicePrincipals/([^/]+)/oauth2PermissionGrants",
        {
            "GET": lambda c, s: listing(
                c,
                c.tenant.grants_of_client(s),
                "oAuth2PermissionGrant",
                GRANT_FIELDS,
                "oauth2PermissionGrants",
            )
        },
    ),
    (
        r"servicePrincipals/([^/]+)/appRoleAssignedTo",
        {
            "GET": lambda c, s: listing(
                c,
                c.tenant.assignments_to(s),
                "appRoleAssignment",
                ASSIGNMENT_FIELDS,
                f"servicePrincipals('{s}')/appRoleAssignedTo",
            ),
            "POST": lambda c, s: created(
                c,
                c.tenant.create_assignment(s, c.body),
                f"servicePrincipals('{s}')/appRoleAssignedTo",
            ),
        },
    ),
    (
        r"servicePrincipals/([^/]+)/appRoleAssignedTo/([^/]+)",
        {
            "GET": lambda c, s, a: entity(
                c,
                c.tenant.assignment(s, a),
                f"servicePrincipals('{s}')/appRoleAssignedTo",
            ),
            "DELETE": lambda c, s, a: done(c.tenant.delete_assignment(s, a)),
        },
    ),
    (
        r"oauth2PermissionGrants",
        {
            "GET": lambda c: listing(
                c,
                list(c.tenant.grants.values()),
                "oAuth2PermissionGrant",
                GRANT_FIELDS,
                "oauth2PermissionGrants",
            ),
            "POST": lambda c: created(c, c.tenant.create_grant(c.body), "oauth2PermissionGrants"),
        },
    ),
    (
        r"oauth2PermissionGrants/([^/]+)",
        {
            "GET": lambda c, g: entity(
                c,
                c.tenant.grant(g),
                "oauth2PermissionGrants",
            ),
            "PATCH": lambda c, g: done(c.tenant.update_grant(g, c.body)),
            "DELETE": lambda c, g: done(c.tenant.delete_grant(g)),
        },
    ),
]
ROUTES += OWNER_ROUTES
_COMPILED = [(re.compile(pattern, re.IGNORECASE), methods) for pattern, methods in ROUTES]


def _directory_object(call: Call, object_id: str) -> Reply:
    found = call.tenant.directory_object(object_id)
    if found is None:
        raise not_found(object_id)
    body = {"@odata.context": call.context("directoryObjects/$entity"), **typed(*found)}
    return Reply(200, odata.select(body, odata.parse_select(call.query.get("$select"))))


def dispatch(call: Call, rest: str) -> Reply:
    """`rest`: the decoded path after the version segment, e.g. `users/{id}`."""
    rest = rest.strip("/")
    for pattern, methods in _COMPILED:
        match = pattern.fullmatch(rest)
        if match is None:
            continue
        handler = methods.get(call.method)
        if handler is None:
            raise GraphError(
                405,
                "Request_BadRequest",
                "Specified HTTP method is not allowed for the request target.",
            )
        return handler(call, *match.groups())
    segment = rest.split("/", 1)[0] or call.version
    raise GraphError(
        404, "Request_ResourceNotFound", f"Resource not found for the segment '{segment}'."
    )
