"""From a preview digest to the consent it changes: grants, assignments and service principals
per app, API and target. Resources are mapped back to apps, APIs and users through the names
and types in `components/naming.py`, checked against the catalogue's app and API keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from catalog.catalogue import Catalogue
from components.naming import (
    ASSIGNMENT_TYPE,
    GRANT_TYPE,
    SERVICE_PRINCIPAL_TYPE,
    assignment_name,
    enterprise_app_name,
    grant_name,
    service_principal_name,
)
from components.planner import TENANT, Target
from previews.digest import SECRET, UNKNOWN, PolicyEvent, PreviewDigest, PreviewStep, ResourceState

# import: a resource the tenant already has, adopted into the stack (no change in the tenant).
Action = Literal["create", "import", "update", "replace", "delete"]
ACTIONS: tuple[Action, ...] = ("create", "import", "update", "replace", "delete")
_REPLACE_OPS = {"replace", "create-replacement", "delete-replaced"}
_OPS: dict[str, Action] = {"create": "create", "update": "update", "delete": "delete"}
# Steps that change nothing in the tenant, or only the stack's view of it.
_SILENT_OPS = {"same", "read", "read-replacement", "refresh", "discard", "discard-replaced"}
STACK_TYPE = "pulumi:pulumi:Stack"
_PRINCIPAL_KINDS: tuple[Literal["user", "group"], ...] = ("user", "group")


@dataclass(frozen=True)
class Scopes:
    """Scopes of one grant state: known, hidden as a secret, or not known until apply."""

    values: frozenset[str] = frozenset()
    hidden: bool = False

    @classmethod
    def of(cls, value: Any) -> Scopes:
        if value is None:
            return cls()
        # Masked (SECRET) or not known until apply (UNKNOWN): the whole value or one element.
        if not isinstance(value, list) or SECRET in value or UNKNOWN in value:
            return cls(hidden=True)
        return cls(frozenset(str(v) for v in value))


@dataclass(frozen=True)
class GrantChange:
    app: str
    api: str
    action: Action
    target: Target  # after the change (before it, for a delete)
    old: Scopes | None
    new: Scopes | None
    old_target: Target | None = None  # a replace that moves the grant to another user
    changed_properties: tuple[str, ...] = ()
    urn: str = ""

    @property
    def added(self) -> frozenset[str]:
        if self.new is None or self.action == "import":
            return frozenset()
        return self.new.values - (self.old.values if self.old else frozenset())

    @property
    def removed(self) -> frozenset[str]:
        if self.old is None:
            return frozenset()
        if self.action == "delete":
            return self.old.values
        return self.old.values - (self.new.values if self.new else frozenset())

    @property
    def revokes(self) -> bool:
        """Someone loses access: a deleted grant, removed scopes, or a grant moved away."""
        return self.action == "delete" or bool(self.removed) or self.old_target is not None

    @property
    def hidden(self) -> bool:
        return bool((self.old and self.old.hidden) or (self.new and self.new.hidden))


@dataclass(frozen=True)
class AssignmentChange:
    app: str
    action: Action
    principal: Target
    app_role_id: str
    urn: str = ""


@dataclass(frozen=True)
class ServicePrincipalChange:
    app: str
    action: Action
    changed_properties: tuple[str, ...]
    retained: bool
    urn: str = ""


@dataclass(frozen=True)
class Violation:
    policy: str
    pack: str
    level: str
    message: str
    app: str | None
    resource: str | None

    @property
    def mandatory(self) -> bool:
        # A remediation the engine could not apply is reported as mandatory too.
        return self.level.lower() in {"mandatory", "remediate"}


@dataclass
class ConsentDiff:
    grants: list[GrantChange] = field(default_factory=list)
    assignments: list[AssignmentChange] = field(default_factory=list)
    service_principals: list[ServicePrincipalChange] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    diagnostics: list[tuple[str, str]] = field(default_factory=list)  # (severity, message)
    users: dict[str, str] = field(default_factory=dict)  # object id -> UPN or display name
    # (groups too: an assignment's principalDisplayName names its group)
    unmapped: list[str] = field(default_factory=list)  # consent resources not recognised

    @property
    def empty(self) -> bool:
        return not (self.grants or self.assignments or self.service_principals)

    def apps(self) -> list[str]:
        keys = {c.app for c in self.grants}
        keys.update(c.app for c in self.assignments)
        keys.update(c.app for c in self.service_principals)
        return sorted(keys)


def split_urn(urn: str) -> tuple[str, str]:
    """`urn:pulumi:stack::project::parent$type::name` -> (type, name)."""
    parts = urn.split("::", 3)
    if len(parts) < 4:
        return "", urn
    return parts[2].rsplit("$", 1)[-1], parts[3]


def _value(state: ResourceState | None, key: str) -> Any:
    if state is None:
        return None
    if key in state.inputs:
        return state.inputs[key]
    return state.outputs.get(key)


class _Names:
    """Resource names -> catalogue keys, derived with components/naming.py (computed once per
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


@dataclass
class _Merged:
    """All steps of one resource (a replacement has up to three)."""

    urn: str
    ops: list[str] = field(default_factory=list)
    old: ResourceState | None = None
    new: ResourceState | None = None
    reasons: set[str] = field(default_factory=set)
    detailed: dict[str, str] = field(default_factory=dict)

    def add(self, step: PreviewStep) -> None:
        self.ops.append(step.op)
        self.old = self.old or step.old_state
        self.new = self.new or step.new_state
        self.reasons.update(step.diff_reasons or ())
        self.reasons.update(step.replace_reasons or ())
        for path, diff in (step.detailed_diff or {}).items():
            self.detailed[path] = diff.kind

    @property
    def action(self) -> Action | None:
        if any(op in _REPLACE_OPS for op in self.ops):
            return "replace"
        for op in self.ops:
            if op in _OPS:
                return _OPS[op]
            if op == "import":
                return "import"
            if op == "import-replacement":
                return "replace"
        return None

    @property
    def type(self) -> str:
        state = self.new or self.old
        return state.type if state and state.type else split_urn(self.urn)[0]

    @property
    def parent(self) -> str | None:
        state = self.new or self.old
        return state.parent if state else None

    def changed(self) -> tuple[str, ...]:
        keys = set(self.reasons)
        keys.update(path.split("[", 1)[0].split(".", 1)[0] for path in self.detailed)
        return tuple(sorted(keys))


def consent_diff(
    digest: PreviewDigest,
    catalogue: Catalogue,
    policy_events: Iterable[PolicyEvent] = (),
) -> ConsentDiff:
    names = _Names(catalogue.apps, catalogue.apis)
    merged: dict[str, _Merged] = {}
    out = ConsentDiff()
    for step in digest.steps or ():
        state = step.new_state or step.old_state
        typ = state.type if state and state.type else split_urn(step.urn)[0]
        if typ == STACK_TYPE:
            for s in (step.old_state, step.new_state):
                out.users.update(_stack_users(s))
            continue
        if typ == ASSIGNMENT_TYPE:
            _note_display_name(out.users, step.old_state)
            _note_display_name(out.users, step.new_state)
        if step.op in _SILENT_OPS or typ not in (
            SERVICE_PRINCIPAL_TYPE,
            GRANT_TYPE,
            ASSIGNMENT_TYPE,
        ):
            continue
        merged.setdefault(step.urn, _Merged(step.urn)).add(step)

    for resource in merged.values():
        action = resource.action
        if action is None:
            continue
        _, name = split_urn(resource.urn)
        if resource.type == SERVICE_PRINCIPAL_TYPE:
            app = names.app_of(resource.parent, partial(_is_service_principal, name))
            if app is None:
                out.unmapped.append(resource.urn)
                continue
            retained = bool(resource.old and resource.old.retain_on_delete) or bool(
                resource.new and resource.new.retain_on_delete
            )
            out.service_principals.append(
                ServicePrincipalChange(app, action, resource.changed(), retained, resource.urn)
            )
        elif resource.type == GRANT_TYPE:
            change = _grant_change(names, resource, action, name)
            if change is None:
                out.unmapped.append(resource.urn)
            else:
                out.grants.append(change)
        else:
            change_a = _assignment_change(names, resource, action, name)
            if change_a is None:
                out.unmapped.append(resource.urn)
            else:
                out.assignments.append(change_a)

    apps_by_urn = {c.urn: c.app for c in out.grants}
    apps_by_urn.update((c.urn, c.app) for c in out.assignments)
    apps_by_urn.update((c.urn, c.app) for c in out.service_principals)
    for event in policy_events:
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
    for diag in digest.diagnostics or ():
        if diag.severity in ("warning", "error"):
            message = diag.message.strip().removeprefix(f"{diag.severity}: ").strip()
            out.diagnostics.append((diag.severity, message))
    out.grants.sort(key=lambda c: (c.app, c.api, c.target.sort_key(), c.action))
    out.assignments.sort(key=lambda c: (c.app, c.principal.sort_key(), c.action))
    out.service_principals.sort(key=lambda c: c.app)
    out.unmapped.sort()
    return out


def _is_service_principal(name: str, app: str) -> bool:
    return service_principal_name(app) == name


def _is_child(name: str, app: str) -> bool:
    return name.startswith(f"{enterprise_app_name(app)}-")


def _grant_change(names: _Names, res: _Merged, action: Action, name: str) -> GrantChange | None:
    app = names.app_of(res.parent, lambda a: names.grant_target(a, name) is not None)
    found = names.grant_target(app, name) if app else None
    if app is None or found is None:
        return None
    api, named_target = found
    old = Scopes.of(_value(res.old, "claimValues")) if res.old else None
    new = Scopes.of(_value(res.new, "claimValues")) if res.new and action != "delete" else None
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
    )


def _grant_target(state: ResourceState | None, named: Target) -> Target:
    if named.kind == "tenant":
        return TENANT
    user = _value(state, "userObjectId")
    if isinstance(user, str) and user and user not in (SECRET, UNKNOWN):
        return Target("user", user.lower())
    return named


def _assignment_change(
    names: _Names, res: _Merged, action: Action, name: str
) -> AssignmentChange | None:
    app = names.app_of(res.parent, lambda a: names.assignment_target(a, name) is not None)
    named = names.assignment_target(app, name) if app else None
    if app is None or named is None:
        return None
    state = res.new if action != "delete" else res.old
    principal = _value(state, "principalObjectId")
    if isinstance(principal, str) and principal not in ("", SECRET, UNKNOWN):
        named = Target(named.kind, principal.lower())
    role = _value(state, "appRoleId")
    return AssignmentChange(app, action, named, str(role or ""), res.urn)


def _stack_users(state: ResourceState | None) -> dict[str, str]:
    """An optional stack output `users` (object id -> UPN) names the users in the diff."""
    if state is None:
        return {}
    users = state.outputs.get("users")
    if not isinstance(users, Mapping):
        return {}
    return {str(k).lower(): str(v) for k, v in users.items() if isinstance(v, str) and v != SECRET}


def _note_display_name(users: dict[str, str], state: ResourceState | None) -> None:
    if state is None or state.outputs.get("principalType") not in ("User", "Group"):
        return
    oid, display = state.outputs.get("principalObjectId"), state.outputs.get("principalDisplayName")
    if isinstance(oid, str) and isinstance(display, str) and display and display != SECRET:
        users.setdefault(oid.lower(), display)
