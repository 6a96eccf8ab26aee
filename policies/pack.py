"""The CrossGuard wiring: each rule of the table in `rules.py` as a pulumi_policy policy of its
kind, and the pack."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

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
from pulumi_policy.policy import _PolicyAnalyzerServicer
from pulumi_policy.proxy import _DictProxy, _ListProxy
from pulumi_policy.secret import Secret

from catalog.catalogue import Catalogue
from components.core.naming import PROVIDER_TYPE_PREFIX

from . import catalogue_source, configure_hook
from .before_write import CLOSED_WORLD, STACK_CHECKS, Step
from .config import BeforeWriteConfig, RuleConfig, parse_config
from .configure_hook import CONFIGURED, Configured
from .resources import Resource
from .rules import RULES, Rule
from .stack import Stack
from .tenant_directory import GraphDirectory

PACK_NAME = "entra-consent"

# The properties whose dependencies the rules follow: the object ids a resource holds, those of
# whom a resource outside the closed world gives access to among them.
_LINKS = frozenset(
    {"userObjectId", "servicePrincipalObjectId", "resourceServicePrincipalObjectId"}
    | {"principalObjectId", "resourceObjectId", "memberObjectId", "principalId"}
    | {"servicePrincipalId", "applicationId", "applicationObjectId", "ownerObjectId"}
)
# The properties the rules read (the rest of a resource is never unwrapped): the links, what a
# resource is and grants, and which directory role a role assignment gives.
_READ = (
    _LINKS
    | {"id", "appId", "clientId", "objectId", "claimValues", "appRoleId", "roleId"}
    | {"roleDefinitionId"}
)


def _plain(value: Any) -> Any:
    """A property value without pulumi_policy's unknown-checking proxies (unknowns stay as
    their sentinel strings, so the rules decide what an unknown means) and secret wrappers (a
    secret is judged by its value like any other)."""
    if isinstance(value, Secret):
        return _plain(value.value)
    if isinstance(value, _ListProxy):
        return [v if type(v) is str else _plain(v) for v in value["__target"]]
    if isinstance(value, _DictProxy):
        return {k: _plain(v) for k, v in value["__target"].items()}
    return value


def _props(props: Mapping[str, Any]) -> dict[str, Any]:
    raw = props["__target"] if isinstance(props, _DictProxy) else props
    out = {}
    for key, value in raw.items():  # a resource has fewer properties than _READ names
        if key in _READ and value is not None:
            out[key] = (
                _plain(value) if isinstance(value, _ListProxy | _DictProxy | Secret) else value
            )
    return out


def _report_all(report: ReportViolation, violations: list[Any]) -> None:
    for violation in violations:
        report(violation.message, violation.urn)


def _settings(
    rule: Rule[Any], raw: Mapping[str, Any] | None, report: ReportViolation
) -> RuleConfig | None:
    """The rule's config; None, with each problem reported, when it is invalid."""
    config, problems = parse_config(rule.config_model, rule.name, raw)
    if config is None:
        for problem in problems:
            report(f"{problem} (fix the policy config)", None)
    return config


def _stack(args: StackValidationArgs) -> Stack:
    return Stack(
        Resource(
            urn=r.urn,
            type=r.resource_type,
            name=r.name,
            props=_props(r.props),
            parent=r.parent.urn if r.parent is not None else "",
            property_dependencies={
                k: [d.urn for d in deps]
                for k, deps in r.property_dependencies.items()
                if k in _LINKS
            },
        )
        for r in args.resources
    )


class _OneStackPerCall(threading.local):
    """The stack as the rules see it, built once per `AnalyzeStack` call and shared by every
    stack rule of that call (with its grants and assignments), instead of once per rule.

    pulumi_policy hands each stack policy its own copy of the same resources; the call is what
    they share. `AnalyzeStack` is wrapped to open and close that scope (a call runs its
    policies one after another on one thread), so a view never outlives its call: the preview
    and the update of one `pulumi up` are separate calls and never share one. Outside a call
    (the wrapper not installed) nothing is kept."""

    active = False
    stack: Stack | None = None

    def get(self, args: StackValidationArgs) -> Stack:
        if not self.active:
            return _stack(args)
        if self.stack is None:
            self.stack = _stack(args)
        return self.stack


_PER_CALL = _OneStackPerCall()


def install_per_call_stack() -> None:
    original: Callable[..., Any] = _PolicyAnalyzerServicer.AnalyzeStack
    if getattr(original, "_entra_consent", False):
        return

    def analyze_stack(self: Any, request: Any, context: Any) -> Any:
        _PER_CALL.active, _PER_CALL.stack = True, None
        try:
            return original(self, request, context)
        finally:
            _PER_CALL.active, _PER_CALL.stack = False, None

    analyze_stack._entra_consent = True  # type: ignore[attr-defined]
    _PolicyAnalyzerServicer.AnalyzeStack = analyze_stack  # type: ignore[method-assign]


# Providers the program registered, by URN: the engine analyzes a provider before anything it
# writes, and its own default providers have no parent.
_PROGRAM_PROVIDERS: set[str] = set()


def _resource(args: ResourceValidationArgs) -> Resource:
    if args.resource_type.startswith(PROVIDER_TYPE_PREFIX) and args.opts.parent:
        _PROGRAM_PROVIDERS.add(args.urn)
    provider = args.provider.urn if args.provider is not None else ""
    return Resource(
        args.urn,
        args.resource_type,
        args.name,
        _props(args.props),
        ignore_changes=tuple(args.opts.ignore_changes or ()),
        provider=provider,
        provider_by_program=provider in _PROGRAM_PROVIDERS,
    )


_RULES = {rule.name: rule for rule in RULES}
# One Graph reader for the pack process (it keeps what it learnt of object ids); it asks the
# tenant only when a step needs it.
_TENANT = GraphDirectory()


def _enforced_settings(configured: Configured) -> dict[str, RuleConfig]:
    """The configured settings of each stack rule `checked-before-write` applies, the mandatory
    ones only; settings that do not parse count as the defaults (their own rule reports them)."""
    out = {}
    for name in [*STACK_CHECKS, CLOSED_WORLD]:
        if not configured.enforced(name):
            continue
        model = _RULES[name].config_model
        config, _problems = parse_config(model, name, configured.raw(name))
        out[name] = config if config is not None else model()
    return out


# Worked out once per `Configure` (every rule at its defaults until then), not once per step.
_ENFORCED: list[dict[str, RuleConfig]] = [_enforced_settings(CONFIGURED)]


def _step(args: ResourceValidationArgs) -> Step:
    provider = args.provider.resource_type if args.provider is not None else None
    return Step(_resource(args), _TENANT, _ENFORCED[0], provider)


def _on_configure(configured: Configured) -> None:
    """Every catalogue the rules are configured with, read now (before the program runs); the
    settings `checked-before-write` applies; how long it asks again for a service principal
    the tenant does not know yet."""
    for rule in RULES:
        config, _problems = parse_config(rule.config_model, rule.name, configured.raw(rule.name))
        if config is not None:
            catalogue_source.load(catalogue_source.catalogue_dir(config.catalog))
        if isinstance(config, BeforeWriteConfig):
            _TENANT.replication_s = config.replicationSeconds
    _ENFORCED[0] = _enforced_settings(configured)


Args = TypeVar("Args", StackValidationArgs, ResourceValidationArgs)


def _validate(
    rule: Rule[Any], subject: Callable[[Args], Stack | Resource | Step]
) -> Callable[[Args, ReportViolation], None]:
    """The policy's callback: the rule's settings, then the catalogue, then the check on what
    `subject` makes of the engine's arguments (the stack, or one resource)."""

    def validate(args: Args, report: ReportViolation) -> None:
        judged = subject(args)
        if isinstance(judged, Step) and not judged.judged:
            return
        config = _settings(rule, args.get_config(), report)
        if config is None:
            return
        loaded = catalogue_source.load(catalogue_source.catalogue_dir(config.catalog))
        needs = judged.needs_catalogue if isinstance(judged, Step) else rule.needs_catalogue
        if loaded.catalogue is None and needs:
            report(loaded.failure, None)
            return
        # A rule that runs without a catalogue takes it as optional (closed-world and the
        # built-in list of Microsoft APIs of no-first-party-service-principals).
        found = rule.check(judged, cast(Catalogue, loaded.catalogue), config)
        _report_all(report, found)

    return validate


def policy(rule: Rule[Any]) -> Policy:
    """The rule as a CrossGuard policy of its kind."""
    schema = PolicyConfigSchema(properties=rule.schema)
    if rule.kind == "stack":
        return StackValidationPolicy(
            name=rule.name,
            description=rule.description,
            validate=_validate(rule, _PER_CALL.get),
            enforcement_level=EnforcementLevel.MANDATORY,
            config_schema=schema,
        )
    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        validate=_validate(rule, _step if rule.kind == "step" else _resource),
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=schema,
    )


def policies() -> list[Policy]:
    return [policy(rule) for rule in RULES]


# AnalyzeStack hands every stack policy its own deserialized copy of all resources: millions of
# short-lived objects for a large stack. With the default thresholds (700, 10, 10) the cyclic
# collector's passes took about half the time at 20,000 grants (benchmarks/policy_analyze.py).
GC_THRESHOLDS = (20_000, 50, 50)


def build_pack() -> None:
    """Start the analyzer server; prints its port and serves until stopped."""
    gc.set_threshold(*GC_THRESHOLDS)
    install_per_call_stack()
    configure_hook.install(_on_configure)
    catalogue_source.load(catalogue_source.catalogue_dir(None))
    PolicyPack(
        name=PACK_NAME,
        policies=policies(),
        enforcement_level=EnforcementLevel.MANDATORY,
        description="Only catalogue-listed apps and scopes are ever granted (entra-consent).",
    )
