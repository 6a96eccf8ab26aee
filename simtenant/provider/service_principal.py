"""`azuread:index/servicePrincipal:ServicePrincipal`, as terraform-provider-azuread v3.9.0 does
it (internal/services/serviceprincipals/service_principal_resource.go). The part that matters
most: `useExisting` adoption takes the existing object's id and then runs Update, whose PATCH is
built from config every time (accountEnabled true, unset strings null, unset lists empty, tags
replaced by the feature tags), clobbering what an admin changed. `owners` is optional but not
computed: Read puts Graph's owners into state every time, so a program that sets none sees them
as a change, and the next update removes them (unless ignored with `ignoreChanges`). The Graph
requests themselves are in service_principal_calls.py."""

from __future__ import annotations

import uuid
from typing import Any

from simtenant.provider import ids
from simtenant.provider import service_principal_calls as calls
from simtenant.provider import validation as v
from simtenant.provider.errors import GraphError, PartialFailure, ProviderError, diagnostic
from simtenant.provider.graph import Graph
from simtenant.provider.props import UNKNOWN, Props, flag, strings, text, unknown_outputs
from simtenant.provider.resource import DiffResult, Field, Timeouts, as_flag, as_set, diff_fields
from simtenant.provider.service_principal_body import (
    check_inputs,
    patch_body,
    tags_on_create,
    tags_on_update,
)
from simtenant.provider.service_principal_state import (
    expand_feature_tags,
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
    Field("owners", as_set, elements=True),
    Field("preferredSingleSignOnMode"),
    Field("samlSingleSignOn", lambda b: _saml(b), suppress=lambda o, n: _saml_suppressed(o, n)),
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


def _saml(block: Any) -> tuple[str] | None:
    """The SAML block compared by its relay state; None when there is no block."""
    return (text(block, "relayState"),) if isinstance(block, dict) else None


def _saml_suppressed(old: Any, new: Any) -> bool:
    """`servicePrincipalDiffSuppress` (lines 350-365): a block in state with no relay state
    and none in config is no change."""
    return _saml(old) == ("",) and _saml(new) is None


class ServicePrincipal:
    token = TOKEN
    timeouts = Timeouts(create=600, read=300, update=600, delete=300)

    def check(self, news: Props) -> tuple[Props, list[v.Failure]]:
        # The schema's one default (Default: true); the other properties are plain optionals.
        return {"accountEnabled": True, **news}, check_inputs(news)

    def diff(self, olds: Props, news: Props) -> DiffResult:
        return diff_fields(olds, news, FIELDS)

    def preview_create(self, news: Props) -> Props:
        out = self._config_outputs(news)
        out.update(unknown_outputs(_COMPUTED))
        tags = tags_on_create(news)
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
                resource_id = calls.path(object_id)
                return resource_id, self._update(graph, object_id, {}, news, resource_id)
            raise diagnostic(
                f"A resource with the ID {ids.quoted(object_id)} already exists",
                "To be managed via Terraform, this resource needs to be imported into the State. "
                f'Please see the resource documentation for "{_RESOURCE_NAME}" for more information.',
                "id",
            )
        # As the real provider: create with a throw-away description, then PATCH the real one
        # (its way of waiting for replication).
        body = patch_body(news, tags_on_create(news))
        body["appId"] = client_id
        body["description"] = f"TERRAFORM_UPDATE_{uuid.uuid4()}"
        owners = strings(news, "owners")
        object_id, extra = calls.post(graph, body, owners)
        try:
            calls.after_post(graph, object_id, text(news, "description"), extra, owners)
        except ProviderError as exc:
            raise PartialFailure(
                calls.path(object_id), self._partial(news, object_id), exc
            ) from exc
        return calls.path(object_id), self._read_after_write(graph, object_id, news)

    def _partial(self, news: Props, object_id: str) -> Props:
        """The state Terraform keeps for an object that has its id but failed later."""
        out = self.preview_create(news)
        return {k: v for k, v in out.items() if v != UNKNOWN} | {"objectId": object_id}

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
        outputs = calls.read(graph, object_id)
        if outputs is None:
            # Terraform: the resource vanished right after its write.
            raise diagnostic(f"Retrieving {calls.label(object_id)}", "not found after writing")
        outputs["useExisting"] = news.get("useExisting")
        return outputs

    def read(self, graph: Graph, resource_id: str, state: Props) -> Props | None:
        (object_id,) = ids.SERVICE_PRINCIPAL.parse(resource_id)
        outputs = calls.read(graph, object_id)
        if outputs is not None:
            outputs["useExisting"] = state.get("useExisting")  # not read: the state's value
        return outputs

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
        for key in ("alternativeNames", "notificationEmailAddresses", "owners"):
            if strings(outputs, key):
                inputs[key] = strings(outputs, key)
        if outputs.get("useExisting") is not None:
            inputs["useExisting"] = outputs["useExisting"]
        return inputs

    def preview_update(self, olds: Props, news: Props) -> Props:
        out = dict(olds)
        out.update(self._config_outputs(news))
        tags = tags_on_update(olds, news, adopting=False)
        out["tags"] = tags
        out["featureTags"] = flatten_feature_tags(tags)
        return out

    def update(self, graph: Graph, resource_id: str, olds: Props, news: Props) -> Props:
        (object_id,) = ids.SERVICE_PRINCIPAL.parse(resource_id)
        return self._update(graph, object_id, olds, news, resource_id)

    def _update(
        self, graph: Graph, object_id: str, olds: Props, news: Props, resource_id: str
    ) -> Props:
        """Update, also for `useExisting` adoption (`olds` empty: the state before Create)."""
        body = patch_body(news, tags_on_update(olds, news, adopting=not olds))
        try:
            try:
                graph.patch(calls.path(object_id), body)
            except GraphError as exc:
                raise exc.during(f"Updating {calls.label(object_id)}") from exc
            if as_set(olds.get("owners")) != as_set(news.get("owners")):
                calls.sync_owners(graph, object_id, strings(news, "owners"))
            return self._read_after_write(graph, object_id, news)
        except ProviderError as exc:
            partial = (
                {**olds, **self._config_outputs(news)} if olds else self._partial(news, object_id)
            )
            raise PartialFailure(resource_id, partial, exc) from exc

    def delete(self, graph: Graph, resource_id: str, state: Props) -> None:
        (object_id,) = ids.SERVICE_PRINCIPAL.parse(resource_id)
        calls.delete(graph, object_id, flag(state, "useExisting"))
