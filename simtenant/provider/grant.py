"""`azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant`:
an oAuth2PermissionGrant. Both service principal ids and the user force replacement; the
claim values are a set (order-free) changed in place by PATCHing `scope`. Create retries only
replication failures, so Graph's 409 for a second grant of the same triple fails it."""

from __future__ import annotations

from simtenant.provider import ids
from simtenant.provider.errors import GraphError, diagnostic
from simtenant.provider.graph import Graph, Json, not_found, retrying
from simtenant.provider.props import Props, is_unknown, strings, text
from simtenant.provider.resource import DiffResult, Field, as_set, diff_fields

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


def _replicating(exc: GraphError) -> bool:
    return not_found(exc) or (exc.status == 400 and _REPLICATION_400 in exc.graph_message)


class DelegatedPermissionGrant:
    token = TOKEN

    def check(self, news: Props) -> tuple[Props, list[tuple[str, str]]]:
        failures: list[tuple[str, str]] = []
        for key, tf_name in (
            ("servicePrincipalObjectId", "service_principal_object_id"),
            ("resourceServicePrincipalObjectId", "resource_service_principal_object_id"),
        ):
            if news.get(key) in (None, ""):
                failures.append(
                    (key, f'The argument "{tf_name}" is required, but no definition was found.')
                )
        claims = news.get("claimValues")
        if is_unknown(claims):
            pass
        elif not isinstance(claims, list) or not claims:
            failures.append(
                (
                    "claimValues",
                    "Attribute claim_values requires 1 item minimum, but config has only 0 declared.",
                )
            )
        elif any(isinstance(item, str) and not item for item in claims):
            failures.append(("claimValues", 'expected "claim_values" to not be an empty string'))
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
            path = ids.SERVICE_PRINCIPAL.format(object_id)
            try:
                graph.get(path)
            except GraphError as exc:
                if not_found(exc):
                    missing = "was not found)" if not what else "not found for resource"
                    raise exc.during(f"{path} {missing}") from exc
                raise exc.during(f"Could not retrieve {path}{what}") from exc
        body: Json = {"clientId": client, "resourceId": resource, "scope": _scope(news) or None}
        user = text(news, "userObjectId")
        if user:
            body.update(consentType="Principal", principalId=user)
        else:
            body["consentType"] = "AllPrincipals"
        try:
            created = retrying(lambda: graph.post("oauth2PermissionGrants", body), _replicating)
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
            raise diagnostic(f"Retrieving {resource_id}", "not found after creation")
        return resource_id, outputs

    def read(self, graph: Graph, resource_id: str, state: Props) -> Props | None:
        ids.GRANT.parse(resource_id)
        grant = graph.find(
            resource_id, f"Retrieving Delegated Permission Grant with ID {resource_id!r}"
        )
        if grant is None:
            return None
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
        ids.GRANT.parse(resource_id)
        try:
            graph.patch(resource_id, {"scope": _scope(news) or None})
        except GraphError as exc:
            raise exc.during(f"Updating {resource_id}") from exc
        outputs = self.read(graph, resource_id, news)
        if outputs is None:
            raise diagnostic(f"Retrieving {resource_id}", "not found after update")
        return outputs

    def delete(self, graph: Graph, resource_id: str, state: Props) -> None:
        ids.GRANT.parse(resource_id)
        try:
            graph.delete(resource_id)
        except GraphError as exc:
            raise exc.during(f"Deleting {resource_id}") from exc
