"""Synthetic preview digests of any size, in the documented digest format (tests, benchmark)."""

from __future__ import annotations

from typing import Any

from components.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    assignment_name,
    enterprise_app_name,
    grant_name,
)
from components.planner import Target

PROJECT = "entra-consent"
GRAPH_SP = "6b0a4b1e-0000-4000-8000-0000000000aa"
BASE = ["User.Read", "email", "offline_access", "openid", "profile"]
MAIL_SCOPES = ["Calendars.ReadWrite", "Mail.ReadWrite.Shared", "People.Read", *BASE]
OPTIONAL = ["Place.Read.All", "Team.ReadBasic.All", "Group.ReadWrite.All"]


def urn(stack: str, app: str, typ: str, name: str) -> str:
    parent = f"{ENTERPRISE_APP_TYPE}$" if typ != ENTERPRISE_APP_TYPE else ""
    return f"urn:pulumi:{stack}::{PROJECT}::{parent}{typ}::{name}"


def user_id(index: int) -> str:
    return f"a1a1a1a1-0000-4000-8000-{index:012d}"


def _state(stack: str, app: str, typ: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "urn": urn(stack, app, typ, name),
        "custom": True,
        "type": typ,
        "inputs": inputs,
        "outputs": {},
        "parent": urn(stack, app, ENTERPRISE_APP_TYPE, enterprise_app_name(app)),
    }


def grant_step(
    stack: str, app: str, user: str, op: str, old: list[str] | None, new: list[str] | None
) -> dict[str, Any]:
    name = grant_name(app, "microsoft-graph", Target("user", user))
    step: dict[str, Any] = {
        "op": op,
        "urn": urn(stack, app, GRANT_TYPE, name),
        "detailedDiff": None,
    }
    for key, scopes in (("oldState", old), ("newState", new)):
        if scopes is not None:
            inputs = {
                "claimValues": scopes,
                "servicePrincipalObjectId": "5e5e5e5e-0000-4000-8000-000000000001",
                "resourceServicePrincipalObjectId": GRAPH_SP,
                "userObjectId": user,
            }
            step[key] = _state(stack, app, GRANT_TYPE, name, inputs)
    if op == "update":
        step["diffReasons"] = ["claimValues"]
    return step


def assignment_step(stack: str, app: str, user: str, op: str) -> dict[str, Any]:
    name = assignment_name(app, Target("user", user))
    inputs = {"appRoleId": "00000000-0000-0000-0000-000000000000", "principalObjectId": user}
    key = "oldState" if op == "delete" else "newState"
    return {
        "op": op,
        "urn": urn(stack, app, ASSIGNMENT_TYPE, name),
        key: _state(stack, app, ASSIGNMENT_TYPE, name, inputs),
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
    return {"steps": out, "changeSummary": {"create": steps}, "duration": 1}
