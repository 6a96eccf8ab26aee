"""The Pulumi program: every check first, then the resources. `__main__.py` only calls this."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime.config import CONFIG, get_config_env

from catalog.catalogue import Catalogue
from catalog.problems import ConfigurationError, Problem
from components.core.front_door import front_door_not_applied
from components.core.naming import Renames
from components.core.planner import ConsentPlan, plan_consent
from components.core.principals import m365_group_problems, missing_principal_problems
from components.core.stack_file import load_stack
from components.core.summary import app_summary
from components.enterprise_app import EnterpriseApp
from components.lookups import (
    SignInFailed,
    read_enterprise_apps,
    read_resource_apis,
    resolve_principals,
    signed_in_tenant,
)


def stack_config() -> dict[str, Any]:
    return {**get_config_env(), **CONFIG.get()}


def stack_file() -> str:
    return f"Pulumi.{pulumi.get_stack()}.yaml"


def checked_plan(project_dir: Path) -> tuple[Catalogue, ConsentPlan]:
    """Load, validate, look up principals and plan; raise ConfigurationError on any problem."""
    file = stack_file()
    catalogue, settings = load_stack(stack_config(), project_dir, file)
    assert settings.tenant_id is not None  # required by settings_from_config
    try:
        signed_in = signed_in_tenant()
    except SignInFailed as exc:
        raise ConfigurationError(
            [
                Problem(
                    file,
                    "azuread:tenantId",
                    f"the azuread provider could not sign in to tenant {settings.tenant_id}: "
                    f"{exc} (use credentials of an app registered or consented in this tenant; "
                    "AADSTS700016 means the credentials belong to another directory)",
                )
            ]
        ) from None
    if signed_in != settings.tenant_id.lower():
        # Before any look-up or declaration: a workstation signed in to another tenant must
        # never receive this stack's consent.
        raise ConfigurationError(
            [
                Problem(
                    file,
                    "azuread:tenantId",
                    f"this stack is for tenant {settings.tenant_id}, but the azuread provider "
                    f"is signed in to tenant {signed_in or '(none)'} (sign in to the stack's "
                    f"tenant, e.g. az login --tenant {settings.tenant_id}; the program "
                    "runs only in the tenant the stack names)",
                )
            ]
        )
    principals = resolve_principals(settings)
    missing = missing_principal_problems(settings, principals, file)
    fatal = m365_group_problems(settings, principals, file) + front_door_not_applied(settings, file)
    if settings.missing_principals == "fail":
        fatal += missing
    else:
        for problem in missing:
            pulumi.log.warn(str(problem))
    if fatal:
        raise ConfigurationError(fatal)
    return catalogue, plan_consent(catalogue, settings, principals)


def declare_stack(project_dir: Path) -> dict[str, EnterpriseApp]:
    try:
        catalogue, plan = checked_plan(project_dir)
    except ConfigurationError as exc:
        for problem in exc.problems:
            pulumi.log.error(str(problem))
        raise pulumi.RunError(
            f"{len(exc.problems)} configuration problem(s) listed above; nothing was declared"
        ) from None
    renames = Renames(
        apps={k: tuple(a.entry.previous_keys) for k, a in catalogue.apps.items()},
        apis={k: tuple(a.previous_keys) for k, a in catalogue.apis.items()},
    )
    apis = read_resource_apis(catalogue, plan.apis(), renames)
    in_tenant = read_enterprise_apps(plan.apps)
    apps = {app.key: EnterpriseApp(app, apis, in_tenant[app.key], renames) for app in plan.apps}
    pulumi.export(
        "apps",
        {
            app.key: {
                **app_summary(app),
                "service_principal_object_id": apps[app.key].service_principal.object_id,
            }
            for app in plan.apps
        },
    )
    return apps
