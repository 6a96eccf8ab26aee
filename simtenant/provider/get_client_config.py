"""`azuread:index/getClientConfig:getClientConfig`. The real provider answers from its
credentials, signed in to the tenant `azuread:tenantId` configures; the simulated tenant has no
sign-in, so the tenant id is the one it serves (`GET /organization`), whatever the stack
configures: a provider signed in elsewhere than the stack says, which is what the program's own
tenant check is for. The caller's client and object ids are fixed values (override them with
ENTRA_CONSENT_SIM_CLIENT_ID / ENTRA_CONSENT_SIM_OBJECT_ID)."""

from __future__ import annotations

import os

from simtenant.provider.errors import GraphError, diagnostic
from simtenant.provider.graph import Graph
from simtenant.provider.props import Props, text

TOKEN = "azuread:index/getClientConfig:getClientConfig"
SIMULATED_CLIENT_ID = "51a7e27a-0000-4000-8000-00000000c11e"
SIMULATED_OBJECT_ID = "51a7e27a-0000-4000-8000-0000000000b1"


def get_client_config(graph: Graph, args: Props) -> Props:
    try:
        orgs = graph.list("organization")
    except GraphError as exc:
        raise exc.during("Retrieving the tenant (GET /organization)") from exc
    if not orgs or not text(orgs[0], "id"):
        raise diagnostic("Retrieving the tenant (GET /organization)", "no organization returned")
    tenant_id = text(orgs[0], "id")
    client_id = os.environ.get("ENTRA_CONSENT_SIM_CLIENT_ID") or SIMULATED_CLIENT_ID
    object_id = os.environ.get("ENTRA_CONSENT_SIM_OBJECT_ID") or SIMULATED_OBJECT_ID
    return {
        "id": f"clientConfigs/clientId={client_id};objectId={object_id};tenantId={tenant_id}",
        "tenantId": tenant_id,
        "clientId": client_id,
        "objectId": object_id,
    }
