"""What a stack's state says about the grants it manages, as far as `discover` needs it: the
properties the stack ignores (`ignore_changes`). A grant whose scopes the state ignores keeps
whatever the tenant holds on the next `pulumi up`, so the drift report must not promise that
`up` updates it.

Read from the output of `pulumi stack export`: Pulumi's format (apitype.UntypedDeployment,
DeploymentV3, ResourceV3), so the models ignore the fields they do not name."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from catalog.problems import ConfigurationError, Problem
from components.core.naming import GRANT_TYPE
from previews.tenant.drift_report import DriftReport
from previews.tenant.import_file import grant_import_id

SCOPES_PROPERTY = "claimValues"  # the grant's scopes, as the azuread provider names them


class _PulumiFormat(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _Resource(_PulumiFormat):
    type: str = ""
    id: str | None = None
    ignore_changes: list[str] | None = Field(default=None, alias="ignoreChanges")


class _Deployment(_PulumiFormat):
    resources: list[_Resource] | None = None


class _Export(_PulumiFormat):
    version: int
    deployment: _Deployment


def ignored_grant_properties(path: Path) -> dict[str, tuple[str, ...]]:
    """The state's grant id (the provider's, as import documents write it: `grant_import_id`)
    -> the properties the state ignores, for the grants that ignore any."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        export = _Export.model_validate_json(text)
    except ValidationError:
        raise _problem(path, "not a `pulumi stack export` document (pass its output)") from None
    return {
        r.id: tuple(r.ignore_changes)
        for r in export.deployment.resources or ()
        if r.type == GRANT_TYPE and r.id and r.ignore_changes
    }


def ignores_scopes(properties: tuple[str, ...]) -> bool:
    """`claimValues`, a path into it, or every property (`*`)."""
    return any(
        p == "*"
        or p == SCOPES_PROPERTY
        or p.startswith((f"{SCOPES_PROPERTY}[", f"{SCOPES_PROPERTY}."))
        for p in properties
    )


def with_state(report: DriftReport, ignored: Mapping[str, tuple[str, ...]]) -> DriftReport:
    """The report with each grant's ignored properties from the state, and marked as checked."""
    grants = [
        g.model_copy(
            update={"ignored_by_stack": list(ignored.get(grant_import_id(g.grant_id or ""), ()))}
        )
        for g in report.grants
    ]
    return report.model_copy(update={"grants": grants, "state_checked": True})


def _problem(path: Path, what: str) -> ConfigurationError:
    return ConfigurationError([Problem(str(path), "", what)])
