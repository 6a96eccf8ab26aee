"""Service principals: the local instances of multi-tenant applications. A new one takes its
display name and app roles from the application it instantiates (graph/applications.py); one
per application; PATCH takes the properties the azuread provider sends, nothing unknown.
Deleting one deletes its grants (as client or resource) and the assignments to it.

A create may bind owners (`owners@odata.bind`, graph/owners.py), as terraform-provider-azuread
v3.9.0 binds its caller (`service_principal_resource.go` lines 433-468). A second service
principal for one application is 409 `Request_MultipleObjectsWithSameKeyValue` "The service
principal cannot be created, updated, or restored because the service principal name {appId}
is already in use." (Graph's answer as the provider reports it, Azure/reliable-web-app-pattern-
java#185: "ServicePrincipalsClient.BaseClient.Post(): unexpected status 409 with OData error";
the first service principal name of a multi-tenant app's instance is its appId). The provider
itself looks for an existing one first (`service_principal_resource.go` lines 374-403) and
answers `use_existing` or "already exists - to be managed via Terraform this resource needs to
be imported"."""

from __future__ import annotations

import copy
from typing import Any

from simtenant.graph.applications import Application
from simtenant.graph.errors import GraphError, bad_request, not_found
from simtenant.graph.owners import Owners
from simtenant.graph.store import Obj, check_properties

PATCHABLE_STRINGS = frozenset(
    {"description", "loginUrl", "notes", "preferredSingleSignOnMode", "homepage"}
)
PATCHABLE_LISTS = frozenset({"notificationEmailAddresses", "alternativeNames", "tags"})
PATCHABLE_BOOLS = frozenset({"accountEnabled", "appRoleAssignmentRequired"})
PATCHABLE = PATCHABLE_STRINGS | PATCHABLE_LISTS | PATCHABLE_BOOLS | {"samlSingleSignOnSettings"}
NOTES_MAX = 1024
SP_DEFAULTS: Obj = {
    "accountEnabled": True,
    "alternativeNames": [],
    "appDescription": None,
    "appDisplayName": None,
    "appId": None,
    "appOwnerOrganizationId": None,
    "appRoleAssignmentRequired": False,
    "appRoles": [],
    "deletedDateTime": None,
    "description": None,
    "disabledByMicrosoftStatus": None,
    "displayName": None,
    "homepage": None,
    "info": None,
    "keyCredentials": [],
    "loginUrl": None,
    "logoutUrl": None,
    "notes": None,
    "notificationEmailAddresses": [],
    "oauth2PermissionScopes": [],
    "passwordCredentials": [],
    "preferredSingleSignOnMode": None,
    "preferredTokenSigningKeyThumbprint": None,
    "replyUrls": [],
    "resourceSpecificApplicationPermissions": [],
    "samlSingleSignOnSettings": None,
    "servicePrincipalNames": [],
    "servicePrincipalType": "Application",
    "signInAudience": "AzureADMultipleOrgs",
    "tags": [],
    "tokenEncryptionKeyId": None,
    "verifiedPublisher": {"displayName": None, "verifiedPublisherId": None, "addedDateTime": None},
}
SP_FIELDS = frozenset({"id", *SP_DEFAULTS})


class ServicePrincipals(Owners):
    def service_principal(self, sp_id: str) -> Obj:
        sp = self.service_principals.get(sp_id.lower())
        if sp is None:
            raise not_found(sp_id)
        return sp

    def service_principal_by_app_id(self, app_id: str) -> Obj:
        found = next(
            (s for s in self.service_principals.values() if s["appId"] == app_id.lower()), None
        )
        if found is None:
            raise not_found(app_id)
        return found

    def register_application(self, app: Application) -> bool:
        """True when new (an existing registration is replaced)."""
        new = app["appId"] not in self.applications
        self.applications[app["appId"]] = app
        return new

    def _patch_props(self, body: Obj) -> Obj:
        props = check_properties(
            body,
            PATCHABLE,
            "ServicePrincipal",
            strings=PATCHABLE_STRINGS,
            booleans=PATCHABLE_BOOLS,
            lists=PATCHABLE_LISTS,
        )
        notes = props.get("notes")
        if isinstance(notes, str) and len(notes) > NOTES_MAX:
            raise bad_request(
                f"Invalid value specified for property 'notes' of resource 'ServicePrincipal': "
                f"more than {NOTES_MAX} characters."
            )
        return props

    def create_service_principal(self, body: Obj) -> Obj:
        app_id = body.get("appId")
        if not isinstance(app_id, str) or not app_id:
            raise bad_request(
                "Invalid value specified for property 'appId' of resource 'ServicePrincipal'."
            )
        app_id = app_id.lower()
        app = self.applications.get(app_id)
        if app is None:
            raise bad_request(
                f"The appId '{app_id}' of the service principal does not reference a valid "
                "application object."
            )
        if any(s["appId"] == app_id for s in self.service_principals.values()):
            raise GraphError(
                409,
                "Request_MultipleObjectsWithSameKeyValue",
                "The service principal cannot be created, updated, or restored because the "
                f"service principal name {app_id} is already in use.",
            )
        props = self._patch_props(
            {k: v for k, v in body.items() if k not in ("appId", "owners@odata.bind")}
        )
        owner_ids = self.bound_owners(body, "ServicePrincipal")
        sp = copy.deepcopy(SP_DEFAULTS)
        sp.update(
            id=self.new_id(),
            appId=app_id,
            appDisplayName=app["displayName"],
            displayName=app["displayName"],
            appOwnerOrganizationId=app["appOwnerOrganizationId"],
            appRoles=copy.deepcopy(app["appRoles"]),
            oauth2PermissionScopes=copy.deepcopy(app["oauth2PermissionScopes"]),
            servicePrincipalNames=[app_id],
        )
        sp.update(props)
        self.service_principals[sp["id"]] = sp
        if owner_ids:
            self.owners[sp["id"]] = owner_ids
        return sp

    def update_service_principal(self, sp_id: str, body: Obj) -> None:
        sp = self.service_principal(sp_id)
        sp.update(self._patch_props(body))

    def delete_service_principal(self, sp_id: str) -> None:
        sp = self.service_principal(sp_id)
        del self.service_principals[sp["id"]]
        self.drop_owner_links(sp["id"])
        for grant_id in [
            g for g, v in self.grants.items() if sp["id"] in (v["clientId"], v["resourceId"])
        ]:
            self.drop_grant(grant_id)
        for assignment_id in [
            a
            for a, v in self.assignments.items()
            if sp["id"] in (v["resourceId"], v["principalId"])
        ]:
            del self.assignments[assignment_id]

    def app_roles_for_users(self, sp: Obj) -> list[dict[str, Any]]:
        return [
            r for r in sp.get("appRoles") or [] if "User" in (r.get("allowedMemberTypes") or [])
        ]
