"""Violation cases as small files: a resource set (or stack settings), the policy config, and
exactly the violations expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field

from catalog.strict import Strict
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    STACK_TYPE,
)
from simtenant.fakes.fake_tenant import fake_id
from simtenant.fakes.policy_analyzer import SP_TYPE, UNKNOWN, EngineResource, stack_urn

CASES = Path(__file__).resolve().parents[2] / "tests" / "policies" / "cases"
COMPONENT = ENTERPRISE_APP_TYPE
RESOURCE_API = RESOURCE_API_TYPE
SECRET_SIG, SECRET = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
RULE_NAMES = [
    "closed-world",
    "registered-ids-only",
    "catalogue-scopes-only",
    "catalogue-apps-only",
    "no-first-party-service-principals",
    "tenant-wide-privileged-scopes",
    "one-grant-per-target",
    "default-app-role",
    "checked-before-write",
]


class ResourceSpec(Strict):
    """`sp`: a managed service principal (in an EnterpriseApp component); `api`: a read one
    (in a ResourceApi component that carries its app id and object id, as the program does;
    `props` override the component's outputs); `grant` (client, api by name) and `assignment`
    (app by name); `other`: any resource `type`, its `refs` naming service principals by name;
    `provider`: the provider resource of package `type`. `link: false` records no dependencies;
    `props` overrides property values ("unknown" for a preview unknown)."""

    kind: Literal["sp", "api", "grant", "assignment", "other", "provider"]
    name: str
    type: str | None = None  # other: its type token; provider: its package
    clientId: str | None = None
    client: str | None = None
    api: str | None = None
    app: str | None = None
    claimValues: list[str] | Literal["unknown"] | None = None
    user: str | None = None
    appRoleId: str | None = None
    principal: str | None = None
    link: bool = True
    props: dict[str, Any] = Field(default_factory=dict)
    refs: dict[str, str] = Field(default_factory=dict)  # other: property -> sp/api by name
    outside: bool = False  # a grant or assignment declared outside its app's component
    secret: bool = False  # claimValues sent as a secret


class Expected(Strict):
    policy: str
    resource: str | None
    mentions: list[str] = Field(default_factory=list)


class Case(Strict):
    description: str
    stack: dict[str, Any] | None = None
    stack_file: str | None = None
    resources: list[ResourceSpec] | None = None
    preview: bool = False
    refresh: bool = False  # the engine refreshed: the reads are among the resources too
    catalog: str | None = None
    policy_config: dict[str, Any] = Field(default_factory=dict)
    expect: list[Expected]

    def config(self) -> dict[str, Any]:
        config = {k: dict(v) if isinstance(v, dict) else v for k, v in self.policy_config.items()}
        # A service principal the simulated tenant does not hold never appears: no waiting.
        before_write = config.setdefault("checked-before-write", {})
        if isinstance(before_write, dict):
            before_write.setdefault("replicationSeconds", 0)
        if self.catalog is not None:
            # relative to the pack, as the policy config is
            path = str(Path("..") / "tests" / "policies" / self.catalog)
            for rule in RULE_NAMES:
                entry = config.setdefault(rule, {})
                if isinstance(entry, str):
                    entry = config[rule] = {"enforcementLevel": entry}
                entry["catalog"] = path
        return config


def load_case(path: Path) -> Case:
    return Case.model_validate(yaml.safe_load(path.read_text("utf-8")))


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def _urn(typ: str, name: str, parent_type: str | None = None) -> str:
    types = f"{parent_type}${typ}" if parent_type else typ
    return f"urn:pulumi:dev::entra-consent::{types}::{name}"


def build_resources(specs: list[ResourceSpec], preview: bool) -> list[EngineResource]:
    """The engine's view of a hand-written resource set, linked as the program links it."""
    root = stack_urn()
    out = [EngineResource(STACK_TYPE, "entra-consent-dev", root, custom=False)]
    sps: dict[str, EngineResource] = {}
    managed: set[str] = set()
    for spec in specs:
        if spec.kind == "api":
            object_id = fake_id("sp", spec.clientId or "")
            component = EngineResource(
                RESOURCE_API,
                spec.name,
                _urn(RESOURCE_API, spec.name, STACK_TYPE),
                root,
                outputs={"appId": spec.clientId, "objectId": object_id, **spec.props},
                custom=False,
            )
            object_id = component.outputs["objectId"]
            out.append(component)
            r = EngineResource(
                SP_TYPE,
                spec.name,
                _urn(SP_TYPE, spec.name, RESOURCE_API),
                parent=component.urn,
                outputs={"clientId": spec.clientId, "objectId": object_id},
                read=True,
            )
        elif spec.kind == "sp":
            component = EngineResource(
                COMPONENT, spec.name, _urn(COMPONENT, spec.name, STACK_TYPE), root, custom=False
            )
            out.append(component)
            inputs = {"clientId": spec.clientId, "useExisting": True}
            object_id = UNKNOWN if preview else fake_id("sp", spec.clientId or "")
            r = EngineResource(
                SP_TYPE,
                f"{spec.name}-sp",
                _urn(SP_TYPE, f"{spec.name}-sp", COMPONENT),
                parent=component.urn,
                inputs=inputs,
                outputs={**inputs, "objectId": object_id},
            )
            managed.add(spec.name)
        elif spec.kind == "provider":
            typ = f"pulumi:providers:{spec.type}"
            r = EngineResource(typ, spec.name, _urn(typ, spec.name), root)
        else:
            r = _dependent(spec, sps, managed, preview)
        for key, value in ({} if spec.kind == "api" else spec.props).items():
            r.outputs[key] = UNKNOWN if value == "unknown" else value
            if not r.read:
                r.inputs[key] = r.outputs[key]
        sps[spec.name] = r
        out.append(r)
    return out


def _dependent(
    spec: ResourceSpec, sps: dict[str, EngineResource], managed: set[str], preview: bool
) -> EngineResource:
    if spec.kind == "grant":
        refs = {
            "servicePrincipalObjectId": spec.client,
            "resourceServicePrincipalObjectId": spec.api,
        }
    elif spec.kind == "assignment":
        refs = {"resourceObjectId": spec.app}
    else:
        refs = dict(spec.refs)
    inputs: dict[str, Any] = {}
    deps: dict[str, list[str]] = {}
    for key, ref in refs.items():
        if ref is None:
            continue
        target = sps[ref]
        unknown = preview and ref in managed
        inputs[key] = UNKNOWN if unknown else target.outputs["objectId"]
        if spec.link:
            deps[key] = [target.urn]
    if spec.kind == "grant":
        typ = GRANT_TYPE
        if spec.claimValues is not None:
            claims: Any = UNKNOWN if spec.claimValues == "unknown" else spec.claimValues
            inputs["claimValues"] = {SECRET_SIG: SECRET, "value": claims} if spec.secret else claims
        if spec.user is not None:
            inputs["userObjectId"] = spec.user
    elif spec.kind == "assignment":
        typ = ASSIGNMENT_TYPE
        inputs["appRoleId"] = spec.appRoleId
        inputs["principalObjectId"] = spec.principal
    else:
        assert spec.type is not None, f"{spec.name}: an `other` resource needs its type"
        typ = spec.type
    owner = spec.client or spec.app
    parent = stack_urn()
    parent_type = STACK_TYPE
    if owner is not None and owner in managed and not spec.outside:
        parent = _urn(COMPONENT, owner, STACK_TYPE)
        parent_type = COMPONENT
    return EngineResource(
        typ,
        spec.name,
        _urn(typ, spec.name, parent_type),
        parent=parent,
        inputs=inputs,
        outputs=dict(inputs),
        dependencies=sorted({u for urns in deps.values() for u in urns}),
        property_dependencies=deps,
        # a type of this project's own package is one of its components (no provider)
        custom=typ.split(":", 1)[0] != RESOURCE_API.split(":", 1)[0],
    )
