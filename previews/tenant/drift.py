"""The tenant compared with the stack's plan: what matches, what differs, what is missing, what
the stack does not manage. Pure: planning is the planner's (`plan_consent` on the principals
the tenant resolves), names are `components.core.naming`'s."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import Field

from catalog.catalogue import Catalogue
from catalog.strict import Strict
from components.core.kept_fields import ENTERPRISE_TAG, HIDE_TAG
from components.core.naming import assignment_name, grant_name, service_principal_name
from components.core.planner import AppPlan, ConsentPlan, plan_consent
from components.core.principals import missing_principal_problems
from components.core.settings import NAMESPACE, StackSettings
from components.core.target import TENANT, Target
from previews.tenant.discover_tenant import (
    AssignmentRecord,
    GrantRecord,
    ServicePrincipalRecord,
    TenantSnapshot,
)

GrantStatus = Literal["match", "drifted", "missing", "unmanaged"]
AssignmentStatus = Literal["match", "missing", "unmanaged"]
SpStatus = Literal["present", "drifted", "missing", "not_in_stack"]


class GrantEntry(Strict):
    status: GrantStatus
    app: str = Field(description="Catalogue app key.")
    client_id: str
    api: str = Field(description="Catalogue API key, or the resource's appId outside it.")
    api_display_name: str
    target: str = Field(description="'tenant' or 'user:<object id>'.")
    user: str | None = Field(default=None, description="UPN of the target user, when known.")
    planned_scopes: list[str] = Field(default_factory=list)
    tenant_scopes: list[str] = Field(default_factory=list)
    extra_scopes: list[str] = Field(
        default_factory=list, description="In the tenant, not in the plan."
    )
    fewer_scopes: list[str] = Field(
        default_factory=list, description="In the plan, not in the tenant."
    )
    grant_id: str | None = None
    resource: str | None = Field(default=None, description="Pulumi name the stack registers.")
    note: str = ""


class AssignmentEntry(Strict):
    status: AssignmentStatus
    app: str
    principal: str = Field(description="'user:<id>', 'group:<id>' or '<type>:<id>'.")
    principal_name: str | None = None
    app_role_id: str
    assignment_id: str | None = None
    resource: str | None = None
    note: str = ""


class SettingDifference(Strict):
    setting: str
    planned: Any
    tenant: Any


class ServicePrincipalEntry(Strict):
    status: SpStatus
    app: str
    client_id: str
    display_name: str
    object_id: str | None = None
    resource: str | None = None
    differences: list[SettingDifference] = Field(default_factory=list)


class DriftReport(Strict):
    stack: str
    tenant_id: str | None
    graph_url: str
    read_at: str
    in_sync: bool
    counts: dict[str, dict[str, int]]
    service_principals: list[ServicePrincipalEntry]
    grants: list[GrantEntry]
    assignments: list[AssignmentEntry]
    problems: list[str]


def _target_str(target: Target) -> str:
    return "tenant" if target == TENANT else f"{target.kind}:{target.ref}"


def _sp_differences(app: AppPlan, sp: ServicePrincipalRecord) -> list[SettingDifference]:
    s = app.settings
    checks: list[tuple[str, Any, Any]] = [
        ("app_role_assignment_required", s.assignment_required, sp.app_role_assignment_required),
        ("enterprise tag", True, ENTERPRISE_TAG in sp.tags),
        ("hide", s.hide, HIDE_TAG in sp.tags),
        ("notes", s.notes or None, sp.notes or None),
    ]
    return [SettingDifference(setting=k, planned=p, tenant=t) for k, p, t in checks if p != t]


class _Comparison:
    def __init__(
        self,
        catalogue: Catalogue,
        settings: StackSettings,
        snapshot: TenantSnapshot,
        plan: ConsentPlan,
    ) -> None:
        self.catalogue, self.settings, self.snapshot, self.plan = (
            catalogue,
            settings,
            snapshot,
            plan,
        )
        self.stack_apps = {a.key: a for a in plan.apps}
        self.sp_by_id = {s.id: s for s in snapshot.service_principals}
        self.app_by_sp: dict[str, str] = {}
        for key, app in catalogue.apps.items():
            sp = snapshot.service_principal(app.client_id)
            if sp is not None:
                self.app_by_sp[sp.id] = key
        self.api_by_sp: dict[str, str] = {}
        for key, api in catalogue.apis.items():
            sp = snapshot.service_principal(api.app_id)
            if sp is not None:
                self.api_by_sp[sp.id] = key
        self.upns = {u.id: u.user_principal_name for u in snapshot.users}
        self.groups = {g.id: g.display_name for g in snapshot.groups}
        principals = snapshot.principals()
        self.configured_users = {
            principals.users[r]
            for fs in settings.features.values()
            for r in (u.lower() for u in fs.users or [])
            if r in principals.users
        }
        for group in principals.groups.values():
            self.configured_users |= group.user_ids

    def _api_label(self, api: str) -> str:
        found = self.catalogue.apis.get(api)
        return found.display_name if found else api

    def grants(self) -> list[GrantEntry]:
        planned = {(g.app, g.api, g.target): g for g in self.plan.grants}
        found: dict[tuple[str, str, Target], GrantRecord] = {}
        entries: list[GrantEntry] = []
        for rec in self.snapshot.grants:
            app = self.app_by_sp.get(rec.client_id)
            if app is None:
                continue
            api = self.api_by_sp.get(rec.resource_id)
            target = (
                TENANT
                if rec.consent_type == "AllPrincipals"
                else Target("user", rec.principal_id or "")
            )
            key = (app, api or "", target)
            if api is not None and key in planned and key not in found:
                found[key] = rec
                continue
            entries.append(self._unmanaged_grant(rec, app, api, target, key in found))
        for key, grant in planned.items():
            app, api, target = key
            match = found.get(key)
            common = {
                "app": app,
                "client_id": self.stack_apps[app].client_id,
                "api": api,
                "api_display_name": self._api_label(api),
                "target": _target_str(target),
                "user": self.upns.get(target.ref) if target.kind == "user" else None,
                "planned_scopes": list(grant.scopes),
                "resource": grant_name(app, api, target),
            }
            if match is None:
                note = "" if self._app_sp(app) else "service principal does not exist yet"
                entries.append(GrantEntry(status="missing", note=note, **common))
                continue
            tenant = match.scopes()
            extra = sorted(set(tenant) - set(grant.scopes))
            fewer = sorted(set(grant.scopes) - set(tenant))
            entries.append(
                GrantEntry(
                    status="drifted" if extra or fewer else "match",
                    tenant_scopes=list(tenant),
                    extra_scopes=extra,
                    fewer_scopes=fewer,
                    grant_id=match.id,
                    **common,
                )
            )
        order = {"drifted": 0, "missing": 1, "unmanaged": 2, "match": 3}
        return sorted(
            entries,
            key=lambda e: (order[e.status], e.app, e.api, e.target != "tenant", e.user or e.target),
        )

    def _app_sp(self, app: str) -> ServicePrincipalRecord | None:
        return self.snapshot.service_principal(self.catalogue.apps[app].client_id)

    def _unmanaged_grant(
        self, rec: GrantRecord, app: str, api: str | None, target: Target, duplicate: bool
    ) -> GrantEntry:
        resource = self.sp_by_id.get(rec.resource_id)
        if api is None:
            label = resource.display_name if resource and resource.display_name else rec.resource_id
            api_key = resource.app_id if resource else rec.resource_id
            note = f"API {label} is not in the catalogue"
        else:
            label, api_key = self._api_label(api), api
            if app not in self.stack_apps:
                note = f"app {app} has no feature enabled in this stack"
            elif duplicate:
                note = "another grant has the same client, API and target"
            elif target == TENANT:
                note = "the stack declares no tenant-wide grant for this app and API"
            elif target.ref in self.configured_users:
                note = "the plan declares no per-user grant here (a tenant-wide grant covers it, or the user is configured for other features)"
            else:
                note = "user is not in the stack's config"
        return GrantEntry(
            status="unmanaged",
            app=app,
            client_id=self.catalogue.apps[app].client_id,
            api=api_key,
            api_display_name=label,
            target=_target_str(target),
            user=self.upns.get(target.ref) if target.kind == "user" else None,
            tenant_scopes=list(rec.scopes()),
            grant_id=rec.id,
            note=note,
        )

    def assignments(self) -> list[AssignmentEntry]:
        planned = {(a.app, a.principal.ref, a.app_role_id): a for a in self.plan.assignments}
        planned_roles: dict[tuple[str, str], str] = {
            (a.app, a.principal.ref): a.app_role_id for a in self.plan.assignments
        }
        found: dict[tuple[str, str, str], AssignmentRecord] = {}
        entries: list[AssignmentEntry] = []
        for rec in self.snapshot.assignments:
            app = self.app_by_sp.get(rec.resource_id)
            if app is None:
                continue
            key = (app, rec.principal_id, rec.app_role_id)
            if key in planned and key not in found:
                found[key] = rec
                continue
            if app not in self.stack_apps:
                note = f"app {app} has no feature enabled in this stack"
            elif rec.principal_type not in ("User", "Group"):
                note = f"assigned to a {rec.principal_type or 'non-user'} principal"
            elif (app, rec.principal_id) in planned_roles:
                note = f"role differs from the plan's ({planned_roles[(app, rec.principal_id)]})"
            else:
                note = "principal is not assigned by the stack's config"
            entries.append(
                AssignmentEntry(
                    status="unmanaged",
                    app=app,
                    principal=f"{rec.principal_type.lower() or 'principal'}:{rec.principal_id}",
                    principal_name=rec.principal_display_name,
                    app_role_id=rec.app_role_id,
                    assignment_id=rec.id,
                    note=note,
                )
            )
        for key, assignment in planned.items():
            app, _, role = key
            existing = found.get(key)
            name = self._principal_name(assignment.principal)
            common = {
                "app": app,
                "principal": _target_str(assignment.principal),
                "app_role_id": role,
                "resource": assignment_name(app, assignment.principal),
            }
            if existing is None:
                note = "" if self._app_sp(app) else "service principal does not exist yet"
                entries.append(
                    AssignmentEntry(status="missing", principal_name=name, note=note, **common)
                )
            else:
                entries.append(
                    AssignmentEntry(
                        status="match",
                        principal_name=existing.principal_display_name or name,
                        assignment_id=existing.id,
                        **common,
                    )
                )
        order = {"missing": 0, "unmanaged": 1, "match": 2}
        return sorted(entries, key=lambda e: (order[e.status], e.app, e.principal))

    def _principal_name(self, principal: Target) -> str | None:
        if principal.kind == "user":
            return self.upns.get(principal.ref)
        return self.groups.get(principal.ref)

    def service_principals(self) -> list[ServicePrincipalEntry]:
        entries = []
        for key in sorted(self.catalogue.apps):
            app = self.catalogue.apps[key]
            sp = self.snapshot.service_principal(app.client_id)
            planned = self.stack_apps.get(key)
            if planned is None:
                if sp is not None:
                    entries.append(
                        ServicePrincipalEntry(
                            status="not_in_stack",
                            app=key,
                            client_id=app.client_id,
                            display_name=sp.display_name or app.entry.display_name,
                            object_id=sp.id,
                        )
                    )
                continue
            differences = _sp_differences(planned, sp) if sp else []
            status: SpStatus = "missing" if sp is None else "drifted" if differences else "present"
            entries.append(
                ServicePrincipalEntry(
                    status=status,
                    app=key,
                    client_id=app.client_id,
                    display_name=sp.display_name
                    if sp and sp.display_name
                    else app.entry.display_name,
                    object_id=sp.id if sp else None,
                    resource=service_principal_name(key),
                    differences=differences,
                )
            )
        return entries


def compare(
    catalogue: Catalogue,
    settings: StackSettings,
    snapshot: TenantSnapshot,
    stack: str,
    file: str,
) -> DriftReport:
    """`settings` must have passed `load_stack`'s checks against `catalogue`."""
    principals = snapshot.principals()
    plan = plan_consent(catalogue, settings, principals)
    problems = list(snapshot.problems)
    missing = missing_principal_problems(settings, principals, file)
    problems.extend(str(p) for p in missing)
    if missing and settings.missing_principals == "fail":
        problems.append(
            f"{file}: {NAMESPACE}:missing_principals: is fail, so `pulumi preview` stops on the principals above (fix them first)"
        )
    for api in plan.apis():
        entry = catalogue.apis[api]
        if snapshot.service_principal(entry.app_id) is None:
            problems.append(
                f"tenant: {entry.display_name} (appId {entry.app_id}) has no service principal, so the program's look-up fails (ask an administrator to provision it)"
            )
    comparison = _Comparison(catalogue, settings, snapshot, plan)
    sps = comparison.service_principals()
    grants = comparison.grants()
    assignments = comparison.assignments()
    counts = {
        "service_principals": dict(sorted(Counter(s.status for s in sps).items())),
        "grants": dict(sorted(Counter(g.status for g in grants).items())),
        "assignments": dict(sorted(Counter(a.status for a in assignments).items())),
    }
    in_sync = (
        all(s.status in ("present", "not_in_stack") for s in sps)
        and all(g.status == "match" for g in grants)
        and all(a.status == "match" for a in assignments)
    )
    return DriftReport(
        stack=stack,
        tenant_id=snapshot.tenant_id,
        graph_url=snapshot.graph_url,
        read_at=snapshot.read_at,
        in_sync=in_sync,
        counts=counts,
        service_principals=sps,
        grants=grants,
        assignments=assignments,
        problems=problems,
    )
