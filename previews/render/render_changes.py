"""How each change of a consent diff reads: grants, assignments and service principals per app,
and the resources the catalogue does not name. Every value the renderer did not write (catalogue,
tenant, engine) goes through the Markdown kit's `code()` (previews/markdown.py)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from catalog.catalogue import Catalogue
from catalog.models import HIGH_PRIVILEGE_LEVEL
from components.core.kept_fields import HIDE_TAG
from components.core.target import Target
from previews.markdown import Group, code, target_label
from previews.render.consent_changes import (
    AssignmentChange,
    ConsentDiff,
    GrantChange,
    PropertyChange,
    ServicePrincipalChange,
)
from previews.render.digest import SECRET, UNKNOWN

REVOKED = "⛔"
WARNING = "⚠️"


@dataclass(frozen=True)
class Style:
    catalogue: Catalogue
    names: dict[str, str]  # object id -> display name
    upns: dict[str, str]  # object id -> UPN
    scope_labels: dict[tuple[str, str], str] = field(default_factory=dict)


def flagged(style: Style, api: str, scope: str) -> bool:
    info = style.catalogue.apis[api].scopes.get(scope) if api in style.catalogue.apis else None
    if info is None:
        return False
    return info.admin_consent_required or (info.privilege_level or 0) >= HIGH_PRIVILEGE_LEVEL


def _scope(style: Style, api: str, scope: str) -> str:
    cached = style.scope_labels.get((api, scope))
    if cached is None:
        cached = style.scope_labels[(api, scope)] = _scope_label(style, api, scope)
    return cached


def _scope_label(style: Style, api: str, scope: str) -> str:
    label = code(scope)
    info = style.catalogue.apis[api].scopes.get(scope) if api in style.catalogue.apis else None
    if info is None:
        return label + " (not in the catalogue)"
    notes = []
    if info.admin_consent_required:
        notes.append("admin consent")
    if (info.privilege_level or 0) >= HIGH_PRIVILEGE_LEVEL:
        notes.append(f"privilege {info.privilege_level}")
    return label + (f" ({', '.join(notes)})" if notes else "")


def scopes(style: Style, api: str, values: Iterable[str]) -> str:
    return ", ".join(_scope(style, api, s) for s in sorted(values)) or "none"


def api_name(style: Style, api: str) -> str:
    found = style.catalogue.apis.get(api)
    return code(found.display_name) if found else code(api)


def app_title(style: Style, app: str) -> str:
    found = style.catalogue.apps.get(app)
    return f"### {code(app)}: {code(found.entry.display_name)}" if found else f"### {code(app)}"


def principal(style: Style, target: Target) -> str:
    """A user or group by display name and UPN where the preview knows them, object id beside."""
    if target.kind in ("tenant", "unknown"):
        return target_label(target)
    known = [n for n in (style.names.get(target.ref), style.upns.get(target.ref)) if n]
    if len(known) == 2 and known[0] == known[1]:
        known.pop()
    if not known:
        return f"{target.kind} {code(target.ref)}"
    return f"{target.kind} {' '.join(code(n) for n in known)} ({code(target.ref)})"


def _grant_effect(style: Style, c: GrantChange) -> str:
    if c.hidden and not (c.added or c.removed):
        what = ", ".join(code(p) for p in c.changed_properties) or code("claimValues")
        effect = f"scopes not shown (secret or unknown); changed: {what}"
    else:
        parts = []
        if c.added:
            parts.append("adds " + scopes(style, c.api, c.added))
        if c.removed:
            parts.append(f"{REVOKED} removes " + scopes(style, c.api, c.removed))
        effect = "; ".join(parts)
    if c.action == "create":
        return "new grant" + (f": {effect}" if effect else "")
    if c.action == "import":
        shown = scopes(style, c.api, c.new.values) if c.new and c.new.values else "scopes"
        if c.imported_differs and c.in_tenant is not None:
            held = scopes(style, c.api, c.in_tenant.values) if c.in_tenant.values else "none"
            return (
                f"{WARNING} **adopted as the tenant holds it, not as declared**: the tenant "
                f"holds {held}; the stack declares {shown}"
            )
        return f"adopted into the stack (already in the tenant, unchanged): {shown}"
    if c.action == "delete" and c.retained:
        shown = scopes(style, c.api, c.old.values) if c.old and c.old.values else "its scopes"
        return (
            f"{WARNING} removed from the stack but **kept in the tenant** (retain on delete): "
            f"{shown} stay granted, governed by no stack"
        )
    if c.action == "delete":
        shown = scopes(style, c.api, c.removed) if c.removed else "scopes not shown"
        return f"{REVOKED} **grant revoked**: {shown}"
    if c.action == "replace":
        why = ", ".join(code(p) for p in c.changed_properties) or "replacement"
        if c.old_target is not None:
            shown = scopes(style, c.api, c.new.values) if c.new and c.new.values else "scopes"
            head = (
                f"{REVOKED} takes over the grant of {principal(style, c.old_target)} "
                f"(replaced: {why}): {shown}"
            )
            return head + (f"; {effect}" if effect else "")
        return f"grant re-created (replaced: {why})" + (
            f": {effect}" if effect else ": same scopes"
        )
    if not effect:
        effect = "changed: " + (", ".join(code(p) for p in c.changed_properties) or "properties")
    return effect


def app_section(diff: ConsentDiff, app: str, style: Style) -> list[str | Group[Target]]:
    lines: list[str | Group[Target]] = [app_title(style, app), ""]
    for sp in (c for c in diff.service_principals if c.app == app):
        lines.append(f"- service principal: {sp_effect(sp)}")
    by_api: dict[str, list[GrantChange]] = defaultdict(list)
    for g in diff.grants:
        if g.app == app:
            by_api[g.api].append(g)
    label = partial(principal, style)
    for api, changes in sorted(by_api.items()):
        lines += ["", f"**{api_name(style, api)}** ({code(api)})", ""]
        groups: dict[str, list[GrantChange]] = defaultdict(list)
        for c in changes:
            effect = _grant_effect(style, c)
            if c.target.kind == "user" and c.old_target is None:
                groups[effect].append(c)
            else:
                lines.append(f"- {principal(style, c.target)}: {effect}")
        for effect, members in groups.items():
            lines.append(Group(effect, [m.target for m in members], label))
    assignments = [c for c in diff.assignments if c.app == app]
    if assignments:
        lines += ["", "**Assignments**", ""]
        by_effect: dict[str, list[Target]] = defaultdict(list)
        for a in assignments:
            by_effect[assignment_effect(a)].append(a.principal)
        for effect, principals in by_effect.items():
            for group in (p for p in principals if p.kind == "group"):
                lines.append(f"- {principal(style, group)}: {effect}")
            users = [p for p in principals if p.kind != "group"]
            if users:
                lines.append(Group(effect, users, label))
    lines.append("")
    return lines


def _role(app_role_id: str) -> str:
    if not app_role_id:
        return ""
    return (
        " (default role)" if app_role_id.startswith("00000000-") else f" (role {code(app_role_id)})"
    )


def assignment_effect(a: AssignmentChange) -> str:
    verb = {
        "create": "assigned",
        "import": "adopted into the stack (already assigned)",
        "update": "assignment updated",
        "replace": "assignment re-created",
        "delete": f"{REVOKED} **assignment removed**",
    }[a.action]
    return verb + _role(a.app_role_id)


def shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if value == SECRET:
        return "(secret)"
    if value == UNKNOWN:
        return "(known after apply)"
    return code(value if isinstance(value, str) else json.dumps(value, sort_keys=True))


def _direction(name: str, old: Any, new: Any) -> str:
    """What a change of a sign-in setting means, by its direction."""
    if name == "appRoleAssignmentRequired" and isinstance(new, bool):
        if new and old is not True:
            return "sign-in restricted to assigned users"
        if not new and old is not False:
            return f"{WARNING} sign-in opened to every user"
    if name == "accountEnabled" and isinstance(new, bool) and old is not new:
        return f"{WARNING} sign-in enabled" if new else f"{REVOKED} sign-in disabled for every user"
    if name == "tags" and isinstance(new, list) and isinstance(old, list | None):
        # The program declares the tags (components/core/kept_fields.py): HideApp is the hide setting.
        had, has = HIDE_TAG in (old or []), HIDE_TAG in new
        if had != has:
            return "hidden from users' app lists" if has else "shown in users' app lists"
    if name == "featureTags" and isinstance(new, list) and len(new) == 1:
        before = old[0] if isinstance(old, list) and len(old) == 1 else {}
        after = new[0]
        if isinstance(after, dict) and isinstance(before, dict):
            hide = after.get("hide")
            if isinstance(hide, bool) and before.get("hide") is not hide:
                return "hidden from users' app lists" if hide else "shown in users' app lists"
    return ""


def property_change(p: PropertyChange) -> str:
    detail = f"{code(p.name)}: {shown(p.old)} → {shown(p.new)}"
    meaning = _direction(p.name, p.old, p.new)
    return f"{meaning} ({detail})" if meaning else detail


def _setting(p: PropertyChange) -> str:
    """A created service principal's sign-in setting, and what it means."""
    meaning = (
        {
            ("appRoleAssignmentRequired", True): "sign-in restricted to assigned users",
            ("appRoleAssignmentRequired", False): f"{WARNING} sign-in open to every user",
            ("accountEnabled", False): "sign-in disabled",
        }.get((p.name, p.new), "")
        if isinstance(p.new, bool)
        else ""
    )
    detail = f"{code(p.name)}: {shown(p.new)}"
    return f"{meaning} ({detail})" if meaning else detail


def sp_effect(sp: ServicePrincipalChange) -> str:
    if sp.action == "create":
        created = "created (or adopted, when the app is already in the tenant)"
        settings = "; ".join(_setting(p) for p in sp.settings)
        return created + (f": {settings}" if settings else "")
    if sp.action == "import":
        return "adopted into the stack (already in the tenant)"
    if sp.action == "delete":
        if sp.retained:
            return "removed from the stack; kept in the tenant (retain on delete)"
        return f"{REVOKED} **deleted from the tenant**"
    changes = "; ".join(property_change(p) for p in sp.properties)
    if not changes:
        changes = ", ".join(code(p) for p in sp.changed_properties) or "properties"
    return f"{'re-created' if sp.action == 'replace' else 'updated'}: {changes}"
