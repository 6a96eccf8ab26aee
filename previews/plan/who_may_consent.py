"""The plan's "Who may consent" section: what a stack's `user_consent` and
`admin_consent_workflow` settings make of the tenant's consent rules, from the stack's
permission grant policy (components/core/front_door.py), as a document (`plan --format json`)
and as Markdown. Values through the Markdown kit's `code()`."""

from __future__ import annotations

from pydantic import Field

from catalog.catalogue import Catalogue
from catalog.strict import Strict
from components.core.front_door import user_consent_policy
from components.core.planner import ConsentPlan
from components.core.settings import StackSettings, UserConsent
from previews.markdown import code

WARNING = "⚠️"


class ConsentRule(Strict):
    app: str
    api: str
    users_may_consent: list[str]
    admin_approval: list[str]


class WorkflowView(Strict):
    users: list[str]
    groups: list[str]
    roles: list[str]
    notify: bool
    reminders: bool
    duration_days: int


class WhoMayConsent(Strict):
    """`user_consent` and, with `catalogue`, the stack's policy and what it allows."""

    user_consent: UserConsent
    policy_id: str | None = None
    rules: list[ConsentRule] = Field(default_factory=list)
    admin_consent_workflow: WorkflowView | None = None


def who_may_consent(
    stack: str, catalogue: Catalogue, settings: StackSettings, plan: ConsentPlan
) -> WhoMayConsent | None:
    """None when the stack manages neither (the default: nothing changes)."""
    workflow = settings.admin_consent_workflow
    if settings.user_consent == "unmanaged" and workflow is None:
        return None
    policy_id, rules = None, []
    if settings.user_consent == "catalogue":
        policy = user_consent_policy(stack, catalogue, plan)
        users = {(c.app, c.api): list(c.scopes) for c in policy.includes}
        admins = {(a.app, a.api): list(a.scopes) for a in policy.admin_only}
        policy_id = policy.id
        rules = [
            ConsentRule(
                app=app,
                api=api,
                users_may_consent=users.get((app, api), []),
                admin_approval=admins.get((app, api), []),
            )
            for app, api in sorted(users.keys() | admins.keys())
        ]
    view = None
    if workflow is not None:
        view = WorkflowView(
            users=workflow.reviewers.users,
            groups=workflow.reviewers.groups,
            roles=workflow.reviewers.roles,
            notify=workflow.notify,
            reminders=workflow.reminders,
            duration_days=workflow.duration_days,
        )
    return WhoMayConsent(
        user_consent=settings.user_consent,
        policy_id=policy_id,
        rules=rules,
        admin_consent_workflow=view,
    )


_MODES = {
    "catalogue": (
        "users may consent for themselves only to the scopes below (policy {policy}); for "
        "anything else they need an admin (app owners keep what the tenant's policies for "
        "owned resources let them)"
    ),
    "none": (
        "users may consent to nothing for themselves: they need an admin (app owners keep what "
        "the tenant's policies for owned resources let them)"
    ),
    "unmanaged": "left as the tenant has it (this stack does not manage user consent)",
}


def who_may_consent_markdown(view: WhoMayConsent) -> list[str]:
    return ["### Who may consent", "", *_body(view)]


def who_may_consent_change_markdown(
    before: WhoMayConsent | None, after: WhoMayConsent | None
) -> list[str]:
    """A change of the tenant's consent rules: all users' access, so shown whole, both sides."""
    out = [f"### {WARNING} Who may consent changes", ""]
    for label, view in (("Before", before), ("After", after)):
        out += [f"**{label}**:", ""]
        out += _body(view) if view is not None else [f"{_MODES['unmanaged'].capitalize()}.", ""]
    return out


def _body(view: WhoMayConsent) -> list[str]:
    mode = _MODES[view.user_consent].format(policy=code(view.policy_id))
    out = [f"User consent ({code(view.user_consent)}): {mode}.", ""]
    for rule in view.rules:
        said = []
        if rule.users_may_consent:
            said.append("users may consent to " + _names(rule.users_may_consent))
        if rule.admin_approval:
            said.append("admin approval required for " + _names(rule.admin_approval))
        out.append(f"- {code(rule.app)} → {code(rule.api)}: " + "; ".join(said))
    if view.rules:
        out.append("")
    workflow = view.admin_consent_workflow
    if workflow is not None:
        out += [_workflow(workflow), ""]
    return out


def _names(values: list[str]) -> str:
    return ", ".join(code(v) for v in values)


def _workflow(w: WorkflowView) -> str:
    who = [
        f"{label} {_names(values)}"
        for label, values in (("users", w.users), ("groups", w.groups), ("roles", w.roles))
        if values
    ]
    return (
        f"Admin consent requests go to {'; '.join(who)}; reviewers notified: "
        f"{'yes' if w.notify else 'no'}; reminders: {'yes' if w.reminders else 'no'}; a request "
        f"expires after {w.duration_days} days."
    )
