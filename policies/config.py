"""Policy config: what each rule accepts, its JSON schema (for the CLI and editors) and parsing.

Settings arrive from the engine per policy (`Configure`), as JSON: numbers come as floats and
defaults from the schema are applied by the CLI only, so every key has a default here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import Field, StrictBool, ValidationError

from catalog.models import HIGH_PRIVILEGE_LEVEL
from catalog.problems import Problem, problems_from_validation
from catalog.strict import Strict

DEFAULT_PRIVILEGE_THRESHOLD = HIGH_PRIVILEGE_LEVEL
ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"]

Scopes = list[Annotated[str, Field(min_length=1)]]


class RuleConfig(Strict):
    """Settings every rule accepts."""

    catalog: str | None = Field(
        default=None,
        description=(
            "Catalogue folder, relative to the policy pack. Default: the pack's own catalog/ "
            "when bundled, else the project's catalog/ next to the pack."
        ),
    )


class PrivilegedConfig(RuleConfig):
    """Settings of `tenant-wide-privileged-scopes`."""

    allowances: dict[str, dict[str, Scopes]] = Field(
        default_factory=dict,
        description=(
            "Privileged scopes allowed tenant-wide: catalogue app key (or client id) -> "
            "catalogue API key -> scopes."
        ),
    )
    privilegeThreshold: Annotated[int, Field(ge=1, le=5)] = Field(
        default=DEFAULT_PRIVILEGE_THRESHOLD,
        description=(
            "Microsoft privilege level (1-5) from which a scope counts as high privilege; "
            "admin-consent-required scopes always count."
        ),
    )

    allowWhenAssignmentRequired: StrictBool = Field(
        default=False,
        description=(
            "Let privileged scopes be granted tenant-wide to a client app whose service "
            "principal requires assignment (consent 'assigned'): only assigned users and direct "
            "members of assigned groups can sign in to it, though the tenant records consent "
            "for all users. Off: such grants need an allowance like any other."
        ),
    )

    def allowed(self, app_key: str | None, client_id: str | None, api_key: str) -> frozenset[str]:
        out: set[str] = set()
        for key, apis in self.allowances.items():
            if key == app_key or (client_id is not None and key.lower() == client_id):
                out.update(apis.get(api_key, []))
        return frozenset(out)


class CatalogueAppsConfig(RuleConfig):
    """Settings of `catalogue-apps-only`."""

    allowMicrosoftClients: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description=(
            "Client ids of Microsoft's own apps (well-known public clients, apps registered in "
            "Microsoft's tenants) that catalogue apps may have: each one lets any user of that "
            "tool use the scopes granted to it."
        ),
    )


class BeforeWriteConfig(RuleConfig):
    """Settings of `checked-before-write`."""

    replicationSeconds: Annotated[float, Field(ge=0, le=600)] = Field(
        default=120.0,
        description=(
            "How long a service principal the tenant does not know yet is asked for again "
            "before the write is refused: Entra ID replicates a new object within seconds to "
            "minutes."
        ),
    )


class OptionsConfig(RuleConfig):
    """Settings of `governed-options`."""

    allowedIgnoreChanges: dict[str, list[Annotated[str, Field(min_length=1)]]] = Field(
        default_factory=dict,
        description=(
            "Properties a governed resource type may ignore changes to: type token -> property "
            "names (the service principal's owners are always allowed)."
        ),
    )
    allowedProviders: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="URNs of explicit providers a governed resource may be written through.",
    )


class ClosedWorldConfig(RuleConfig):
    """Settings of `closed-world`."""

    allowedTypes: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description=(
            "Resource types allowed beside the enterprise apps, grants and assignments the "
            "project declares (e.g. azuread:index/group:Group), each through review."
        ),
    )


_CATALOG_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": RuleConfig.model_fields["catalog"].description,
}

COMMON_PROPERTIES: dict[str, dict[str, Any]] = {"catalog": _CATALOG_SCHEMA}

PRIVILEGED_PROPERTIES: dict[str, dict[str, Any]] = {
    "catalog": _CATALOG_SCHEMA,
    "allowances": {
        "type": "object",
        "description": PrivilegedConfig.model_fields["allowances"].description,
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
            },
        },
    },
    "privilegeThreshold": {
        "type": "integer",
        "minimum": 1,
        "maximum": 5,
        "default": DEFAULT_PRIVILEGE_THRESHOLD,
        "description": PrivilegedConfig.model_fields["privilegeThreshold"].description,
    },
    "allowWhenAssignmentRequired": {
        "type": "boolean",
        "default": False,
        "description": PrivilegedConfig.model_fields["allowWhenAssignmentRequired"].description,
    },
}


_NAME: dict[str, Any] = {"type": "string", "minLength": 1}


def _names(model: type[RuleConfig], field: str) -> dict[str, Any]:
    """The schema of a list of non-empty strings, described as the model's field is."""
    return {"type": "array", "items": _NAME, "description": model.model_fields[field].description}


CATALOGUE_APPS_PROPERTIES: dict[str, dict[str, Any]] = {
    "catalog": _CATALOG_SCHEMA,
    "allowMicrosoftClients": _names(CatalogueAppsConfig, "allowMicrosoftClients"),
}


BEFORE_WRITE_PROPERTIES: dict[str, dict[str, Any]] = {
    "catalog": _CATALOG_SCHEMA,
    "replicationSeconds": {
        "type": "number",
        "minimum": 0,
        "maximum": 600,
        "default": 120,
        "description": BeforeWriteConfig.model_fields["replicationSeconds"].description,
    },
}


OPTIONS_PROPERTIES: dict[str, dict[str, Any]] = {
    "catalog": _CATALOG_SCHEMA,
    "allowedIgnoreChanges": {
        "type": "object",
        "description": OptionsConfig.model_fields["allowedIgnoreChanges"].description,
        "additionalProperties": {"type": "array", "items": _NAME},
    },
    "allowedProviders": _names(OptionsConfig, "allowedProviders"),
}


CLOSED_WORLD_PROPERTIES: dict[str, dict[str, Any]] = {
    "catalog": _CATALOG_SCHEMA,
    "allowedTypes": _names(ClosedWorldConfig, "allowedTypes"),
}


M = TypeVar("M", bound=RuleConfig)


def parse_config(
    model: type[M], policy: str, raw: Mapping[str, Any] | None
) -> tuple[M | None, list[Problem]]:
    """The rule's settings, or the problems with them (one line each)."""
    data = {k: v for k, v in (raw or {}).items() if k != "enforcementLevel"}
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from_validation(exc, "policy config", [policy])
