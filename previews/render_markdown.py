"""A consent diff as Markdown for a pull-request comment.

Per app and API, one line per grant change; per-user changes that are alike (same action,
same scopes added and removed) share one line with the users listed in a collapsible block.
Revocations and tenant-wide or admin-consent additions are flagged. Large diffs shorten the
user lists, then drop them, so the comment stays under GitHub's limit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial

from catalog.catalogue import Catalogue
from components.planner import Target
from previews.consent_diff import (
    AssignmentChange,
    ConsentDiff,
    GrantChange,
    ServicePrincipalChange,
)
from previews.markdown import (
    USER_LIST_CAPS,
    Group,
    cell,
    code,
    expand,
    join_lines,
    plural,
    truncate,
    utf8_size,
)

GITHUB_COMMENT_LIMIT = 65_536
DEFAULT_BUDGET = 60_000  # leaves room for the workflow's own heading and marker
HIGH_PRIVILEGE = 4
PER_APP_TABLE_FROM = (
    25  # changes; smaller diffs are read line by line  # Microsoft's privilege levels run 1-5
)
REVOKED = "⛔"
WARNING = "⚠️"


@dataclass(frozen=True)
class _Style:
    catalogue: Catalogue
    users: dict[str, str]
    scope_labels: dict[tuple[str, str], str] = field(default_factory=dict)


def render_markdown(
    diff: ConsentDiff,
    catalogue: Catalogue,
    *,
    stack: str | None = None,
    budget: int = DEFAULT_BUDGET,
) -> str:
    """The diff within `budget` UTF-8 bytes (at most; GitHub counts characters)."""
    style = _Style(catalogue, diff.users)
    head = _head(diff, style, stack)
    sections = [item for app in diff.apps() for item in _app_section(diff, app, style)]
    tail = _tail(diff)
    for cap in USER_LIST_CAPS:
        text = join_lines([*head, *expand(sections, cap), *tail])
        if utf8_size(text) <= budget:
            return text
    note = "_Summarised to the counts above: too many changes to list in a comment (the job log has all)._"
    if not any(line.startswith("**Per app**") for line in head):
        head = [*head, "**Per app**", "", *_per_app_table(diff)]
    text = join_lines([*head, note, "", *tail])
    if utf8_size(text) <= budget:
        return text
    return truncate(text, budget)


def stack_of(urns: Iterable[str]) -> str | None:
    for urn in urns:
        if urn.startswith("urn:pulumi:"):
            return urn[len("urn:pulumi:") :].split("::", 1)[0]
    return None


def _head(diff: ConsentDiff, style: _Style, stack: str | None) -> list[str]:
    title = f"## Consent diff: stack {code(stack)}" if stack else "## Consent diff"
    lines = [title, "", _totals(diff), ""]
    mandatory = [v for v in diff.violations if v.mandatory]
    if mandatory:
        lines += [
            f"{REVOKED} **{plural(len(mandatory), 'mandatory policy violation')}: this change "
            "cannot be applied.**",
            "",
        ]
    lines += _highlights(diff, style)
    if len(diff.grants) + len(diff.assignments) > PER_APP_TABLE_FROM:
        lines += ["**Per app**", "", *_per_app_table(diff)]
    if diff.empty:
        lines += ["No consent changes: no grants, assignments or service principals change.", ""]
    if diff.violations:
        lines += ["### Policy violations", "", "| Level | Policy | App | Resource | Message |"]
        lines.append("|---|---|---|---|---|")
        for v in diff.violations:
            lines.append(
                f"| {v.level} | {code(v.policy)} | {code(v.app) if v.app else ''} | "
                f"{code(v.resource) if v.resource else ''} | {cell(v.message)} |"
            )
        lines.append("")
    return lines


def _tail(diff: ConsentDiff) -> list[str]:
    lines: list[str] = []
    if diff.diagnostics:
        lines += ["### Diagnostics", ""]
        counts = Counter(diff.diagnostics)
        for (severity, message), count in counts.items():
            times = f" ({count} times)" if count > 1 else ""
            lines.append(f"- {severity}: {cell(message)}{times}")
        lines.append("")
    if diff.unmapped:
        lines += [
            "### Not recognised",
            "",
            "Consent resources whose names match no catalogue app or API (check the catalogue):",
            "",
        ]
        lines += [f"- {code(urn)}" for urn in diff.unmapped[:50]]
        if len(diff.unmapped) > 50:
            lines.append(f"- … and {len(diff.unmapped) - 50} more")
        lines.append("")
    return lines


def _totals(diff: ConsentDiff) -> str:
    grants = _tally(c.action for c in diff.grants)
    added = sum(len(c.added) for c in diff.grants)
    removed = sum(len(c.removed) for c in diff.grants)
    assignments = _tally(c.action for c in diff.assignments)
    sps = _tally(c.action for c in diff.service_principals)
    violations = Counter("mandatory" if v.mandatory else "advisory" for v in diff.violations)
    parts = [
        "grants: "
        + _counts(grants, {"delete": "revoked", "create": "created", "update": "updated"}),
        f"scopes: +{added} / -{removed}",
        "assignments: "
        + _counts(assignments, {"create": "added", "delete": "removed", "update": "updated"}),
        "service principals: " + _counts(sps, {"delete": "removed from the stack"}),
        f"policy violations: {violations['mandatory']} mandatory, {violations['advisory']} advisory",
    ]
    return "**Totals**: " + "; ".join(parts) + "."


def _tally(actions: Iterable[str]) -> Counter[str]:
    return Counter(actions)


def _counts(counter: Mapping[str, int], words: dict[str, str]) -> str:
    order = ("create", "import", "update", "replace", "delete")
    default = {
        "create": "created",
        "import": "imported",
        "update": "updated",
        "replace": "replaced",
        "delete": "deleted",
    }
    shown = [f"{counter.get(a, 0)} {words.get(a, default[a])}" for a in order if counter.get(a, 0)]
    return ", ".join(shown) or "none"


def _highlights(diff: ConsentDiff, style: _Style) -> list[str]:
    lines: list[str] = []
    revoked = [c for c in diff.grants if c.revokes]
    if revoked:
        per_app = Counter(c.app for c in revoked)
        listed = ", ".join(f"{code(a)} ({n})" for a, n in sorted(per_app.items()))
        lines.append(
            f"- {REVOKED} **Revocations**: {plural(len(revoked), 'grant')} losing scopes: {listed}"
        )
    removed_assignments = [c for c in diff.assignments if c.action == "delete"]
    if removed_assignments:
        lines.append(f"- {REVOKED} **Assignments removed**: {len(removed_assignments)}")
    tenant = [c for c in diff.grants if c.target.kind == "tenant" and c.added]
    for c in tenant:
        lines.append(
            f"- {WARNING} **Tenant-wide** for {code(c.app)} on {_api_name(style, c.api)}: adds "
            + _scopes(style, c.api, c.added)
        )
    privileged = [
        c
        for c in diff.grants
        if c.target.kind != "tenant" and any(_flagged(style, c.api, s) for s in c.added)
    ]
    if privileged:
        scopes = sorted({s for c in privileged for s in c.added if _flagged(style, c.api, s)})
        lines.append(
            f"- {WARNING} **Admin-consent or high-privilege scopes** added for "
            f"{plural(len(privileged), 'user grant')}: " + ", ".join(code(s) for s in scopes)
        )
    return [*lines, ""] if lines else []


def _flagged(style: _Style, api: str, scope: str) -> bool:
    info = style.catalogue.apis[api].scopes.get(scope) if api in style.catalogue.apis else None
    if info is None:
        return False
    return info.admin_consent_required or (info.privilege_level or 0) >= HIGH_PRIVILEGE


def _scope(style: _Style, api: str, scope: str) -> str:
    cached = style.scope_labels.get((api, scope))
    if cached is None:
        cached = style.scope_labels[(api, scope)] = _scope_label(style, api, scope)
    return cached


def _scope_label(style: _Style, api: str, scope: str) -> str:
    label = code(scope)
    info = style.catalogue.apis[api].scopes.get(scope) if api in style.catalogue.apis else None
    if info is None:
        return label + " (not in the catalogue)"
    notes = []
    if info.admin_consent_required:
        notes.append("admin consent")
    if (info.privilege_level or 0) >= HIGH_PRIVILEGE:
        notes.append(f"privilege {info.privilege_level}")
    return label + (f" ({', '.join(notes)})" if notes else "")


def _scopes(style: _Style, api: str, scopes: Iterable[str]) -> str:
    return ", ".join(_scope(style, api, s) for s in sorted(scopes)) or "none"


def _api_name(style: _Style, api: str) -> str:
    found = style.catalogue.apis.get(api)
    return found.display_name if found else code(api)


def _app_title(style: _Style, app: str) -> str:
    found = style.catalogue.apps.get(app)
    return f"### {code(app)}: {found.entry.display_name}" if found else f"### {code(app)}"


def _user(style: _Style, target: Target) -> str:
    if target.kind == "tenant":
        return "**tenant-wide** (all users)"
    known = style.users.get(target.ref)
    label = f"{target.kind} {code(known)} ({code(target.ref)})" if known else None
    return label or f"{target.kind} {code(target.ref)}"


def _grant_effect(style: _Style, c: GrantChange) -> str:
    if c.hidden and not (c.added or c.removed):
        what = ", ".join(c.changed_properties) or "claimValues"
        effect = f"scopes not shown (secret or unknown); changed: {what}"
    else:
        parts = []
        if c.added:
            parts.append("adds " + _scopes(style, c.api, c.added))
        if c.removed:
            parts.append(f"{REVOKED} removes " + _scopes(style, c.api, c.removed))
        effect = "; ".join(parts)
    if c.action == "create":
        return "new grant" + (f": {effect}" if effect else "")
    if c.action == "import":
        scopes = _scopes(style, c.api, c.new.values) if c.new and c.new.values else "scopes"
        return f"adopted into the stack (already in the tenant, unchanged): {scopes}"
    if c.action == "delete":
        scopes = _scopes(style, c.api, c.removed) if c.removed else "scopes not shown"
        return f"{REVOKED} **grant revoked**: {scopes}"
    if c.action == "replace":
        why = ", ".join(c.changed_properties) or "replacement"
        if c.old_target is not None:
            scopes = _scopes(style, c.api, c.new.values) if c.new and c.new.values else "scopes"
            head = (
                f"{REVOKED} takes over the grant of {_user(style, c.old_target)} "
                f"(replaced: {why}): {scopes}"
            )
            return head + (f"; {effect}" if effect else "")
        return f"grant re-created (replaced: {why})" + (
            f": {effect}" if effect else ": same scopes"
        )
    if not effect:
        effect = "changed: " + (", ".join(c.changed_properties) or "properties")
    return effect


def _app_section(diff: ConsentDiff, app: str, style: _Style) -> list[str | Group[Target]]:
    lines: list[str | Group[Target]] = [_app_title(style, app), ""]
    for sp in (c for c in diff.service_principals if c.app == app):
        lines.append(f"- service principal: {_sp_effect(sp)}")
    grants = [c for c in diff.grants if c.app == app]
    by_api: dict[str, list[GrantChange]] = defaultdict(list)
    for g in grants:
        by_api[g.api].append(g)
    for api, changes in sorted(by_api.items()):
        lines += ["", f"**{_api_name(style, api)}** ({code(api)})", ""]
        groups: dict[str, list[GrantChange]] = defaultdict(list)
        for c in changes:
            effect = _grant_effect(style, c)
            if c.target.kind == "user" and c.old_target is None:
                groups[effect].append(c)
            else:
                lines.append(f"- {_user(style, c.target)}: {effect}")
        for effect, members in groups.items():
            lines.append(Group(effect, [m.target for m in members], partial(_user, style)))
    assignments = [c for c in diff.assignments if c.app == app]
    if assignments:
        lines += ["", "**Assignments**", ""]
        by_effect: dict[str, list[Target]] = defaultdict(list)
        for a in assignments:
            by_effect[_assignment_effect(style, a)].append(a.principal)
        for effect, principals in by_effect.items():
            groups_ = [p for p in principals if p.kind == "group"]
            for group in groups_:
                lines.append(f"- {_user(style, group)}: {effect}")
            users = [p for p in principals if p.kind != "group"]
            if users:
                lines.append(Group(effect, users, partial(_user, style)))
    lines.append("")
    return lines


def _assignment_effect(style: _Style, a: AssignmentChange) -> str:
    role = (
        "default role" if a.app_role_id.startswith("00000000-") else f"role {code(a.app_role_id)}"
    )
    verb = {
        "create": "assigned",
        "import": "adopted into the stack (already assigned)",
        "update": "assignment updated",
        "replace": "assignment re-created",
        "delete": f"{REVOKED} **assignment removed**",
    }[a.action]
    return f"{verb} ({role})" if a.app_role_id else verb


def _sp_effect(sp: ServicePrincipalChange) -> str:
    if sp.action == "create":
        return "created (or adopted, when the app is already in the tenant)"
    if sp.action == "import":
        return "adopted into the stack (already in the tenant)"
    if sp.action == "delete":
        if sp.retained:
            return "removed from the stack; kept in the tenant (retain on delete)"
        return f"{REVOKED} **deleted from the tenant**"
    changed = ", ".join(sp.changed_properties) or "properties"
    return f"{'re-created' if sp.action == 'replace' else 'updated'}: {changed}"


def _per_app_table(diff: ConsentDiff) -> list[str]:
    """Counts per app, one pass over the changes."""
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for g in diff.grants:
        row = rows[g.app]
        row[g.action] += 1
        row["+scopes"] += len(g.added)
        row["-scopes"] += len(g.removed)
    for a in diff.assignments:
        rows[a.app]["assign-" + a.action] += 1
    for sp in diff.service_principals:
        rows[sp.app]["sp"] += 1
    lines = [
        "| App | grants created | updated | replaced | revoked | scopes + | scopes - | "
        "assigned | unassigned |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for app in sorted(rows):
        r = rows[app]
        cells = [
            r["create"] + r["import"],
            r["update"],
            r["replace"],
            r["delete"],
            r["+scopes"],
            r["-scopes"],
            r["assign-create"] + r["assign-import"],
            r["assign-delete"],
        ]
        lines.append(f"| {code(app)} | " + " | ".join(str(c) for c in cells) + " |")
    return [*lines, ""]
