"""What the policy pack will say of a stack's plan, offline: its rules are pure functions, run
here on the resources the program would declare for the plan (service principals, the APIs it
reads, grants and assignments, linked as the EnterpriseApp component links them), with the
pack's config. So `check` and the pull-request comment of a fork, which get no live preview,
learn what the mandatory pack refuses at preview.

The program's object ids are not known offline: each app, API and principal gets a stand-in
id, and a per-user grant one stand-in user per target (the rules judge a per-user grant the same
whoever the user is). `checked-before-write` asks the tenant and is not run here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from catalog.catalogue import Catalogue
from catalog.problems import Problem
from components.core.naming import (
    ASSIGNMENT_TYPE,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
    assignment_name,
    grant_name,
    resource_api_name,
    service_principal_name,
)
from components.core.planner import ConsentPlan
from components.core.target import Target
from policies.config import parse_config
from policies.resources import Resource
from policies.rules import RULES
from policies.stack import Stack

_IDS = uuid.UUID("6f1d3c2e-5a4b-4c8d-9e0f-a1b2c3d4e5f6")
ENFORCED = ("mandatory", "remediate")


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_IDS, "/".join(parts)))


def _sp(app: str, client_id: str, requires_assignment: bool) -> Resource:
    props = {
        "clientId": client_id,
        "objectId": _id("sp", app),
        "appRoleAssignmentRequired": requires_assignment,
    }
    name = service_principal_name(app)
    return Resource(f"offline:{name}", SERVICE_PRINCIPAL_TYPE, name, props, parent=f"offline:{app}")


def _user(target: Target) -> str | None:
    return None if target.kind == "tenant" else _id("principal", str(target))


def plan_resources(plan: ConsentPlan, catalogue: Catalogue) -> list[Resource]:
    """The resources the program would declare for `plan`, as the pack sees them."""
    out: list[Resource] = []
    apis: dict[str, Resource] = {}
    for app in plan.apps:
        sp = _sp(app.key, app.client_id, app.settings.assignment_required)
        out.append(sp)
        for grant in app.grants:
            api = apis.get(grant.api)
            if api is None:
                name = resource_api_name(grant.api)
                props = {
                    "appId": catalogue.apis[grant.api].app_id,
                    "objectId": _id("api", grant.api),
                }
                api = apis[grant.api] = Resource(f"offline:{name}", RESOURCE_API_TYPE, name, props)
                out.append(api)
            values: dict[str, Any] = {
                "servicePrincipalObjectId": sp.props["objectId"],
                "resourceServicePrincipalObjectId": api.props["objectId"],
                "claimValues": list(grant.scopes),
            }
            user = _user(grant.target)
            if user is not None:
                values["userObjectId"] = user
            name = grant_name(app.key, grant.api, grant.target)
            deps = {
                "servicePrincipalObjectId": [sp.urn],
                "resourceServicePrincipalObjectId": [api.urn],
            }
            out.append(
                Resource(
                    f"offline:{name}",
                    GRANT_TYPE,
                    name,
                    values,
                    property_dependencies=deps,
                    parent=sp.parent,
                )
            )
        for assignment in app.assignments:
            name = assignment_name(app.key, assignment.principal)
            values = {
                "resourceObjectId": sp.props["objectId"],
                "appRoleId": assignment.app_role_id,
                "principalObjectId": _user(assignment.principal),
            }
            deps = {"resourceObjectId": [sp.urn]}
            out.append(
                Resource(
                    f"offline:{name}",
                    ASSIGNMENT_TYPE,
                    name,
                    values,
                    property_dependencies=deps,
                    parent=sp.parent,
                )
            )
    return out


def _level(config: Mapping[str, Any], rule: str) -> str:
    entry = config.get(rule)
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping) and isinstance(entry.get("enforcementLevel"), str):
        return str(entry["enforcementLevel"])
    default = config.get("all")
    return default if isinstance(default, str) else "mandatory"


def policy_verdict(plan: ConsentPlan, catalogue: Catalogue, config: Mapping[str, Any]) -> list[str]:
    """The messages of every mandatory rule the plan breaks (`rule: message`)."""
    resources = plan_resources(plan, catalogue)
    stack = Stack(resources)
    out: list[str] = []
    for rule in RULES:
        if rule.kind == "step" or _level(config, rule.name) not in ENFORCED:
            continue
        raw = config.get(rule.name)
        settings, problems = parse_config(
            rule.config_model, rule.name, raw if isinstance(raw, Mapping) else None
        )
        if settings is None:
            out += [f"{rule.name}: {p} (fix the policy config)" for p in problems]
            continue
        found = (
            rule.check(stack, catalogue, settings)
            if rule.kind == "stack"
            else [v for r in resources for v in rule.check(r, catalogue, settings)]
        )
        out += [f"{rule.name}: {v.message}" for v in found]
    return out


def read_policy_config(path: Path) -> dict[str, Any] | Problem:
    """The `--policy-pack-config` document, or the one problem with it."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        return Problem(str(path), "", f"cannot read ({exc.strerror or exc})")
    except (ValueError, RecursionError) as exc:
        return Problem(str(path), "", f"not JSON ({str(exc)[:200]})")
    if not isinstance(data, dict):
        return Problem(str(path), "", "not a JSON object of policy settings")
    return data
