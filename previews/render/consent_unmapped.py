"""What the consent diff reads from a resource's properties rather than its name: the changes of
a service principal's settings, resources it cannot map to the catalogue (described from their
type, parent component and properties), and the names the preview knows for object ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from components.core.access_powers import ROLE_PROPERTIES, gives, power_of
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    SERVICE_PRINCIPAL_TYPE,
    service_principal_name,
    split_urn,
)
from components.core.target import TENANT, UNKNOWN_TARGET, Target
from previews.render.consent_changes import Action, PropertyChange, Scopes, UnmappedChange
from previews.render.digest import SECRET, UNKNOWN, PreviewStep, ResourceState

KINDS = {
    GRANT_TYPE: "grant",
    ASSIGNMENT_TYPE: "assignment",
    SERVICE_PRINCIPAL_TYPE: "service principal",
}
# A created service principal's settings that decide who may sign in.
SIGN_IN = ("appRoleAssignmentRequired",)


def value(state: ResourceState | None, key: str) -> Any:
    if state is None:
        return None
    if key in state.inputs:
        return state.inputs[key]
    return state.outputs.get(key)


@dataclass
class Merged:
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
    def type(self) -> str:
        state = self.new or self.old
        return state.type if state and state.type else split_urn(self.urn)[0]

    @property
    def parent(self) -> str | None:
        state = self.new or self.old
        return state.parent if state else None

    @property
    def retained(self) -> bool:
        return bool(self.old and self.old.retain_on_delete) or bool(
            self.new and self.new.retain_on_delete
        )

    def imported_scopes(self) -> Scopes | None:
        """An import's scopes as the tenant holds them (its read outputs), when it shows them."""
        if self.new is None or "claimValues" not in self.new.outputs:
            return None
        return Scopes.of(self.new.outputs["claimValues"])

    def changed(self) -> tuple[str, ...]:
        """Top-level properties that change: the engine's reasons and detailed diff, else the
        inputs compared."""
        keys = set(self.reasons)
        keys.update(path.split("[", 1)[0].split(".", 1)[0] for path in self.detailed)
        if not keys and self.old is not None and self.new is not None:
            old, new = self.old.inputs, self.new.inputs
            keys = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
        return tuple(sorted(keys))

    def properties(self, action: Action) -> tuple[PropertyChange, ...]:
        if action in ("create", "import", "delete"):
            return ()
        return tuple(
            PropertyChange(key, value(self.old, key), value(self.new, key))
            for key in self.changed()
        )


def sign_in_settings(res: Merged, action: Action) -> tuple[PropertyChange, ...]:
    if action != "create":
        return ()
    return tuple(
        PropertyChange(key, None, value(res.new, key))
        for key in SIGN_IN
        if value(res.new, key) is not None
    )


def component_of(parent: str | None) -> str | None:
    """The EnterpriseApp component a resource sits under (its name), if any."""
    if not parent:
        return None
    typ, name = split_urn(parent)
    return name if typ == ENTERPRISE_APP_TYPE else None


def _known(raw: Any) -> str | None:
    if isinstance(raw, str) and raw and raw not in (SECRET, UNKNOWN):
        return raw.lower()
    return None


def grant_target(user: Any) -> Target:
    """A grant's target from its `userObjectId` value, never from its name: no user is
    tenant-wide; an unknown or secret one may be."""
    if user in (None, ""):
        return TENANT
    oid = _known(user)
    return Target("user", oid) if oid else UNKNOWN_TARGET


def _sp_label(raw: Any, sp_names: Mapping[str, str]) -> str | None:
    oid = _known(raw)
    if oid is None:
        return None if raw is None else str(raw)
    return sp_names.get(oid, oid)


def unmapped(
    res: Merged, action: Action, sp_names: Mapping[str, str], kinds: Mapping[str, str]
) -> UnmappedChange:
    """`kinds`: object id -> `user`/`group`, as the preview knows them."""
    _, name = split_urn(res.urn)
    typ = res.type
    kind = KINDS.get(typ, typ)
    state = res.old if action == "delete" else res.new or res.old
    common: dict[str, Any] = {
        "urn": res.urn,
        "name": name,
        "kind": kind,
        "action": action,
        "component": component_of(res.parent),
        "retained": res.retained,
    }
    if typ == GRANT_TYPE:
        return UnmappedChange(
            **common,
            target=grant_target(value(state, "userObjectId")),
            old=Scopes.of(value(res.old, "claimValues")) if res.old else None,
            new=Scopes.of(value(res.new, "claimValues"))
            if res.new and action != "delete"
            else None,
            client=_sp_label(value(state, "servicePrincipalObjectId"), sp_names),
            api=_sp_label(value(state, "resourceServicePrincipalObjectId"), sp_names),
        )
    if typ == ASSIGNMENT_TYPE:
        principal = value(state, "principalObjectId")
        oid = _known(principal) or str(principal or "")
        ptype = value(state, "principalType")
        known_kind = kinds.get(oid, str(ptype).lower() if isinstance(ptype, str) else "")
        return UnmappedChange(
            **common,
            target=Target("group" if known_kind == "group" else "user", oid)
            if known_kind in ("user", "group")
            else Target("user", oid),
            api=_sp_label(value(state, "resourceObjectId"), sp_names),
            app_role_id=str(value(state, "appRoleId") or ""),
        )
    power = power_of(typ)
    if power is None:
        return UnmappedChange(**common, properties=res.properties(action))
    props = {k: value(state, k) for k in {*power.who, *ROLE_PROPERTIES.values()}}
    whom = next((props[k] for k in power.who if props.get(k) is not None), None)
    return UnmappedChange(
        **common,
        properties=res.properties(action),
        gives=gives(typ, props),
        to=_sp_label(whom, sp_names) if whom is not None else None,
    )


def note_service_principal(sp_names: dict[str, str], state: ResourceState | None) -> None:
    """Object id -> resource name of a service principal the preview shows."""
    if state is None:
        return
    oid = _known(state.outputs.get("objectId"))
    if oid is not None:
        sp_names.setdefault(oid, split_urn(state.urn)[1] if state.urn else oid)


def note_stack_outputs(
    state: ResourceState | None, upns: dict[str, str], sp_names: dict[str, str]
) -> None:
    """The stack's outputs: `users` (object id -> UPN, optional) names users; `apps` (this
    program's) names each app's service principal object id."""
    if state is None:
        return
    users = state.outputs.get("users")
    if isinstance(users, Mapping):
        upns.update(
            (str(k).lower(), v) for k, v in users.items() if isinstance(v, str) and v != SECRET
        )
    apps = state.outputs.get("apps")
    if isinstance(apps, Mapping):
        for key, summary in apps.items():
            oid = (
                _known(summary.get("service_principal_object_id"))
                if isinstance(summary, Mapping)
                else None
            )
            if oid is not None:
                sp_names.setdefault(oid, service_principal_name(str(key)))


def note_principal(
    names: dict[str, str], kinds: dict[str, str], state: ResourceState | None
) -> None:
    """An assignment's outputs name its principal (`principalDisplayName`, `principalType`)."""
    if state is None:
        return
    ptype = state.outputs.get("principalType")
    if ptype not in ("User", "Group"):
        return
    oid = _known(state.outputs.get("principalObjectId"))
    if oid is None:
        return
    kinds.setdefault(oid, str(ptype).lower())
    display = state.outputs.get("principalDisplayName")
    if isinstance(display, str) and display and display != SECRET:
        names.setdefault(oid, display)
