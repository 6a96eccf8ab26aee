"""The offline plan as Markdown: one section per app, one table per API."""

from __future__ import annotations

from previews.markdown import cell, code, plural, scope_list, target_label
from previews.matrix import AppMatrix, PlanDocument


def plan_markdown(doc: PlanDocument) -> str:
    lines = [
        f"## Desired consent: stack {code(doc.stack)}",
        "",
        f"From {code(doc.stack_file)} and the catalogue in {code(doc.catalog)} alone: no tenant "
        "was contacted. Users and groups are shown as configured; a group's per-user grants go "
        "to each of its user members when deployed. (admin consent) marks scopes only an "
        "administrator may consent to.",
        "",
        "| App | Features | Grants | Assignments |",
        "|---|---|---|---|",
    ]
    for app in doc.apps:
        features = ", ".join(f"{f} ({mode})" for f, mode in app.features.items())
        grants = sum(len(api.targets) for api in app.apis)
        grant_text = "service principal only" if app.service_principal_only else str(grants)
        lines.append(
            f"| {code(app.key)} | {cell(features)} | {grant_text} | {len(app.assignments)} |"
        )
    if not doc.apps:
        lines.append("| (none) | | | |")
    for app in doc.apps:
        lines.extend(["", *app_section(app)])
    return "\n".join(lines) + "\n"


def app_section(app: AppMatrix) -> list[str]:
    lines = [f"### {code(app.key)}: {app.display_name}", ""]
    facts = [f"client id {code(app.client_id)}"]
    facts.append("assignment required" if app.assignment_required else "any user may sign in")
    if app.hide:
        facts.append("hidden from My Apps")
    lines.append("- " + "; ".join(facts))
    if app.notes:
        lines.append(f"- notes: {app.notes}")
    lines.append(
        "- features: " + ", ".join(f"{code(f)} ({mode})" for f, mode in app.features.items())
    )
    if app.service_principal_only:
        lines.extend(["", "Service principal only: no grants, no assignments."])
        return lines
    for api in app.apis:
        lines.extend(
            [
                "",
                f"**{api.display_name}** ({code(api.api)})",
                "",
                "| Target | Scopes |",
                "|---|---|",
            ]
        )
        for grant in api.targets:
            lines.append(f"| {target_label(grant.target)} | {scope_list(grant.scopes)} |")
    if app.assignments:
        lines.extend(["", f"Assignments ({plural(len(app.assignments), 'principal')}):"])
        for a in app.assignments:
            role = f"role {code(a.app_role)}" if a.app_role else "default role"
            lines.append(f"- {target_label(a.principal, grant=False)}, {role}")
    return lines
