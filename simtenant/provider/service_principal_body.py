"""What `azuread_service_principal` sends and accepts: the POST/PATCH body and its tags as
terraform-provider-azuread v3.9.0 builds them (service_principal_resource.go lines 405-433 for
a create, 539-559 for an update), and the schema's validation of the inputs (lines 70-346)."""

from __future__ import annotations

from simtenant.provider import validation as v
from simtenant.provider.graph import Json
from simtenant.provider.props import Props, flag, strings, text
from simtenant.provider.service_principal_state import (
    expand_feature_tags,
    first_block,
    normalize_feature_tags,
)

# `possibleValuesForPreferredSingleSignOnMode` (serviceprincipals/constants.go lines 19-32).
SSO_MODES = ("", "notSupported", "oidc", "password", "saml")
_TAG_KEYS = {"featureTags": "feature_tags", "features": "features", "tags": "tags"}
# Each one's ConflictsWith, in the schema's order (lines 114, 150, 229).
_CONFLICTS = {
    "feature_tags": ("features", "tags"),
    "features": ("feature_tags", "tags"),
    "tags": ("features", "feature_tags"),
}


def tags_on_create(news: Props) -> list[str]:
    for key in ("featureTags", "features"):
        block = first_block(news.get(key))
        if block is not None:
            return expand_feature_tags(block)
    return strings(news, "tags")


def tags_on_update(olds: Props, news: Props, adopting: bool) -> list[str]:
    """Feature tags win only when they changed (always, when adopting: the state is empty);
    otherwise the `tags` value, which for a program that sets none is the prior state's."""
    for key in ("featureTags", "features"):
        block = first_block(news.get(key))
        changed = normalize_feature_tags(news.get(key)) != normalize_feature_tags(olds.get(key))
        if block is not None and (adopting or changed):
            return expand_feature_tags(block)
    if isinstance(news.get("tags"), list):
        return strings(news, "tags")
    return [] if adopting else strings(olds, "tags")


def patch_body(news: Props, tags: list[str]) -> Json:
    """The real provider's properties: unset strings as null (nullable.NoZero), unset sets as
    [], account enabled unless said otherwise."""
    saml = news.get("samlSingleSignOn")  # a one-item block: an object in Pulumi
    saml = saml if isinstance(saml, dict) else None  # expandSamlSingleSignOn: {} without one
    return {
        "accountEnabled": flag(news, "accountEnabled", True),
        "alternativeNames": strings(news, "alternativeNames"),
        "appRoleAssignmentRequired": flag(news, "appRoleAssignmentRequired"),
        "description": text(news, "description") or None,
        "loginUrl": text(news, "loginUrl") or None,
        "notes": text(news, "notes") or None,
        "notificationEmailAddresses": strings(news, "notificationEmailAddresses"),
        "preferredSingleSignOnMode": text(news, "preferredSingleSignOnMode") or None,
        "samlSingleSignOnSettings": {"relayState": text(saml, "relayState")}
        if saml is not None
        else {},
        "tags": tags,
    }


def check_inputs(news: Props) -> list[v.Failure]:
    failures = v.required(news.get("clientId"), "client_id", "clientId")
    failures += v.is_uuid(news.get("clientId"), "client_id", "clientId")
    present = {n for k, n in _TAG_KEYS.items() if news.get(k) not in (None, [])}
    for key, name in _TAG_KEYS.items():
        other = next((o for o in _CONFLICTS[name] if o in present), None)
        if name in present and other is not None:
            failures.append(v.conflicts(name, other, key))
    for key in ("description", "notes"):
        failures += v.length_between(news.get(key), 0, 1024, key, key)
    failures += v.http_url(news.get("loginUrl"), "login_url", "loginUrl")
    failures += v.in_slice(
        news.get("preferredSingleSignOnMode"),
        SSO_MODES,
        "preferred_single_sign_on_mode",
        "preferredSingleSignOnMode",
    )
    failures += v.each(v.is_uuid, news.get("owners"), "owners", "owners")
    for key, name in (
        ("alternativeNames", "alternative_names"),
        ("notificationEmailAddresses", "notification_email_addresses"),
    ):
        failures += v.each(v.not_empty, news.get(key), name, key)
    saml = news.get("samlSingleSignOn")
    if isinstance(saml, dict):
        failures += v.not_empty(
            saml.get("relayState"),
            "saml_single_sign_on.0.relay_state",
            "samlSingleSignOn.relayState",
        )
    return failures
