"""Synthetic preview steps in the shape `pulumi preview --json` gives them (tests, benchmark).

The shape is the real engine's, as in tests/previews/digests/engine-*.json (checked by
tests/previews/render/test_render.py): the state before a change has the resource's `id`, `outputs`,
`created` and `modified`; the state the program registers has no `id` and no `outputs` (an
update keeps `created` and `modified`); `retainOnDelete` appears only when true; every step has
`detailedDiff`, null but for updates, where it names list elements (`claimValues[2]`).
Used for what a real engine cannot produce from this project (a `[secret]` value, an import,
a grant that moves to another user) and for digests of any size."""

from __future__ import annotations

from typing import Any

from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    SERVICE_PRINCIPAL_TYPE,
    assignment_name,
    enterprise_app_name,
    grant_name,
    service_principal_name,
)
from components.core.target import Target

PROJECT = "entra-consent"
GRAPH_SP = "6b0a4b1e-0000-4000-8000-0000000000aa"
CLIENT_SP = "5e5e5e5e-0000-4000-8000-000000000001"
BASE = ["User.Read", "email", "offline_access", "openid", "profile"]
MAIL_SCOPES = ["Calendars.ReadWrite", "Mail.ReadWrite.Shared", "People.Read", *BASE]
OPTIONAL = ["Place.Read.All", "Team.ReadBasic.All", "Group.ReadWrite.All"]
TIMESTAMP = "2026-01-01T00:00:00.000000000Z"
SOURCE = "project:///components/enterprise_app.py#52"

# A value of a step's states: scopes, or a secret as the engine masks it (SECRET).
Scopes = list[str] | str | None


def urn(stack: str, app: str, typ: str, name: str) -> str:
    parent = f"{ENTERPRISE_APP_TYPE}$" if typ != ENTERPRISE_APP_TYPE else ""
    return f"urn:pulumi:{stack}::{PROJECT}::{parent}{typ}::{name}"


def provider(stack: str) -> str:
    return (
        f"urn:pulumi:{stack}::{PROJECT}::pulumi:providers:azuread::default_6_11_1::"
        "0c4a1f7e-7d3c-4c3e-9d2b-3f0f0f0f0f0f"
    )


def graph_api(stack: str) -> str:
    """The read Microsoft Graph service principal, a child of its `ResourceApi` component."""
    return (
        f"urn:pulumi:{stack}::{PROJECT}::entra-consent:index:ResourceApi$"
        f"{SERVICE_PRINCIPAL_TYPE}::api-microsoft-graph"
    )


def user_id(index: int) -> str:
    return f"a1a1a1a1-0000-4000-8000-{index:012d}"


def _state(
    stack: str,
    app: str,
    typ: str,
    name: str,
    inputs: dict[str, Any],
    *,
    applied: bool,
    resource_id: str | None = None,
    outputs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The engine's state (`applied`: with id, outputs and timestamps) or the state the program
    registers (no id, no outputs)."""
    sp = [urn(stack, app, SERVICE_PRINCIPAL_TYPE, service_principal_name(app))]
    api = [graph_api(stack)] if typ == GRANT_TYPE else []
    on = {
        "servicePrincipalObjectId": sp,
        "resourceObjectId": sp,
        "resourceServicePrincipalObjectId": api,
    }
    state: dict[str, Any] = {
        "urn": urn(stack, app, typ, name),
        "custom": True,
        "type": typ,
    }
    if applied:
        state["id"] = resource_id or f"/synthetic/{name}"
    state["inputs"] = inputs
    if applied:
        state["outputs"] = {**inputs, **(outputs or {})}
    state.update(
        parent=urn(stack, app, ENTERPRISE_APP_TYPE, enterprise_app_name(app)),
        dependencies=[*sp, *api],
        provider=provider(stack),
        propertyDependencies={key: on.get(key, []) for key in inputs},
    )
    if applied:
        state.update(created=TIMESTAMP, modified=TIMESTAMP)
    state["sourcePosition"] = SOURCE
    return state


def _registered(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """An update's new state keeps the old one's timestamps."""
    if old is not None:
        new.update(created=old["created"], modified=old["modified"])
    return new


def claim_diff(old: Scopes, new: Scopes) -> dict[str, Any]:
    """The engine's detailed diff of `claimValues`: one entry per added or removed element (by
    its index in the new or the old list), or the whole property when it is a secret."""
    if not isinstance(old, list) or not isinstance(new, list):
        return {"claimValues": {"kind": "update", "inputDiff": True}}
    diff = {
        f"claimValues[{i}]": {"kind": "add", "inputDiff": True}
        for i, scope in enumerate(new)
        if scope not in old
    }
    diff.update(
        (f"claimValues[{i}]", {"kind": "delete", "inputDiff": True})
        for i, scope in enumerate(old)
        if scope not in new
    )
    return diff


def _grant_inputs(scopes: Scopes, user: str) -> dict[str, Any]:
    return {
        "claimValues": scopes,
        "resourceServicePrincipalObjectId": GRAPH_SP,
        "servicePrincipalObjectId": CLIENT_SP,
        "userObjectId": user,
    }


def grant_step(
    stack: str,
    app: str,
    user: str,
    op: str,
    old: Scopes,
    new: Scopes,
) -> dict[str, Any]:
    """A per-user grant on Microsoft Graph: `create`, `import`, `update` or `delete`. Pass
    previews.render.digest.SECRET for scopes the engine masks."""
    name = grant_name(app, "microsoft-graph", Target("user", user))
    step: dict[str, Any] = {
        "op": op,
        "urn": urn(stack, app, GRANT_TYPE, name),
        "provider": provider(stack),
    }
    old_state = None
    if old is not None:
        old_state = _state(stack, app, GRANT_TYPE, name, _grant_inputs(old, user), applied=True)
        step["oldState"] = old_state
    if new is not None:
        inputs = _grant_inputs(new, user)
        registered = _state(stack, app, GRANT_TYPE, name, inputs, applied=op == "import")
        step["newState"] = _registered(old_state, registered)
    if op == "update":
        step["diffReasons"] = ["claimValues"]
        step["detailedDiff"] = claim_diff(old, new)
    else:
        step["detailedDiff"] = None
    return step


def assignment_step(stack: str, app: str, user: str, op: str) -> dict[str, Any]:
    """A user's default-role assignment, `create`d or `delete`d."""
    name = assignment_name(app, Target("user", user))
    inputs = {
        "appRoleId": "00000000-0000-0000-0000-000000000000",
        "principalObjectId": user,
        "resourceObjectId": CLIENT_SP,
    }
    deleted = op == "delete"
    state = _state(
        stack,
        app,
        ASSIGNMENT_TYPE,
        name,
        inputs,
        applied=deleted,
        outputs={"principalType": "User"} if deleted else None,
    )
    return {
        "op": op,
        "urn": urn(stack, app, ASSIGNMENT_TYPE, name),
        "provider": provider(stack),
        "oldState" if deleted else "newState": state,
        "detailedDiff": None,
    }


def moved_grant_steps(
    stack: str,
    app: str,
    old_user: str,
    new_user: str,
    scopes: list[str],
    *,
    replacement_steps: bool = True,
) -> list[dict[str, Any]]:
    """A per-user grant replaced because its `userObjectId` changed (one resource, so its name
    does not hold the user: not this program's naming). Grants are delete-before-replace:
    `delete-replaced`, `replace`, `create-replacement` with --show-replacement-steps, else only
    `replace`."""
    name = grant_name(app, "microsoft-graph", Target("user", "moved"))
    old = _state(stack, app, GRANT_TYPE, name, _grant_inputs(scopes, old_user), applied=True)
    new = _registered(
        old, _state(stack, app, GRANT_TYPE, name, _grant_inputs(scopes, new_user), applied=False)
    )
    common = {"urn": urn(stack, app, GRANT_TYPE, name), "provider": provider(stack)}
    changed = {
        "diffReasons": ["userObjectId"],
        "replaceReasons": ["userObjectId"],
        "detailedDiff": {"userObjectId": {"kind": "update-replace", "inputDiff": True}},
    }
    replace = {"op": "replace", **common, "oldState": old, "newState": new, **changed}
    if not replacement_steps:
        return [replace]
    return [
        {"op": "delete-replaced", **common, "oldState": old, "detailedDiff": None},
        replace,
        {"op": "create-replacement", **common, "oldState": old, "newState": new, **changed},
    ]


def stack_step(stack: str, outputs: dict[str, Any]) -> dict[str, Any]:
    """The stack's own `same` step: the outputs of the last update in its old state only."""
    stack_urn = f"urn:pulumi:{stack}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{stack}"
    state = {"urn": stack_urn, "custom": False, "type": "pulumi:pulumi:Stack"}
    times = {"created": TIMESTAMP, "modified": TIMESTAMP, "sourcePosition": SOURCE}
    return {
        "op": "same",
        "urn": stack_urn,
        "oldState": {**state, "outputs": outputs, **times},
        "newState": {**state, **times},
        "detailedDiff": None,
    }


def large_digest(steps: int, stack: str = "prod") -> dict[str, Any]:
    """`steps` consent steps over four apps: per-user grants created, widened, narrowed and
    revoked, and assignments, with scope sets varying by user."""
    apps = ["m365-jira-mail", "m365-jira-teams", "m365-jira-todo", "jemhc"]
    out: list[dict[str, Any]] = []
    index = 0
    while len(out) < steps:
        app = apps[index % len(apps)]
        user = user_id(index)
        extra = OPTIONAL[: index % (len(OPTIONAL) + 1)]
        kind = index % 5
        if kind == 0:
            out.append(grant_step(stack, app, user, "create", None, MAIL_SCOPES + extra))
        elif kind == 1:
            out.append(grant_step(stack, app, user, "update", MAIL_SCOPES, MAIL_SCOPES + extra))
        elif kind == 2:
            out.append(grant_step(stack, app, user, "update", MAIL_SCOPES + extra, BASE))
        elif kind == 3:
            out.append(grant_step(stack, app, user, "delete", MAIL_SCOPES + extra, None))
        else:
            out.append(assignment_step(stack, app, user, "create" if index % 2 else "delete"))
        index += 1
    return {
        "config": {},
        "steps": out,
        "diagnostics": [],
        "duration": 1,
        "changeSummary": {"create": steps},
    }
