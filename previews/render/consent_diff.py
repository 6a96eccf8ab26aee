"""From a preview digest to the consent it changes: grants, assignments and service principals
per app, API and target, mapped back through the names and types of components/core/naming.py
and checked against the catalogue's app and API keys. Consent resources it cannot map (by type)
and resources of other types are kept, described from their parent component and properties
(previews/render/consent_unmapped.py); steps whose operation it does not know are listed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Literal

from catalog.catalogue import Catalogue
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    PROVIDER_TYPE_PREFIX,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
    STACK_TYPE,
    assignment_name,
    enterprise_app_name,
    grant_name,
    service_principal_name,
    split_urn,
)
from components.core.target import TENANT, Target
from previews.render.consent_changes import (
    Action,
    AssignmentChange,
    ConsentDiff,
    GrantChange,
    NotUnderstood,
    Scopes,
    ServicePrincipalChange,
    Violation,
)
from previews.render.consent_unmapped import (
    Merged,
    grant_target,
    note_principal,
    note_service_principal,
    note_stack_outputs,
    sign_in_settings,
    unmapped,
    value,
)
from previews.render.digest import (
    SECRET,
    UNKNOWN,
    PolicyEvent,
    PreviewDigest,
    PreviewStep,
    ResourceState,
)
from previews.render.option_changes import option_changes, sames_hidden

_REPLACE_OPS = {"replace", "create-replacement", "delete-replaced", "import-replacement"}
_OPS: dict[str, Action] = {op: op for op in ("create", "update", "delete", "import")}
# Steps that change nothing in the tenant, or only the stack's view of it.
_SILENT_OPS = {"same", "read", "read-replacement", "refresh"}
# A read resource the program no longer reads, dropped from the stack: silent for a read
# (external) resource; of a managed one the diff cannot say what it means.
_DISCARD_OPS = {"discard", "discard-replaced"}
# The project's own components: their children are the consent resources.
_COMPONENT_TYPES = {ENTERPRISE_APP_TYPE, RESOURCE_API_TYPE}
_PRINCIPAL_KINDS: tuple[Literal["user", "group"], ...] = ("user", "group")


class _Names:
    """Resource names -> catalogue keys, derived with components/core/naming.py (computed once per
    app and API, then looked up)."""

    def __init__(self, apps: Iterable[str], apis: Iterable[str]) -> None:
        # Longest key first: one key may be a prefix of another.
        self.apps = sorted(apps, key=lambda k: (-len(k), k))
        self.apis = sorted(apis, key=lambda k: (-len(k), k))
        self._components = {enterprise_app_name(a): a for a in self.apps}
        self._grant_prefixes = {
            app: [
                (api, grant_name(app, api, TENANT), grant_name(app, api, Target("user", "")))
                for api in self.apis
            ]
            for app in self.apps
        }
        self._assignment_prefixes = {
            app: [(kind, assignment_name(app, Target(kind, ""))) for kind in _PRINCIPAL_KINDS]
            for app in self.apps
        }

    def app_of(self, parent: str | None, matches: Callable[[str], bool]) -> str | None:
        """The app whose component is `parent`, else the first app whose names `matches`."""
        if parent:
            found = self._components.get(split_urn(parent)[1])
            if found is not None and matches(found):
                return found
        return next((a for a in self.apps if matches(a)), None)

    def grant_target(self, app: str, name: str) -> tuple[str, Target] | None:
        for api, tenant_name, user_prefix in self._grant_prefixes.get(app, ()):
            if name == tenant_name:
                return api, TENANT
            if name.startswith(user_prefix) and len(name) > len(user_prefix):
                return api, Target("user", name[len(user_prefix) :])
        return None

    def assignment_target(self, app: str, name: str) -> Target | None:
        for kind, prefix in self._assignment_prefixes.get(app, ()):
            if name.startswith(prefix) and len(name) > len(prefix):
                return Target(kind, name[len(prefix) :])
        return None


def _action(ops: list[str]) -> Action | None:
    if any(op in _REPLACE_OPS for op in ops):
        return "replace"
    return next((_OPS[op] for op in ops if op in _OPS), None)


def _understood(step: PreviewStep) -> bool:
    if step.op in _OPS or step.op in _REPLACE_OPS or step.op in _SILENT_OPS:
        return True
    return step.op in _DISCARD_OPS and bool(step.old_state and step.old_state.external)


def consent_diff(
    digest: PreviewDigest,
    catalogue: Catalogue,
    policy_events: Iterable[PolicyEvent] | None = None,
) -> ConsentDiff:
    """`policy_events` None: no event log (the policy pack's verdict is not known); an empty
    list: an event log without violations."""
    names = _Names(catalogue.apps, catalogue.apis)
    merged: dict[str, Merged] = {}
    out = ConsentDiff(policy_checked=policy_events is not None)
    sp_names: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for step in digest.steps or ():
        if not _understood(step):
            out.not_understood.append(NotUnderstood(step.op, step.urn))
            continue
        state = step.new_state or step.old_state
        typ = state.type if state and state.type else split_urn(step.urn)[0]
        if typ == STACK_TYPE:
            note_stack_outputs(step.old_state, out.upns, sp_names)
            note_stack_outputs(step.new_state, out.upns, sp_names)
            continue
        if typ == ASSIGNMENT_TYPE:
            note_principal(out.users, kinds, step.old_state)
            note_principal(out.users, kinds, step.new_state)
        elif typ == SERVICE_PRINCIPAL_TYPE:
            note_service_principal(sp_names, step.old_state)
        if (
            step.op in _SILENT_OPS
            or step.op in _DISCARD_OPS
            or typ in _COMPONENT_TYPES
            or typ.startswith(PROVIDER_TYPE_PREFIX)
        ):
            continue
        found = merged.get(step.urn)
        if found is None:
            found = merged[step.urn] = Merged(step.urn)
        found.add(step)

    for resource in merged.values():
        action = _action(resource.ops)
        if action is None:
            continue
        mapped = _mapped(names, resource, action)
        if mapped is None:
            out.unmapped.append(unmapped(resource, action, sp_names, kinds))
        elif isinstance(mapped, GrantChange):
            out.grants.append(mapped)
        elif isinstance(mapped, AssignmentChange):
            out.assignments.append(mapped)
        else:
            out.service_principals.append(mapped)

    out.options = option_changes(digest.steps or ())
    out.sames_hidden = sames_hidden(digest)
    _add_violations(out, names, policy_events or ())
    for diag in digest.diagnostics or ():
        if diag.severity in ("warning", "error"):
            message = diag.message.strip().removeprefix(f"{diag.severity}: ").strip()
            out.diagnostics.append((diag.severity, message))
    out.grants.sort(key=lambda c: (c.app, c.api, c.target.sort_key(), c.action))
    out.assignments.sort(key=lambda c: (c.app, c.principal.sort_key(), c.action))
    out.service_principals.sort(key=lambda c: c.app)
    out.unmapped.sort(key=lambda c: (c.kind, c.urn))
    return out


def _mapped(
    names: _Names, res: Merged, action: Action
) -> GrantChange | AssignmentChange | ServicePrincipalChange | None:
    _, name = split_urn(res.urn)
    typ = res.type
    if typ == SERVICE_PRINCIPAL_TYPE:
        app = names.app_of(res.parent, partial(_is_service_principal, name))
        if app is None:
            return None
        return ServicePrincipalChange(
            app,
            action,
            res.changed(),
            res.retained,
            res.urn,
            properties=res.properties(action),
            settings=sign_in_settings(res, action),
        )
    if typ == GRANT_TYPE:
        return _grant_change(names, res, action, name)
    if typ == ASSIGNMENT_TYPE:
        return _assignment_change(names, res, action, name)
    return None


def _add_violations(out: ConsentDiff, names: _Names, events: Iterable[PolicyEvent]) -> None:
    apps_by_urn = {c.urn: c.app for c in out.grants}
    apps_by_urn.update((c.urn, c.app) for c in out.assignments)
    apps_by_urn.update((c.urn, c.app) for c in out.service_principals)
    for event in events:
        urn = event.resource_urn or None
        app = apps_by_urn.get(urn or "")
        if app is None and urn:
            name = split_urn(urn)[1]
            app = names.app_of(None, partial(_is_child, name))
        out.violations.append(
            Violation(
                policy=event.policy_name,
                pack=event.policy_pack_name,
                level=event.enforcement_level or "mandatory",
                message=event.message.strip(),
                app=app,
                resource=split_urn(urn)[1] if urn else None,
            )
        )


def _is_service_principal(name: str, app: str) -> bool:
    return service_principal_name(app) == name


def _is_child(name: str, app: str) -> bool:
    return name.startswith(f"{enterprise_app_name(app)}-")


def _grant_change(names: _Names, res: Merged, action: Action, name: str) -> GrantChange | None:
    app = names.app_of(res.parent, lambda a: names.grant_target(a, name) is not None)
    found = names.grant_target(app, name) if app else None
    if app is None or found is None:
        return None
    api, named_target = found
    old = Scopes.of(value(res.old, "claimValues")) if res.old else None
    new = Scopes.of(value(res.new, "claimValues")) if res.new and action != "delete" else None
    target = _grant_target(res.new if action != "delete" else res.old, named_target)
    old_target = None
    if action == "replace" and res.old is not None:
        before = _grant_target(res.old, named_target)
        if before != target:
            old_target = before
    return GrantChange(
        app=app,
        api=api,
        action=action,
        target=target,
        old=old,
        new=new,
        old_target=old_target,
        changed_properties=res.changed(),
        urn=res.urn,
        retained=res.retained,
        in_tenant=res.imported_scopes() if action == "import" else None,
    )


def _grant_target(state: ResourceState | None, named: Target) -> Target:
    """The values' target, never the name's (the name only for a step with no state at all):
    no user is tenant-wide, an unknown one may be."""
    return grant_target(value(state, "userObjectId") if state is not None else named.ref or None)


def _assignment_change(
    names: _Names, res: Merged, action: Action, name: str
) -> AssignmentChange | None:
    app = names.app_of(res.parent, lambda a: names.assignment_target(a, name) is not None)
    named = names.assignment_target(app, name) if app else None
    if app is None or named is None:
        return None
    state = res.new if action != "delete" else res.old
    principal = value(state, "principalObjectId")
    if isinstance(principal, str) and principal not in ("", SECRET, UNKNOWN):
        named = Target(named.kind, principal.lower())
    role = value(state, "appRoleId")
    return AssignmentChange(app, action, named, str(role or ""), res.urn)
