"""Owners of service principals and groups, as Microsoft Graph v1.0 keeps them: a list of
directory objects, each a user or a service principal, added with `POST .../owners/$ref` or
with `owners@odata.bind` when the object is created, removed with `DELETE
.../owners/{id}/$ref`.

The answers follow what terraform-provider-azuread v3.9.0 expects of Graph
(`internal/services/serviceprincipals/service_principal_resource.go`, Create: lines 433-468
bind the caller as owner, 512-526 add the rest and remove the caller; Read lines 679-687 list
them; `internal/services/groups/group_resource.go` lines 662-670 retry a create on 400 "does not
exist or one of its queried reference-property objects are not present"):

- an `@odata.bind` naming no object: 400 `Request_BadRequest` "Resource '{id}' does not exist
  or one of its queried reference-property objects are not present." (the message the group
  create retries on, and go-azure-sdk's `odata.ErrorResourceDoesNotExist`);
- a `$ref` naming no object, or removing an object that is no owner: 404
  `Request_ResourceNotFound` with the same message, as for members;
- adding an owner twice: 400 "One or more added object references already exist for the
  following modified properties: 'owners'." (go-azure-sdk's
  `odata.ErrorAddedObjectReferencesAlreadyExist`);
- an owner that is not a user or a service principal: 400 "The reference target '{Type}_{id}'
  of type '{Type}' is invalid for the 'owners' reference." (Graph's wording as Azure CLI users
  quote it, Azure/azure-cli#12946).

Graph also keeps at least one owner on some Microsoft 365 groups and caps owners at 100; the
simulator does neither."""

from __future__ import annotations

from typing import Any

from simtenant.graph.errors import GraphError, bad_request, invalid_value, not_found
from simtenant.graph.store import Obj, TenantData, referenced_id, typed

OWNER_KINDS = ("user", "servicePrincipal")


def does_not_exist(object_id: str) -> GraphError:
    """A reference in a request body to an object the directory does not (yet) hold."""
    return bad_request(
        f"Resource '{object_id}' does not exist or one of its queried reference-property "
        "objects are not present."
    )


class Owners(TenantData):
    def _owned(self, object_id: str) -> Obj:
        """The service principal or group `object_id` (404 otherwise)."""
        found = self.directory_object(object_id)
        if found is None or found[0] not in ("servicePrincipal", "group"):
            raise not_found(object_id)
        return found[1]

    def _owner(self, object_id: str, missing: GraphError) -> str:
        found = self.directory_object(object_id)
        if found is None:
            raise missing
        kind, _ = found
        if kind not in OWNER_KINDS:
            name = kind[0].upper() + kind[1:]
            raise bad_request(
                f"The reference target '{name}_{object_id}' of type '{name}' is invalid for the "
                "'owners' reference."
            )
        return object_id.lower()

    def bound_ids(self, urls: Any, prop: str, resource: str) -> list[str]:
        """The object ids of an `…@odata.bind` list, each an existing object (400 otherwise),
        once each and in order."""
        if not isinstance(urls, list):
            raise invalid_value(prop, resource)
        ids = [referenced_id(url) for url in urls]
        for object_id in ids:
            if self.directory_object(object_id) is None:
                raise does_not_exist(object_id)
        return list(dict.fromkeys(ids))

    def bound_owners(self, body: Obj, resource: str) -> list[str]:
        """The owners a create's `owners@odata.bind` names (checked; none when absent)."""
        if "owners@odata.bind" not in body:
            return []
        ids = self.bound_ids(body["owners@odata.bind"], "owners@odata.bind", resource)
        return [self._owner(i, does_not_exist(i)) for i in ids]

    def owners_of(self, object_id: str) -> list[Obj]:
        owned = self._owned(object_id)
        out = []
        for owner_id in self.owners.get(owned["id"], []):
            found = self.directory_object(owner_id)
            if found is not None:  # cascades keep owners consistent
                out.append(typed(*found))
        return out

    def add_owner(self, object_id: str, body: Obj) -> None:
        owned = self._owned(object_id)
        owner_id = referenced_id(body.get("@odata.id"))
        owner_id = self._owner(owner_id, not_found(owner_id))
        owners = self.owners.setdefault(owned["id"], [])
        if owner_id in owners:
            raise bad_request(
                "One or more added object references already exist for the following modified "
                "properties: 'owners'."
            )
        owners.append(owner_id)

    def remove_owner(self, object_id: str, owner_id: str) -> None:
        owners = self.owners.get(self._owned(object_id)["id"], [])
        if owner_id.lower() not in owners:
            raise not_found(owner_id)
        owners.remove(owner_id.lower())
