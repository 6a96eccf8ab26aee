"""The offline plan as Markdown: one section per app, one table per API, within a byte budget.

Every value read from the stack file or the catalogue goes through the Markdown kit
(previews/markdown.py): `code()` spans, `cell()` in tables. Within the budget every target has
its own row; past it, users with the same scopes share one row and a collapsible list of them
that shortens (USER_LIST_CAPS) until the text fits, and as a last resort the text is cut at a
line with a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from components.core.target import Target
from previews.markdown import (
    USER_LIST_CAPS,
    code,
    grouped,
    plural,
    scope_list,
    table,
    target_label,
    truncate,
    utf8_size,
)
from previews.plan.matrix import AppMatrix, PlanDocument, ScopeInfo, TargetGrant
from previews.plan.who_may_consent import who_may_consent_markdown

DEFAULT_BUDGET = 60_000  # UTF-8 bytes: a GitHub comment holds 65,536 characters
_BLANK_RUNS = re.compile(r"\n{3,}")


class _OverBudget(Exception):
    pass


class _Lines:
    """Lines with their running UTF-8 size; adding past `budget` raises _OverBudget."""

    def __init__(self, budget: int | None) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.budget = budget

    def add(self, *lines: str) -> None:
        for line in lines:
            self.size += utf8_size(line) + 1
            if self.budget is not None and self.size > self.budget:
                raise _OverBudget
            self.lines.append(line)

    def text(self) -> str:
        return _BLANK_RUNS.sub("\n\n", "\n".join(self.lines)) + "\n"


@dataclass
class _UserRow:
    """Users of one API with the same scopes (in the order of their first target)."""

    scopes: str
    users: list[Target] = field(default_factory=list)


@dataclass
class _ApiLayout:
    title: str
    grants: list[TargetGrant]
    others: list[TargetGrant]  # tenant and groups, in plan order
    user_rows: list[_UserRow]


def plan_markdown(doc: PlanDocument, budget: int | None = DEFAULT_BUDGET) -> str:
    """The plan within `budget` UTF-8 bytes (None: no limit, every target on its own row)."""
    scopes = _ScopeTexts()
    layouts = [
        [_api_layout(api.display_name, api.api, api.targets, scopes) for api in app.apis]
        for app in doc.apps
    ]
    if budget is None:
        return _render(doc, layouts, None, None, scopes)
    for cap in USER_LIST_CAPS:
        try:
            return _render(doc, layouts, cap, budget, scopes)
        except _OverBudget:
            continue
    return truncate(_render(doc, layouts, 0, None, scopes), budget)


class _ScopeTexts:
    """`scope_list` once per distinct scope set (a large stack repeats a few sets per user)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[tuple[str, bool], ...], str] = {}

    def __call__(self, scopes: list[ScopeInfo]) -> str:
        key = tuple((s.name, s.admin_consent_required) for s in scopes)
        text = self._seen.get(key)
        if text is None:
            text = self._seen[key] = scope_list(scopes)
        return text


def _api_layout(
    display_name: str, api: str, targets: list[TargetGrant], scopes: _ScopeTexts
) -> _ApiLayout:
    others: list[TargetGrant] = []
    rows: dict[str, _UserRow] = {}
    for grant in targets:
        if grant.target.kind == "user":
            text = scopes(grant.scopes)
            rows.setdefault(text, _UserRow(text)).users.append(grant.target)
        else:
            others.append(grant)
    title = f"**{code(display_name)}** ({code(api)})"
    return _ApiLayout(title, targets, others, list(rows.values()))


def _render(
    doc: PlanDocument,
    layouts: list[list[_ApiLayout]],
    cap: int | None,
    budget: int | None,
    scopes: _ScopeTexts,
) -> str:
    out = _Lines(budget)
    out.add(
        f"## Desired consent: stack {code(doc.stack)}",
        "",
        f"From {code(doc.stack_file)} and the catalogue in {code(doc.catalog)} alone: no tenant "
        "was contacted. Users and groups are shown as configured; a group's per-user grants go "
        "to each of its user members when deployed. (admin consent) marks scopes only an "
        "administrator may consent to.",
        "",
    )
    out.add(*table(["App", "Features", "Grants", "Assignments"], map(_app_row, doc.apps)))
    if not doc.apps:
        out.add("| (none) | | | |")
    if doc.who_may_consent is not None:
        out.add("", *who_may_consent_markdown(doc.who_may_consent))
    for app, layout in zip(doc.apps, layouts, strict=True):
        out.add("")
        _app_section(out, app, layout, cap, scopes)
    return out.text()


def _app_row(app: AppMatrix) -> list[str]:
    features = ", ".join(f"{code(f)} ({mode})" for f, mode in app.features.items())
    grants = sum(len(api.targets) for api in app.apis)
    grant_text = "service principal only" if app.service_principal_only else str(grants)
    return [code(app.key), features, grant_text, str(len(app.assignments))]


def _app_section(
    out: _Lines, app: AppMatrix, layout: list[_ApiLayout], cap: int | None, scopes: _ScopeTexts
) -> None:
    out.add(f"### {code(app.key)}: {code(app.display_name)}", "")
    facts = [f"client id {code(app.client_id)}"]
    facts.append("assignment required" if app.assignment_required else "any user may sign in")
    if app.hide:
        facts.append("hidden from My Apps")
    out.add("- " + "; ".join(facts))
    if app.notes:
        out.add(f"- notes: {code(app.notes)}")
    out.add("- features: " + ", ".join(f"{code(f)} ({mode})" for f, mode in app.features.items()))
    if app.service_principal_only:
        out.add("", "Service principal only: no grants, no assignments.")
        return
    for api in layout:
        out.add("", api.title, "")
        rows = [
            [target_label(g.target, assigned_only=app.assignment_required), scopes(g.scopes)]
            for g in (api.grants if cap is None else api.others)
        ]
        if cap is not None:
            rows += [
                [target_label(r.users[0]) if len(r.users) == 1 else _users(r.users), r.scopes]
                for r in api.user_rows
            ]
        out.add(*table(["Target", "Scopes"], rows))
        if cap is None:
            continue
        listed = [row for row in api.user_rows if len(row.users) > 1]
        if listed:
            out.add("")
        for row in listed:
            out.add(*grouped(row.scopes, row.users, target_label, cap))
    if app.assignments:
        _assignments(out, app, cap)


def _users(users: list[Target]) -> str:
    return f"{len(users)} users (listed below)"


def _role(app_role: str | None) -> str:
    return f"role {code(app_role)}" if app_role else "default role"


def _assignee(target: Target) -> str:
    return target_label(target, grant=False)


def _assignments(out: _Lines, app: AppMatrix, cap: int | None) -> None:
    out.add("", f"Assignments ({plural(len(app.assignments), 'principal')}):")
    if cap is None:
        for a in app.assignments:
            out.add(f"- {_assignee(a.principal)}, {_role(a.app_role)}")
        return
    by_role: dict[str, list[Target]] = {}
    for a in app.assignments:
        if a.principal.kind == "user":
            by_role.setdefault(_role(a.app_role), []).append(a.principal)
        else:
            out.add(f"- {_assignee(a.principal)}, {_role(a.app_role)}")
    for role, users in by_role.items():
        if len(users) == 1:
            out.add(f"- {_assignee(users[0])}, {role}")
        else:
            out.add(*grouped(role, users, _assignee, cap))
