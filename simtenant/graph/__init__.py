"""The simulated Microsoft Graph: the tenant model (`tenant`: `directory`, `owners`,
`service_principals`, `consent` over `store`), its URL space (`routes`, `owner_routes`,
`unified_groups`), the HTTP server (`server.SimTenant`, `handler`) with Entra ID's token
endpoint (`token`), opt-in write throttling (`throttle`), scripted faults and replication delays
(`faults`, `replication`), the simulator's own endpoints (`admin`) and seeding (`seed`)."""

from simtenant.graph.errors import GraphError
from simtenant.graph.faults import Fault, Request
from simtenant.graph.seed import GraphSession, SeedError, load_seed, replay, seed
from simtenant.graph.server import SimTenant
from simtenant.graph.store import DEFAULT_TENANT_ID
from simtenant.graph.tenant import Tenant

__all__ = [
    "DEFAULT_TENANT_ID",
    "Fault",
    "GraphError",
    "GraphSession",
    "Request",
    "SeedError",
    "SimTenant",
    "Tenant",
    "load_seed",
    "replay",
    "seed",
]
