"""A Graph servicePrincipal as the provider's outputs, and feature tags both ways (the real
provider's `applications.ExpandFeatures` / `FlattenFeatures`). Shared by the resource and the
`getServicePrincipal` function."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simtenant.provider.props import Props

# (featureTags key, deprecated features key, tag); the order is ExpandFeatures' order.
_FEATURES = (
    (
        "customSingleSignOn",
        "customSingleSignOnApp",
        "WindowsAzureActiveDirectoryCustomSingleSignOnApplication",
    ),
    ("enterprise", "enterpriseApplication", "WindowsAzureActiveDirectoryIntegratedApp"),
    ("gallery", "galleryApplication", "WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1"),
    ("hide", "visibleToUsers", "HideApp"),
)
FEATURE_TAGS = frozenset(tag.lower() for _, _, tag in _FEATURES)


def first_block(value: Any) -> Mapping[str, Any] | None:
    """The single block of a `featureTags`/`features` list, None when the list is empty."""
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return value[0]
    return None


def expand_feature_tags(block: Mapping[str, Any]) -> list[str]:
    """Tags for a `featureTags` block, or for a deprecated `features` block, whose
    `visibleToUsers` (default true) is the inverse of `hide`."""
    out: list[str] = []
    for key, old_key, tag in _FEATURES:
        if key == "hide":
            on = block.get("hide") is True or block.get("visibleToUsers") is False
        else:
            on = block.get(key) is True or block.get(old_key) is True
        if on:
            out.append(tag)
    return out


def normalize_feature_tags(value: Any) -> tuple[bool, ...] | None:
    """A featureTags list compared as the four booleans (unset = false); None when empty."""
    block = first_block(value)
    if block is None:
        return None
    return tuple(block.get(key) is True for key, _, _ in _FEATURES)


def flatten_feature_tags(tags: list[str]) -> list[Props]:
    lowered = {tag.lower() for tag in tags}
    return [{key: tag.lower() in lowered for key, _, tag in _FEATURES}]


def flatten_features(tags: list[str]) -> list[Props]:
    """The deprecated `features` block: same facts, old names, `visibleToUsers` inverted."""
    lowered = {tag.lower() for tag in tags}
    block: Props = {}
    for _, old_key, tag in _FEATURES:
        present = tag.lower() in lowered
        block[old_key] = not present if old_key == "visibleToUsers" else present
    return [block]


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _app_roles(sp: Mapping[str, Any]) -> list[Props]:
    return [
        {
            "allowedMemberTypes": _strings(role.get("allowedMemberTypes")),
            "description": _text(role.get("description")),
            "displayName": _text(role.get("displayName")),
            "enabled": role.get("isEnabled") is True,
            "id": _text(role.get("id")),
            "value": _text(role.get("value")),
        }
        for role in sp.get("appRoles") or []
        if isinstance(role, Mapping)
    ]


def _scopes(sp: Mapping[str, Any]) -> list[Props]:
    return [
        {
            "adminConsentDescription": _text(scope.get("adminConsentDescription")),
            "adminConsentDisplayName": _text(scope.get("adminConsentDisplayName")),
            "enabled": scope.get("isEnabled") is True,
            "id": _text(scope.get("id")),
            "type": _text(scope.get("type")),
            "userConsentDescription": _text(scope.get("userConsentDescription")),
            "userConsentDisplayName": _text(scope.get("userConsentDisplayName")),
            "value": _text(scope.get("value")),
        }
        for scope in sp.get("oauth2PermissionScopes") or []
        if isinstance(scope, Mapping)
    ]


def _ids(items: list[Props]) -> dict[str, str]:
    return {item["value"]: item["id"] for item in items if item["value"] and item["id"]}


def flatten(
    sp: Mapping[str, Any], saml_key: str = "samlSingleSignOn", saml_metadata_url: str = ""
) -> Props:
    """Every output the real provider sets from a servicePrincipal (`saml_key` is
    `samlSingleSignOns` for the function); `samlMetadataUrl` comes from the beta read. The SAML
    block is there whenever Graph has SAML settings, even without a relay state
    (`flattenSamlSingleSignOn`, serviceprincipals.go lines 24-33)."""
    app_id = _text(sp.get("appId"))
    tags = _strings(sp.get("tags"))
    roles, scopes = _app_roles(sp), _scopes(sp)
    saml = sp.get("samlSingleSignOnSettings")
    block = {"relayState": _text(saml.get("relayState"))} if isinstance(saml, Mapping) else None
    return {
        "accountEnabled": sp.get("accountEnabled") is True,
        "alternativeNames": _strings(sp.get("alternativeNames")),
        "appRoleAssignmentRequired": sp.get("appRoleAssignmentRequired") is True,
        "appRoleIds": _ids(roles),
        "appRoles": roles,
        "applicationTenantId": _text(sp.get("appOwnerOrganizationId")),
        "clientId": app_id,
        "description": _text(sp.get("description")),
        "displayName": _text(sp.get("displayName")),
        "featureTags": flatten_feature_tags(tags),
        "features": flatten_features(tags),
        "homepageUrl": _text(sp.get("homepage")),
        "loginUrl": _text(sp.get("loginUrl")),
        "logoutUrl": _text(sp.get("logoutUrl")),
        "notes": _text(sp.get("notes")),
        "notificationEmailAddresses": _strings(sp.get("notificationEmailAddresses")),
        "oauth2PermissionScopeIds": _ids(scopes),
        "oauth2PermissionScopes": scopes,
        "objectId": _text(sp.get("id")),
        "preferredSingleSignOnMode": _text(sp.get("preferredSingleSignOnMode")),
        "redirectUris": _strings(sp.get("replyUrls")),
        "samlMetadataUrl": saml_metadata_url,
        # The resource flattens the one-item block to an object (or none); the function keeps a list.
        saml_key: ([block] if block else []) if saml_key == "samlSingleSignOns" else block,
        "servicePrincipalNames": [
            name
            for name in _strings(sp.get("servicePrincipalNames"))
            if name.lower() != app_id.lower()
        ],
        "signInAudience": _text(sp.get("signInAudience")),
        "tags": tags,
        "type": _text(sp.get("servicePrincipalType")),
    }
