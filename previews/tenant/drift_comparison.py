"""The entries of the drift report, one section at a time: the tenant's service principals,
grants and assignments of the catalogue's apps against the plan of the stack, matched by app,
API and `Target` (by principal and role for assignments)."""

from __future__ import annotations

from typing import Any

from catalog.catalogue import Catalogue
from components.core.kept_fields import ENTERPRISE_TAG, HIDE_TAG
from components.core.naming import assignment_name, grant_name, service_principal_name
from components.core.planner import AppPlan, ConsentPlan
from components.core.settings import StackSettings
from components.core.target import TENANT, Target
from previews.tenant.discover_tenant import (
    AssignmentRecord,
    GrantRecord,
    ServicePrincipalRecord,
    TenantSnapshot,
)
from previews.tenant.drift_report import (
    AssignmentEntry,
    GrantEntry,
    ServicePrincipalEntry,
    SettingDifference,
    SpStatus,
)

_GRANT_STATUS_ORDER = {"drifted": 0, "missing": 1, "unmanaged": 2, "match": 3}


def _grant_order(item: tuple[Target, GrantEntry]) -> tuple[int, str, str, int, str]:
    """What differs first; then by app, API and target in `Target`'s order (tenant-wide first),
    users by UPN where it is known and by their `user:<object id>` where it is not."""
    target, entry = item
    rank = target.sort_key()[0]
    return (
        _GRANT_STATUS_ORDER[entry.status],
        entry.app,
        entry.api,
        rank,
        entry.user or str(target),
    )


def _sp_differences(app: AppPlan, sp: ServicePrincipalRecord) -> list[SettingDifference]:
    s = app.settings
    checks: list[tuple[str, Any, Any]] = [
        ("app_role_assignment_required", s.assignment_required, sp.app_role_assignment_required),
        ("enterprise tag", True, ENTERPRISE_TAG in sp.tags),
        ("hide", s.hide, HIDE_TAG in sp.tags),
        ("notes", s.notes or None, sp.notes or None),
    ]
    return [SettingDifference(setting=k, planned=p, tenant=t) for k, p, t in checks if p != t]


class Comparison:
    """One snapshot of the tenant against one plan, with the look-ups its sections share: which
    catalogue app or API each service principal is, and the names of users and groups."""

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
        entries: list[tuple[Target, GrantEntry]] = []
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
            entries.append((target, self._unmanaged_grant(rec, app, api, target, key in found)))
        for key, grant in planned.items():
            app, api, target = key
            match = found.get(key)
            common = {
                "app": app,
                "client_id": self.stack_apps[app].client_id,
                "api": api,
                "api_display_name": self._api_label(api),
                "target": str(target),
                "user": self.upns.get(target.ref) if target.kind == "user" else None,
                "planned_scopes": list(grant.scopes),
                "resource": grant_name(app, api, target),
            }
            if match is None:
                note = "" if self._app_sp(app) else "service principal does not exist yet"
                entries.append((target, GrantEntry(status="missing", note=note, **common)))
                continue
            tenant = match.scopes()
            extra = sorted(set(tenant) - set(grant.scopes))
            fewer = sorted(set(grant.scopes) - set(tenant))
            drifted = GrantEntry(
                status="drifted" if extra or fewer else "match",
                tenant_scopes=list(tenant),
                extra_scopes=extra,
                fewer_scopes=fewer,
                grant_id=match.id,
                **common,
            )
            entries.append((target, drifted))
        return [entry for _, entry in sorted(entries, key=_grant_order)]

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
            target=str(target),
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
                "principal": str(assignment.principal),
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
