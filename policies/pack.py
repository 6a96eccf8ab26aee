"""The CrossGuard wiring: each rule of `rules.py` as a pulumi_policy policy, and the pack."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import _DictProxy, _ListProxy

from . import catalogue_source
from .config import RuleConfig, parse_config
from .resources import Resource, Stack
from .rules import RULES, Rule, first_party_app_ids, no_first_party_service_principals

PACK_NAME = "entra-consent"

# The properties the rules read; the rest of a resource is never unwrapped.
_READ = (
    "id",
    "appId",
    "clientId",
    "objectId",
    "claimValues",
    "userObjectId",
    "servicePrincipalObjectId",
    "resourceServicePrincipalObjectId",
    "appRoleId",
    "principalObjectId",
    "resourceObjectId",
)


def _plain(value: Any) -> Any:
    """A property value without pulumi_policy's unknown-checking proxies (unknowns stay as
    their sentinel strings, so the rules decide what an unknown means)."""
    if isinstance(value, _ListProxy):
        return [v if type(v) is str else _plain(v) for v in value["__target"]]
    if isinstance(value, _DictProxy):
        return {k: _plain(v) for k, v in value["__target"].items()}
    return value


def _props(props: Mapping[str, Any]) -> dict[str, Any]:
    raw = props["__target"] if isinstance(props, _DictProxy) else props
    out = {}
    for key in _READ:
        value = raw.get(key)
        if value is not None:
            out[key] = _plain(value) if isinstance(value, _ListProxy | _DictProxy) else value
    return out


def _report_all(report: ReportViolation, violations: list[Any]) -> None:
    for violation in violations:
        report(violation.message, violation.urn)


def _settings(
    rule: Rule, raw: Mapping[str, Any] | None, report: ReportViolation
) -> RuleConfig | None:
    """The rule's config; None, with each problem reported, when it is invalid."""
    config, problems = parse_config(rule.config_model, rule.name, raw)
    if config is None:
        for problem in problems:
            report(f"{problem} (fix the policy config)", None)
    return config


def _stack_policy(rule: Rule) -> StackValidationPolicy:
    check = rule.check
    assert check is not None

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        config = _settings(rule, args.get_config(), report)
        if config is None:
            return
        loaded = catalogue_source.load(catalogue_source.catalogue_dir(config.catalog))
        if loaded.catalogue is None:
            report(loaded.failure, None)
            return
        stack = Stack(
            Resource(
                urn=r.urn,
                type=r.resource_type,
                name=r.name,
                props=_props(r.props),
                dependencies=[d.urn for d in r.dependencies],
                property_dependencies={
                    k: [d.urn for d in deps] for k, deps in r.property_dependencies.items()
                },
            )
            for r in args.resources
        )
        _report_all(report, check(stack, loaded.catalogue, config))

    return StackValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(properties=rule.schema),
    )


def _first_party_policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        config = _settings(rule, args.get_config(), report)
        if config is None:
            return
        # Without a catalogue, the built-in list of Microsoft APIs still applies.
        loaded = catalogue_source.load(catalogue_source.catalogue_dir(config.catalog))
        resource = Resource(args.urn, args.resource_type, args.name, _props(args.props))
        found = no_first_party_service_principals(resource, first_party_app_ids(loaded.catalogue))
        _report_all(report, found)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=PolicyConfigSchema(properties=rule.schema),
    )


def policies() -> list[Policy]:
    return [
        _stack_policy(rule) if rule.kind == "stack" else _first_party_policy(rule) for rule in RULES
    ]


# AnalyzeStack hands every stack policy its own deserialized copy of all resources: millions of
# short-lived objects for a large stack. With the default thresholds (700, 10, 10) the cyclic
# collector's passes took about half the time at 20,000 grants (benchmarks/policy_analyze.py).
GC_THRESHOLDS = (20_000, 50, 50)


def build_pack() -> None:
    """Start the analyzer server; prints its port and serves until stopped."""
    gc.set_threshold(*GC_THRESHOLDS)
    PolicyPack(
        name=PACK_NAME,
        policies=policies(),
        enforcement_level=EnforcementLevel.MANDATORY,
        description="Only catalogue-listed apps and scopes are ever granted (entra-consent).",
    )
