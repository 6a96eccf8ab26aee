"""Delegated permission grants (oAuth2PermissionGrant) and app role assignments, with Graph's
rules (NOTES-pulumi.md, "Microsoft Graph consent semantics").

Unknown client, resource or principal ids are answered 404 `Request_ResourceNotFound` (Graph
answers 404 for a service principal still replicating, and the azuread provider retries on 404;
for an id that never existed Graph has also been seen to answer 400: 404 was chosen so the one
answer is consistent). A principalId that exists but is not a user is 400."""

from __future__ import annotations

from typing import Any

from simtenant.graph.errors import GraphError, bad_request, invalid_value, not_found, now_iso
from simtenant.graph.service_principals import ServicePrincipals
from simtenant.graph.store import Obj, grant_key, new_opaque_id

SCOPE_MAX = 3850
DEFAULT_APP_ROLE_ID = "00000000-0000-0000-0000-000000000000"
GRANT_FIELDS = frozenset({"id", "clientId", "consentType", "principalId", "resourceId", "scope"})
ASSIGNMENT_FIELDS = frozenset(
    {
        "id",
        "appRoleId",
        "createdDateTime",
        "deletedDateTime",
        "principalDisplayName",
        "principalId",
        "principalType",
        "resourceDisplayName",
        "resourceId",
    }
)
_GRANT = "OAuth2PermissionGrant"


def _string(body: Obj, prop: str, resource: str, required: bool = True) -> str | None:
    value = body.get(prop)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise invalid_value(prop, resource)
    return value


def _check_scope(scope: Any) -> str:
    if scope is None:
        return ""
    if not isinstance(scope, str):
        raise invalid_value("scope", _GRANT)
    if len(scope) > SCOPE_MAX:
        raise bad_request(
            f"Invalid value specified for property 'scope' of resource '{_GRANT}': longer than "
            f"{SCOPE_MAX} characters."
        )
    return scope


class Consent(ServicePrincipals):
    # -- oauth2PermissionGrants ------------------------------------------------------------

    def grant(self, grant_id: str) -> Obj:
        grant = self.grants.get(grant_id)
        if grant is None:
            raise not_found(grant_id)
        return grant

    def create_grant(self, body: Obj) -> Obj:
        unknown = set(body) - GRANT_FIELDS - {"id"}
        unknown = {k for k in unknown if not k.startswith("@odata.")}
        if unknown:
            raise bad_request(
                f"Property '{sorted(unknown)[0]}' does not exist as a declared property or "
                "extension property."
            )
        client_id = _string(body, "clientId", _GRANT)
        resource_id = _string(body, "resourceId", _GRANT)
        consent_type = body.get("consentType")
        if consent_type not in ("AllPrincipals", "Principal"):
            raise invalid_value("consentType", _GRANT)
        principal_id = _string(body, "principalId", _GRANT, required=consent_type == "Principal")
        if consent_type == "AllPrincipals" and principal_id is not None:
            raise invalid_value("principalId", _GRANT)
        scope = _check_scope(body.get("scope"))
        client = self.service_principal(str(client_id))
        resource = self.service_principal(str(resource_id))
        if principal_id is not None:
            found = self.directory_object(principal_id)
            if found is None:
                raise not_found(principal_id)
            if found[0] != "user":
                raise invalid_value("principalId", _GRANT)
            principal_id = found[1]["id"]
        grant = {
            "clientId": client["id"],
            "consentType": consent_type,
            "principalId": principal_id,
            "resourceId": resource["id"],
            "scope": scope,
        }
        if grant_key(grant) in self.grant_keys:
            raise GraphError(
                409, "Request_MultipleObjectsWithSameKeyValue", "Permission entry already exists."
            )
        grant = {"id": new_opaque_id(), **grant}
        self.grants[grant["id"]] = grant
        self.grant_keys[grant_key(grant)] = grant["id"]
        return grant

    def update_grant(self, grant_id: str, body: Obj) -> None:
        """Only `scope` changes; the other properties may be sent only with their values."""
        grant = self.grant(grant_id)
        for key, value in body.items():
            if key.startswith("@odata.") or key == "scope":
                continue
            if key not in GRANT_FIELDS:
                raise bad_request(
                    f"Property '{key}' does not exist as a declared property or extension property."
                )
            if value != grant.get(key):
                raise bad_request(
                    f"Property '{key}' of resource '{_GRANT}' cannot be changed: only scope can."
                )
        if "scope" in body:
            grant["scope"] = _check_scope(body["scope"])

    def delete_grant(self, grant_id: str) -> None:
        self.grant(grant_id)
        self.drop_grant(grant_id)

    def grants_of_client(self, sp_id: str) -> list[Obj]:
        sp = self.service_principal(sp_id)
        return [g for g in self.grants.values() if g["clientId"] == sp["id"]]

    # -- appRoleAssignedTo -----------------------------------------------------------------

    def assignments_to(self, sp_id: str) -> list[Obj]:
        sp = self.service_principal(sp_id)
        return [a for a in self.assignments.values() if a["resourceId"] == sp["id"]]

    def assignments_of(self, principal_id: str) -> list[Obj]:
        return [a for a in self.assignments.values() if a["principalId"] == principal_id.lower()]

    def assignment(self, sp_id: str, assignment_id: str) -> Obj:
        sp = self.service_principal(sp_id)
        found = self.assignments.get(assignment_id)
        if found is None or found["resourceId"] != sp["id"]:
            raise not_found(assignment_id)
        return found

    def create_assignment(self, sp_id: str, body: Obj) -> Obj:
        resource_type = "AppRoleAssignment"
        sp = self.service_principal(sp_id)
        principal_id = _string(body, "principalId", resource_type)
        resource_id = _string(body, "resourceId", resource_type)
        role_id = str(_string(body, "appRoleId", resource_type)).lower()
        if str(resource_id).lower() != sp["id"]:
            raise invalid_value("resourceId", resource_type)
        found = self.directory_object(str(principal_id))
        if found is None:
            raise not_found(str(principal_id))
        kind, principal = found
        if kind not in ("user", "group"):
            raise invalid_value("principalId", resource_type)
        user_roles = self.app_roles_for_users(sp)
        if role_id == DEFAULT_APP_ROLE_ID:
            allowed = not user_roles
        else:
            allowed = any(
                r["id"].lower() == role_id and r.get("isEnabled", True) for r in user_roles
            )
        if not allowed:
            raise bad_request(
                f"Permission being assigned was not found on application '{sp['appId']}'."
            )
        if any(
            (a["principalId"], a["appRoleId"]) == (principal["id"], role_id)
            for a in self.assignments_to(sp["id"])
        ):
            raise GraphError(
                409,
                "Request_MultipleObjectsWithSameKeyValue",
                "Permission being assigned already exists on the object",
            )
        assignment = {
            "id": new_opaque_id(),
            "appRoleId": role_id,
            "createdDateTime": now_iso(),
            "deletedDateTime": None,
            "principalDisplayName": principal.get("displayName"),
            "principalId": principal["id"],
            "principalType": "User" if kind == "user" else "Group",
            "resourceDisplayName": sp.get("displayName"),
            "resourceId": sp["id"],
        }
        self.assignments[assignment["id"]] = assignment
        return assignment

    def delete_assignment(self, sp_id: str, assignment_id: str) -> None:
        del self.assignments[self.assignment(sp_id, assignment_id)["id"]]
