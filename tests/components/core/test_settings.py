"""Stack settings: every bad-input case, with the exact message line. Each case is the base
config (a valid stack enabling teams tenant-wide) with some keys replaced."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from catalog.catalogue import Catalogue
from catalog.problems import ConfigurationError
from components.core.settings import settings_from_config
from components.core.settings_checks import settings_problems
from components.core.stack_file import load_stack
from simtenant.fakes.mock_runtime import ROOT, runtime_config

FILE = "Pulumi.test.yaml"
F = "entra-consent:features"
A = "entra-consent:apps"
BASE: dict[str, Any] = {
    "azuread:tenantId": "11111111-2222-3333-4444-555555555555",
    F: {"teams": {"consent": "tenant"}},
}

CASES: dict[str, dict[str, Any]] = {
    "group-name-with-apostrophe": {
        F: {"calendar": {"consent": "principals", "groups": ["Jira O'Brien Team"]}}
    },
    "notes-too-long": {
        F: {"teams": {"consent": "tenant"}},
        A: {"m365-jira-teams": {"notes": "x" * 1025}},
    },
    "unknown-top-level-key": {"entra-consent:colour": "blue"},
    "unknown-feature-setting": {F: {"teams": {"consent": "tenant", "user": ["adele@contoso.com"]}}},
    "unknown-app-setting": {
        F: {"teams": {"consent": "tenant"}},
        A: {"m365-jira-teams": {"hidden": True}},
    },
    "consent-value": {F: {"teams": {"consent": "everyone"}}},
    "missing-consent": {F: {"teams": {"users": ["adele@contoso.com"]}}},
    "missing-features": {F: None},
    "missing-principals-value": {"entra-consent:missing_principals": "ignore"},
    "malformed-tenant-id": {"azuread:tenantId": "11111111-2222-3333-4444-55555555555"},
    "unknown-feature": {F: {"teams": {"consent": "tenant"}, "team": {"consent": "tenant"}}},
    "no-features": {F: {}},
    "optional-scope-not-in-feature": {
        F: {
            "meetings": {
                "consent": "tenant",
                "optional_scopes": ["Place.Read.All", "Group.ReadWrite.All"],
            }
        }
    },
    "optional-all-without-optional-scopes": {
        F: {"teams": {"consent": "tenant", "optional_scopes": "all"}}
    },
    "optional-scopes-with-consent-none": {
        F: {"calendar": {"consent": "none", "optional_scopes": "all"}}
    },
    "consent-mode-not-allowed": {
        F: {"jemhc-ews": {"consent": "principals", "users": ["adele@contoso.com"]}}
    },
    "principals-with-consent-none": {
        F: {"todo": {"consent": "none", "users": ["adele@contoso.com"], "groups": ["Jira Users"]}}
    },
    "tenant-with-assign-false": {
        F: {"teams": {"consent": "tenant", "groups": ["Jira Users"], "assign": False}}
    },
    "assign-without-principals": {F: {"teams": {"consent": "tenant", "assign": True}}},
    "principals-without-users-or-groups": {F: {"teams": {"consent": "principals"}}},
    "empty-users": {F: {"teams": {"consent": "principals", "users": [], "groups": ["Jira Users"]}}},
    "empty-optional-scopes": {F: {"calendar": {"consent": "tenant", "optional_scopes": []}}},
    "user-listed-twice": {
        F: {"teams": {"consent": "principals", "users": ["adele@contoso.com", "Adele@Contoso.com"]}}
    },
    "user-neither-upn-nor-id": {F: {"teams": {"consent": "principals", "users": ["adele"]}}},
    "conflicting-assign-shared-app": {
        F: {
            "email": {"consent": "principals", "users": ["adele@contoso.com"]},
            "calendar": {"consent": "principals", "users": ["adele@contoso.com"], "assign": False},
        }
    },
    "unknown-app": {A: {"m365-jira-mails": {"hide": True}}},
    "app-settings-without-feature": {A: {"m365-jira-todo": {"hide": True}}},
    "unknown-app-role": {A: {"m365-jira-teams": {"app_role": "reader"}}},
    "tenant-id-with-trailing-newline": {"azuread:tenantId": BASE["azuread:tenantId"] + "\n"},
    "strings-for-booleans": {
        F: {"teams": {"consent": "tenant", "groups": ["Jira Users"], "assign": "yes"}},
        A: {"m365-jira-teams": {"hide": "true", "assignment_required": 1}},
    },
    "blank-padded-and-invisible-names": {
        F: {
            "calendar": {
                "consent": "principals",
                "users": [" ", "adele@contoso.com ", "ad\u200bele@contoso.com"],
                "groups": ["Jira\u202eUsers", "\u2060", "Jira\nUsers"],
            }
        }
    },
}

EXPECTED: dict[str, list[str]] = {
    "group-name-with-apostrophe": [
        'Pulumi.test.yaml: entra-consent:features.calendar.groups[0]: "Jira O\'Brien Team": the azuread provider looks a group up by a Graph filter it does not escape, so a name with an apostrophe fails there (name the group by its object id)',
    ],
    "notes-too-long": [
        "Pulumi.test.yaml: entra-consent:apps.m365-jira-teams.notes: 1,025 characters; the azuread provider accepts at most 1,024 (shorten it, or link to the approval instead)",
    ],
    "unknown-top-level-key": [
        "Pulumi.test.yaml: entra-consent:colour: unknown key (remove it or correct its spelling)",
    ],
    "unknown-feature-setting": [
        "Pulumi.test.yaml: entra-consent:features.teams.user: unknown key (remove it or correct its spelling)",
    ],
    "unknown-app-setting": [
        "Pulumi.test.yaml: entra-consent:apps.m365-jira-teams.hidden: unknown key (remove it or correct its spelling)",
    ],
    "consent-value": [
        "Pulumi.test.yaml: entra-consent:features.teams.consent: Input should be 'tenant', 'principals', 'assigned' or 'none' (got 'everyone')",
    ],
    "missing-consent": [
        "Pulumi.test.yaml: entra-consent:features.teams.consent: required key is missing (add it)",
    ],
    "missing-features": [
        "Pulumi.test.yaml: entra-consent:features: Input should be a valid dictionary (got None)",
    ],
    "missing-principals-value": [
        "Pulumi.test.yaml: entra-consent:missing_principals: Input should be 'fail' or 'skip' (got 'ignore')",
    ],
    "malformed-tenant-id": [
        "Pulumi.test.yaml: azuread:tenantId: malformed GUID '11111111-2222-3333-4444-55555555555' (write it as 8-4-4-4-12 hexadecimal digits)",
    ],
    "unknown-feature": [
        "Pulumi.test.yaml: entra-consent:features.team: unknown feature (known: calendar, email, jemhc-ews, jemhc-graph, meetings, teams, teams-jsm-portal, todo)",
    ],
    "no-features": [
        "Pulumi.test.yaml: entra-consent:features: no features enabled (enable at least one feature)",
    ],
    "optional-scope-not-in-feature": [
        "Pulumi.test.yaml: entra-consent:features.meetings.optional_scopes[1]: 'Group.ReadWrite.All' is not an optional scope of meetings (optional: Place.Read.All)",
    ],
    "optional-all-without-optional-scopes": [
        "Pulumi.test.yaml: entra-consent:features.teams.optional_scopes: teams has no optional scopes (remove the key)",
    ],
    "optional-scopes-with-consent-none": [
        "Pulumi.test.yaml: entra-consent:features.calendar.optional_scopes: optional scopes with consent 'none' grant nothing (remove them)",
    ],
    "consent-mode-not-allowed": [
        "Pulumi.test.yaml: entra-consent:features.jemhc-ews.consent: 'principals' is not allowed for jemhc-ews (use tenant)",
    ],
    "principals-with-consent-none": [
        "Pulumi.test.yaml: entra-consent:features.todo: users/groups given with consent 'none' have nothing to do (remove them or use principals)",
    ],
    "tenant-with-assign-false": [
        "Pulumi.test.yaml: entra-consent:features.teams: users/groups given with consent 'tenant' and assign false have nothing to do (remove them or set assign true)",
    ],
    "assign-without-principals": [
        "Pulumi.test.yaml: entra-consent:features.teams.assign: assign without users or groups has nothing to do (remove it or name users/groups)",
    ],
    "principals-without-users-or-groups": [
        "Pulumi.test.yaml: entra-consent:features.teams: consent 'principals' names no users or groups (add users or groups, or use tenant)",
    ],
    "empty-users": [
        "Pulumi.test.yaml: entra-consent:features.teams.users: empty list (remove the key or name at least one)",
    ],
    "empty-optional-scopes": [
        "Pulumi.test.yaml: entra-consent:features.calendar.optional_scopes: empty list (remove the key or list scopes)",
    ],
    "user-listed-twice": [
        "Pulumi.test.yaml: entra-consent:features.teams.users[1]: 'Adele@Contoso.com' listed twice (keep one)",
    ],
    "user-neither-upn-nor-id": [
        "Pulumi.test.yaml: entra-consent:features.teams.users[0]: 'adele' is neither a UPN nor an object id (write user@domain or the object id)",
    ],
    "conflicting-assign-shared-app": [
        "Pulumi.test.yaml: entra-consent:features.calendar.assign: 'adele@contoso.com' is assigned by email but not by calendar, which share app m365-jira-mail (give both the same assign)",
    ],
    "unknown-app": [
        "Pulumi.test.yaml: entra-consent:apps.m365-jira-mails: unknown app (known: jemhc, m365-jira-mail, m365-jira-teams, m365-jira-teams-jsm-portal, m365-jira-todo)",
    ],
    "app-settings-without-feature": [
        "Pulumi.test.yaml: entra-consent:apps.m365-jira-todo: settings for an app none of whose features is enabled (enable a feature or remove them)",
    ],
    "unknown-app-role": [
        "Pulumi.test.yaml: entra-consent:apps.m365-jira-teams.app_role: unknown role (the catalogue lists: none, so omit it)",
    ],
    "tenant-id-with-trailing-newline": [
        "Pulumi.test.yaml: azuread:tenantId: malformed GUID '11111111-2222-3333-4444-555555555555\\n' (write it as 8-4-4-4-12 hexadecimal digits)",
    ],
    "strings-for-booleans": [
        "Pulumi.test.yaml: entra-consent:features.teams.assign: must be true or false (got 'yes')",
        "Pulumi.test.yaml: entra-consent:apps.m365-jira-teams.assignment_required: must be true or false (got 1)",
        "Pulumi.test.yaml: entra-consent:apps.m365-jira-teams.hide: must be true or false (got 'true')",
    ],
    "blank-padded-and-invisible-names": [
        "Pulumi.test.yaml: entra-consent:features.calendar.users[0]: blank name (remove it or write the name)",
        "Pulumi.test.yaml: entra-consent:features.calendar.users[1]: 'adele@contoso.com ' has spaces at the start or end (remove them)",
        "Pulumi.test.yaml: entra-consent:features.calendar.users[2]: 'ad\\u200bele@contoso.com' holds the invisible character U+200B (retype the name without it)",
        "Pulumi.test.yaml: entra-consent:features.calendar.groups[0]: 'Jira\\u202eUsers' holds the invisible character U+202E (retype the name without it)",
        "Pulumi.test.yaml: entra-consent:features.calendar.groups[1]: '\\u2060' holds the invisible character U+2060 (retype the name without it)",
        "Pulumi.test.yaml: entra-consent:features.calendar.groups[2]: 'Jira\\nUsers' holds the invisible character U+000A (retype the name without it)",
    ],
}


def config(**replaced: Any) -> dict[str, Any]:
    return {**copy.deepcopy(BASE), **replaced}


def test_every_case_has_its_expected_lines() -> None:
    assert sorted(CASES) == sorted(EXPECTED)


def test_base_config_is_valid() -> None:
    catalogue, settings = load_stack(runtime_config(BASE), ROOT, FILE)
    assert list(settings.features) == ["teams"]
    assert settings.tenant_id == "11111111-2222-3333-4444-555555555555"
    assert settings.missing_principals == "fail"
    assert settings.catalog == "catalog"
    assert "teams" in catalogue.features


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("form", ["runtime", "file"])
def test_bad_settings(case: str, form: str) -> None:
    """`runtime`: as the language host hands config to the program (structured values as JSON
    strings); `file`: as read from Pulumi.<stack>.yaml (plain YAML values)."""
    raw = config(**CASES[case])
    stack_config = runtime_config(raw) if form == "runtime" else raw
    with pytest.raises(ConfigurationError) as caught:
        load_stack(stack_config, ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == EXPECTED[case]


def test_all_problems_at_once(catalogue: Catalogue) -> None:
    raw = config(
        **{
            F: {
                "jemhc-ews": {"consent": "principals", "users": ["adele@contoso.com"]},
                "meetings": {"consent": "tenant", "optional_scopes": ["Team.ReadBasic.All"]},
                "todo": {"consent": "none", "groups": ["Jira Users"]},
                "calendar": {"consent": "principals", "users": []},
                "teams": {"consent": "tenant"},
                "chat": {"consent": "tenant"},
            },
            A: {"m365-jira-mails": {"hide": True}},
        }
    )
    settings = settings_from_config(raw, FILE)
    lines = [str(p) for p in settings_problems(settings, catalogue, FILE)]
    assert lines == [
        "Pulumi.test.yaml: entra-consent:features.jemhc-ews.consent: 'principals' is not allowed for jemhc-ews (use tenant)",
        "Pulumi.test.yaml: entra-consent:features.meetings.optional_scopes[0]: 'Team.ReadBasic.All' is not an optional scope of meetings (optional: Place.Read.All)",
        "Pulumi.test.yaml: entra-consent:features.todo: users/groups given with consent 'none' have nothing to do (remove them or use principals)",
        "Pulumi.test.yaml: entra-consent:features.calendar.users: empty list (remove the key or name at least one)",
        "Pulumi.test.yaml: entra-consent:features.calendar: consent 'principals' names no users or groups (add users or groups, or use tenant)",
        "Pulumi.test.yaml: entra-consent:features.chat: unknown feature (known: calendar, email, jemhc-ews, jemhc-graph, meetings, teams, teams-jsm-portal, todo)",
        "Pulumi.test.yaml: entra-consent:apps.m365-jira-mails: unknown app (known: jemhc, m365-jira-mail, m365-jira-teams, m365-jira-teams-jsm-portal, m365-jira-todo)",
    ]
    with pytest.raises(ConfigurationError) as caught:
        load_stack(raw, ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == lines


def test_schema_problems_are_all_reported() -> None:
    raw = config(
        **{
            "azuread:tenantId": "not-a-guid",
            "entra-consent:colour": "blue",
            F: {"teams": {"consent": "everyone", "user": ["adele@contoso.com"]}},
        }
    )
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    assert sorted(str(p) for p in caught.value.problems) == sorted(
        [
            "Pulumi.test.yaml: azuread:tenantId: malformed GUID 'not-a-guid' (write it as 8-4-4-4-12 hexadecimal digits)",
            "Pulumi.test.yaml: entra-consent:colour: unknown key (remove it or correct its spelling)",
            "Pulumi.test.yaml: entra-consent:features.teams.consent: Input should be 'tenant', 'principals', 'assigned' or 'none' (got 'everyone')",
            "Pulumi.test.yaml: entra-consent:features.teams.user: unknown key (remove it or correct its spelling)",
        ]
    )


def test_structured_value_that_is_not_json() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_stack({**runtime_config(BASE), A: "hide everything"}, ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == [
        "Pulumi.test.yaml: entra-consent:apps: must be a YAML mapping, not a string"
    ]


def test_other_namespaces_are_ignored() -> None:
    _, settings = load_stack({**runtime_config(BASE), "azuread:clientId": "x"}, ROOT, FILE)
    assert list(settings.features) == ["teams"]


def test_catalogue_folder_from_settings_is_used() -> None:
    raw = config(**{"entra-consent:catalog": "tests/catalog/bad/unknown-app"})
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    # Catalogue files are named relative to the project folder, so the path opens from there.
    assert [str(p) for p in caught.value.problems] == [
        "tests/catalog/bad/unknown-app/apps/vendor.yaml: features.demo-mail.app: unknown app 'dmeo' (known: demo)"
    ]


def test_missing_catalogue_folder() -> None:
    raw = config(**{"entra-consent:catalog": "no-such-catalogue"})
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == [
        "Pulumi.test.yaml: entra-consent:catalog: no catalogue folder 'no-such-catalogue' next to this file (name the folder that holds apis/ and apps/, relative to the project)",
    ]


def test_catalogue_setting_that_is_no_path_at_all() -> None:
    raw = config(**{"entra-consent:catalog": "cat\x00alog" + "/x" * 3000})
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    [problem] = caught.value.problems
    assert str(problem).startswith(
        "Pulumi.test.yaml: entra-consent:catalog: no catalogue folder 'cat\\x00alog/x/x"
    )


def test_catalogue_named_by_invalid_settings_is_still_checked() -> None:
    raw = config(
        **{
            "entra-consent:catalog": "tests/catalog/bad/unknown-app",
            "entra-consent:missing_principals": "ignore",
        }
    )
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == [
        "Pulumi.test.yaml: entra-consent:missing_principals: Input should be 'fail' or 'skip' (got 'ignore')",
        "tests/catalog/bad/unknown-app/apps/vendor.yaml: features.demo-mail.app: unknown app 'dmeo' (known: demo)",
    ]


def test_format_problems_do_not_hide_the_checks_against_the_catalogue() -> None:
    """Every layer at once: a bad value in one feature, a bad top-level value and a missing
    tenant id do not hide what the catalogue says about the features that are well formed."""
    raw: dict[str, Any] = {
        F: {
            "teams": {"consent": "tenant", "colour": "blue"},
            "email": {"consent": "principals", "users": ["adele"]},
            "meetings": {"consent": "tenant", "optional_scopes": ["Group.ReadWrite.All"]},
        },
        "entra-consent:missing_principals": "ignore",
    }
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == [
        "Pulumi.test.yaml: azuread:tenantId: required key is missing (name the tenant this stack is for: pulumi config set azuread:tenantId <tenant id>; the program refuses to run signed in to any other)",
        "Pulumi.test.yaml: entra-consent:features.teams.colour: unknown key (remove it or correct its spelling)",
        "Pulumi.test.yaml: entra-consent:missing_principals: Input should be 'fail' or 'skip' (got 'ignore')",
        "Pulumi.test.yaml: entra-consent:features.email.users[0]: 'adele' is neither a UPN nor an object id (write user@domain or the object id)",
        "Pulumi.test.yaml: entra-consent:features.meetings.optional_scopes[0]: 'Group.ReadWrite.All' is not an optional scope of meetings (optional: Place.Read.All)",
    ]


def test_app_checks_wait_for_every_feature_to_be_well_formed() -> None:
    """Without one of its features an app's settings would look orphaned: no guess is shown."""
    raw = config(
        **{
            F: {"email": {"consent": "principals", "users": ["adele@contoso.com"], "assign": 1}},
            A: {"m365-jira-mail": {"hide": True}},
        }
    )
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == [
        "Pulumi.test.yaml: entra-consent:features.email.assign: must be true or false (got 1)",
    ]


@pytest.mark.parametrize("folder", ["/etc", "../" * 40 + "etc", "catalog/" + "../" * 40, "C:\\x"])
def test_a_catalogue_outside_the_repository_is_refused(folder: str) -> None:
    raw = config(**{"entra-consent:catalog": folder})
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    assert [str(p) for p in caught.value.problems] == [
        f"Pulumi.test.yaml: entra-consent:catalog: {folder!r} is outside the repository (name "
        "a folder inside it, relative to the project, such as catalog)",
    ]


def test_a_catalogue_symlinked_from_outside_the_repository_is_refused(tmp_path: Path) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    (repo / ".git").mkdir(parents=True)
    elsewhere.mkdir()
    (repo / "catalog").symlink_to(elsewhere, target_is_directory=True)
    raw = config(**{"entra-consent:catalog": "catalog"})
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), repo, FILE)
    assert [str(p) for p in caught.value.problems] == [
        "Pulumi.test.yaml: entra-consent:catalog: 'catalog' is outside the repository (name a "
        "folder inside it, relative to the project, such as catalog)",
    ]


def test_the_tenant_is_never_a_setting_of_ours() -> None:
    """`entra-consent:tenant_id` would replace `azuread:tenantId` in the sign-in check, from a
    key a stack-file change may hold without review."""
    config = {
        "azuread:tenantId": "11111111-2222-3333-4444-555555555555",
        "entra-consent:tenant_id": "99999999-2222-3333-4444-555555555555",
        "entra-consent:features": {"teams": {"consent": "tenant"}},
    }
    with pytest.raises(ConfigurationError) as raised:
        settings_from_config(config, "Pulumi.x.yaml")
    (problem,) = raised.value.problems
    assert (problem.file, problem.path) == ("Pulumi.x.yaml", "entra-consent:tenant_id")
