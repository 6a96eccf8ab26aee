"""Who may consent, compiled from the catalogue and a stack's plan (pure): the stack's permission
grant policy, the assignment of self-consent policies that puts it in force, and the tenant's
budget of condition-set ids.

`user_consent: catalogue` lets users consent, for themselves, to the user-consentable scopes
(`admin_consent_required: false`) the stack grants tenant-wide, or to users of an app that
requires assignment, per app and API, and to nothing else: one include per (app, API), naming
the client and the scopes by id, never `all`.
`none` assigns no self-consent policy at all; `unmanaged` leaves the tenant as it is.
Graph's rules (permissionGrantConditionSet, authorizationPolicy): docs/user-consent.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from catalog.catalogue import Catalogue
from catalog.problems import Problem
from components.core.planner import ConsentPlan
from components.core.settings import NAMESPACE, StackSettings, UserConsent
from components.core.target import TENANT

POLICY_PREFIX = "entra-consent-"
FOR_SELF = "ManagePermissionGrantsForSelf."
FOR_OWNED = "ManagePermissionGrantsForOwnedResource."
# Entra ID counts the client and tenant ids named by all permission grant policies of a tenant
# together, about 100 at most (Graph answers 400 beyond it).
ID_BUDGET = 100
USER_CONSENT_KEY = f"{NAMESPACE}:user_consent"


@dataclass(frozen=True)
class ConsentCondition:
    """One include of the stack's policy: users may consent for themselves to `scopes` of
    `api` for the client app `app`."""

    app: str
    api: str
    client_id: str
    resource_app_id: str
    scopes: tuple[str, ...]  # names, sorted
    permission_ids: tuple[str, ...]  # the scopes' ids, in the same order

    def graph_body(self) -> dict[str, Any]:
        """The condition set as Graph takes it (the fields left out keep Graph's defaults)."""
        return {
            "permissionType": "delegated",
            "clientApplicationIds": [self.client_id],
            "resourceApplication": self.resource_app_id,
            "permissions": list(self.permission_ids),
        }


@dataclass(frozen=True)
class AdminOnly:
    """What users may not consent to for an app and API: the scopes only an admin may grant,
    through the admin consent workflow."""

    app: str
    api: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class UserConsentPolicy:
    id: str
    display_name: str
    description: str
    includes: tuple[ConsentCondition, ...]
    admin_only: tuple[AdminOnly, ...]

    @property
    def ids_used(self) -> int:
        """Client and tenant ids the policy names, as the tenant's budget counts them: each
        include names one client id (`graph_body`) and no tenant id."""
        return len(self.includes)


def policy_id(stack: str) -> str:
    return f"{POLICY_PREFIX}{stack}"


def user_consent_policy(stack: str, catalogue: Catalogue, plan: ConsentPlan) -> UserConsentPolicy:
    """The stack's permission grant policy for `user_consent: catalogue`."""
    includes: list[ConsentCondition] = []
    admin_only: list[AdminOnly] = []
    for app in plan.apps:
        scopes_by_api: dict[str, set[str]] = {}
        for grant in app.grants:
            # A per-user grant (`principals`) limits an app to its users: self-consent would
            # undo that, unless only assigned users may sign in to the app at all.
            if grant.target == TENANT or app.settings.assignment_required:
                scopes_by_api.setdefault(grant.api, set()).update(grant.scopes)
        for api_key in sorted(scopes_by_api):
            api = catalogue.apis[api_key]
            users: dict[str, str] = {}  # name -> id, of the user-consentable scopes
            admins: list[str] = []  # an unpublished scope counts as admin-only
            for name in sorted(scopes_by_api[api_key]):
                scope = api.scopes.get(name)
                if scope is None or scope.admin_consent_required:
                    admins.append(name)
                else:
                    users[name] = str(scope.id)
            if users:
                includes.append(
                    ConsentCondition(
                        app.key,
                        api_key,
                        app.client_id,
                        api.app_id,
                        tuple(users),
                        tuple(users.values()),
                    )
                )
            if admins:
                admin_only.append(AdminOnly(app.key, api_key, tuple(admins)))
    return UserConsentPolicy(
        id=policy_id(stack),
        display_name=f"entra-consent: stack {stack}",
        description=(
            "Users may consent for themselves only to the user-consentable scopes of the apps "
            f"stack {stack} grants. Managed by entra-consent; changes made elsewhere are drift."
        ),
        includes=tuple(includes),
        admin_only=tuple(admin_only),
    )


def assigned_policies(current: Sequence[str], mode: UserConsent, own_id: str | None) -> list[str]:
    """`permissionGrantPoliciesAssigned` as the stack wants it, from what the tenant holds:
    every `ManagePermissionGrantsForOwnedResource.*` entry kept, and another stack's own
    policy (`...ForSelf.entra-consent-*`: two stacks may share a tenant); the other
    `...ForSelf.*` ones replaced by the stack's own policy (`catalogue`) or by none (`none`);
    all as they are (`unmanaged`). Compared as Graph does, without regard to case; the
    tenant's spelling and order of what is kept are kept."""
    if mode == "unmanaged":
        return list(current)
    own = f"{FOR_SELF}{own_id}".lower() if own_id else None
    stacks = f"{FOR_SELF}{POLICY_PREFIX}".lower()
    kept = [
        p
        for p in current
        if not p.lower().startswith(FOR_SELF.lower())
        or (p.lower().startswith(stacks) and p.lower() != own)
    ]
    if mode == "catalogue":
        if own_id is None:
            raise ValueError("user_consent: catalogue needs the stack's policy id")
        kept.append(f"{FOR_SELF}{own_id}")
    return kept


def same_assignment(a: Iterable[str], b: Iterable[str]) -> bool:
    """Graph returns the assignment in its own case and order: compare as a set, ignoring case."""
    return {p.lower() for p in a} == {p.lower() for p in b}


def front_door_not_applied(settings: StackSettings, file: str) -> list[Problem]:
    """The program does not apply these settings yet: a stack that asks for them stops before
    anything is declared, rather than leave the tenant's rules as they are while saying
    nothing (`entra-consent plan` shows what they will set)."""
    asked = [
        (key, remedy)
        for key, given, remedy in (
            (
                "user_consent",
                settings.user_consent != "unmanaged",
                "set it to unmanaged, or remove it,",
            ),
            (
                "admin_consent_workflow",
                settings.admin_consent_workflow is not None,
                "remove it",
            ),
        )
        if given
    ]
    return [
        Problem(
            file,
            f"{NAMESPACE}:{key}",
            "not applied by this version yet: `pulumi up` would leave the tenant's consent rules "
            f"as they are (`entra-consent plan` shows what it will set; {remedy} to deploy the "
            "rest; docs/user-consent.md)",
        )
        for key, remedy in asked
    ]


def budget_problems(policy: UserConsentPolicy, others_used: int, file: str) -> list[Problem]:
    """The tenant's budget of condition-set ids, checked before anything is written:
    `others_used` is what the tenant's other permission grant policies name (0 offline)."""
    total = policy.ids_used + others_used
    if total <= ID_BUDGET:
        return []
    others = f" and the tenant's other policies name {others_used}" if others_used else ""
    return [
        Problem(
            file,
            USER_CONSENT_KEY,
            f"the stack's permission grant policy names {policy.ids_used} client app ids"
            f"{others}: {total} in all, beyond the tenant's budget of about {ID_BUDGET} (enable "
            "fewer apps for user consent, or set user_consent to none and let admins consent "
            "through the workflow)",
        )
    ]
