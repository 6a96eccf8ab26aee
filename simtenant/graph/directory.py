"""Users, groups, devices and group membership (direct and transitive), with Graph's rules:
a UPN is unique, a member is added once, unknown ids are 404 (a `members@odata.bind` or
`owners@odata.bind` naming no object: 400, see graph/owners.py). A Microsoft 365 group is one
with `groupTypes: ["Unified"]` (its Exchange settings: graph/unified_groups.py)."""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from simtenant.graph.errors import GraphError, bad_request, invalid_value, not_found, now_iso
from simtenant.graph.owners import Owners
from simtenant.graph.schema import (
    DEVICE_DEFAULTS,
    DEVICE_FIELDS,
    GROUP_DEFAULTS,
    GROUP_FIELDS,
    USER_DEFAULTS,
    USER_FIELDS,
)
from simtenant.graph.store import Obj, check_properties, referenced_id, typed

__all__ = ["Directory", "referenced_id", "typed"]

_READ_ONLY = {"id", "createdDateTime", "registrationDateTime"}
_USER_STRINGS = (
    {k for k, v in USER_DEFAULTS.items() if v is None}
    - _READ_ONLY
    - {
        "showInAddressList",
        "onPremisesSyncEnabled",
    }
)


class Directory(Owners):
    # -- users -----------------------------------------------------------------------------

    def user(self, key: str) -> Obj:
        """By object id or user principal name."""
        user_id = self.upns.get(key.lower()) if "@" in key else key.lower()
        user = self.users.get(user_id or "")
        if user is None:
            raise not_found(key)
        return user

    def _check_upn(self, upn: Any, user_id: str | None) -> str:
        if not isinstance(upn, str) or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", upn):
            raise invalid_value("userPrincipalName", "User")
        holder = self.upns.get(upn.lower())
        if holder is not None and holder != user_id:
            raise bad_request(
                "Another object with the same value for property userPrincipalName already exists."
            )
        return upn

    def create_user(self, body: Obj) -> Obj:
        allowed = (USER_FIELDS - _READ_ONLY) | {"passwordProfile"}
        props = check_properties(
            body,
            allowed,
            "User",
            strings=_USER_STRINGS,
            booleans={"accountEnabled"},
            lists={"businessPhones", "otherMails"},
        )
        props.pop("passwordProfile", None)  # write-only
        if not props.get("displayName"):
            raise invalid_value("displayName", "User")
        upn = self._check_upn(props.get("userPrincipalName"), None)
        props.setdefault("mailNickname", upn.split("@", 1)[0])
        user = {"id": self.new_id(), **USER_DEFAULTS, **props, "createdDateTime": now_iso()}
        if "#EXT#" in upn.upper():
            user["userType"] = props.get("userType") or "Guest"
        self.users[user["id"]] = user
        self.upns[upn.lower()] = user["id"]
        return user

    def update_user(self, key: str, body: Obj) -> None:
        user = self.user(key)
        allowed = (USER_FIELDS - _READ_ONLY) | {"passwordProfile"}
        props = check_properties(
            body,
            allowed,
            "User",
            strings=_USER_STRINGS,
            booleans={"accountEnabled"},
            lists={"businessPhones", "otherMails"},
        )
        props.pop("passwordProfile", None)
        if "displayName" in props and not props["displayName"]:
            raise invalid_value("displayName", "User")
        if "userPrincipalName" in props:
            upn = self._check_upn(props["userPrincipalName"], user["id"])
            del self.upns[user["userPrincipalName"].lower()]
            self.upns[upn.lower()] = user["id"]
        user.update(props)

    def delete_user(self, key: str) -> None:
        user = self.user(key)
        del self.users[user["id"]]
        del self.upns[user["userPrincipalName"].lower()]
        self.drop_principal(user["id"])

    # -- groups ----------------------------------------------------------------------------

    def group(self, group_id: str) -> Obj:
        group = self.groups.get(group_id.lower())
        if group is None:
            raise not_found(group_id)
        return group

    def create_group(self, body: Obj) -> Obj:
        rest = {
            k: v for k, v in body.items() if k not in ("members@odata.bind", "owners@odata.bind")
        }
        props = check_properties(
            rest,
            GROUP_FIELDS - _READ_ONLY,
            "Group",
            strings={"displayName", "description", "mailNickname", "visibility", "mail"},
            booleans={"mailEnabled", "securityEnabled", "isAssignableToRole"},
            lists={"groupTypes", "proxyAddresses"},
        )
        for required in ("displayName", "mailNickname", "mailEnabled", "securityEnabled"):
            if props.get(required) in (None, ""):
                raise invalid_value(required, "Group")
        member_ids = self.bound_ids(
            body.get("members@odata.bind", []), "members@odata.bind", "Group"
        )
        owner_ids = self.bound_owners(body, "Group")
        group = {"id": self.new_id(), **GROUP_DEFAULTS, **props, "createdDateTime": now_iso()}
        self.groups[group["id"]] = group
        self.members[group["id"]] = member_ids
        if owner_ids:
            self.owners[group["id"]] = owner_ids
        return group

    def update_group(self, group_id: str, body: Obj) -> None:
        group = self.group(group_id)
        props = check_properties(
            body,
            {"displayName", "description", "mailNickname", "visibility"},
            "Group",
            strings={"displayName", "description", "mailNickname", "visibility"},
        )
        group.update(props)

    def delete_group(self, group_id: str) -> None:
        group = self.group(group_id)
        del self.groups[group["id"]]
        del self.members[group["id"]]
        self.drop_principal(group["id"])

    # -- devices ---------------------------------------------------------------------------

    def device(self, device_id: str) -> Obj:
        device = self.devices.get(device_id.lower())
        if device is None:
            raise not_found(device_id)
        return device

    def create_device(self, body: Obj) -> Obj:
        props = check_properties(
            body,
            DEVICE_FIELDS - _READ_ONLY,
            "Device",
            strings={
                "deviceId",
                "displayName",
                "operatingSystem",
                "operatingSystemVersion",
                "trustType",
            },
            booleans={"accountEnabled"},
        )
        for required in ("displayName", "deviceId"):
            if not props.get(required):
                raise invalid_value(required, "Device")
        device = {"id": self.new_id(), **DEVICE_DEFAULTS, **props}
        device["registrationDateTime"] = now_iso()
        self.devices[device["id"]] = device
        return device

    def delete_device(self, device_id: str) -> None:
        device = self.device(device_id)
        del self.devices[device["id"]]
        self.drop_principal(device["id"])

    # -- membership ------------------------------------------------------------------------

    def add_member(self, group_id: str, body: Obj) -> None:
        group = self.group(group_id)
        member_id = referenced_id(body.get("@odata.id"))
        if self.directory_object(member_id) is None:
            raise not_found(member_id)
        members = self.members[group["id"]]
        if member_id == group["id"]:
            raise bad_request("A group cannot be a member of itself.")
        if member_id in members:
            raise bad_request(
                "One or more added object references already exist for the following modified "
                "properties: 'members'."
            )
        members.append(member_id)

    def remove_member(self, group_id: str, member_id: str) -> None:
        members = self.members[self.group(group_id)["id"]]
        if member_id.lower() not in members:
            raise not_found(member_id)
        members.remove(member_id.lower())

    def _typed(self, object_id: str) -> Obj:
        found = self.directory_object(object_id)
        if found is None:  # cascades keep membership consistent; never expected
            raise GraphError(500, "InternalServerError", f"dangling member {object_id}")
        return typed(*found)

    def direct_members(self, group_id: str) -> list[Obj]:
        return [self._typed(m) for m in self.members[self.group(group_id)["id"]]]

    def transitive_members(self, group_id: str) -> list[Obj]:
        """Every member of the group and of its nested groups, each once (cycles included)."""
        root = self.group(group_id)["id"]
        seen: dict[str, None] = {}
        queue = deque(self.members[root])
        while queue:
            object_id = queue.popleft()
            if object_id in seen or object_id == root:
                continue
            seen[object_id] = None
            queue.extend(self.members.get(object_id, []))
        return [self._typed(m) for m in seen]
