"""The desired consent matrix of a stack (per app, API and target, the scopes), as a document.

Built from the planner's symbolic plan (no principals resolved): targets are the planner's own
`Target`s, the tenant, users as configured (UPN or object id) and groups by name, written as
`{"kind": ..., "ref": ...}` (`ref` empty for the tenant). Read back, a target with a key of its
own is refused like any other unknown key: a stdlib dataclass inside a pydantic model takes that
model's config (`extra="forbid"`). The same model is the `--format json` output of
`python -m previews plan`.
"""

from __future__ import annotations

from pydantic import Field

from catalog.catalogue import Catalogue
from catalog.guid import DEFAULT_APP_ROLE_ID
from catalog.strict import Strict
from components.core.planner import ConsentPlan
from components.core.settings import Consent, StackSettings
from components.core.target import Target
from previews.plan.who_may_consent import WhoMayConsent, who_may_consent


class ScopeInfo(Strict):
    name: str
    admin_consent_required: bool
    privilege_level: int | None = None


class TargetGrant(Strict):
    target: Target
    scopes: list[ScopeInfo]


class ApiGrants(Strict):
    api: str
    display_name: str
    targets: list[TargetGrant]


class AssignmentEntry(Strict):
    principal: Target
    app_role_id: str
    app_role: str | None = Field(default=None, description="Catalogue role key; null = default.")


class AppMatrix(Strict):
    key: str
    display_name: str
    client_id: str
    features: dict[str, Consent] = Field(description="Enabled feature -> consent mode.")
    service_principal_only: bool = Field(description="No grants and no assignments.")
    assignment_required: bool
    hide: bool
    notes: str | None
    apis: list[ApiGrants]
    assignments: list[AssignmentEntry]


class PlanDocument(Strict):
    """`python -m previews plan --format json`."""

    stack: str
    stack_file: str
    catalog: str
    apps: list[AppMatrix]
    who_may_consent: WhoMayConsent | None = Field(
        default=None, description="The tenant's consent rules the stack sets; null: none."
    )

    def app(self, key: str) -> AppMatrix | None:
        return next((a for a in self.apps if a.key == key), None)


def scope_info(catalogue: Catalogue, api: str, scope: str) -> ScopeInfo:
    published = catalogue.apis[api].scopes.get(scope)
    if published is None:  # the loader rejects such catalogues; kept total for safety
        return ScopeInfo(name=scope, admin_consent_required=False)
    return ScopeInfo(
        name=scope,
        admin_consent_required=published.admin_consent_required,
        privilege_level=published.privilege_level,
    )


def build_matrix(
    stack: str, stack_file: str, catalogue: Catalogue, settings: StackSettings, plan: ConsentPlan
) -> PlanDocument:
    apps = []
    # One ScopeInfo per API and scope, shared (the models are frozen), and the per-target models
    # built without validation from the planner's already checked values: a stack naming
    # 100,000 users would otherwise validate a model per user and scope (most of plan's time).
    infos: dict[tuple[str, str], ScopeInfo] = {}

    def info(api: str, scope: str) -> ScopeInfo:
        found = infos.get((api, scope))
        if found is None:
            found = infos[(api, scope)] = scope_info(catalogue, api, scope)
        return found

    for app in plan.apps:
        by_api: dict[str, list[TargetGrant]] = {}
        for grant in app.grants:
            by_api.setdefault(grant.api, []).append(
                TargetGrant.model_construct(
                    target=grant.target,
                    scopes=[info(grant.api, s) for s in grant.scopes],
                )
            )
        apis = [
            ApiGrants(
                api=api,
                display_name=catalogue.apis[api].display_name,
                targets=sorted(targets, key=lambda t: t.target.sort_key()),
            )
            for api, targets in sorted(by_api.items())
        ]
        role = app.settings.app_role
        assignments = [
            AssignmentEntry.model_construct(
                principal=a.principal,
                app_role_id=a.app_role_id,
                app_role=role if a.app_role_id != DEFAULT_APP_ROLE_ID else None,
            )
            for a in app.assignments
        ]
        apps.append(
            AppMatrix(
                key=app.key,
                display_name=app.display_name,
                client_id=app.client_id,
                features={f: settings.features[f].consent for f in app.features},
                service_principal_only=not apis and not assignments,
                assignment_required=app.settings.assignment_required,
                hide=app.settings.hide,
                notes=app.settings.notes,
                apis=apis,
                assignments=assignments,
            )
        )
    return PlanDocument(
        stack=stack,
        stack_file=stack_file,
        catalog=settings.catalog,
        apps=apps,
        who_may_consent=who_may_consent(stack, catalogue, settings, plan),
    )
