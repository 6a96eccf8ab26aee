"""How a resource the catalogue does not name reads in a consent diff: its kind, operation,
component, target and scopes, from what previews/render/consent_unmapped.py read off its type, parent
and properties. Values through the Markdown kit's `code()`."""

from __future__ import annotations

from collections.abc import Iterable

from components.core.target import Target
from previews.markdown import code
from previews.render.consent_changes import AssignmentChange, Scopes, UnmappedChange
from previews.render.render_changes import (
    REVOKED,
    WARNING,
    Style,
    assignment_effect,
    principal,
    property_change,
    shown,
)


def _plain_scopes(values: Iterable[str]) -> str:
    return ", ".join(code(s) for s in sorted(values)) or "none"


def _unmapped_grant(c: UnmappedChange) -> str:
    parts = []
    if c.added:
        parts.append("adds " + _plain_scopes(c.added))
    if c.removed:
        parts.append(f"{REVOKED} removes " + _plain_scopes(c.removed))
    if c.hidden and not parts:
        parts.append("scopes not shown (secret or unknown)")
    effect = "; ".join(parts)
    if c.action == "delete":
        return "**grant revoked**: " + (
            effect.removeprefix(f"{REVOKED} removes ") or "scopes not shown"
        )
    if c.action == "import":
        new = c.new or Scopes()
        return "adopted into the stack: " + _plain_scopes(new.values)
    verb = {"create": "new grant", "update": "grant updated", "replace": "grant re-created"}
    return verb[c.action] + (f": {effect}" if effect else "")


def unmapped_line(style: Style, c: UnmappedChange) -> str:
    where = f"under component {code(c.component)}" if c.component else "outside any app component"
    mark = REVOKED + " " if c.revokes else ""
    if c.kind == "grant":
        tenant = c.target is not None and c.target.kind in ("tenant", "unknown")
        mark = mark or (WARNING + " " if tenant and c.added else "")
        via = f"; client {shown(c.client)}, API {shown(c.api)}"
        who = principal(style, c.target) if c.target else "target unknown"
        return f"- {mark}grant {code(c.name)} ({where}{via}) for {who}: {_unmapped_grant(c)}"
    if c.kind == "assignment":
        who = principal(style, c.target) if c.target else "principal unknown"
        verb = assignment_effect(AssignmentChange("", c.action, Target("user"), c.app_role_id))
        verb = verb.removeprefix(f"{REVOKED} ")
        return f"- {mark}assignment {code(c.name)} ({where}; app {shown(c.api)}) of {who}: {verb}"
    kind = (
        "service principal" if c.kind == "service principal" else f"resource of type {code(c.kind)}"
    )
    if c.gives is not None and c.action != "delete":
        mark = mark or WARNING + " "
        to = f" to {shown(c.to)}" if c.to is not None else ""
        access = f"; **gives {c.gives}**{to}"
    else:
        access = ""
    if c.action == "delete":
        effect = "**deleted**" + (
            " from the stack; kept in the tenant (retain on delete)" if c.retained else ""
        )
    elif c.properties:
        effect = f"{c.action}: " + "; ".join(property_change(p) for p in c.properties)
    else:
        effect = {"create": "created", "import": "imported", "update": "updated"}.get(
            c.action, "replaced"
        )
    return f"- {mark}{kind} {code(c.name)} ({where}): {effect}{access}"
