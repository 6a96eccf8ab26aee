"""Stack settings beyond the bad-input table of test_settings.py: consent `assigned` and the
features beside it, names in another case, limits at their edge, problems after a first one,
what survives invalid settings, and a catalogue that publishes app roles. Each case kills a
mutant of components/core/settings*.py that survived the table (`make mutate`)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from pydantic import ValidationError

from catalog.catalogue import App, Catalogue, Feature
from catalog.models import AppRole
from catalog.problems import ConfigurationError
from components.core.settings import (
    AppSettings,
    FeatureSettings,
    StackSettings,
    settings_from_config,
    usable_settings,
)
from components.core.settings_checks import settings_problems
from components.core.stack_file import load_stack
from simtenant.fakes.mock_runtime import ROOT, runtime_config
from tests.components.core.test_settings import BASE, FILE, A, F, config

P = "Pulumi.test.yaml: entra-consent:"
ASSIGNED = {"consent": "assigned", "groups": ["Jira Users"]}

CASES: dict[str, dict[str, Any]] = {
    "assigned-without-principals": {F: {"email": {"consent": "assigned"}}},
    "assigned-assign-true-without-principals": {
        F: {"email": {"consent": "assigned", "assign": True}}
    },
    "principals-assign-true-without-principals": {
        F: {"email": {"consent": "principals", "assign": True}}
    },
    "assigned-with-assign-false": {F: {"email": {**ASSIGNED, "assign": False}}},
    "tenant-beside-assigned": {F: {"email": ASSIGNED, "calendar": {"consent": "tenant"}}},
    "unassigned-users-beside-assigned": {
        F: {
            "email": ASSIGNED,
            "meetings": {"consent": "principals", "users": ["lee@contoso.com"], "assign": False},
        }
    },
    "assignment-not-required-beside-assigned": {
        F: {"email": ASSIGNED},
        A: {"m365-jira-mail": {"assignment_required": False}},
    },
    "user-listed-twice-first-in-capitals": {
        F: {"teams": {"consent": "principals", "users": ["Adele@Contoso.com", "adele@contoso.com"]}}
    },
    "conflicting-assign-in-another-case": {
        F: {
            "email": {"consent": "principals", "users": ["Adele@Contoso.com"]},
            "calendar": {"consent": "principals", "users": ["adele@contoso.com"], "assign": False},
        }
    },
    "conflicting-assign-written-first": {
        F: {
            "calendar": {"consent": "principals", "groups": ["Jira Users"], "assign": False},
            "email": {"consent": "principals", "groups": ["jira users"]},
        }
    },
    "unknown-feature-then-another-problem": {
        F: {"chat": {"consent": "tenant"}, "teams": {"consent": "principals"}}
    },
    "unknown-app-then-another-problem": {
        A: {"m365-jira-mails": {"hide": True}, "m365-jira-todo": {"hide": True}}
    },
    "app-settings-of-a-malformed-feature": {
        F: {
            "teams": {"consent": "tenant"},
            "email": {"consent": "principals", "users": ["adele@contoso.com"], "assign": 1},
        },
        A: {"m365-jira-mail": {"hide": True}},
    },
    "app-checks-beside-a-bad-top-level-value": {
        "entra-consent:missing_principals": "ignore",
        A: {"m365-jira-mails": {"hide": True}},
    },
    "optional-scope-of-a-feature-without-any": {
        F: {"teams": {"consent": "tenant", "optional_scopes": ["Place.Read.All"]}}
    },
    "unknown-feature-with-users": {
        F: {"chat": {"consent": "principals", "users": ["adele@contoso.com"]}}
    },
    "conflicting-assign-after-a-feature-without-principals": {
        F: {
            "calendar": {"consent": "tenant"},
            "email": {"consent": "principals", "users": ["adele@contoso.com"]},
            "meetings": {"consent": "principals", "users": ["adele@contoso.com"], "assign": False},
        }
    },
    "optional-scopes-not-a-list": {
        F: {"calendar": {"consent": "tenant", "optional_scopes": "some"}}
    },
}

EXPECTED: dict[str, list[str]] = {
    "assigned-without-principals": [
        f"{P}features.email: consent 'assigned' names no users or groups (name the groups whose members may use the app)",
    ],
    "assigned-assign-true-without-principals": [
        f"{P}features.email: consent 'assigned' names no users or groups (name the groups whose members may use the app)",
    ],
    "principals-assign-true-without-principals": [
        f"{P}features.email: consent 'principals' names no users or groups (add users or groups, or use tenant)",
    ],
    "assigned-with-assign-false": [
        f"{P}features.email.assign: consent 'assigned' works through the assignments: with assign false nobody could sign in (remove assign)",
    ],
    "tenant-beside-assigned": [
        f"{P}features.calendar.consent: 'tenant' is for every user, but app m365-jira-mail requires assignment for email ('assigned'), so only assigned users could sign in (use 'assigned' with the same groups)",
    ],
    "unassigned-users-beside-assigned": [
        f"{P}features.meetings.assign: users consented without assignment could not sign in: app m365-jira-mail requires assignment for email ('assigned') (remove assign: false)",
    ],
    "assignment-not-required-beside-assigned": [
        f"{P}apps.m365-jira-mail.assignment_required: email uses 'assigned', which requires assignment (remove assignment_required: false)",
    ],
    "user-listed-twice-first-in-capitals": [
        f"{P}features.teams.users[1]: 'adele@contoso.com' listed twice (keep one)",
    ],
    "conflicting-assign-in-another-case": [
        f"{P}features.calendar.assign: 'Adele@Contoso.com' is assigned by email but not by calendar, which share app m365-jira-mail (give both the same assign)",
    ],
    "conflicting-assign-written-first": [
        f"{P}features.calendar.assign: 'jira users' is assigned by email but not by calendar, which share app m365-jira-mail (give both the same assign)",
    ],
    "unknown-feature-then-another-problem": [
        f"{P}features.chat: unknown feature (known: calendar, email, jemhc-ews, jemhc-graph, meetings, teams, teams-jsm-portal, todo)",
        f"{P}features.teams: consent 'principals' names no users or groups (add users or groups, or use tenant)",
    ],
    "unknown-app-then-another-problem": [
        f"{P}apps.m365-jira-mails: unknown app (known: jemhc, m365-jira-mail, m365-jira-teams, m365-jira-teams-jsm-portal, m365-jira-todo)",
        f"{P}apps.m365-jira-todo: settings for an app none of whose features is enabled (enable a feature or remove them)",
    ],
    "app-settings-of-a-malformed-feature": [
        f"{P}features.email.assign: must be true or false (got 1)",
    ],
    "app-checks-beside-a-bad-top-level-value": [
        f"{P}missing_principals: Input should be 'fail' or 'skip' (got 'ignore')",
        f"{P}apps.m365-jira-mails: unknown app (known: jemhc, m365-jira-mail, m365-jira-teams, m365-jira-teams-jsm-portal, m365-jira-todo)",
    ],
    "optional-scope-of-a-feature-without-any": [
        f"{P}features.teams.optional_scopes[0]: 'Place.Read.All' is not an optional scope of teams (optional: none)",
    ],
    "unknown-feature-with-users": [
        f"{P}features.chat: unknown feature (known: calendar, email, jemhc-ews, jemhc-graph, meetings, teams, teams-jsm-portal, todo)",
    ],
    "conflicting-assign-after-a-feature-without-principals": [
        f"{P}features.meetings.assign: 'adele@contoso.com' is assigned by email but not by meetings, which share app m365-jira-mail (give both the same assign)",
    ],
    "optional-scopes-not-a-list": [
        f"{P}features.calendar.optional_scopes: must be a list of scope names or \"all\" (got 'some')",
    ],
}

VALID: dict[str, dict[str, Any]] = {
    "assigned": {F: {"email": ASSIGNED}},
    "assigned-with-assignment-required": {
        F: {"email": ASSIGNED},
        A: {"m365-jira-mail": {"assignment_required": True}},
    },
    "tenant-assigning-users-beside-assigned": {
        F: {"email": ASSIGNED, "calendar": {"consent": "tenant", "users": ["adele@contoso.com"]}}
    },
    "principals-beside-assigned": {
        F: {"email": ASSIGNED, "calendar": {"consent": "principals", "groups": ["Jira Users"]}}
    },
    "none-beside-assigned": {F: {"email": ASSIGNED, "calendar": {"consent": "none"}}},
    "assigned-on-another-app": {
        F: {"email": ASSIGNED, "todo": {"consent": "principals", "users": ["lee@contoso.com"]}},
    },
    "notes-at-the-limit": {A: {"m365-jira-teams": {"notes": "x" * 1024}}},
    "optional-scopes-null": {F: {"calendar": {"consent": "tenant", "optional_scopes": None}}},
}


def test_every_case_has_its_expected_lines() -> None:
    assert sorted(CASES) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("form", ["runtime", "file"])
def test_bad_settings(case: str, form: str) -> None:
    raw = config(**CASES[case])
    stack_config = runtime_config(raw) if form == "runtime" else raw
    with pytest.raises(ConfigurationError) as caught:
        load_stack(stack_config, ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(VALID))
def test_valid_settings(case: str) -> None:
    load_stack(runtime_config(config(**VALID[case])), ROOT, FILE)


def test_structured_values_too_deep_or_not_json_are_each_reported() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ConfigurationError) as caught:
        settings_from_config({**runtime_config(BASE), F: deep, A: "hide everything"}, FILE)
    missing = f"{P}features: required key is missing (add it)"
    assert [str(p) for p in caught.value.problems] == [
        f"{P}features: nested too deep (flatten it)",
        f"{P}apps: must be a YAML mapping, not a string",
        missing,
    ]
    with pytest.raises(ConfigurationError) as caught:
        settings_from_config({"azuread:tenantId": BASE["azuread:tenantId"], A: "{", F: deep}, FILE)
    assert [str(p) for p in caught.value.problems] == [
        f"{P}apps: must be a YAML mapping, not a string",
        f"{P}features: nested too deep (flatten it)",
        missing,
    ]


def test_usable_settings_keep_every_valid_part() -> None:
    raw = {
        "azuread:tenantId": "11111111-2222-3333-4444-555555555555",
        "entra-consent:catalog": "elsewhere",
        "entra-consent:missing_principals": "skip",
        "entra-consent:colour": "blue",
        F: {"teams": {"consent": "tenant"}, "email": {"consent": "everyone"}},
        A: {"m365-jira-teams": {"hide": True}, "m365-jira-todo": {"hide": "yes"}},
    }
    usable = usable_settings(raw, FILE)
    assert usable is not None
    assert list(usable.features) == ["teams"]
    assert usable.apps == {}  # a feature is malformed: its app's settings would mislead
    del raw[F]["email"]  # type: ignore[attr-defined]
    usable = usable_settings(raw, FILE)
    assert usable is not None
    assert list(usable.features) == ["teams"]
    assert list(usable.apps) == ["m365-jira-teams"]
    assert usable.catalog == "elsewhere"
    assert usable.missing_principals == "skip"
    assert usable.tenant_id == "11111111-2222-3333-4444-555555555555"
    assert usable_settings({F: {}}, FILE) is None


def test_settings_are_frozen_and_app_settings_default_off() -> None:
    settings = StackSettings.model_validate({"features": {"teams": {"consent": "tenant"}}})
    with pytest.raises(ValidationError):
        settings.features["teams"].consent = "none"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        settings.catalog = "other"  # type: ignore[misc]
    defaults = settings.app_settings("m365-jira-teams")
    assert defaults == AppSettings()
    assert (defaults.assignment_required, defaults.hide, defaults.notes, defaults.app_role) == (
        False,
        False,
        None,
        None,
    )
    assert FeatureSettings(consent="tenant", optional_scopes=None).optional_scopes is None


# --- against a catalogue unlike the shipped one ------------------------------------------


def with_roles(catalogue: Catalogue, app: str) -> Catalogue:
    found = catalogue.apps[app]
    role = AppRole.model_validate(
        {"id": "7a5e1c2d-bbbb-4ccc-9ddd-00000000e0f1", "display_name": "Agent"}
    )
    entry = found.entry.model_copy(update={"app_roles": {"agent": role}})
    return dataclasses.replace(
        catalogue, apps={**catalogue.apps, app: App(found.key, found.file, entry)}
    )


def without_tenant(catalogue: Catalogue, feature: str) -> Catalogue:
    found = catalogue.features[feature]
    entry = found.entry.model_copy(update={"consent_modes": ["principals"]})
    features = {**catalogue.features, feature: Feature(found.key, found.file, entry)}
    return dataclasses.replace(catalogue, features=features)


def problems(catalogue: Catalogue, features: dict[str, Any], **more: Any) -> list[str]:
    settings = StackSettings.model_validate({"features": features, **more})
    return [str(p) for p in settings_problems(settings, catalogue, FILE)]


def test_an_app_that_publishes_roles_needs_one_for_its_assignments(catalogue: Catalogue) -> None:
    roles = with_roles(catalogue, "m365-jira-todo")
    todo = {"todo": {"consent": "principals", "users": ["lee@contoso.com"]}}
    assert problems(roles, todo) == [
        f"{P}apps.m365-jira-todo.app_role: m365-jira-todo publishes roles, so assignments need one (choose from: agent)",
    ]
    assert problems(roles, todo, apps={"m365-jira-todo": {"app_role": "agent"}}) == []
    assert problems(roles, todo, apps={"m365-jira-todo": {"app_role": "admin"}}) == [
        f"{P}apps.m365-jira-todo.app_role: unknown role (the catalogue lists: agent)",
    ]
    # no assignments, no role needed
    unassigned = {"todo": {"consent": "principals", "users": ["lee@contoso.com"], "assign": False}}
    assert problems(roles, unassigned) == []
    assert problems(roles, {"todo": {"consent": "tenant"}}) == []
    # the roles of one app are nothing to another
    assert problems(roles, {"teams": {"consent": "principals", "users": ["lee@contoso.com"]}}) == []


def test_assigned_needs_a_feature_that_may_be_tenant_wide(catalogue: Catalogue) -> None:
    narrow = without_tenant(catalogue, "email")
    assert problems(narrow, {"email": ASSIGNED}) == [
        f"{P}features.email.consent: 'assigned' is one tenant-wide grant, which email does not allow (use principals)",
    ]
    assert problems(narrow, {"email": {"consent": "tenant"}}) == [
        f"{P}features.email.consent: 'tenant' is not allowed for email (use principals)",
    ]
    assert problems(narrow, {"email": {"consent": "none"}}) == []
    assert problems(catalogue, {"email": ASSIGNED}) == []
