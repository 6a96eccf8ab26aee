"""`azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant`:
an oAuth2PermissionGrant, as terraform-provider-azuread v3.9.0 makes it
(internal/services/serviceprincipals/service_principal_delegated_permission_grant_resource.go,
line numbers below). Both service principal ids and the user force replacement; the claim
values are a set (order-free) changed in place by PATCHing `scope`. Create retries only
replication failures (a 404, or a 400 saying a referenced object is not there: lines 135-144)
on top of go-azure-sdk's own retries, all within the create's 5 minutes, so Graph's 409 for a
second grant of the same triple fails it at once."""

from __future__ import annotations

import re

from simtenant.provider import ids
from simtenant.provider import validation as v
from simtenant.provider.errors import GraphError, diagnostic, not_found
from simtenant.provider.graph import Graph, Json
from simtenant.provider.props import Props, strings, text
from simtenant.provider.resource import DiffResult, Field, Timeouts, as_set, diff_fields

TOKEN = "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant"
FIELDS = (
    Field("claimValues", as_set, elements=True),
    Field("resourceServicePrincipalObjectId", replaces=True),
    Field("servicePrincipalObjectId", replaces=True),
    Field("userObjectId", replaces=True),
)
_REPLICATION_400 = "does not exist or one of its queried reference-property objects are not present"


def _scope(news: Props) -> str:
    # A set: each value once, in first-seen order.
    return " ".join(dict.fromkeys(strings(news, "claimValues")))


def _replicating(status: int, odata: str) -> bool:
    """The create's RetryFunc: 404, or a 400 naming an object not replicated yet."""
    return status == 404 or (status == 400 and re.search(_REPLICATION_400, odata) is not None)


def _sp(object_id: str) -> str:
    return ids.SERVICE_PRINCIPAL.describe(object_id)


class DelegatedPermissionGrant:
    token = TOKEN
    timeouts = Timeouts(create=300, read=300, update=300, delete=300)

    def check(self, news: Props) -> tuple[Props, list[v.Failure]]:
        failures: list[v.Failure] = []
        claims = news.get("claimValues")
        failures += v.required(claims, "claim_values", "claimValues")
        failures += v.min_items(claims, 1, "claim_values", "claimValues")
        failures += v.each(v.not_empty, claims, "claim_values", "claimValues")
        for key, tf_name in (
            ("resourceServicePrincipalObjectId", "resource_service_principal_object_id"),
            ("servicePrincipalObjectId", "service_principal_object_id"),
        ):
            failures += v.required(news.get(key), tf_name, key)
            failures += v.is_uuid(news.get(key), tf_name, key)
        failures += v.is_uuid(news.get("userObjectId"), "user_object_id", "userObjectId")
        return news, failures

    def diff(self, olds: Props, news: Props) -> DiffResult:
        return diff_fields(olds, news, FIELDS)

    def preview_create(self, news: Props) -> Props:
        return self._config_outputs(news)

    def _config_outputs(self, news: Props) -> Props:
        return {
            "claimValues": news.get("claimValues"),
            "resourceServicePrincipalObjectId": news.get("resourceServicePrincipalObjectId"),
            "servicePrincipalObjectId": news.get("servicePrincipalObjectId"),
            "userObjectId": news.get("userObjectId") or "",
        }

    def create(self, graph: Graph, news: Props) -> tuple[str, Props]:
        client = text(news, "servicePrincipalObjectId")
        resource = text(news, "resourceServicePrincipalObjectId")
        for object_id, what in ((client, ""), (resource, " for resource")):
            try:
                graph.get(ids.SERVICE_PRINCIPAL.format(object_id))
            except GraphError as exc:
                if not_found(exc):  # lines 108-120, "was not found)" as written there
                    missing = "was not found)" if not what else "not found for resource"
                    raise exc.during(f"{_sp(object_id)} {missing}", "principal_object_id") from exc
                raise exc.during(f"Could not retrieve {_sp(object_id)}{what}") from exc
        body: Json = {"clientId": client, "resourceId": resource, "scope": _scope(news) or None}
        user = text(news, "userObjectId")
        if user:
            body.update(consentType="Principal", principalId=user)
        else:
            body["consentType"] = "AllPrincipals"
        try:
            created = graph.post("oauth2PermissionGrants", body, retry=_replicating)
        except GraphError as exc:
            raise exc.during("Could not create delegated permission grant") from exc
        grant_id = str(created.get("id") or "")
        if not grant_id:
            raise diagnostic(
                "Bad API response", "ID returned for delegated permission grant is nil"
            )
        resource_id = ids.GRANT.format(grant_id)
        outputs = self.read(graph, resource_id, news)
        if outputs is None:
            raise diagnostic(
                f"Retrieving {ids.GRANT.describe(grant_id)}", "not found after creation"
            )
        return resource_id, outputs

    def read(self, graph: Graph, resource_id: str, state: Props) -> Props | None:
        ids.GRANT.parse(resource_id)
        try:
            grant = graph.get(resource_id)
        except GraphError as exc:
            if not_found(exc):
                return None
            raise exc.during(
                f"Retrieving Delegated Permission Grant with ID {ids.quoted(resource_id)}", "id"
            ) from exc
        scope = grant.get("scope")
        return {
            "claimValues": [v for v in scope.split(" ") if v] if isinstance(scope, str) else [],
            "resourceServicePrincipalObjectId": text(grant, "resourceId"),
            "servicePrincipalObjectId": text(grant, "clientId"),
            "userObjectId": text(grant, "principalId"),
        }

    def inputs_from_state(self, outputs: Props) -> Props:
        inputs = {
            key: outputs.get(key)
            for key in (
                "claimValues",
                "resourceServicePrincipalObjectId",
                "servicePrincipalObjectId",
            )
        }
        if text(outputs, "userObjectId"):
            inputs["userObjectId"] = outputs["userObjectId"]
        return inputs

    def preview_update(self, olds: Props, news: Props) -> Props:
        return {**olds, "claimValues": news.get("claimValues")}

    def update(self, graph: Graph, resource_id: str, olds: Props, news: Props) -> Props:
        (grant_id,) = ids.GRANT.parse(resource_id)
        try:
            graph.patch(resource_id, {"scope": _scope(news) or None})
        except GraphError as exc:
            raise exc.during(f"Updating {ids.GRANT.describe(grant_id)}") from exc
        outputs = self.read(graph, resource_id, news)
        if outputs is None:
            raise diagnostic(f"Retrieving {ids.GRANT.describe(grant_id)}", "not found after update")
        return outputs

    def delete(self, graph: Graph, resource_id: str, state: Props) -> None:
        (grant_id,) = ids.GRANT.parse(resource_id)
        try:
            graph.delete(resource_id)
        except GraphError as exc:
            raise exc.during(f"Deleting {ids.GRANT.describe(grant_id)}", "id") from exc
