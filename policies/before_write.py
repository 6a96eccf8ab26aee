"""`checked-before-write`: each delegated grant and app role assignment, with the object ids it
holds resolved read-only in the tenant, judged by the pack's catalogue rules just before the
engine writes it.

Why a rule of its own: the engine runs stack rules (AnalyzeStack) at the end of a preview and,
during `pulumi up`, only after every step has been written. Before each step it runs resource
rules alone, with that step's inputs resolved. A program may declare at the update what its
preview did not show (`pulumi.runtime.is_dry_run()`, or an id unknown at preview that resolves
to another app's service principal), so the preview's verdict does not bind the update. This
rule asks the tenant which apps the ids name (GET only) and runs each mandatory stack rule that
judges grants and assignments on the resource in that context: what the engine is about to
write, with the apps it really names. Every other resource a provider writes is judged by
`closed-world` the same way, so a directory role declared only at the update is refused too.

At preview an id may not be known yet (a service principal new in the change): the stack rules
judge the worst it could be, and this rule judges the value before the write. A tenant that
cannot be asked is a refusal, never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from catalog.catalogue import Catalogue
from catalog.text import clean
from components.core.naming import (
    ASSIGNMENT_TYPE,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
)

from .catalogue_rules import catalogue_apps_only, catalogue_scopes_only, default_app_role
from .closed_world import closed_world
from .config import PrivilegedConfig, RuleConfig
from .grant_rules import tenant_wide_privileged_scopes
from .property_values import Unknown, known_str
from .resources import Resource
from .stack import Stack
from .violation import Violation


@dataclass(frozen=True)
class TenantPrincipal:
    """A service principal as the tenant answers for it."""

    object_id: str
    app_id: str
    display_name: str
    owner_tenant: str | None = None  # appOwnerOrganizationId: the tenant that registered the app


class TenantUnavailable(Exception):
    """The tenant could not be asked (no credentials, no network, a Graph error): one line."""


class Directory(Protocol):
    def service_principal(self, object_id: str) -> TenantPrincipal | None:
        """The service principal with this object id; None when the tenant has none. Raises
        TenantUnavailable when the tenant cannot tell."""
        ...

    def requires_assignment(self, object_id: str) -> bool:
        """Whether the app lets only assigned users and groups sign in, as of now."""
        ...


@dataclass(frozen=True)
class Step:
    """One resource the engine is about to write, the tenant to ask, the settings of the stack
    rules to apply (only those the policy config makes mandatory) and the type of the provider
    resource that writes it (None for a component, which writes nothing)."""

    resource: Resource
    tenant: Directory
    settings: Mapping[str, RuleConfig]
    provider: str | None = None

    @property
    def judged(self) -> bool:
        """A grant or an assignment, or another provider's resource while `closed-world` is
        mandatory."""
        if self.resource.type in ID_KEYS:
            return True
        return self.provider is not None and CLOSED_WORLD in self.settings

    @property
    def needs_catalogue(self) -> bool:
        return self.resource.type in ID_KEYS


Check = Callable[[Stack, Catalogue, RuleConfig], list[Violation]]

# The stack rules that judge one grant or assignment by the apps it names, by rule name (the
# others judge the stack as a whole: one grant per target, the ids' dependencies).
STACK_CHECKS: dict[str, Check] = {
    "catalogue-apps-only": catalogue_apps_only,
    "catalogue-scopes-only": catalogue_scopes_only,
    "tenant-wide-privileged-scopes": tenant_wide_privileged_scopes,
    "default-app-role": default_app_role,
}

CLOSED_WORLD = "closed-world"  # judged on each provider resource too, before it is written

# The object ids each judged type holds, and what each one names.
CLIENT, API = "client", "api"
ID_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    GRANT_TYPE: (("servicePrincipalObjectId", CLIENT), ("resourceServicePrincipalObjectId", API)),
    ASSIGNMENT_TYPE: (("resourceObjectId", CLIENT),),
}
PREFIX = "before the write, with its ids resolved in the tenant: "
FIX_TENANT = (
    "let the policy pack read the tenant: sign in with `az login` or a workload identity, or "
    "set ENTRA_CONSENT_GRAPH_TOKEN; ENTRA_CONSENT_GRAPH_URL for a national cloud"
)


def _in_tenant(principal: TenantPrincipal, role: str, requires_assignment: bool) -> Resource:
    """The tenant's service principal as a resource the stack rules can tie the step to."""
    name = f"{clean(principal.display_name, 80) or principal.object_id} (in the tenant)"
    if role == API:
        props = {"appId": principal.app_id, "objectId": principal.object_id}
        return Resource(f"tenant:api:{principal.object_id}", RESOURCE_API_TYPE, name, props)
    props_sp = {
        "clientId": principal.app_id,
        "objectId": principal.object_id,
        "appRoleAssignmentRequired": requires_assignment,
        "appOwnerOrganizationId": principal.owner_tenant,
    }
    return Resource(f"tenant:sp:{principal.object_id}", SERVICE_PRINCIPAL_TYPE, name, props_sp)


def _asks_assignment(step: Step, role: str) -> bool:
    """Whether the verdict depends on the client requiring assignment: a tenant-wide grant,
    with `allowWhenAssignmentRequired` on (read from the tenant only then, and as of now)."""
    config = step.settings.get("tenant-wide-privileged-scopes")
    return (
        role == CLIENT
        and step.resource.type == GRANT_TYPE
        and known_str(step.resource.props.get("userObjectId")) is None
        and isinstance(config, PrivilegedConfig)
        and config.allowWhenAssignmentRequired
    )


def _what(resource: Resource) -> str:
    return "grant" if resource.type == GRANT_TYPE else "assignment"


def _assigned_app_problems(
    resource: Resource, context: list[Resource], catalogue: Catalogue
) -> list[str]:
    """An assignment lets its principal sign in to the app: only to a catalogue app (the stack
    rules tie an assignment to a managed, catalogue-only service principal by dependency)."""
    if resource.type != ASSIGNMENT_TYPE:
        return []
    out = []
    for app in context:
        app_id = app.client_id
        if isinstance(app_id, str) and catalogue.app_by_client_id(app_id) is None:
            out.append(
                f"resourceObjectId is service principal {app.name} of app {app_id}, which the "
                "catalogue does not list, and the assignment would let its principal sign in to "
                "it (assign only the catalogue apps' service principals, taken from their "
                "outputs as the EnterpriseApp component does)"
            )
    return out


def _outside_closed_world(step: Step) -> list[Violation]:
    """`closed-world` on one resource with the provider that writes it: a type declared only at
    the update (never at preview) is refused before it is written, not after."""
    if step.provider is None or CLOSED_WORLD not in step.settings:
        return []
    provider = Resource(f"provider:{step.provider}", step.provider, "provider", {})
    found = closed_world(Stack([step.resource, provider]), None, step.settings[CLOSED_WORLD])
    return [Violation(f"{PREFIX}{v.message}", step.resource.urn) for v in found]


def checked_before_write(step: Step, catalogue: Catalogue, _: RuleConfig) -> list[Violation]:
    resource = step.resource
    keys = ID_KEYS.get(resource.type)
    if keys is None:
        return _outside_closed_world(step)
    values = [(key, role, known_str(resource.props.get(key))) for key, role in keys]
    if any(isinstance(value, Unknown) for _k, _r, value in values):
        return []  # preview: the stack rules judge the worst case; the update knows every id
    context: list[Resource] = []
    problems: list[str] = []
    for key, role, value in values:
        if not isinstance(value, str):
            problems.append(
                f"{key} is empty, so the pack cannot tell whom it gives access to what (take "
                "the ids from the service principals' outputs, as the EnterpriseApp component does)"
            )
            continue
        try:
            principal = step.tenant.service_principal(value)
            required = (
                principal is not None
                and _asks_assignment(step, role)
                and step.tenant.requires_assignment(value)
            )
        except TenantUnavailable as exc:
            problems.append(
                f"{key} {clean(value, 80)}: the tenant could not be asked which app it is "
                f"({exc}), so the {_what(resource)} is not written ({FIX_TENANT})"
            )
            continue
        if principal is None:
            problems.append(
                f"{key} {clean(value, 80)} is the object id of no service principal in the "
                "tenant, so the pack cannot tell whom it gives access to what (take the ids "
                "from the service principals' outputs, as the EnterpriseApp component does)"
            )
            continue
        context.append(_in_tenant(principal, role, required))
    problems += _assigned_app_problems(resource, context, catalogue)
    if problems:
        return [
            Violation(f"{PREFIX}{_what(resource)} {resource.name}: {p}", resource.urn)
            for p in problems
        ]
    judged = Resource(resource.urn, resource.type, resource.name, resource.props)
    stack = Stack([judged, *context])
    return [
        Violation(f"{PREFIX}{v.message}", resource.urn)
        for name, check in STACK_CHECKS.items()
        if name in step.settings
        for v in check(stack, catalogue, step.settings[name])
        if v.urn == resource.urn
    ]
