"""Stacks for the pack's rules run in process (no engine, no pack process): service
principals, `ResourceApi` components, grants and assignments as the engine hands them to the
pack, and every rule's verdict on them, as the pack runs the rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from catalog.catalogue import App, Catalogue, load_catalogue
from catalog.models import AppRole
from components.core.naming import (
    ASSIGNMENT_TYPE,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
)
from policies.config import ClosedWorldConfig, PrivilegedConfig, RuleConfig
from policies.resources import Resource
from policies.rules import RULES
from policies.stack import Stack
from tests.conftest import ROOT

CATALOGUE: Catalogue = load_catalogue(ROOT / "catalog")
GRAPH = CATALOGUE.apis["microsoft-graph"].app_id  # 00000003-0000-0000-c000-000000000000
EXCHANGE = CATALOGUE.apis["exchange-online"].app_id
MAIL = CATALOGUE.apps["m365-jira-mail"].client_id  # e7185a25-9df9-4d05-b779-76b04bf46424
TODO = CATALOGUE.apps["m365-jira-todo"].client_id
GRAPH_OID = "2b2b2b2b-0000-4000-8000-0000000000bb"
EXCHANGE_OID = "3c3c3c3c-0000-4000-8000-0000000000cc"
MAIL_OID = "1a1a1a1a-0000-4000-8000-0000000000aa"
TODO_OID = "4d4d4d4d-0000-4000-8000-0000000000dd"
ADELE = "0f0f0f0f-aaaa-4bbb-8ccc-0000000000ad"
ROLE = "7a5e1c2d-bbbb-4ccc-9ddd-00000000e0f1"  # a role the test catalogue declares
PRIVILEGED = "Group.ReadWrite.All"  # admin consent required
PLAIN = ["User.Read", "openid"]
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown string

Verdict = tuple[str, str, str]  # rule, urn, message


def with_role(catalogue: Catalogue, app: str, role_id: str) -> Catalogue:
    """The catalogue with one app role declared for `app` (the shipped one declares none)."""
    found = catalogue.apps[app]
    role = AppRole.model_validate({"id": role_id, "display_name": "Agent"})
    entry = found.entry.model_copy(update={"app_roles": {"agent": role}})
    apps = {**catalogue.apps, app: App(found.key, found.file, entry)}
    return dataclasses.replace(catalogue, apps=apps)


ROLE_CATALOGUE = with_role(CATALOGUE, "m365-jira-mail", ROLE)


def sp(name: str, client_id: str, object_id: str = MAIL_OID, **props: Any) -> Resource:
    return Resource(
        f"urn:{name}-sp",
        SERVICE_PRINCIPAL_TYPE,
        f"{name}-sp",
        {"clientId": client_id, "objectId": object_id, **props},
        parent=f"urn:{name}",
    )


def api(name: str, app_id: str, object_id: str) -> Resource:
    return Resource(
        f"urn:api-{name}",
        RESOURCE_API_TYPE,
        f"api-{name}",
        {"appId": app_id, "objectId": object_id},
    )


def grant(
    name: str,
    client: Resource,
    to: Resource,
    scopes: Any,
    user: str | None = None,
    link: bool = True,
    **props: Any,
) -> Resource:
    values: dict[str, Any] = {
        "servicePrincipalObjectId": client.props["objectId"],
        "resourceServicePrincipalObjectId": to.props["objectId"],
        "claimValues": scopes,
    }
    if user is not None:
        values["userObjectId"] = user
    deps = (
        {"servicePrincipalObjectId": [client.urn], "resourceServicePrincipalObjectId": [to.urn]}
        if link
        else {}
    )
    return Resource(
        f"urn:{name}",
        GRANT_TYPE,
        name,
        {**values, **props},
        property_dependencies=deps,
        parent=client.parent,
    )


def assignment(
    name: str, app: Resource, role: str, principal: str = ADELE, link: bool = True
) -> Resource:
    return Resource(
        f"urn:{name}",
        ASSIGNMENT_TYPE,
        name,
        {
            "resourceObjectId": app.props["objectId"],
            "appRoleId": role,
            "principalObjectId": principal,
        },
        property_dependencies={"resourceObjectId": [app.urn]} if link else {},
        parent=app.parent,
    )


CONFIGS: dict[str, RuleConfig] = {
    "closed-world": ClosedWorldConfig(),
    "tenant-wide-privileged-scopes": PrivilegedConfig(),
}


def verdicts(
    resources: Iterable[Resource],
    catalogue: Catalogue = CATALOGUE,
    configs: dict[str, RuleConfig] | None = None,
) -> list[Verdict]:
    """Every rule on the stack, as the pack runs them (one `Stack` shared by the stack rules,
    the per-resource rule on each resource)."""
    configs = {**CONFIGS, **(configs or {})}
    resources = list(resources)
    stack = Stack(resources)
    found: list[Verdict] = []
    for rule in RULES:
        config = configs.get(rule.name) or rule.config_model()
        if rule.kind == "step":
            continue  # judged with a tenant to ask: tests/policies/test_before_write.py
        if rule.kind == "stack":
            found += [
                (rule.name, v.urn or "", v.message) for v in rule.check(stack, catalogue, config)
            ]
        else:
            for r in resources:
                for v in rule.check(r, catalogue, config):
                    found.append((rule.name, r.urn, v.message))
    return sorted(found)


def rules_and_urns(found: list[Verdict]) -> set[tuple[str, str]]:
    return {(rule, urn) for rule, urn, _ in found}
