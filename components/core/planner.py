"""The desired consent of a stack: pure, deterministic, keyed by identity only.

Without resolved principals the plan is symbolic (users and groups as configured), which is
what the offline plan shows; with them, groups become their user members (per-user grants)
and every target is an object id, which is what the components declare.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from catalog.catalogue import Catalogue, Feature
from components.core.principals import ResolvedPrincipals
from components.core.settings import AppSettings, FeatureSettings, StackSettings
from components.core.target import TENANT, Target


@dataclass(frozen=True)
class Grant:
    app: str
    api: str
    target: Target
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    app: str
    principal: Target
    app_role_id: str


@dataclass(frozen=True)
class AppPlan:
    key: str
    client_id: str
    display_name: str
    features: tuple[str, ...]
    settings: AppSettings
    grants: tuple[Grant, ...]
    assignments: tuple[Assignment, ...]


@dataclass(frozen=True)
class ConsentPlan:
    apps: tuple[AppPlan, ...]
    resolved: bool

    @property
    def grants(self) -> tuple[Grant, ...]:
        return tuple(g for a in self.apps for g in a.grants)

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        return tuple(s for a in self.apps for s in a.assignments)

    def apis(self) -> list[str]:
        return sorted({g.api for g in self.grants})


def _chosen_optional(feature: Feature, fs: FeatureSettings) -> frozenset[str]:
    if fs.optional_scopes == "all":
        return feature.optional_scopes()
    return frozenset(fs.optional_scopes or ())


def _users(fs: FeatureSettings, principals: ResolvedPrincipals | None) -> set[Target]:
    refs = [u.lower() for u in fs.users or []]
    if principals is None:
        return {Target("user", r) for r in refs}
    return {Target("user", principals.users[r]) for r in refs if r in principals.users}


def _grant_targets(fs: FeatureSettings, principals: ResolvedPrincipals | None) -> set[Target]:
    """Per-user grants: groups stand for their user members (Principal consent takes users)."""
    targets = _users(fs, principals)
    for group in fs.groups or []:
        if principals is None:
            targets.add(Target("group", group))
        elif group in principals.groups:
            targets.update(Target("user", m) for m in principals.groups[group].user_ids)
    return targets


def _assignment_targets(fs: FeatureSettings, principals: ResolvedPrincipals | None) -> set[Target]:
    """Assignments: groups are assigned as groups, one assignment each."""
    targets = _users(fs, principals)
    for group in fs.groups or []:
        if principals is None:
            targets.add(Target("group", group))
        elif group in principals.groups:
            targets.add(Target("group", principals.groups[group].object_id))
    return targets


def plan_consent(
    catalogue: Catalogue, settings: StackSettings, principals: ResolvedPrincipals | None = None
) -> ConsentPlan:
    """Settings must have passed `settings_problems`. References missing from `principals`
    are left out (the caller decides whether that is an error)."""
    scopes: dict[str, dict[tuple[str, Target], set[str]]] = defaultdict(lambda: defaultdict(set))
    assigned: dict[str, set[Target]] = defaultdict(set)
    features: dict[str, list[str]] = defaultdict(list)
    requires_assignment: set[str] = set()
    for key in sorted(settings.features):
        fs = settings.features[key]
        feature = catalogue.features[key]
        app = feature.app
        features[app].append(key)
        if fs.consent == "none":
            continue
        optional = _chosen_optional(feature, fs)
        tenant_wide = fs.consent in ("tenant", "assigned")
        targets = {TENANT} if tenant_wide else _grant_targets(fs, principals)
        if fs.consent == "assigned":
            requires_assignment.add(app)
        for api in feature.entry.grants:
            granted = feature.scopes(api, optional)
            for target in targets:
                scopes[app][(api, target)].update(granted)
        if fs.assigns:
            assigned[app].update(_assignment_targets(fs, principals))

    apps = []
    for app in sorted(features):
        entry = catalogue.apps[app].entry
        app_settings = settings.app_settings(app)
        if app in requires_assignment:  # `assigned`: sign-in only for the assigned principals
            app_settings = app_settings.model_copy(update={"assignment_required": True})
        role_id = catalogue.app_role_id(app, app_settings.app_role)
        grants = []
        app_scopes = scopes[app]
        for (api, target), wanted in app_scopes.items():
            if target != TENANT:
                wanted = wanted - app_scopes.get((api, TENANT), set())
            if wanted:
                grants.append(Grant(app, api, target, tuple(sorted(wanted))))
        grants.sort(key=lambda g: (g.api, g.target.sort_key()))
        assignments = tuple(
            Assignment(app, t, role_id) for t in sorted(assigned[app], key=Target.sort_key)
        )
        apps.append(
            AppPlan(
                key=app,
                client_id=entry.client_id,
                display_name=entry.display_name,
                features=tuple(features[app]),
                settings=app_settings,
                grants=tuple(grants),
                assignments=assignments,
            )
        )
    return ConsentPlan(apps=tuple(apps), resolved=principals is not None)
