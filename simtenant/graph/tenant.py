"""The simulated tenant: directory objects, service principals and consent in one model with no
HTTP, so its rules can be tested and reused on their own."""

from __future__ import annotations

from simtenant.graph.applications import EXCHANGE_ONLINE, MICROSOFT_GRAPH, known_applications
from simtenant.graph.consent import Consent
from simtenant.graph.directory import Directory
from simtenant.graph.store import DEFAULT_TENANT_ID, Obj

BUILT_IN = (MICROSOFT_GRAPH, EXCHANGE_ONLINE)


class Tenant(Directory, Consent):
    """Not thread-safe: the server serialises requests."""

    @classmethod
    def new(cls, tenant_id: str = DEFAULT_TENANT_ID) -> Tenant:
        """A tenant as a new one is: the known applications, and the service principals of
        Microsoft Graph and Exchange Online."""
        tenant = cls(tenant_id.lower())
        tenant.applications = known_applications()
        for app_id in BUILT_IN:
            tenant.create_service_principal({"appId": app_id})
        return tenant

    @classmethod
    def from_state(cls, state: Obj) -> Tenant:
        tenant = cls()
        tenant.load_state(state)
        return tenant

    def organization(self) -> Obj:
        return {"id": self.tenant_id, "displayName": self.display_name}
