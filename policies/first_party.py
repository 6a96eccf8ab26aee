"""`no-first-party-service-principals`, judged per resource: the stack manages no service
principal of a Microsoft API (a destroy or a rename would delete it for the whole tenant)."""

from __future__ import annotations

from catalog.catalogue import Catalogue
from components.core.naming import SERVICE_PRINCIPAL_TYPE

from .config import RuleConfig
from .property_values import Unknown
from .resources import Resource
from .violation import Violation

# Microsoft first-party resource APIs besides those the catalogue lists (well-known app ids).
FIRST_PARTY_APP_IDS = frozenset(
    {
        "00000003-0000-0000-c000-000000000000",  # Microsoft Graph
        "00000002-0000-0ff1-ce00-000000000000",  # Office 365 Exchange Online
        "00000003-0000-0ff1-ce00-000000000000",  # Office 365 SharePoint Online
        "00000002-0000-0000-c000-000000000000",  # Windows Azure Active Directory (Azure AD Graph)
        "00000004-0000-0ff1-ce00-000000000000",  # Skype for Business Online
    }
)


# Microsoft's own public clients (well-known app ids): any user of any tenant can sign in to
# them, so scopes granted to one are granted to whoever runs that tool. A catalogue entry with
# one of these client ids (a changed `client_id`) is refused unless the config allows it.
MICROSOFT_CLIENTS = {
    "04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Microsoft Azure CLI",
    "1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell",
    "14d82eec-204b-4c2f-b7e8-296a70dab67e": "Microsoft Graph Command Line Tools",
    "de8bc8b5-d9f9-48b1-a8ad-b748da725064": "Graph Explorer",
    "d3590ed6-52b3-4102-aeff-aad2292ab01c": "Microsoft Office",
    "c44b4083-3bb0-49c1-b47d-974e53cbdf3c": "Azure Portal",
}
# The tenants Microsoft's first-party apps are registered in (a service principal's
# `appOwnerOrganizationId`): Microsoft Services and Microsoft.
MICROSOFT_TENANTS = frozenset(
    {"f8cdef31-a31e-4b4a-93e4-5f571e91255a", "72f988bf-86f1-41af-91ab-2d7cd011db47"}
)


def microsoft_client(client_id: str, owner_tenant: str | None = None) -> str | None:
    """What makes this client Microsoft's own (None when nothing does)."""
    if client_id in MICROSOFT_CLIENTS:
        return f"Microsoft's public client {MICROSOFT_CLIENTS[client_id]}"
    if client_id in FIRST_PARTY_APP_IDS:
        return "a Microsoft API"
    if owner_tenant is not None and owner_tenant.lower() in MICROSOFT_TENANTS:
        return f"an app registered in Microsoft's tenant {owner_tenant.lower()}"
    return None


def first_party_app_ids(catalogue: Catalogue | None) -> frozenset[str]:
    listed = {api.app_id for api in catalogue.apis.values()} if catalogue is not None else set()
    return FIRST_PARTY_APP_IDS | listed


def no_first_party_service_principals(
    resource: Resource, catalogue: Catalogue | None, _: RuleConfig
) -> list[Violation]:
    """Without a catalogue (None), the built-in list of Microsoft APIs still applies."""
    if resource.type != SERVICE_PRINCIPAL_TYPE:
        return []
    client_id = resource.client_id
    if isinstance(client_id, Unknown):
        return [
            Violation(
                f"service principal {resource.name}: its client id is not known until apply, so "
                "it cannot be ruled out as a Microsoft API (declare the client id as a plain value)"
            )
        ]
    if client_id in first_party_app_ids(catalogue):
        return [
            Violation(
                f"service principal {resource.name}: manages Microsoft's first-party API "
                f"service principal (app id {client_id}); a destroy or a rename would delete it "
                "and cut off every app in the tenant that uses the API (read it with "
                "ServicePrincipal.get instead of declaring it, or remove it from the stack)"
            )
        ]
    return []
