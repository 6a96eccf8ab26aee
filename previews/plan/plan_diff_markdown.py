"""`plan --base REF` as Markdown: what the pull request changes in the stack's consent."""

from __future__ import annotations

from components.core.target import Target
from previews.markdown import Group, code, fit, plural, scope_label, scope_list, target_label
from previews.plan.plan_diff import AppDiff, GrantDiff, PlanDiffDocument
from previews.plan.who_may_consent import who_may_consent_change_markdown

REVOKED = "⛔"
WARNING = "⚠️"


def plan_diff_markdown(doc: PlanDiffDocument, budget: int | None = None) -> str:
    """Alike changes of several users share a line; with a `budget` (UTF-8 bytes), their user
    lists shorten until the text fits."""
    lines: list[str | Group[Target]] = [
        f"## Consent plan diff: stack {code(doc.stack)}, {code(doc.base_ref)} → working tree",
        "",
        "From the stack file and the catalogue alone (no tenant): users and groups as "
        "configured; a group's per-user grants go to each of its user members.",
        "",
    ]
    if doc.base == "no-stack-file":
        lines += [f"The stack file is new since {code(doc.base_ref)}: everything is added.", ""]
    elif doc.base == "invalid":
        lines += [
            f"The stack did not plan at {code(doc.base_ref)}, so everything is shown as added. "
            "Its problems there:",
            "",
            *(f"- {code(p)}" for p in doc.base_problems),
            "",
        ]
    lines += [_totals(doc.apps), ""]
    lines += _highlights(doc.apps)
    if doc.who_may_consent is not None:
        lines += who_may_consent_change_markdown(
            doc.who_may_consent.before, doc.who_may_consent.after
        )
    if not doc.apps and doc.who_may_consent is None:
        lines += ["No consent changes.", ""]
    for app in doc.apps:
        lines += _app(app, level="###")
    if doc.catalogue is not None:
        cat = doc.catalogue
        lines += [
            "### Catalogue changes",
            "",
            "Catalogue files changed: " + ", ".join(code(f) for f in cat.files_changed) + ".",
            "",
        ]
        if cat.apps is None:
            lines.append(
                f"Their effect alone cannot be shown: the settings at {code(doc.base_ref)} do "
                "not plan with the new catalogue." + ("" if not cat.problems else " Problems:")
            )
            lines += [f"- {code(p)}" for p in cat.problems]
        elif not cat.apps:
            lines.append("They change nothing in this stack's grants.")
        else:
            lines += [
                f"With the settings at {code(doc.base_ref)} unchanged, the catalogue alone "
                "changes:",
                "",
            ]
            for app in cat.apps:
                lines += _app(app, level="####")
        lines.append("")
    return fit(lines, budget)


def _totals(apps: list[AppDiff]) -> str:
    grants = [g for a in apps for g in a.grants]
    added_targets = sum(g.status == "added" for g in grants)
    removed_targets = sum(g.status == "removed" for g in grants)
    scopes_added = sum(len(g.added) for g in grants)
    scopes_removed = sum(len(g.removed) for g in grants)
    assignments = [x for a in apps for x in a.assignments]
    return (
        f"**Totals**: apps +{sum(a.status == 'added' for a in apps)} / "
        f"-{sum(a.status == 'removed' for a in apps)} / "
        f"{sum(a.status == 'changed' for a in apps)} changed; grant targets +{added_targets} / "
        f"-{removed_targets}; scopes +{scopes_added} / -{scopes_removed}; assignments "
        f"+{sum(x.status == 'added' for x in assignments)} / "
        f"-{sum(x.status == 'removed' for x in assignments)}."
    )


def _highlights(apps: list[AppDiff]) -> list[str]:
    lines = []
    for app in apps:
        for s in app.settings:
            if s.setting == "client_id":
                lines.append(
                    f"- {WARNING} **Client id changed** for {code(app.key)}: {_yaml(s.before)} → "
                    f"{_yaml(s.after)}: every grant and assignment of the app goes to another "
                    "app (listed below as removed and new)"
                )
    revoking = [(a.key, g) for a in apps for g in a.grants if g.removed]
    if revoking:
        lines.append(
            f"- {REVOKED} **Revocations**: {plural(len(revoking), 'grant target')} losing scopes "
            f"({', '.join(sorted({code(k) for k, _ in revoking}))})"
        )
    for app in apps:
        for g in app.grants:
            if g.target.kind == "tenant" and g.added:
                lines.append(
                    f"- {WARNING} **Tenant-wide** for {code(app.key)} on {code(g.api_display_name)}: "
                    f"adds {scope_list(g.added)}"
                )
    admin = sorted(
        {
            s.name
            for a in apps
            for g in a.grants
            if g.target.kind != "tenant"
            for s in g.added
            if s.admin_consent_required
        }
    )
    if admin:
        lines.append(
            f"- {WARNING} **Admin-consent scopes** added per user or group: "
            + ", ".join(code(s) for s in admin)
        )
    return [*lines, ""] if lines else []


def _grant_effect(g: GrantDiff) -> str:
    if g.status == "added":
        return f"new grant: {scope_list(g.added)}"
    if g.status == "removed":
        return f"{REVOKED} **grant removed**: {scope_list(g.removed)}"
    parts = []
    if g.added:
        parts.append(f"adds {scope_list(g.added)}")
    if g.removed:
        parts.append(f"{REVOKED} removes {scope_list(g.removed)}")
    if g.reclassified:
        anew = ", ".join(
            scope_label(s)
            + (f" (privilege level {s.privilege_level})" if s.privilege_level else "")
            for s in g.reclassified
        )
        parts.append(f"{WARNING} classified anew by the catalogue: {anew}")
    return "; ".join(parts)


def _label(target: Target) -> str:
    return target_label(target)


def _assignee(target: Target) -> str:
    return target_label(target, grant=False)


def _yaml(value: str | bool | None) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    return code(value)


def _app(app: AppDiff, level: str) -> list[str | Group[Target]]:
    status = {"added": "added", "removed": f"{REVOKED} removed", "changed": "changed"}[app.status]
    lines: list[str | Group[Target]] = [
        f"{level} {code(app.key)}: {code(app.display_name)} ({status})",
        "",
    ]
    for f in app.features:
        if f.change == "enabled":
            lines.append(f"- feature {code(f.feature)} enabled ({f.after})")
        elif f.change == "disabled":
            lines.append(f"- feature {code(f.feature)} disabled (was {f.before})")
        else:
            lines.append(f"- feature {code(f.feature)}: consent {f.before} → {f.after}")
    for s in app.settings:
        lines.append(f"- {s.setting}: {_yaml(s.before)} → {_yaml(s.after)}")
    by_api: dict[str, list[GrantDiff]] = {}
    for g in app.grants:
        by_api.setdefault(g.api, []).append(g)
    for api, grants in by_api.items():
        lines += ["", f"**{code(grants[0].api_display_name)}** ({code(api)})", ""]
        users: dict[str, list[Target]] = {}
        for g in grants:
            if g.target.kind == "user":
                users.setdefault(_grant_effect(g), []).append(g.target)
            else:
                lines.append(f"- {_label(g.target)}: {_grant_effect(g)}")
        lines += [Group(effect, targets, _label) for effect, targets in users.items()]
    if app.assignments:
        lines += ["", "**Assignments**", ""]
        assigned: dict[str, list[Target]] = {}
        for a in app.assignments:
            verb = "assigned" if a.status == "added" else f"{REVOKED} **assignment removed**"
            if a.principal.kind == "user":
                assigned.setdefault(verb, []).append(a.principal)
            else:
                lines.append(f"- {_assignee(a.principal)}: {verb}")
        lines += [Group(verb, targets, _assignee) for verb, targets in assigned.items()]
    lines.append("")
    return lines
