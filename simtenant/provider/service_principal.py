"""`azuread:index/servicePrincipal:ServicePrincipal`, as terraform-provider-azuread v3.9.0 does
it. The part that matters most: `useExisting` adoption takes the existing object's id and then
runs Update, whose PATCH is built from config every time (accountEnabled true, unset strings
null, unset lists empty, tags replaced by the feature tags), clobbering what an admin changed."""

from __future__ import annotations

import uuid

from simtenant.provider import ids
from simtenant.provider.errors import GraphError, diagnostic
from simtenant.provider.graph import Graph, Json
from simtenant.provider.props import Props, flag, strings, text, unknown_outputs
from simtenant.provider.resource import DiffResult, Field, as_flag, as_set, diff_fields
from simtenant.provider.service_principal_state import (
    expand_feature_tags,
    first_block,
    flatten,
    flatten_feature_tags,
    flatten_features,
    normalize_feature_tags,
)

TOKEN = "azuread:index/servicePrincipal:ServicePrincipal"

FIELDS = (
    Field("clientId", replaces=True),
    Field("accountEnabled", as_flag(True)),
    Field("alternativeNames", as_set),
    Field("appRoleAssignmentRequired", as_flag(False)),
    Field("description"),
    Field("featureTags", normalize_feature_tags, computed=True),
    Field("features", normalize_feature_tags, computed=True),
    Field("loginUrl"),
    Field("notes"),
    Field("notificationEmailAddresses", as_set),
    Field("owners", as_set),
    Field("preferredSingleSignOnMode"),
    Field("tags", as_set, computed=True),
    Field("useExisting", as_flag(False)),
)
# Outputs only Graph can tell (unknown at preview).
_COMPUTED = (
    "appRoleIds",
    "appRoles",
    "applicationTenantId",
    "displayName",
    "homepageUrl",
    "logoutUrl",
    "oauth2PermissionScopeIds",
    "oauth2PermissionScopes",
    "objectId",
    "redirectUris",
    "samlMetadataUrl",
    "servicePrincipalNames",
    "signInAudience",
    "type",
)
_RESOURCE_NAME = "azuread_service_principal"


def _path(object_id: str) -> str:
    return ids.SERVICE_PRINCIPAL.format(object_id)


def _tags_on_create(news: Props) -> list[str]:
    for key in ("featureTags", "features"):
        block = first_block(news.get(key))
        if block is not None:
            return expand_feature_tags(block)
    return strings(news, "tags")


def _tags_on_update(olds: Props, news: Props, adopting: bool) -> list[str]:
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


def _body(news: Props, tags: list[str]) -> Json:
    """The real provider's properties: unset strings as null (nullable.NoZero), unset sets as
    [], account enabled unless said otherwise."""
    saml = news.get("samlSingleSignOn")  # a one-item block: an object in Pulumi
    saml = saml if isinstance(saml, dict) else None
    return {
        "accountEnabled": flag(news, "accountEnabled", True),
        "alternativeNames": strings(news, "alternativeNames"),
        "appRoleAssignmentRequired": flag(news, "appRoleAssignmentRequired"),
        "description": text(news, "description") or None,
        "loginUrl": text(news, "loginUrl") or None,
        "notes": text(news, "notes") or None,
        "notificationEmailAddresses": strings(news, "notificationEmailAddresses"),
        "preferredSingleSignOnMode": text(news, "preferredSingleSignOnMode") or None,
        "samlSingleSignOnSettings": {"relayState": text(saml, "relayState")} if saml else {},
        "tags": tags,
    }


class ServicePrincipal:
    token = TOKEN

    def check(self, news: Props) -> tuple[Props, list[tuple[str, str]]]:
        failures: list[tuple[str, str]] = []
        if not news.get("clientId"):
            failures.append(
                ("clientId", 'The argument "client_id" is required, but no definition was found.')
            )
        set_ = [k for k in ("featureTags", "features", "tags") if news.get(k) not in (None, [])]
        if len(set_) > 1:
            failures.append((set_[0], f'"{set_[0]}": conflicts with {", ".join(set_[1:])}'))
        if len(text(news, "notes")) > 1024 or len(text(news, "description")) > 1024:
            key = "notes" if len(text(news, "notes")) > 1024 else "description"
            failures.append((key, f"expected length of {key} to be in the range (0 - 1024)"))
        if strings(news, "owners"):
            failures.append(
                ("owners", "owners are not supported by the simulated azuread provider")
            )
        # The schema's one default (Default: true); the other properties are plain optionals.
        return {"accountEnabled": True, **news}, failures

    def diff(self, olds: Props, news: Props) -> DiffResult:
        return diff_fields(olds, news, FIELDS)

    def preview_create(self, news: Props) -> Props:
        out = self._config_outputs(news)
        out.update(unknown_outputs(_COMPUTED))
        tags = _tags_on_create(news)
        out["tags"] = tags
        out["featureTags"] = flatten_feature_tags(tags)
        out["features"] = flatten_features(tags)
        return out

    def create(self, graph: Graph, news: Props) -> tuple[str, Props]:
        client_id = text(news, "clientId")
        query = {"$filter": f"appId eq '{client_id.replace(chr(39), chr(39) * 2)}'"}
        try:
            found = graph.list("servicePrincipals", query)
        except GraphError as exc:
            raise exc.during("Could not list existing service principals") from exc
        if len(found) > 1:
            raise diagnostic(
                "Could not list existing service principals",
                f"unexpected number of service principals returned (expected: 1, received: {len(found)}",
            )
        if found:
            object_id = str(found[0].get("id") or "")
            if not object_id:
                raise diagnostic(
                    "API error", "service principal returned with nil or empty object ID"
                )
            if flag(news, "useExisting"):
                return _path(object_id), self._update(graph, object_id, {}, news, adopting=True)
            raise diagnostic(
                f'A resource with the ID "{object_id}" already exists',
                "To be managed via Terraform, this resource needs to be imported into the State. "
                f'Please see the resource documentation for "{_RESOURCE_NAME}" for more information.',
            )
        return self._post(graph, news)

    def _post(self, graph: Graph, news: Props) -> tuple[str, Props]:
        # As the real provider: create with a throw-away description, then PATCH the real one
        # (its way of waiting for replication).
        body = _body(news, _tags_on_create(news))
        body["appId"] = text(news, "clientId")
        body["description"] = f"TERRAFORM_UPDATE_{uuid.uuid4()}"
        try:
            created = graph.post("servicePrincipals", body)
        except GraphError as exc:
            raise exc.during("Could not create service principal") from exc
        object_id = str(created.get("id") or "")
        if not object_id:
            raise diagnostic("Bad API response", "Object ID returned for service principal is nil")
        try:
            graph.patch(_path(object_id), {"description": text(news, "description") or None})
        except GraphError as exc:
            raise exc.during("Failed to patch service principal after creating") from exc
        return _path(object_id), self._read_after_write(graph, object_id, news)

    def _config_outputs(self, news: Props) -> Props:
        return {
            "clientId": text(news, "clientId"),
            "accountEnabled": flag(news, "accountEnabled", True),
            "alternativeNames": strings(news, "alternativeNames"),
            "appRoleAssignmentRequired": flag(news, "appRoleAssignmentRequired"),
            "description": text(news, "description"),
            "loginUrl": text(news, "loginUrl"),
            "notes": text(news, "notes"),
            "notificationEmailAddresses": strings(news, "notificationEmailAddresses"),
            "owners": strings(news, "owners"),
            "preferredSingleSignOnMode": text(news, "preferredSingleSignOnMode"),
            "samlSingleSignOn": news.get("samlSingleSignOn") or None,
            "useExisting": news.get("useExisting"),
        }

    def _read_after_write(self, graph: Graph, object_id: str, news: Props) -> Props:
        try:
            sp = graph.get(_path(object_id))
        except GraphError as exc:
            raise exc.during(f"Retrieving {_path(object_id)}") from exc
        return _with_config_only(flatten(sp), news)

    def read(self, graph: Graph, resource_id: str, state: Props) -> Props | None:
        (object_id,) = ids.SERVICE_PRINCIPAL.parse(resource_id)
        sp = graph.find(_path(object_id), f"Retrieving {resource_id}")
        if sp is None:
            return None
        return _with_config_only(flatten(sp), state)

    def inputs_from_state(self, outputs: Props) -> Props:
        tags = strings(outputs, "tags")
        inputs: Props = {
            "clientId": outputs.get("clientId"),
            "accountEnabled": flag(outputs, "accountEnabled", True),
            "appRoleAssignmentRequired": flag(outputs, "appRoleAssignmentRequired"),
        }
        # Feature tags when they say it all (the real provider's tags and featureTags
        # conflict); otherwise the tags themselves, so that a later update keeps them.
        if tags and expand_feature_tags(flatten_feature_tags(tags)[0]) == tags:
            inputs["featureTags"] = flatten_feature_tags(tags)
        elif tags:
            inputs["tags"] = tags
        for key in ("description", "loginUrl", "notes", "preferredSingleSignOnMode"):
            if text(outputs, key):
                inputs[key] = text(outputs, key)
        for key in ("alternativeNames", "notificationEmailAddresses"):
            if strings(outputs, key):
                inputs[key] = strings(outputs, key)
        if outputs.get("useExisting") is not None:
            inputs["useExisting"] = outputs["useExisting"]
        return inputs

    def preview_update(self, olds: Props, news: Props) -> Props:
        out = dict(olds)
        out.update(self._config_outputs(news))
        tags = _tags_on_update(olds, news, adopting=False)
        out["tags"] = tags
        out["featureTags"] = flatten_feature_tags(tags)
        return out

    def update(self, graph: Graph, resource_id: str, olds: Props, news: Props) -> Props:
        (object_id,) = ids.SERVICE_PRINCIPAL.parse(resource_id)
        return self._update(graph, object_id, olds, news, adopting=False)

    def _update(
        self, graph: Graph, object_id: str, olds: Props, news: Props, *, adopting: bool
    ) -> Props:
        body = _body(news, _tags_on_update(olds, news, adopting))
        try:
            graph.patch(_path(object_id), body)
        except GraphError as exc:
            raise exc.during(f"Updating {_path(object_id)}") from exc
        return self._read_after_write(graph, object_id, news)

    def delete(self, graph: Graph, resource_id: str, state: Props) -> None:
        (object_id,) = ids.SERVICE_PRINCIPAL.parse(resource_id)
        try:
            graph.delete(_path(object_id))
        except GraphError as exc:
            if flag(state, "useExisting"):
                return
            raise exc.during(f"Deleting {resource_id}") from exc


def _with_config_only(outputs: Props, config: Props) -> Props:
    """Outputs Graph does not hold keep their config (or prior state) value, as Terraform state
    does: `useExisting`, `owners` (not managed here) and the SAML block."""
    outputs["useExisting"] = config.get("useExisting")
    outputs["owners"] = strings(config, "owners")
    return outputs
