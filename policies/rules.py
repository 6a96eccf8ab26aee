"""The rule table of the pack (DESIGN §7): every rule, its kind, its settings and its check.

A rule's kind says what its check judges: "stack", the whole stack at once (with every grant
and assignment tied to its service principals); "resource", each resource on its own; "step",
each resource just before the engine writes it, with the tenant to ask (before_write.py). The pack
(pack.py) makes each row a CrossGuard policy of that kind and runs its check; nothing else
about a rule is written anywhere else. The checks live in modules of their own, by family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from catalog.catalogue import Catalogue

from .before_write import Step, checked_before_write
from .catalogue_rules import catalogue_apps_only, catalogue_scopes_only, default_app_role
from .closed_world import closed_world
from .config import (
    BEFORE_WRITE_PROPERTIES,
    CATALOGUE_APPS_PROPERTIES,
    CLOSED_WORLD_PROPERTIES,
    COMMON_PROPERTIES,
    OPTIONS_PROPERTIES,
    PRIVILEGED_PROPERTIES,
    BeforeWriteConfig,
    CatalogueAppsConfig,
    ClosedWorldConfig,
    OptionsConfig,
    PrivilegedConfig,
    RuleConfig,
)
from .first_party import no_first_party_service_principals
from .grant_rules import one_grant_per_target, tenant_wide_privileged_scopes
from .links import registered_ids_only
from .option_rules import governed_options
from .resources import Resource
from .stack import Stack
from .violation import Violation

Subject = TypeVar("Subject", Stack, Resource, Step)


@dataclass(frozen=True)
class Rule(Generic[Subject]):
    """One rule. `check` judges the stack or one resource (`kind`) against the catalogue with
    the rule's settings (an instance of `config_model`). A rule that does not need the catalogue (`needs_catalogue`)
    still runs when the catalogue cannot be loaded, and is given None for it."""

    name: str
    description: str
    kind: Literal["stack", "resource", "step"]
    config_model: type[RuleConfig]
    schema: dict[str, dict[str, Any]]
    check: Callable[[Subject, Catalogue, Any], list[Violation]]
    needs_catalogue: bool = True


RULES: list[Rule[Any]] = [
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
        "Service principals and grants only for client ids the catalogue lists, never for "
        "Microsoft's own apps unless allowed.",
        "stack",
        CatalogueAppsConfig,
        CATALOGUE_APPS_PROPERTIES,
        catalogue_apps_only,
    ),
    Rule(
        "no-first-party-service-principals",
        "No managed service principal for a Microsoft API (Graph, Exchange Online, ...).",
        "resource",
        RuleConfig,
        COMMON_PROPERTIES,
        no_first_party_service_principals,
        needs_catalogue=False,
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
        "governed-options",
        "No resource option takes a service principal, grant or assignment out of the stack's "
        "governance (ignore_changes, an explicit provider) unless the config allows it.",
        "resource",
        OptionsConfig,
        OPTIONS_PROPERTIES,
        governed_options,
        needs_catalogue=False,
    ),
    Rule(
        "checked-before-write",
        "Just before a write: each grant and assignment, its ids resolved read-only in the "
        "tenant, by the mandatory catalogue rules; any other provider resource by closed-world.",
        "step",
        BeforeWriteConfig,
        BEFORE_WRITE_PROPERTIES,
        checked_before_write,
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
