"""The multi-tenant applications the simulated tenant can instantiate as service principals:
the catalogue's apps (`catalog/apps/*.yaml`), Microsoft Graph and Office 365 Exchange Online
(`catalog/apis/*.yaml`, their delegated scopes published as `oauth2PermissionScopes`), plus
any registered at run time through `POST /_sim/applications`.

Read with PyYAML rather than the catalogue's models: the simulator needs four fields, and must
keep serving when a catalogue file under review does not validate."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from simtenant.graph.errors import bad_request

CATALOG = Path(__file__).resolve().parents[2] / "catalog"
MICROSOFT_GRAPH = "00000003-0000-0000-c000-000000000000"
EXCHANGE_ONLINE = "00000002-0000-0ff1-ce00-000000000000"
# The tenant that owns Microsoft's first-party applications.
MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
# Stands in for the (unknown) home tenant of a vendor's application.
VENDOR_TENANT = "99999999-0000-0000-0000-000000000001"

Application = dict[str, Any]
"""`{"appId", "displayName", "appRoles", "oauth2PermissionScopes", "appOwnerOrganizationId"}`"""


def _load(path: Path) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text("utf-8"), Loader=loader)


def _api(path: Path) -> Application:
    raw = _load(path)
    scopes = [
        {
            "id": str(scope["id"]),
            "value": value,
            "type": "Admin" if scope.get("admin_consent_required") else "User",
            "isEnabled": True,
            "adminConsentDisplayName": value,
            "adminConsentDescription": value,
            "userConsentDisplayName": value,
            "userConsentDescription": value,
        }
        for value, scope in (raw.get("scopes") or {}).items()
    ]
    return application(
        str(raw["app_id"]), str(raw["display_name"]), [], scopes, owner=MICROSOFT_TENANT
    )


def _apps(path: Path) -> list[Application]:
    raw = _load(path)
    found = []
    for entry in (raw.get("apps") or {}).values():
        roles = [
            {
                "id": str(role["id"]),
                "value": key,
                "displayName": str(role.get("display_name") or key),
                "description": str(role.get("description") or role.get("display_name") or key),
                "allowedMemberTypes": ["User"],
                "isEnabled": True,
                "origin": "Application",
            }
            for key, role in (entry.get("app_roles") or {}).items()
        ]
        found.append(application(str(entry["client_id"]), str(entry["display_name"]), roles))
    return found


def application(
    app_id: str,
    display_name: str,
    app_roles: list[dict[str, Any]] | None = None,
    scopes: list[dict[str, Any]] | None = None,
    owner: str = VENDOR_TENANT,
) -> Application:
    return {
        "appId": app_id.lower(),
        "displayName": display_name,
        "appRoles": list(app_roles or []),
        "oauth2PermissionScopes": list(scopes or []),
        "appOwnerOrganizationId": owner,
    }


@functools.cache
def _known(catalog: Path) -> tuple[Application, ...]:
    found = [_api(path) for path in sorted((catalog / "apis").glob("*.yaml"))]
    for path in sorted((catalog / "apps").glob("*.yaml")):
        found.extend(_apps(path))
    return tuple(found)


def known_applications(catalog: Path = CATALOG) -> dict[str, Application]:
    """appId -> application; a fresh copy (the registry of one tenant may grow)."""
    return {app["appId"]: copy.deepcopy(app) for app in _known(catalog)}


def from_request(body: dict[str, Any]) -> Application:
    """An application registered through `POST /_sim/applications`."""
    app_id, name = body.get("appId"), body.get("displayName")
    if not isinstance(app_id, str) or not app_id or not isinstance(name, str) or not name:
        raise bad_request("appId and displayName are required strings.")
    roles, scopes = body.get("appRoles", []), body.get("oauth2PermissionScopes", [])
    if not isinstance(roles, list) or not isinstance(scopes, list):
        raise bad_request("appRoles and oauth2PermissionScopes must be lists.")
    for role in roles:
        if not isinstance(role, dict) or not isinstance(role.get("id"), str):
            raise bad_request("each app role needs an id.")
        role.setdefault("allowedMemberTypes", ["User"])
        role.setdefault("isEnabled", True)
        role.setdefault("displayName", role.get("value") or role["id"])
        role.setdefault("origin", "Application")
    owner = body.get("appOwnerOrganizationId")
    return application(
        app_id, name, roles, scopes, owner if isinstance(owner, str) else VENDOR_TENANT
    )
