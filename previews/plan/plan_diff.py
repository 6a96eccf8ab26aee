"""The consent diff between two offline plans of one stack (at a git ref, and now): apps,
features, scopes per app, API and target, assignments and app settings. The same model is the
`plan --base REF --format json` output."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from catalog.strict import Strict
from components.core.settings import Consent
from components.core.target import TENANT, Target
from previews.plan.matrix import AppMatrix, AssignmentEntry, PlanDocument, ScopeInfo, TargetGrant
from previews.plan.who_may_consent import WhoMayConsent

Status = Literal["added", "removed", "changed"]


class FeatureChange(Strict):
    feature: str
    change: Literal["enabled", "disabled", "consent"]
    before: Consent | None = None
    after: Consent | None = None


class SettingChange(Strict):
    setting: str
    before: str | bool | None
    after: str | bool | None


class GrantDiff(Strict):
    api: str
    api_display_name: str
    target: Target
    status: Status = Field(description="added/removed: the whole target; changed: its scopes.")
    added: list[ScopeInfo]
    removed: list[ScopeInfo]
    reclassified: list[ScopeInfo] = Field(
        default_factory=list,
        description="Scopes granted before and after whose admin-consent flag or privilege level "
        "changed (an edited API file), with their new values.",
    )


class AssignmentDiff(Strict):
    principal: Target
    status: Literal["added", "removed"]
    app_role_id: str


class AppDiff(Strict):
    key: str
    display_name: str
    status: Status
    features: list[FeatureChange]
    settings: list[SettingChange]
    grants: list[GrantDiff]
    assignments: list[AssignmentDiff]


class CatalogueEffect(Strict):
    files_changed: list[str] = Field(description="Catalogue data files changed since the ref.")
    apps: list[AppDiff] | None = Field(
        description="What the catalogue change alone does to the stack's settings at the ref; "
        "null when those settings do not load with the new catalogue."
    )
    problems: list[str] = Field(default_factory=list)


class WhoMayConsentChange(Strict):
    """The tenant's consent rules the stack sets, before and after (null: it sets none)."""

    before: WhoMayConsent | None
    after: WhoMayConsent | None


class PlanDiffDocument(Strict):
    """`python -m previews plan --base REF --format json`."""

    stack: str
    base_ref: str
    base: Literal["planned", "no-stack-file", "invalid"]
    base_problems: list[str]
    apps: list[AppDiff]
    catalogue: CatalogueEffect | None
    who_may_consent: WhoMayConsentChange | None = Field(
        default=None, description="Set when what the stack says of who may consent changes."
    )


def diff_plans(before: PlanDocument | None, after: PlanDocument) -> list[AppDiff]:
    old = {a.key: a for a in before.apps} if before else {}
    new = {a.key: a for a in after.apps}
    out = []
    for key in sorted(old.keys() | new.keys()):
        found = _diff_app(old.get(key), new.get(key))
        if found is not None:
            out.append(found)
    return out


def _grants(app: AppMatrix | None) -> dict[tuple[str, Target], tuple[str, TargetGrant]]:
    if app is None:
        return {}
    return {(api.api, t.target): (api.display_name, t) for api in app.apis for t in api.targets}


def _assignments(app: AppMatrix | None) -> dict[Target, AssignmentEntry]:
    return {a.principal: a for a in app.assignments} if app else {}


def _diff_app(old: AppMatrix | None, new: AppMatrix | None) -> AppDiff | None:
    either = new or old
    assert either is not None
    features = _feature_changes(old.features if old else {}, new.features if new else {})
    settings = _setting_changes(old, new) if old and new else []
    if old and new and old.client_id != new.client_id:
        # Another app: every grant and assignment of the old client goes, the new client's come
        # (a catalogue change a pull request can make without touching a stack file).
        moved = _diff_app(old, None), _diff_app(None, new)
        return AppDiff(
            key=new.key,
            display_name=new.display_name,
            status="changed",
            features=features,
            settings=[
                SettingChange(setting="client_id", before=old.client_id, after=new.client_id),
                *settings,
            ],
            grants=[g for d in moved if d is not None for g in d.grants],
            assignments=[a for d in moved if d is not None for a in d.assignments],
        )
    grants: list[GrantDiff] = []
    before, after = _grants(old), _grants(new)
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], k[1].sort_key())):
        api_name, was = before.get(key, ("", None))
        api_name_new, now = after.get(key, ("", None))
        was_scopes = {s.name: s for s in was.scopes} if was else {}
        now_scopes = {s.name: s for s in now.scopes} if now else {}
        added = [now_scopes[n] for n in sorted(now_scopes.keys() - was_scopes.keys())]
        removed = [was_scopes[n] for n in sorted(was_scopes.keys() - now_scopes.keys())]
        kept = sorted(was_scopes.keys() & now_scopes.keys())
        reclassified = [now_scopes[n] for n in kept if now_scopes[n] != was_scopes[n]]
        if not added and not removed and not reclassified:
            continue
        status: Status = "changed" if was and now else ("added" if now else "removed")
        target = now.target if now else was.target if was else TENANT
        grants.append(
            GrantDiff(
                api=key[0],
                api_display_name=api_name_new or api_name,
                target=target,
                status=status,
                added=added,
                removed=removed,
                reclassified=reclassified,
            )
        )
    assignments: list[AssignmentDiff] = []
    a_before, a_after = _assignments(old), _assignments(new)
    for principal in sorted(a_before.keys() | a_after.keys(), key=Target.sort_key):
        was_a, now_a = a_before.get(principal), a_after.get(principal)
        if was_a is not None and (now_a is None or now_a.app_role_id != was_a.app_role_id):
            assignments.append(_assignment(was_a, "removed"))
        if now_a is not None and (was_a is None or now_a.app_role_id != was_a.app_role_id):
            assignments.append(_assignment(now_a, "added"))
    if not (features or settings or grants or assignments) and old and new:
        return None
    return AppDiff(
        key=either.key,
        display_name=either.display_name,
        status="changed" if old and new else ("added" if new else "removed"),
        features=features,
        settings=settings,
        grants=grants,
        assignments=assignments,
    )


def _assignment(entry: AssignmentEntry, status: Literal["added", "removed"]) -> AssignmentDiff:
    return AssignmentDiff(principal=entry.principal, status=status, app_role_id=entry.app_role_id)


def _feature_changes(old: dict[str, Consent], new: dict[str, Consent]) -> list[FeatureChange]:
    out = []
    for feature in sorted(old.keys() | new.keys()):
        before, after = old.get(feature), new.get(feature)
        if before == after:
            continue
        change: Literal["enabled", "disabled", "consent"] = (
            "consent" if before and after else ("enabled" if after else "disabled")
        )
        out.append(FeatureChange(feature=feature, change=change, before=before, after=after))
    return out


def _setting_changes(old: AppMatrix, new: AppMatrix) -> list[SettingChange]:
    out = []
    for name in ("assignment_required", "hide", "notes"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            out.append(SettingChange(setting=name, before=before, after=after))
    return out
