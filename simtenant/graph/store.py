"""The tenant's data (plain JSON-ready dicts keyed by object id), its indexes, the cascades
every kind of delete shares, and the state file (whole tenant as JSON, saved atomically).

Object ids are random (uuid4) unless `/_sim/next-ids` queued some (`TenantData.next_ids`): a
seed uses that to give an object a fixed id (the deploying identity's, for instance), which
Graph itself never lets a client choose."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from simtenant.graph.applications import Application
from simtenant.graph.errors import bad_request

DEFAULT_TENANT_ID = "11111111-2222-3333-4444-555555555555"
STATE_VERSION = 1

Obj = dict[str, Any]
GrantKey = tuple[str, str, str, str]
GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_GUID_AT_END = re.compile(rf"({GUID.pattern})'?\)?/?$")


def new_object_id() -> str:
    return str(uuid.uuid4())


def new_opaque_id() -> str:
    """Grant and assignment ids: 43 characters of base64url, like Graph's."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def typed(kind: str, obj: Obj) -> Obj:
    """A directory object as a mixed collection shows it."""
    return {"@odata.type": f"#microsoft.graph.{kind}", **obj}


def referenced_id(url: Any) -> str:
    """The object id at the end of an `@odata.id` / `@odata.bind` URL (any host)."""
    match = _GUID_AT_END.search(url) if isinstance(url, str) else None
    if match is None:
        raise bad_request(f"Invalid object identifier '{url}'.")
    return match.group(1).lower()


def grant_key(grant: Obj) -> GrantKey:
    """One grant per client, resource, consent type and principal."""
    return (
        grant["clientId"],
        grant["resourceId"],
        grant["consentType"],
        grant.get("principalId") or "",
    )


def check_properties(
    body: Obj,
    allowed: Iterable[str],
    type_name: str,
    *,
    strings: Iterable[str] = (),
    booleans: Iterable[str] = (),
    lists: Iterable[str] = (),
) -> Obj:
    """The body's properties (annotations such as `@odata.type` dropped), each known to the
    type and of the right JSON type; Graph answers 400 otherwise."""
    allowed = set(allowed)
    out: Obj = {}
    for key, value in body.items():
        if key.startswith("@odata.") and "@" not in key[1:]:
            continue
        if key not in allowed:
            raise bad_request(
                f"Property '{key}' does not exist as a declared property or extension property."
            )
        ok = True
        if key in set(booleans):
            ok = isinstance(value, bool)
        elif key in set(strings):
            ok = value is None or isinstance(value, str)
        elif key in set(lists):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if not ok:
            raise bad_request(
                f"Invalid value specified for property '{key}' of resource '{type_name}'."
            )
        out[key] = value
    return out


class TenantData:
    def __init__(self, tenant_id: str = DEFAULT_TENANT_ID) -> None:
        self.clear(tenant_id)

    def clear(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self.display_name = "Contoso (simulated)"
        self.users: dict[str, Obj] = {}
        self.groups: dict[str, Obj] = {}
        self.members: dict[str, list[str]] = {}  # group id -> direct member ids, in order
        self.devices: dict[str, Obj] = {}
        self.service_principals: dict[str, Obj] = {}
        self.grants: dict[str, Obj] = {}
        self.assignments: dict[str, Obj] = {}
        self.applications: dict[str, Application] = {}
        self.owners: dict[str, list[str]] = {}  # group or service principal id -> owner ids
        self.upns: dict[str, str] = {}  # lower-case UPN -> user id
        self.grant_keys: dict[GrantKey, str] = {}
        self.verified_domains: list[str] = []  # the token endpoint takes these for the tenant
        self.next_ids: list[str] = []  # ids the next created objects take (/_sim/next-ids)

    def new_id(self) -> str:
        """The next queued id (when still free), else a random one."""
        while self.next_ids:
            queued = self.next_ids.pop(0).lower()
            if self.directory_object(queued) is None:
                return queued
        return new_object_id()

    # -- lookups ---------------------------------------------------------------------------

    def directory_object(self, object_id: str) -> tuple[str, Obj] | None:
        """(`user` | `group` | `device` | `servicePrincipal`, the object)."""
        object_id = object_id.lower()
        for kind, objects in (
            ("user", self.users),
            ("group", self.groups),
            ("device", self.devices),
            ("servicePrincipal", self.service_principals),
        ):
            if object_id in objects:
                return kind, objects[object_id]
        return None

    # -- cascades --------------------------------------------------------------------------

    def drop_owner_links(self, object_id: str) -> None:
        """The object's own owners go, and it stops owning anything."""
        self.owners.pop(object_id, None)
        for owners in self.owners.values():
            if object_id in owners:
                owners.remove(object_id)

    def drop_principal(self, object_id: str) -> None:
        """A user, group or device leaves every group; its grants and assignments go."""
        self.drop_owner_links(object_id)
        for members in self.members.values():
            if object_id in members:
                members.remove(object_id)
        for grant_id in [g for g, v in self.grants.items() if v.get("principalId") == object_id]:
            self.drop_grant(grant_id)
        for assignment_id in [
            a for a, v in self.assignments.items() if v["principalId"] == object_id
        ]:
            del self.assignments[assignment_id]

    def drop_grant(self, grant_id: str) -> None:
        grant = self.grants.pop(grant_id)
        self.grant_keys.pop(grant_key(grant), None)

    # -- state -----------------------------------------------------------------------------

    def to_state(self) -> Obj:
        return {
            "version": STATE_VERSION,
            "tenantId": self.tenant_id,
            "displayName": self.display_name,
            "applications": list(self.applications.values()),
            "users": list(self.users.values()),
            "groups": [{**g, "members": self.members[g["id"]]} for g in self.groups.values()],
            "devices": list(self.devices.values()),
            "servicePrincipals": list(self.service_principals.values()),
            "oauth2PermissionGrants": list(self.grants.values()),
            "appRoleAssignments": list(self.assignments.values()),
            "owners": {k: list(v) for k, v in self.owners.items() if v},
            "verifiedDomains": list(self.verified_domains),
        }

    def load_state(self, state: Obj) -> None:
        """Replace everything with a copy of `state` (as `to_state` wrote it)."""
        state = json.loads(json.dumps(state))
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported state version {state.get('version')!r}")
        self.clear(str(state["tenantId"]))
        self.display_name = str(state.get("displayName") or self.display_name)
        self.applications = {a["appId"]: a for a in state["applications"]}
        self.users = {u["id"]: u for u in state["users"]}
        self.upns = {u["userPrincipalName"].lower(): u["id"] for u in state["users"]}
        for group in state["groups"]:
            self.members[group["id"]] = list(group.pop("members"))
            self.groups[group["id"]] = group
        self.devices = {d["id"]: d for d in state["devices"]}
        self.service_principals = {s["id"]: s for s in state["servicePrincipals"]}
        self.grants = {g["id"]: g for g in state["oauth2PermissionGrants"]}
        self.grant_keys = {grant_key(g): g["id"] for g in self.grants.values()}
        self.assignments = {a["id"]: a for a in state["appRoleAssignments"]}
        self.owners = {k: list(v) for k, v in (state.get("owners") or {}).items()}
        self.verified_domains = list(state.get("verifiedDomains") or [])


def save_state(path: Path, state: Obj) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state, out, indent=1)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_state(path: Path) -> Obj:
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data
