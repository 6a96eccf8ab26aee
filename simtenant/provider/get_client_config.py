"""`azuread:index/getClientConfig:getClientConfig`, as terraform-provider-azuread v3.9.0
answers it (internal/services/serviceprincipals/client_config_data_source.go, `Read`, lines
73-92): from the provider's own client, never asking Graph. The tenant is the CONFIGURED one
(`azuread:tenantId`, else ARM_TENANT_ID, else the tenant signed in to, as with the Azure CLI);
the client id the configured one (else SIMULATED_CLIENT_ID); the object id the `oid` claim of
the token the provider obtained when it was configured (signin.py). A provider configured for
one tenant answers that tenant, whatever Graph it talks to: its sign-in fails first when the
credentials belong to another directory. Its id is `<tenant>-<client>-<object>`
(`ClientConfigId.ID`, lines 21-23)."""

from __future__ import annotations

from simtenant.provider.graph import Graph
from simtenant.provider.props import Props
from simtenant.provider.signin import SIMULATED_CLIENT_ID, SIMULATED_OBJECT_ID

# The deploying identity's fixed ids when nothing else names it (signin.py).
__all__ = ["SIMULATED_CLIENT_ID", "SIMULATED_OBJECT_ID", "TOKEN", "get_client_config"]

TOKEN = "azuread:index/getClientConfig:getClientConfig"


def get_client_config(graph: Graph, args: Props) -> Props:
    caller = graph.caller
    return {
        "id": f"{caller.tenant_id}-{caller.client_id}-{caller.object_id}",
        "tenantId": caller.tenant_id,
        "clientId": caller.client_id,
        "objectId": caller.object_id,
    }
