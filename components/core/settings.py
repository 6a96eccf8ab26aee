"""Stack settings (`Pulumi.<stack>.yaml`, namespace `entra-consent`) and their checks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from catalog.guid import Guid
from catalog.problems import ConfigurationError, Problem, problems_from_validation
from catalog.strict import StrictTypes

NAMESPACE = "entra-consent"
# tenant: one grant for every user; principals: one grant per named user (groups stand for
# their members); assigned: one tenant-wide grant, sign-in limited to the users and groups
# assigned to the app (assignment required), costing a few resources whatever the group sizes.
Consent = Literal["tenant", "principals", "assigned", "none"]
MissingPrincipals = Literal["fail", "skip"]
# Who may consent for themselves (docs/user-consent.md): to the user-consentable scopes of the
# apps this stack enables (catalogue), to nothing (none), or as the tenant already says
# (unmanaged: the stack changes nothing).
UserConsent = Literal["catalogue", "none", "unmanaged"]
NonEmptyStr = Annotated[str, Field(min_length=1)]


class FeatureSettings(StrictTypes):
    consent: Consent
    users: list[NonEmptyStr] | None = Field(default=None, description="UPNs or object ids.")
    groups: list[NonEmptyStr] | None = Field(
        default=None, description="Display names or object ids."
    )
    optional_scopes: list[NonEmptyStr] | Literal["all"] | None = None
    assign: bool | None = Field(
        default=None, description="App role assignments for the users and groups (default: true)."
    )

    @field_validator("optional_scopes", mode="before")
    @classmethod
    def _list_or_all(cls, value: Any) -> Any:
        if value is None or value == "all" or isinstance(value, list):
            return value
        raise ValueError(f'must be a list of scope names or "all" (got {value!r})')

    @property
    def principals_given(self) -> bool:
        return bool(self.users or self.groups)

    @property
    def needs_members(self) -> bool:
        """Per-user grants: the groups' user members must be read (only `principals`)."""
        return self.consent == "principals"

    @property
    def assigns(self) -> bool:
        """Assignments are made for the named users and groups unless `assign: false`."""
        return self.principals_given and self.assign is not False


class AppSettings(StrictTypes):
    assignment_required: bool = False
    hide: bool = False
    notes: str | None = None
    app_role: str | None = Field(
        default=None, description="Role key from the catalogue, for apps that publish roles."
    )


class WorkflowReviewers(StrictTypes):
    """Who reviews admin consent requests, named as features name principals."""

    users: list[NonEmptyStr] = Field(default_factory=list, description="UPNs or object ids.")
    groups: list[NonEmptyStr] = Field(
        default_factory=list, description="Display names or object ids."
    )
    roles: list[NonEmptyStr] = Field(
        default_factory=list, description="Directory role display names, or template ids."
    )


class AdminConsentWorkflow(StrictTypes):
    """The tenant's admin consent request workflow (Graph's adminConsentRequestPolicy)."""

    reviewers: WorkflowReviewers
    notify: bool = True
    reminders: bool = True
    # Graph accepts 1 to 30 days before an open request expires.
    duration_days: int = Field(default=30, ge=1, le=30)

    @field_validator("reviewers")
    @classmethod
    def _someone_reviews(cls, value: WorkflowReviewers) -> WorkflowReviewers:
        if not (value.users or value.groups or value.roles):
            raise ValueError("no reviewer named (name at least one: users, groups or roles)")
        return value


class StackSettings(StrictTypes):
    """`entra-consent:*` keys without their namespace."""

    catalog: NonEmptyStr = "catalog"
    features: dict[NonEmptyStr, FeatureSettings]
    apps: dict[NonEmptyStr, AppSettings] = Field(default_factory=dict)
    missing_principals: MissingPrincipals = "fail"
    tenant_id: Guid | None = None  # required in a stack file (settings_from_config)
    user_consent: UserConsent = "unmanaged"
    admin_consent_workflow: AdminConsentWorkflow | None = None

    def app_settings(self, app: str) -> AppSettings:
        return self.apps.get(app, AppSettings())


_STRUCTURED = {"features", "apps", "admin_consent_workflow"}


def settings_from_config(config: Mapping[str, Any], file: str) -> StackSettings:
    """Build settings from a stack's config map (`project:key` keys, as in `Pulumi.<stack>.yaml`
    or the runtime's config, where structured values arrive as JSON strings)."""
    raw, problems = _raw_settings(config, file)
    try:
        settings = StackSettings.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_namespaced(p) for p in problems_from_validation(exc, file))
        raise ConfigurationError(problems) from None
    if problems:
        raise ConfigurationError(problems)
    return settings


def usable_settings(config: Mapping[str, Any], file: str) -> StackSettings | None:
    """The part of settings that failed validation that is still valid: each feature and app
    that validates on its own, each top-level key that does (others at their defaults). Lets
    the checks against the catalogue run beside the format problems, so a user sees every
    problem at once. None when no feature survives."""
    raw, _ = _raw_settings(config, file)
    kept: dict[str, Any] = {}
    for key, model in (("features", FeatureSettings), ("apps", AppSettings)):
        entries = raw.get(key)
        if isinstance(entries, dict):
            kept[key] = {k: v for k, v in entries.items() if k and _valid(model, v)}
            if len(kept[key]) < len(entries) and key == "features":
                break  # an app's checks need all its features: without one they mislead
    for key in ("catalog", "missing_principals", "tenant_id", "user_consent"):
        if key in raw and _valid(StackSettings, {"features": {}, key: raw[key]}):
            kept[key] = raw[key]
    workflow = raw.get("admin_consent_workflow")
    if workflow is not None and _valid(AdminConsentWorkflow, workflow):
        kept["admin_consent_workflow"] = workflow
    if not kept.get("features"):
        return None
    try:
        return StackSettings.model_validate(kept)
    except ValidationError:  # parts valid alone, not together: nothing more can be checked
        return None


def _valid(model: type[BaseModel], value: Any) -> bool:
    try:
        model.model_validate(value)
    except ValidationError:
        return False
    return True


def _raw_settings(config: Mapping[str, Any], file: str) -> tuple[dict[str, Any], list[Problem]]:
    raw: dict[str, Any] = {}
    problems: list[Problem] = []
    if "azuread:tenantId" in config:
        raw["tenant_id"] = config["azuread:tenantId"]
    else:
        problems.append(
            Problem(
                file,
                "azuread:tenantId",
                "required key is missing (name the tenant this stack is for: pulumi config set "
                "azuread:tenantId <tenant id>; the program refuses to run signed in to any other)",
            )
        )
    for full_key, value in config.items():
        namespace, _, key = full_key.partition(":")
        if namespace != NAMESPACE:
            continue
        if key == "tenant_id":  # the tenant is azuread:tenantId, never a setting of ours
            problems.append(
                Problem(file, full_key, "unknown key (the stack's tenant is azuread:tenantId)")
            )
            continue
        if key in _STRUCTURED and isinstance(value, str):
            try:
                value = json.loads(value)
            except RecursionError:
                problems.append(Problem(file, full_key, "nested too deep (flatten it)"))
                continue
            except ValueError:
                problems.append(Problem(file, full_key, "must be a YAML mapping, not a string"))
                continue
        raw[key] = value
    return raw, problems


def _namespaced(problem: Problem) -> Problem:
    if problem.path.startswith("tenant_id"):
        return Problem(problem.file, "azuread:tenantId", problem.message)
    return Problem(problem.file, f"{NAMESPACE}:{problem.path}", problem.message)
