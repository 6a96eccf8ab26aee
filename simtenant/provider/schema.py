"""GetSchema: a small Pulumi package schema naming what this provider serves, with the input
properties `pulumi import` needs to write code for the three resources. Not the real
provider's schema (which the Python SDK does not ship)."""

from __future__ import annotations

import json
from typing import Any

from simtenant.provider.assignment import TOKEN as ASSIGNMENT
from simtenant.provider.catalog import FUNCTIONS, PROVIDER_NAME, PROVIDER_VERSION
from simtenant.provider.grant import TOKEN as GRANT
from simtenant.provider.service_principal import TOKEN as SERVICE_PRINCIPAL

_STR: dict[str, Any] = {"type": "string"}
_BOOL: dict[str, Any] = {"type": "boolean"}
_STRS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_FEATURE_TAG = "azuread:index/ServicePrincipalFeatureTag:ServicePrincipalFeatureTag"


def _resource(
    inputs: dict[str, Any], required: list[str], outputs: dict[str, Any]
) -> dict[str, Any]:
    return {
        "inputProperties": inputs,
        "requiredInputs": required,
        "properties": {**inputs, **outputs},
        "required": sorted({*required, *outputs}),
    }


def schema() -> str:
    sp_inputs = {
        "clientId": _STR,
        "useExisting": _BOOL,
        "accountEnabled": _BOOL,
        "appRoleAssignmentRequired": _BOOL,
        "alternativeNames": _STRS,
        "description": _STR,
        "featureTags": {"type": "array", "items": {"$ref": f"#/types/{_FEATURE_TAG}"}},
        "loginUrl": _STR,
        "notes": _STR,
        "notificationEmailAddresses": _STRS,
        "owners": _STRS,
        "preferredSingleSignOnMode": _STR,
        "tags": _STRS,
    }
    sp_outputs = {
        "objectId": _STR,
        "displayName": _STR,
        "applicationTenantId": _STR,
        "servicePrincipalNames": _STRS,
        "type": _STR,
    }
    grant_inputs = {
        "servicePrincipalObjectId": _STR,
        "resourceServicePrincipalObjectId": _STR,
        "claimValues": _STRS,
        "userObjectId": _STR,
    }
    assignment_inputs = {"appRoleId": _STR, "principalObjectId": _STR, "resourceObjectId": _STR}
    assignment_outputs = {
        "principalDisplayName": _STR,
        "principalType": _STR,
        "resourceDisplayName": _STR,
    }
    doc = {
        "name": PROVIDER_NAME,
        "version": PROVIDER_VERSION,
        "description": "Simulated azuread provider (entra-consent test double)",
        "types": {
            _FEATURE_TAG: {
                "type": "object",
                "properties": {
                    "customSingleSignOn": _BOOL,
                    "enterprise": _BOOL,
                    "gallery": _BOOL,
                    "hide": _BOOL,
                },
            }
        },
        "resources": {
            SERVICE_PRINCIPAL: _resource(sp_inputs, ["clientId"], sp_outputs),
            GRANT: _resource(
                grant_inputs,
                ["claimValues", "resourceServicePrincipalObjectId", "servicePrincipalObjectId"],
                {},
            ),
            ASSIGNMENT: _resource(assignment_inputs, list(assignment_inputs), assignment_outputs),
        },
        "functions": {
            token: {"outputs": {"type": "object", "properties": {"id": _STR}}}
            for token in FUNCTIONS
        },
    }
    return json.dumps(doc)
