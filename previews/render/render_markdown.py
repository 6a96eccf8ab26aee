"""A consent diff as Markdown for a pull-request comment.

First what decides the review: a failed preview, steps the renderer does not understand, the
totals, mandatory policy violations, highlights (revocations, tenant-wide and privileged
additions, sign-in opened), and resources the catalogue does not name. Then per app and API,
one line per grant change; per-user changes that are alike share one line with the users in a
collapsible block (previews/render/render_changes.py). Large diffs shorten the user lists, then drop
them, so the comment stays under GitHub's limit. Every value the renderer did not write goes
through the Markdown kit (previews/markdown.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from catalog.catalogue import Catalogue
from components.core.naming import urn_stack
from previews.markdown import USER_LIST_CAPS, code, expand, join_lines, plural, table, truncate
from previews.markdown import utf8_size as _size
from previews.render.consent_changes import ConsentDiff
from previews.render.render_changes import (
    REVOKED,
    WARNING,
    Style,
    api_name,
    app_section,
    flagged,
    principal,
    scopes,
)
from previews.render.render_options import HEADING, INTRO, SAMES_HIDDEN, option_line
from previews.render.render_unmapped import unmapped_line

GITHUB_COMMENT_LIMIT = 65_536
DEFAULT_BUDGET = 60_000  # leaves room for the workflow's own heading and marker
PER_APP_TABLE_FROM = 25  # changes; smaller diffs are read line by line
LISTED = 50  # steps not understood, resources not recognised: listed in full up to this many


def render_markdown(
    diff: ConsentDiff,
    catalogue: Catalogue,
    *,
    stack: str | None = None,
    budget: int = DEFAULT_BUDGET,
) -> str:
    """The diff within `budget` UTF-8 bytes (at most; GitHub counts characters)."""
    style = Style(catalogue, diff.users, diff.upns)
    head = _head(diff, style, stack)
    sections = [item for app in diff.apps() for item in app_section(diff, app, style)]
    tail = _tail(diff)
    for cap in USER_LIST_CAPS:
        text = join_lines([*head, *expand(sections, cap), *tail])
        if _size(text) <= budget:
            return text
    note = "_Summarised to the counts above: too many changes to list in a comment (the job log has all)._"
    if not any(line.startswith("**Per app**") for line in head):
        head = [*head, "**Per app**", "", *_per_app_table(diff)]
    text = join_lines([*head, note, "", *tail])
    if _size(text) <= budget:
        return text
    return truncate(text, budget)


def stack_of(urns: Iterable[str]) -> str | None:
    return next((s for s in map(urn_stack, urns) if s is not None), None)


def _listed(lines: list[str]) -> list[str]:
    more = [f"- … and {len(lines) - LISTED} more"] if len(lines) > LISTED else []
    return [*lines[:LISTED], *more, ""]


def _failure(diff: ConsentDiff) -> list[str]:
    errors = diff.errors
    said = "; ".join(code(e) for e in errors[:3]) + ("; …" if len(errors) > 3 else "")
    return [
        f"{REVOKED} **FAILURE: the preview failed** ({said}). Nothing can be applied until it "
        "passes; the changes below are only those it showed before it stopped.",
        "",
    ]


def _not_understood(diff: ConsentDiff) -> list[str]:
    count = plural(len(diff.not_understood), "step")
    return [
        f"{REVOKED} **{count} not understood**: operations this renderer does not know, so it "
        "cannot say what they change (the command fails until it does):",
        "",
        *_listed([f"- {code(s.op)} on {code(s.urn)}" for s in diff.not_understood]),
    ]


def _head(diff: ConsentDiff, style: Style, stack: str | None) -> list[str]:
    title = f"## Consent diff: stack {code(stack)}" if stack else "## Consent diff"
    lines = [title, ""]
    if diff.failed:
        lines += _failure(diff)
    if diff.not_understood:
        lines += _not_understood(diff)
    lines += [_totals(diff), ""]
    if diff.mandatory:
        lines += [
            f"{REVOKED} **{plural(diff.mandatory, 'mandatory policy violation')}: this change "
            "cannot be applied.**",
            "",
        ]
    lines += _highlights(diff, style)
    if len(diff.grants) + len(diff.assignments) > PER_APP_TABLE_FROM:
        lines += ["**Per app**", "", *_per_app_table(diff)]
    if diff.unmapped:
        lines += [
            "### Not recognised",
            "",
            "Resources this renderer cannot map to the catalogue (not this program's naming, "
            "an app or API missing from the catalogue, or another resource type), read from "
            "their type, parent component and properties:",
            "",
            *_listed([unmapped_line(style, c) for c in diff.unmapped]),
        ]
    if diff.options:
        lines += [HEADING, "", INTRO, "", *_listed([option_line(style, c) for c in diff.options])]
    if diff.sames_hidden:
        lines += [SAMES_HIDDEN, ""]
    if diff.empty and diff.failed:
        lines += ["No consent changes shown: the preview failed before it showed any.", ""]
    elif diff.empty:
        lines += ["No consent changes: no grants, assignments or service principals change.", ""]
    if diff.violations:
        lines += ["### Policy violations", ""]
        lines += table(
            ["Level", "Policy", "App", "Resource", "Message"],
            (
                [code(c) if c else "" for c in (v.level, v.policy, v.app, v.resource, v.message)]
                for v in diff.violations
            ),
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
            lines.append(f"- {severity}: {code(message)}{times}")
        lines.append("")
    return lines


def _totals(diff: ConsentDiff) -> str:
    grants = Counter(c.action for c in diff.grants)
    added = sum(len(c.added) for c in diff.grants)
    removed = sum(len(c.removed) for c in diff.grants)
    assignments = Counter(c.action for c in diff.assignments)
    sps = Counter(c.action for c in diff.service_principals)
    parts = [
        "grants: "
        + _counts(grants, {"delete": "revoked", "create": "created", "update": "updated"}),
        f"scopes: +{added} / -{removed}",
        "assignments: "
        + _counts(assignments, {"create": "added", "delete": "removed", "update": "updated"}),
        "service principals: " + _counts(sps, {"delete": "removed from the stack"}),
    ]
    if diff.unmapped:
        revoking = sum(1 for c in diff.unmapped if c.revokes)
        parts.append(f"not recognised: {len(diff.unmapped)} ({revoking} revoking)")
    if diff.not_understood:
        parts.append(f"not understood: {len(diff.not_understood)}")
    if diff.options:
        parts.append(f"resource options changed: {len(diff.options)}")
    if diff.policy_checked:
        advisory = len(diff.violations) - diff.mandatory
        parts.append(f"policy violations: {diff.mandatory} mandatory, {advisory} advisory")
    else:
        parts.append("policy violations: not checked (no event log)")
    return "**Totals**: " + "; ".join(parts) + "."


def _counts(counter: Mapping[Any, int], words: dict[str, str]) -> str:
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


def _highlights(diff: ConsentDiff, style: Style) -> list[str]:
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
    if diff.unmapped:
        revoking = sum(1 for c in diff.unmapped if c.revokes)
        mark = REVOKED if revoking else WARNING
        lines.append(
            f"- {mark} **Not recognised**: {plural(len(diff.unmapped), 'resource')} changing "
            f"that the catalogue does not name, {revoking} of them revoking (listed below)"
        )
    for c in diff.grants:
        if c.target.kind not in ("tenant", "unknown"):
            continue
        which = "Tenant-wide" if c.target.kind == "tenant" else "Maybe tenant-wide (user unknown)"
        # A grant moved from a user to everyone widens it even with the same scopes.
        moved = c.old_target is not None and c.old_target.kind not in ("tenant", "unknown")
        shown = (c.new.values if c.new else frozenset()) if moved else c.added
        if shown:
            verb = "adds "
            if moved and c.old_target is not None:
                verb = f"now for every user, not just {principal(style, c.old_target)}: "
            lines.append(
                f"- {WARNING} **{which}** for {code(c.app)} on {api_name(style, c.api)}: {verb}"
                + scopes(style, c.api, shown)
            )
    privileged = [
        c
        for c in diff.grants
        if c.target.kind not in ("tenant", "unknown")
        and any(flagged(style, c.api, s) for s in c.added)
    ]
    if privileged:
        found = sorted({s for c in privileged for s in c.added if flagged(style, c.api, s)})
        lines.append(
            f"- {WARNING} **Admin-consent or high-privilege scopes** added for "
            f"{plural(len(privileged), 'user grant')}: " + ", ".join(code(s) for s in found)
        )
    opened = sorted(
        {
            sp.app
            for sp in diff.service_principals
            for p in sp.properties
            if p.name == "appRoleAssignmentRequired" and p.new is False and p.old is not False
        }
    )
    if opened:
        apps = ", ".join(code(a) for a in opened)
        lines.append(
            f"- {WARNING} **Sign-in opened to every user** (assignment no longer required): {apps}"
        )
    return [*lines, ""] if lines else []


def _per_app_table(diff: ConsentDiff) -> list[str]:
    """Counts per app, one pass over the changes."""
    rows: dict[str, Counter[str]] = {}
    for g in diff.grants:
        row = rows.setdefault(g.app, Counter())
        row[g.action] += 1
        row["+scopes"] += len(g.added)
        row["-scopes"] += len(g.removed)
    for a in diff.assignments:
        rows.setdefault(a.app, Counter())["assign-" + a.action] += 1
    for sp in diff.service_principals:
        rows.setdefault(sp.app, Counter())["sp"] += 1
    header = ["App", "grants created", "updated", "replaced", "revoked", "scopes +", "scopes -"]
    header += ["assigned", "unassigned"]
    counts = (
        [
            r["create"] + r["import"],
            r["update"],
            r["replace"],
            r["delete"],
            r["+scopes"],
            r["-scopes"],
            r["assign-create"] + r["assign-import"],
            r["assign-delete"],
        ]
        for r in (rows[app] for app in sorted(rows))
    )
    cells = ([code(app), *map(str, n)] for app, n in zip(sorted(rows), counts, strict=True))
    return [*table(header, cells, right=range(1, len(header))), ""]
