"""The simulated Microsoft Graph: the tenant model (`tenant`), its URL space (`routes`), the
HTTP server (`server.SimTenant`), scripted faults (`faults`) and seeding (`seed`)."""

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
