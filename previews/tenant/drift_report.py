"""The drift report (`drift.json`; `drift_markdown` renders it for people): per service
principal, grant and assignment of the stack's apps, whether the tenant matches the plan.

Targets are written as `str(Target)`: `tenant`, `user:<object id>`, `group:<object id>`; an
assignment the stack does not manage may name another kind of principal
(`serviceprincipal:<object id>`), so the report keeps them as text."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from catalog.strict import Strict

GrantStatus = Literal["match", "drifted", "missing", "unmanaged"]
AssignmentStatus = Literal["match", "missing", "unmanaged"]
SpStatus = Literal["present", "drifted", "missing", "not_in_stack"]


class GrantEntry(Strict):
    status: GrantStatus
    app: str = Field(description="Catalogue app key.")
    client_id: str
    api: str = Field(description="Catalogue API key, or the resource's appId outside it.")
    api_display_name: str
    target: str = Field(description="'tenant' or 'user:<object id>'.")
    user: str | None = Field(default=None, description="UPN of the target user, when known.")
    planned_scopes: list[str] = Field(default_factory=list)
    tenant_scopes: list[str] = Field(default_factory=list)
    extra_scopes: list[str] = Field(
        default_factory=list, description="In the tenant, not in the plan."
    )
    fewer_scopes: list[str] = Field(
        default_factory=list, description="In the plan, not in the tenant."
    )
    grant_id: str | None = None
    resource: str | None = Field(default=None, description="Pulumi name the stack registers.")
    note: str = ""
    ignored_by_stack: list[str] = Field(
        default_factory=list,
        description="Properties the stack's state ignores (ignore_changes), from --state: "
        "`pulumi up` leaves them as the tenant holds them.",
    )


class AssignmentEntry(Strict):
    status: AssignmentStatus
    app: str
    principal: str = Field(description="'user:<id>', 'group:<id>' or '<type>:<id>'.")
    principal_name: str | None = None
    app_role_id: str
    assignment_id: str | None = None
    resource: str | None = None
    note: str = ""


class SettingDifference(Strict):
    setting: str
    planned: Any
    tenant: Any


class ServicePrincipalEntry(Strict):
    status: SpStatus
    app: str
    client_id: str
    display_name: str
    object_id: str | None = None
    resource: str | None = None
    differences: list[SettingDifference] = Field(default_factory=list)


class DriftReport(Strict):
    stack: str
    tenant_id: str | None
    graph_url: str
    read_at: str
    in_sync: bool
    counts: dict[str, dict[str, int]]
    service_principals: list[ServicePrincipalEntry]
    grants: list[GrantEntry]
    assignments: list[AssignmentEntry]
    problems: list[str]
    existing_stack: bool = Field(
        default=False,
        description="Read for a stack already deployed (--existing-stack), not for an adoption.",
    )
    state_checked: bool = Field(
        default=False, description="The stack's state was read (--state) for ignored properties."
    )
