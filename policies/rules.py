"""The rules of the pack (DESIGN §7), as plain functions over the stack and the catalogue, and
the rule table (`closed-world` and `registered-ids-only` live in their own modules).

Every violation names the client app (catalogue key and client id), the API, the target and the
offending scopes, and says how to fix it. Whatever cannot be determined (preview unknowns,
missing dependencies) is reported, never passed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from catalog.catalogue import App, Catalogue
from catalog.guid import DEFAULT_APP_ROLE_ID
from catalog.models import ApiFile

from .closed_world import closed_world
from .config import (
    CLOSED_WORLD_PROPERTIES,
    COMMON_PROPERTIES,
    PRIVILEGED_PROPERTIES,
    ClosedWorldConfig,
    PrivilegedConfig,
    RuleConfig,
)
from .links import registered_ids_only
from .resources import (
    FIRST_PARTY_APP_IDS,
    SERVICE_PRINCIPAL,
    Grant,
    Malformed,
    Resource,
    Stack,
    Unknown,
)
from .violation import Violation

FIX_SCOPES = (
    "add them to the app's feature in catalog/apps/ through review, or remove them from the stack"
)
FIX_APP = "add the app to catalog/apps/ through review, or remove it from the stack"
FIX_LINKS = (
    "declare the grant with its ids taken from the service principals' outputs, as the "
    "EnterpriseApp component does, so the pack can tell which app and API it is for"
)


@dataclass(frozen=True)
class Client:
    sp: Resource | None
    client_id: str | Unknown | None
    app: App | None

    def __str__(self) -> str:
        if self.sp is None:
            return "client app unknown (its service principal cannot be determined)"
        if isinstance(self.client_id, Unknown):
            return (
                f"client app of service principal {self.sp.name} (client id not known until apply)"
            )
        if self.client_id is None:
            return f"client app of service principal {self.sp.name} (no client id)"
        if self.app is None:
            return f"client app not in the catalogue (client id {self.client_id}, service principal {self.sp.name})"
        return f"client app {self.app.key} (client id {self.client_id})"

    @property
    def identity(self) -> str | None:
        if isinstance(self.client_id, str):
            return self.client_id
        return self.sp.urn if self.sp is not None else None


@dataclass(frozen=True)
class Api:
    sp: Resource | None
    app_id: str | Unknown | None
    api: ApiFile | None

    @property
    def determined(self) -> bool:
        return isinstance(self.app_id, str)

    def __str__(self) -> str:
        if self.api is not None:
            return f"API {self.api.key} ({self.api.display_name})"
        if isinstance(self.app_id, str):
            return f"API with app id {self.app_id} (not in the catalogue)"
        where = f" (service principal {self.sp.name})" if self.sp is not None else ""
        return f"an API that cannot be determined{where}"

    @property
    def identity(self) -> str | None:
        if isinstance(self.app_id, str):
            return self.app_id
        return self.sp.urn if self.sp is not None else None


def client_of(catalogue: Catalogue, sp: Resource | None) -> Client:
    if sp is None:
        return Client(None, None, None)
    client_id = sp.client_id
    app = catalogue.app_by_client_id(client_id) if isinstance(client_id, str) else None
    return Client(sp, client_id, app)


def api_of(catalogue: Catalogue, sp: Resource | None) -> Api:
    if sp is None:
        return Api(None, None, None)
    app_id = sp.client_id
    api = catalogue.api_by_app_id(app_id) if isinstance(app_id, str) else None
    return Api(sp, app_id, api)


class View:
    """Who each service principal is, per the catalogue; memoized for one rule run."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._clients: dict[str, Client] = {}
        self._apis: dict[str, Api] = {}
        self._listed: dict[tuple[str, str], frozenset[str]] = {}

    def client(self, sp: Resource | None) -> Client:
        if sp is None:
            return client_of(self.catalogue, None)
        found = self._clients.get(sp.urn)
        if found is None:
            found = self._clients[sp.urn] = client_of(self.catalogue, sp)
        return found

    def api(self, sp: Resource | None) -> Api:
        if sp is None:
            return api_of(self.catalogue, None)
        found = self._apis.get(sp.urn)
        if found is None:
            found = self._apis[sp.urn] = api_of(self.catalogue, sp)
        return found

    def listed(self, app: str, api: str) -> frozenset[str]:
        found = self._listed.get((app, api))
        if found is None:
            found = self._listed[(app, api)] = self.catalogue.listed_scopes(app, api)
        return found


def _grant_text(grant: Grant, client: Client, api: Api) -> str:
    return f"grant {grant.resource.name}: {client}, {api}, target {grant.target}"


def _scopes(scopes: Iterable[str]) -> str:
    return ", ".join(repr(s) if s != "".join(s.split()) or not s else s for s in sorted(scopes))


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
                    f"{_grant_text(grant, client, api)}: its scopes (claimValues) are "
                    f"{grant.scopes.what}, so they cannot be checked against the catalogue "
                    "(declare the scopes as a list of scope names)",
                    grant.resource.urn,
                )
            )
            continue
        if isinstance(grant.scopes, Unknown):
            out.append(
                Violation(
                    f"{_grant_text(grant, client, api)}: its scopes (claimValues) are not known until apply, so they cannot "
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
                    f"{_grant_text(grant, client, api)}: scopes not in the catalogue: {_scopes(offending)}{note} "
                    f"({FIX_SCOPES})",
                    grant.resource.urn,
                )
            )
    return out


# --- catalogue-apps-only -----------------------------------------------------------------------


def catalogue_apps_only(stack: Stack, catalogue: Catalogue, _: RuleConfig) -> list[Violation]:
    out = []
    api_ids = {api.app_id for api in catalogue.apis.values()}
    view = View(catalogue)
    for sp in stack.service_principals:
        client = view.client(sp)
        if isinstance(client.client_id, str) and client.client_id in api_ids:
            continue  # a resource API, judged by no-first-party-service-principals
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
        if client.app is not None:
            continue
        api = view.api(grant.api)
        scopes = (
            (grant.scopes.what if isinstance(grant.scopes, Malformed) else "not known until apply")
            if isinstance(grant.scopes, Unknown)
            else _scopes(grant.scopes)
        )
        fix = FIX_LINKS if client.sp is None else FIX_APP
        out.append(
            Violation(
                f"{_grant_text(grant, client, api)}: scopes {scopes or 'none'} granted to an app "
                f"the catalogue does not list ({fix})",
                grant.resource.urn,
            )
        )
    return out


# --- no-first-party-service-principals (per resource) ------------------------------------------


def first_party_app_ids(catalogue: Catalogue | None) -> frozenset[str]:
    listed = {api.app_id for api in catalogue.apis.values()} if catalogue is not None else set()
    return FIRST_PARTY_APP_IDS | listed


def no_first_party_service_principals(
    resource: Resource, first_party: frozenset[str]
) -> list[Violation]:
    if resource.type != SERVICE_PRINCIPAL:
        return []
    client_id = resource.client_id
    if isinstance(client_id, Unknown):
        return [
            Violation(
                f"service principal {resource.name}: its client id is not known until apply, so "
                "it cannot be ruled out as a Microsoft API (declare the client id as a plain value)"
            )
        ]
    if client_id in first_party:
        return [
            Violation(
                f"service principal {resource.name}: manages Microsoft's first-party API "
                f"service principal (app id {client_id}); a destroy or a rename would delete it "
                "and cut off every app in the tenant that uses the API (read it with "
                "ServicePrincipal.get instead of declaring it, or remove it from the stack)"
            )
        ]
    return []


# --- tenant-wide-privileged-scopes -------------------------------------------------------------


def _privileged(scope: str, apis: list[ApiFile], threshold: int) -> bool:
    known = [api.scopes[scope] for api in apis if scope in api.scopes]
    if not known:
        return True  # no published metadata: treat as privileged
    return any(s.admin_consent_required or (s.privilege_level or 0) >= threshold for s in known)


def _requires_assignment(client: Resource | None) -> bool:
    """The client's service principal, as this stack declares it, lets only assigned users and
    groups sign in (a known `true`, not an unknown)."""
    return client is not None and client.props.get("appRoleAssignmentRequired") is True


def tenant_wide_privileged_scopes(
    stack: Stack, catalogue: Catalogue, config: RuleConfig
) -> list[Violation]:
    assert isinstance(config, PrivilegedConfig)
    out = []
    view = View(catalogue)
    for grant in stack.grants():
        if not grant.tenant_wide or isinstance(grant.scopes, Unknown):
            continue
        if config.allowWhenAssignmentRequired and _requires_assignment(grant.client):
            continue
        client = view.client(grant.client)
        api = view.api(grant.api)
        if api.api is not None:
            apis = [api.api]
            client_key = client.app.key if client.app is not None else None
            client_id = client.client_id if isinstance(client.client_id, str) else None
            allowed = config.allowed(client_key, client_id, api.api.key)
        else:
            apis = [] if api.determined else list(catalogue.apis.values())
            allowed = frozenset()
        privileged = {s for s in grant.scopes if _privileged(s, apis, config.privilegeThreshold)}
        offending = privileged - allowed
        if not offending:
            continue
        allowance = (
            f"allowances.{client.app.key if client.app else client.identity}.{api.api.key}"
            if api.api is not None
            else "an allowance (only possible once the API can be determined)"
        )
        out.append(
            Violation(
                f"{_grant_text(grant, client, api)}: privileged scopes granted tenant-wide "
                f"(admin consent required, privilege level {config.privilegeThreshold} or more, "
                f"or unknown): {_scopes(offending)} (grant them per user instead, or allow them "
                f"through review in the policy config under {allowance})",
                grant.resource.urn,
            )
        )
    return out


# --- one-grant-per-target ----------------------------------------------------------------------


def one_grant_per_target(stack: Stack, catalogue: Catalogue, _: RuleConfig) -> list[Violation]:
    groups: dict[tuple[str, str, str], list[Grant]] = defaultdict(list)
    view = View(catalogue)
    for grant in stack.grants():
        client_key = view.client(grant.client).identity
        api_key = view.api(grant.api).identity
        if client_key is None or api_key is None or isinstance(grant.user, Unknown):
            continue  # cannot be compared; other rules report what is unknown
        groups[(client_key, api_key, grant.user or "")].append(grant)
    out = []
    for grants in groups.values():
        if len(grants) < 2:
            continue
        first = grants[0]
        client = view.client(first.client)
        api = view.api(first.api)
        names = ", ".join(g.resource.name for g in grants)
        scopes = sorted({s for g in grants if not isinstance(g.scopes, Unknown) for s in g.scopes})
        out.append(
            Violation(
                f"{_grant_text(first, client, api)}: {len(grants)} grants for the same client, "
                f"API and target ({names}) with scopes {_scopes(scopes)}; Entra ID keeps one "
                "grant per target and refuses the second (merge them into one grant, or remove "
                "the extra ones from the stack)",
                first.resource.urn,
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


# --- the rule table ----------------------------------------------------------------------------

StackCheck = Callable[[Stack, Catalogue, Any], list[Violation]]


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    kind: Literal["stack", "resource"]
    config_model: type[RuleConfig]
    schema: dict[str, dict[str, Any]]
    check: StackCheck | None = None
    needs_catalogue: bool = True  # without one the rule still runs (catalogue None)


RULES = [
    Rule(
        "closed-world",
        "Only the enterprise apps, delegated grants and app role assignments of the catalogue; "
        "any other resource type needs an allowance.",
        "stack",
        ClosedWorldConfig,
        CLOSED_WORLD_PROPERTIES,
        closed_world,
        needs_catalogue=False,
    ),
    Rule(
        "registered-ids-only",
        "Grants and assignments name registered service principals, by the ids they depend on.",
        "stack",
        RuleConfig,
        COMMON_PROPERTIES,
        registered_ids_only,
    ),
    Rule(
        "catalogue-scopes-only",
        "A delegated grant's scopes must be listed in the catalogue for its client app and API.",
        "stack",
        RuleConfig,
        COMMON_PROPERTIES,
        catalogue_scopes_only,
    ),
    Rule(
        "catalogue-apps-only",
        "Service principals and grants only for client ids the catalogue lists.",
        "stack",
        RuleConfig,
        COMMON_PROPERTIES,
        catalogue_apps_only,
    ),
    Rule(
        "no-first-party-service-principals",
        "No managed service principal for a Microsoft API (Graph, Exchange Online, ...).",
        "resource",
        RuleConfig,
        COMMON_PROPERTIES,
    ),
    Rule(
        "tenant-wide-privileged-scopes",
        "Admin-consent-required or high-privilege scopes tenant-wide only with an allowance.",
        "stack",
        PrivilegedConfig,
        PRIVILEGED_PROPERTIES,
        tenant_wide_privileged_scopes,
    ),
    Rule(
        "one-grant-per-target",
        "At most one delegated grant per client app, API and target.",
        "stack",
        RuleConfig,
        COMMON_PROPERTIES,
        one_grant_per_target,
    ),
    Rule(
        "default-app-role",
        "App role assignments use the default role or one the catalogue declares.",
        "stack",
        RuleConfig,
        COMMON_PROPERTIES,
        default_app_role,
    ),
]
