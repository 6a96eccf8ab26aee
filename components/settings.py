"""Stack settings (`Pulumi.<stack>.yaml`, namespace `entra-consent`) and their checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from catalog.catalogue import Catalogue, load_catalogue
from catalog.guid import Guid, is_guid
from catalog.problems import ConfigurationError, Problem, key_path, problems_from_validation

NAMESPACE = "entra-consent"
Consent = Literal["tenant", "principals", "none"]
MissingPrincipals = Literal["fail", "skip"]
NonEmptyStr = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeatureSettings(Strict):
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
    def assigns(self) -> bool:
        """Assignments are made for the named users and groups unless `assign: false`."""
        return self.principals_given and self.assign is not False


class AppSettings(Strict):
    assignment_required: bool = False
    hide: bool = False
    notes: str | None = None
    app_role: str | None = Field(
        default=None, description="Role key from the catalogue, for apps that publish roles."
    )


class StackSettings(Strict):
    """`entra-consent:*` keys without their namespace."""

    catalog: NonEmptyStr = "catalog"
    features: dict[NonEmptyStr, FeatureSettings]
    apps: dict[NonEmptyStr, AppSettings] = Field(default_factory=dict)
    missing_principals: MissingPrincipals = "fail"
    tenant_id: Guid | None = None  # required in a stack file (settings_from_config)

    def app_settings(self, app: str) -> AppSettings:
        return self.apps.get(app, AppSettings())


_STRUCTURED = {"features", "apps"}
NOTES_LIMIT = 1024  # the provider's validation of a service principal's notes


def settings_from_config(config: Mapping[str, Any], file: str) -> StackSettings:
    """Build settings from a stack's config map (`project:key` keys, as in `Pulumi.<stack>.yaml`
    or the runtime's config, where structured values arrive as JSON strings)."""
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
        if key in _STRUCTURED and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                problems.append(Problem(file, full_key, "must be a YAML mapping, not a string"))
                continue
        raw[key] = value
    try:
        settings = StackSettings.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_namespaced(p) for p in problems_from_validation(exc, file))
        raise ConfigurationError(problems) from None
    if problems:
        raise ConfigurationError(problems)
    return settings


def _namespaced(problem: Problem) -> Problem:
    if problem.path.startswith("tenant_id"):
        return Problem(problem.file, "azuread:tenantId", problem.message)
    return Problem(problem.file, f"{NAMESPACE}:{problem.path}", problem.message)


def settings_problems(settings: StackSettings, catalogue: Catalogue, file: str) -> list[Problem]:
    """Checks that need the catalogue: every problem at once, none raised."""
    problems: list[Problem] = []

    def add(path: list[str | int], message: str) -> None:
        problems.append(Problem(file, f"{NAMESPACE}:{key_path(path)}", message))

    if not settings.features:
        add(["features"], "no features enabled (enable at least one feature)")
    for key, fs in settings.features.items():
        at: list[str | int] = ["features", key]
        feature = catalogue.features.get(key)
        if feature is None:
            add(at, f"unknown feature (known: {', '.join(sorted(catalogue.features))})")
            continue
        modes = feature.entry.consent_modes
        if fs.consent != "none" and fs.consent not in modes:
            add(
                [*at, "consent"],
                f"{fs.consent!r} is not allowed for {key} (use {' or '.join(modes)})",
            )
        for list_key, values in (("users", fs.users), ("groups", fs.groups)):
            if values is None:
                continue
            if not values:
                add([*at, list_key], "empty list (remove the key or name at least one)")
            seen: set[str] = set()
            for index, value in enumerate(values):
                if value.lower() in seen:
                    add([*at, list_key, index], f"{value!r} listed twice (keep one)")
                seen.add(value.lower())
                if list_key == "groups" and "'" in value and not is_guid(value):
                    add(
                        [*at, list_key, index],
                        f"{value!r}: the azuread provider looks a group up by a Graph filter it "
                        "does not escape, so a name with an apostrophe fails there (name the "
                        "group by its object id)",
                    )
                if list_key == "users" and not (is_guid(value) or "@" in value):
                    add(
                        [*at, list_key, index],
                        f"{value!r} is neither a UPN nor an object id (write user@domain or the object id)",
                    )
        if fs.consent == "principals" and not fs.principals_given:
            add(
                at,
                "consent 'principals' names no users or groups (add users or groups, or use tenant)",
            )
        if fs.consent == "none" and fs.principals_given:
            add(
                at,
                "users/groups given with consent 'none' have nothing to do (remove them or use principals)",
            )
        if fs.consent == "tenant" and fs.principals_given and fs.assign is False:
            add(
                at,
                "users/groups given with consent 'tenant' and assign false have nothing to do (remove them or set assign true)",
            )
        if fs.consent != "principals" and fs.assign is not None and not fs.principals_given:
            add(
                [*at, "assign"],
                "assign without users or groups has nothing to do (remove it or name users/groups)",
            )
        offered = feature.optional_scopes()
        if isinstance(fs.optional_scopes, list):
            if not fs.optional_scopes:
                add([*at, "optional_scopes"], "empty list (remove the key or list scopes)")
            for index, scope in enumerate(fs.optional_scopes):
                if scope not in offered:
                    listed = ", ".join(sorted(offered)) or "none"
                    add(
                        [*at, "optional_scopes", index],
                        f"{scope!r} is not an optional scope of {key} (optional: {listed})",
                    )
        if fs.optional_scopes is not None and fs.consent == "none":
            add(
                [*at, "optional_scopes"],
                "optional scopes with consent 'none' grant nothing (remove them)",
            )
        if fs.optional_scopes == "all" and not offered:
            add([*at, "optional_scopes"], f"{key} has no optional scopes (remove the key)")

    _check_apps(settings, catalogue, add)
    return problems


def _check_apps(
    settings: StackSettings, catalogue: Catalogue, add: Callable[[list[str | int], str], None]
) -> None:
    enabled_apps = {catalogue.features[k].app for k in settings.features if k in catalogue.features}
    for app, app_settings in settings.apps.items():
        if app not in catalogue.apps:
            add(["apps", app], f"unknown app (known: {', '.join(sorted(catalogue.apps))})")
            continue
        if app not in enabled_apps:
            add(
                ["apps", app],
                "settings for an app none of whose features is enabled (enable a feature or remove them)",
            )
        if app_settings.notes is not None and len(app_settings.notes) > NOTES_LIMIT:
            add(
                ["apps", app, "notes"],
                f"{len(app_settings.notes):,} characters; the azuread provider accepts at most "
                f"{NOTES_LIMIT:,} (shorten it, or link to the approval instead)",
            )
        roles = catalogue.apps[app].entry.app_roles
        if app_settings.app_role is not None and app_settings.app_role not in roles:
            add(
                ["apps", app, "app_role"],
                f"unknown role (the catalogue lists: {', '.join(sorted(roles)) or 'none, so omit it'})",
            )
    # Features sharing an enterprise app must agree on whether each principal is assigned.
    decided: dict[tuple[str, str, str], tuple[str, bool]] = {}
    for key in sorted(settings.features):
        fs = settings.features[key]
        feature = catalogue.features.get(key)
        if feature is None or not fs.principals_given:
            continue
        app = feature.app
        roles = catalogue.apps[app].entry.app_roles if app in catalogue.apps else {}
        if fs.assigns and roles and settings.app_settings(app).app_role is None:
            add(
                ["apps", app, "app_role"],
                f"{app} publishes roles, so assignments need one (choose from: {', '.join(sorted(roles))})",
            )
        for list_key, values in (("users", fs.users or []), ("groups", fs.groups or [])):
            for value in values:
                ident = (app, list_key, value.lower())
                earlier = decided.setdefault(ident, (key, fs.assigns))
                if earlier[1] != fs.assigns:
                    # Point at the `assign: false` that is actually written in the file.
                    assigning, not_assigning = (
                        (earlier[0], key) if earlier[1] else (key, earlier[0])
                    )
                    add(
                        ["features", not_assigning, "assign"],
                        f"{value!r} is assigned by {assigning} but not by {not_assigning}, "
                        f"which share app {app} (give both the same assign)",
                    )


def load_stack(
    config: Mapping[str, Any], project_dir: Path, file: str
) -> tuple[Catalogue, StackSettings]:
    """Settings and the catalogue they name, checked against each other. Raises one
    ConfigurationError listing every problem in either."""
    problems: list[Problem] = []
    settings: StackSettings | None = None
    catalogue: Catalogue | None = None
    try:
        settings = settings_from_config(config, file)
    except ConfigurationError as exc:
        problems.extend(exc.problems)
    # When the settings fail validation, still check the catalogue they name.
    named = config.get(f"{NAMESPACE}:catalog")
    catalog = (
        settings.catalog if settings else named if isinstance(named, str) and named else "catalog"
    )
    catalog_dir = project_dir / catalog
    try:
        catalogue = load_catalogue(catalog_dir, relative_to=project_dir)
    except ConfigurationError as exc:
        problems.extend(exc.problems)
    if settings is not None and catalogue is not None:
        problems.extend(settings_problems(settings, catalogue, file))
    if problems or settings is None or catalogue is None:
        raise ConfigurationError(problems)
    return catalogue, settings
