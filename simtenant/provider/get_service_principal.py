"""`azuread:index/getServicePrincipal:getServicePrincipal`: by object id, display name or
client id, with the real data source's errors."""

from __future__ import annotations

from simtenant.provider import ids
from simtenant.provider.errors import CheckFailures, GraphError, diagnostic
from simtenant.provider.graph import Graph, Json, not_found
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
        raise exc.during(f'Listing service principals for filter "{query}"') from exc


def get_service_principal(graph: Graph, args: Props) -> Props:
    chosen = [k for k in ("clientId", "displayName", "objectId") if text(args, k)]
    if len(chosen) != 1:
        verb = "must be specified" if not chosen else "can be specified, but more were specified"
        raise CheckFailures([("clientId", f'"client_id": only one of {_ONE_OF} {verb}')])
    found: Json | None = None
    if chosen[0] == "objectId":
        path = ids.SERVICE_PRINCIPAL.format(text(args, "objectId"))
        try:
            found = graph.get(path)
        except GraphError as exc:
            if not_found(exc):
                raise diagnostic(f"{path} was not found") from exc
            raise exc.during(f"Retrieving {path}") from exc
    elif chosen[0] == "displayName":
        name = text(args, "displayName")
        query = f"displayName eq '{_escape(name)}'"
        sps = _list(graph, query)
        if not sps:
            raise diagnostic(
                "Service principal not found",
                f'no service principals found matching filter: "{query}"',
            )
        if len(sps) > 1:
            raise diagnostic(
                "Multiple service principals found",
                f'found multiple service principals matching filter: "{query}"',
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
    return {
        **flatten(found, saml_key="samlSingleSignOns"),
        "id": ids.SERVICE_PRINCIPAL.format(text(found, "id")),
    }
