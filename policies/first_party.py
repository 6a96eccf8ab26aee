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
