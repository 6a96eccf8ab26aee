"""`closed-world`: a stack of this project declares the consent the catalogue lists and nothing
else (DESIGN §7). Every resource of a provider package other than the three `azuread` types the
components declare is refused, unless the policy config allows its type.

Which resources are a provider's: those of the package of a provider resource
(`pulumi:providers:<package>`) the stack registers, and every `azuread` type whatever the
stack registers. A program's own component types (no provider) only group resources, which
are judged themselves. For the `azuread` types that give access, the message says what they
give whom.
"""

from __future__ import annotations

from catalog.catalogue import Catalogue
from components.core.access_powers import Power, power_of
from components.core.access_powers import gives as access_given
from components.core.naming import (
    ASSIGNMENT_TYPE,
    GRANT_TYPE,
    PROVIDER_TYPE_PREFIX,
    SERVICE_PRINCIPAL_TYPE,
)

from .config import ClosedWorldConfig, RuleConfig
from .property_values import known_str
from .resources import Resource
from .stack import Stack
from .violation import Violation

DECLARED = frozenset({SERVICE_PRINCIPAL_TYPE, GRANT_TYPE, ASSIGNMENT_TYPE})


def _package(typ: str) -> str:
    return typ.split(":", 1)[0]


def _whom(resource: Resource, stack: Stack, power: Power) -> str:
    for key in power.who:
        value = known_str(resource.props.get(key))
        if isinstance(value, str):
            holders = stack.by_object_id(value)
            if len(holders) == 1:
                return f" to {holders[0].name} ({key} {value})"
            return f" to {key} {value}"
        if value is not None:
            return f" to a principal not known until apply ({key})"
    return ""


def closed_world(stack: Stack, _catalogue: Catalogue | None, config: RuleConfig) -> list[Violation]:
    """A violation for every resource outside the closed world."""
    assert isinstance(config, ClosedWorldConfig)
    providers = {
        r.type.removeprefix(PROVIDER_TYPE_PREFIX)
        for r in stack.resources
        if r.type.startswith(PROVIDER_TYPE_PREFIX)
    } | {"azuread"}
    allowed = set(config.allowedTypes)
    out = []
    for r in stack.resources:
        if r.type in DECLARED or r.type in allowed or r.type.startswith(PROVIDER_TYPE_PREFIX):
            continue
        if _package(r.type) not in providers:
            continue  # a component of the program's own: its children are judged
        power = power_of(r.type)
        gives = (
            f"it would give {access_given(r.type, r.props)}{_whom(r, stack, power)}"
            if power is not None
            else "this project declares no such resource, and the pack cannot tell what access it gives"
        )
        out.append(
            Violation(
                f"resource {r.name} ({r.type}): {gives}; the stack may declare only enterprise "
                "apps, delegated grants and app role assignments of the catalogue (remove it, "
                f'or allow its type through review in the policy config under closed-world.allowedTypes: ["{r.type}"])',
                r.urn,
            )
        )
    return out
