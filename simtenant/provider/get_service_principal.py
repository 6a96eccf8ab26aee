"""`azuread:index/getServicePrincipal:getServicePrincipal`: by object id, display name or
client id, then its `samlMetadataUrl` from beta, with the real data source's errors
(internal/services/serviceprincipals/service_principal_data_source.go `Read`, lines 287-373 of
terraform-provider-azuread v3.9.0)."""

from __future__ import annotations

from simtenant.provider import ids
from simtenant.provider.errors import CheckFailures, GraphError, diagnostic, not_found
from simtenant.provider.graph import Graph, Json
from simtenant.provider.props import Props, text
from simtenant.provider.service_principal_state import flatten

TOKEN = "azuread:index/getServicePrincipal:getServicePrincipal"
_ONE_OF = "`client_id,display_name,object_id`"


def _escape(value: str) -> str:
    return value.replace("'", "''")


def _list(graph: Graph, query: str) -> list[Json]:
    try:
        return graph.list("servicePrincipals", {"$filter": query})
    except GraphError as exc:
        raise exc.during(f"Listing service principals for filter {ids.quoted(query)}") from exc


def get_service_principal(graph: Graph, args: Props) -> Props:
    chosen = [k for k in ("clientId", "displayName", "objectId") if text(args, k)]
    if len(chosen) != 1:
        verb = "must be specified" if not chosen else "can be specified, but more were specified"
        raise CheckFailures([("clientId", f'"client_id": only one of {_ONE_OF} {verb}')])
    found: Json | None = None
    if chosen[0] == "objectId":
        object_id = text(args, "objectId")
        label = ids.SERVICE_PRINCIPAL.describe(object_id)
        try:
            found = graph.get(ids.SERVICE_PRINCIPAL.format(object_id))
        except GraphError as exc:
            if not_found(exc):
                raise diagnostic(f"{label} was not found", attribute="object_id") from exc
            raise exc.during(f"Retrieving {label}", "object_id") from exc
    elif chosen[0] == "displayName":
        name = text(args, "displayName")
        query = f"displayName eq '{_escape(name)}'"
        sps = _list(graph, query)
        if not sps:
            raise diagnostic(
                "Service principal not found",
                f"no service principals found matching filter: {ids.quoted(query)}",
            )
        if len(sps) > 1:
            raise diagnostic(
                "Multiple service principals found",
                f"found multiple service principals matching filter: {ids.quoted(query)}",
            )
        found = next((sp for sp in sps if text(sp, "displayName").lower() == name.lower()), None)
    else:
        client_id = text(args, "clientId")
        sps = _list(graph, f"appId eq '{_escape(client_id)}'")
        found = next((sp for sp in sps if text(sp, "appId").lower() == client_id.lower()), None)
    if found is None:
        raise diagnostic("No service principal found", "no service principal found")
    if not text(found, "id"):
        raise diagnostic("Bad API Response", "API returned service principal with nil object ID")
    object_id = text(found, "id")
    try:
        beta = graph.get(
            ids.SERVICE_PRINCIPAL.format(object_id), {"$select": "samlMetadataUrl"}, beta=True
        )
    except GraphError as exc:
        raise exc.during(
            f"Retrieving {ids.SERVICE_PRINCIPAL.describe(object_id)} (beta API)"
        ) from exc
    url = beta.get("samlMetadataUrl")
    return {
        **flatten(
            found,
            saml_key="samlSingleSignOns",
            saml_metadata_url=url if isinstance(url, str) else "",
        ),
        "id": ids.SERVICE_PRINCIPAL.format(object_id),
    }
