"""The rules that hold a stack to what the catalogue lists (DESIGN §7): `catalogue-scopes-only`,
`catalogue-apps-only` and `default-app-role`.

Every violation names the client app (catalogue key and client id), the API, the target and the
offending scopes, and says how to fix it. Whatever cannot be determined (preview unknowns,
missing dependencies) is reported, never passed.
"""

from __future__ import annotations

from catalog.catalogue import Catalogue
from catalog.guid import DEFAULT_APP_ROLE_ID

from .catalogue_view import Client, View, grant_text, scopes_text
from .config import CatalogueAppsConfig, RuleConfig
from .first_party import microsoft_client
from .property_values import Malformed, Unknown
from .stack import Stack
from .violation import Violation

FIX_SCOPES = (
    "add them to the app's feature in catalog/apps/ through review, or remove them from the stack"
)
FIX_APP = "add the app to catalog/apps/ through review, or remove it from the stack"
FIX_LINKS = (
    "declare the grant with its ids taken from the service principals' outputs, as the "
    "EnterpriseApp component does, so the pack can tell which app and API it is for"
)

# --- catalogue-scopes-only ---------------------------------------------------------------------


def catalogue_scopes_only(stack: Stack, catalogue: Catalogue, _: RuleConfig) -> list[Violation]:
    out = []
    view = View(catalogue)
    for grant in stack.grants():
        client = view.client(grant.client)
        api = view.api(grant.api)
        if isinstance(grant.scopes, Malformed):
            out.append(
                Violation(
                    f"{grant_text(grant, client, api)}: its scopes (claimValues) are "
                    f"{grant.scopes.what}, so they cannot be checked against the catalogue "
                    "(declare the scopes as a list of scope names)",
                    grant.resource.urn,
                )
            )
            continue
        if isinstance(grant.scopes, Unknown):
            out.append(
                Violation(
                    f"{grant_text(grant, client, api)}: its scopes (claimValues) are not known until apply, so they cannot "
                    "be checked against the catalogue (declare the scopes as plain values)",
                    grant.resource.urn,
                )
            )
            continue
        note = ""
        if client.app is None:
            allowed: frozenset[str] = frozenset()
            note = "; the catalogue lists no scopes for it"
        elif api.api is not None:
            allowed = view.listed(client.app.key, api.api.key)
        elif api.determined:
            allowed = frozenset()
            note = "; the catalogue lists no scopes on that API"
        else:
            allowed = frozenset().union(
                *(view.listed(client.app.key, key) for key in catalogue.apis)
            )
            note = (
                "; the API cannot be determined, so the scopes were checked against every "
                f"scope the catalogue lists for {client.app.key} on any API"
            )
        if not allowed.issuperset(grant.scopes):
            offending = set(grant.scopes) - allowed
            if any(not s.strip() or s != "".join(s.split()) for s in offending):
                note += (
                    "; a scope name with spaces is several scopes to Graph, and an empty one is "
                    "no scope (write each scope as its own item, exactly as the catalogue spells it)"
                )
            out.append(
                Violation(
                    f"{grant_text(grant, client, api)}: scopes not in the catalogue: {scopes_text(offending)}{note} "
                    f"({FIX_SCOPES})",
                    grant.resource.urn,
                )
            )
    return out


# --- catalogue-apps-only -----------------------------------------------------------------------


FIX_MICROSOFT = (
    "which any user of any tenant can sign in to, so whoever runs it would hold what is granted "
    "to it (point the catalogue entry at the vendor's own client id, or allow it through review "
    "in the policy config under catalogue-apps-only.allowMicrosoftClients)"
)


def _microsoft(client: Client, config: RuleConfig) -> str | None:
    """Why a catalogue app's client is Microsoft's own (None: it is not, or the config allows
    it). The tenant that registered the app is known when the tenant was asked (before a write)."""
    assert isinstance(config, CatalogueAppsConfig)
    if client.app is None or not isinstance(client.client_id, str):
        return None
    if client.client_id in {c.lower() for c in config.allowMicrosoftClients}:
        return None
    owner = client.sp.props.get("appOwnerOrganizationId") if client.sp is not None else None
    return microsoft_client(client.client_id, owner if isinstance(owner, str) else None)


def catalogue_apps_only(stack: Stack, catalogue: Catalogue, config: RuleConfig) -> list[Violation]:
    out = []
    api_ids = {api.app_id for api in catalogue.apis.values()}
    view = View(catalogue)
    for sp in stack.service_principals:
        client = view.client(sp)
        if isinstance(client.client_id, str) and client.client_id in api_ids:
            continue  # a resource API, judged by no-first-party-service-principals
        microsoft = _microsoft(client, config)
        if microsoft is not None:
            out.append(
                Violation(
                    f"service principal {sp.name}: {client} is {microsoft}, {FIX_MICROSOFT}",
                    sp.urn,
                )
            )
        if client.app is None:
            out.append(
                Violation(
                    f"service principal {sp.name}: {client}; it has no grants the catalogue "
                    f"allows ({FIX_APP})",
                    sp.urn,
                )
            )
    for grant in stack.grants():
        client = view.client(grant.client)
        microsoft = _microsoft(client, config)
        if microsoft is not None:
            api = view.api(grant.api)
            out.append(
                Violation(
                    f"{grant_text(grant, client, api)}: the client is {microsoft}, {FIX_MICROSOFT}",
                    grant.resource.urn,
                )
            )
        if client.app is not None:
            continue
        api = view.api(grant.api)
        scopes = (
            (grant.scopes.what if isinstance(grant.scopes, Malformed) else "not known until apply")
            if isinstance(grant.scopes, Unknown)
            else scopes_text(grant.scopes)
        )
        fix = FIX_LINKS if client.sp is None else FIX_APP
        out.append(
            Violation(
                f"{grant_text(grant, client, api)}: scopes {scopes or 'none'} granted to an app "
                f"the catalogue does not list ({fix})",
                grant.resource.urn,
            )
        )
    return out


# --- default-app-role --------------------------------------------------------------------------


def default_app_role(stack: Stack, catalogue: Catalogue, _: RuleConfig) -> list[Violation]:
    out = []
    view = View(catalogue)
    for assignment in stack.assignments():
        client = view.client(assignment.app)
        allowed = {DEFAULT_APP_ROLE_ID}
        if client.app is not None:
            allowed |= {role.id for role in client.app.entry.app_roles.values()}
        role = assignment.role
        if isinstance(role, str) and role in allowed:
            continue
        principal = assignment.principal
        who = principal if isinstance(principal, str) else "a principal not known until apply"
        shown = "not known until apply" if isinstance(role, Unknown) else (role or "missing")
        out.append(
            Violation(
                f"assignment {assignment.resource.name}: {client}, principal {who}: app role "
                f"{shown} is neither the default role {DEFAULT_APP_ROLE_ID} nor one the catalogue "
                "declares for the app (use the default role, or add the vendor's role to the "
                "app's app_roles in catalog/apps/ through review)",
                assignment.resource.urn,
            )
        )
    return out
