"""Principal and resource-API look-ups: plain (non-Output) invokes, batched, so the set of
resources is known at preview and the number of invokes does not grow with users."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

import pulumi
import pulumi_azuread as azuread

from catalog.catalogue import Catalogue
from catalog.guid import is_guid
from components.core.kept_fields import TenantApp
from components.core.naming import (
    GET_CLIENT_CONFIG,
    GET_GROUPS,
    GET_SERVICE_PRINCIPAL,
    GET_USERS,
    Renames,
)
from components.core.planner import AppPlan
from components.core.principals import (
    ResolvedGroup,
    ResolvedPrincipals,
    id_only_groups,
    index_users,
    member_groups,
    user_lookup,
    user_members,
)
from components.core.settings import StackSettings
from components.lookup_errors import (
    m365_group_unreadable,
    message_of,
    principal_not_found,
    service_principal_not_found,
    sign_in_failure,
)
from components.resource_api import ResourceApi

_AZUREAD_VERSION = version("pulumi-azuread")


def _invoke(token: str, args: dict[str, Any]) -> dict[str, Any]:
    """An azuread function by token, untyped (camelCase keys), at the pinned provider version."""
    opts = pulumi.InvokeOptions(version=_AZUREAD_VERSION)
    return dict(pulumi.runtime.invoke(token, args, opts=opts).value)


def _not_found(exc: Exception) -> bool:
    return principal_not_found(message_of(exc))


def _get_users(args: dict[str, Any]) -> list[tuple[str, str]]:
    """`azuread.get_users` as (object id, UPN) pairs, from the provider's parallel `objectIds`
    and `userPrincipalNames` lists (it fills both for every user, in order). The untyped invoke
    skips the SDK's translation of every user record into a typed object, which for a
    `return_all` look-up is most of the program's own cost (about 0.5 s per 10,000 users);
    the request the engine sees is the same as the typed function's."""
    result = _invoke(GET_USERS, args)
    ids, upns = result.get("objectIds") or [], result.get("userPrincipalNames") or []
    return list(zip(ids, upns, strict=True))


class SignInFailed(Exception):
    """The azuread provider could not get a token; the reason in one line."""


def signed_in_tenant() -> str:
    """The tenant the azuread provider is configured for (`get_client_config`: the real provider
    answers from its configuration, never asking Graph). The provider signs in when it is
    configured, so a token Entra refuses (another directory's credentials) fails here first."""
    try:
        result = _invoke(GET_CLIENT_CONFIG, {})
    except Exception as exc:
        reason = sign_in_failure(message_of(exc))
        if reason is None:
            raise
        raise SignInFailed(reason) from None
    return str(result.get("tenantId") or "").lower()


def read_enterprise_apps(apps: Sequence[AppPlan]) -> dict[str, TenantApp | None]:
    """Each enterprise app's service principal as the tenant has it (None: not there yet), so
    the component can leave alone what the stack does not declare (components/core/kept_fields.py).
    One invoke per app, whatever the number of users."""
    out: dict[str, TenantApp | None] = {}
    for app in apps:
        try:
            found = _invoke(GET_SERVICE_PRINCIPAL, {"clientId": app.client_id})
        except Exception as exc:
            if not service_principal_not_found(message_of(exc)):
                raise
            out[app.key] = None
            continue
        out[app.key] = TenantApp.from_lookup(found)
    return out


def resolve_principals(settings: StackSettings) -> ResolvedPrincipals:
    lookup = user_lookup(settings)
    pairs: list[tuple[str, str]] = []
    if lookup.mode != "none":
        try:
            if lookup.mode == "upns":
                pairs = _get_users({"userPrincipalNames": list(lookup.upns), "ignoreMissing": True})
            elif lookup.mode == "ids":
                pairs = _get_users({"objectIds": list(lookup.ids), "ignoreMissing": True})
            else:
                pairs = _get_users({"returnAll": True})
        except Exception as exc:
            if not _not_found(exc):
                raise
    users = index_users(pairs)
    user_ids = set(users.values())

    groups: dict[str, ResolvedGroup] = _id_only_groups(id_only_groups(settings))
    m365: set[str] = set()
    for ref in member_groups(settings):
        try:
            if is_guid(ref):
                group = azuread.get_group(object_id=ref.lower(), include_transitive_members=True)
            else:
                group = azuread.get_group(display_name=ref, include_transitive_members=True)
        except Exception as exc:
            if m365_group_unreadable(message_of(exc)):
                m365.add(ref)
            elif not _not_found(exc):
                raise
            continue
        groups[ref] = user_members(group.object_id, group.members, user_ids)
    return ResolvedPrincipals(users=users, groups=groups, m365_groups=frozenset(m365))


def _id_only_groups(refs: Sequence[str]) -> dict[str, ResolvedGroup]:
    """Groups needed only as themselves (assignments): `get_groups`, by display names and by
    object ids, one invoke each, no member read whatever the groups' sizes. `ignoreMissing`:
    a group the tenant does not have is absent (missing_principals decides), so no error text
    has to be told apart; any failure stops the run."""
    found: dict[str, ResolvedGroup] = {}
    names = [r for r in refs if not is_guid(r)]
    ids = [r for r in refs if is_guid(r)]
    for key, wanted in (("displayNames", names), ("objectIds", [i.lower() for i in ids])):
        if not wanted:
            continue
        result = _invoke(GET_GROUPS, {key: wanted, "ignoreMissing": True})
        object_ids = [str(i).lower() for i in result.get("objectIds") or []]
        answered = result.get("displayNames") if key == "displayNames" else object_ids
        by_answer = {str(a).lower(): o for a, o in zip(answered or [], object_ids, strict=True)}
        for ref in names if key == "displayNames" else ids:
            object_id = by_answer.get(ref.lower())
            if object_id is not None:
                found[ref] = ResolvedGroup(object_id, frozenset())
    return found


def read_resource_apis(
    catalogue: Catalogue, api_keys: list[str], renames: Renames | None = None
) -> dict[str, azuread.ServicePrincipal]:
    """Microsoft's API service principals are read, never managed (terraform-provider-azuread
    #1141: destroying a managed first-party service principal caused outages); each under a
    `ResourceApi` that the policy pack can see."""
    apis = {}
    for key in api_keys:
        app_id = catalogue.apis[key].app_id
        found = azuread.get_service_principal(client_id=app_id)
        previous = (renames or Renames()).resource_api(key)
        apis[key] = ResourceApi(key, app_id, found.object_id, previous).service_principal
    return apis
