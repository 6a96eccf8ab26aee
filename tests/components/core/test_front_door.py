"""Who may consent (components/core/front_door.py): the stack's permission grant policy from the
shipped catalogue and a plan, the assignment that puts it in force, the tenant's budget, and the
two stack keys that ask for it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.catalogue import load_catalogue
from catalog.problems import ConfigurationError
from components.core.front_door import (
    FOR_OWNED,
    FOR_SELF,
    ID_BUDGET,
    assigned_policies,
    budget_problems,
    front_door_not_applied,
    same_assignment,
    user_consent_policy,
)
from components.core.planner import plan_consent
from components.core.settings import StackSettings, settings_from_config
from components.core.settings_checks import settings_problems
from simtenant.fakes.mock_runtime import ROOT

CATALOGUE = load_catalogue(ROOT / "catalog")
TEAMS_CLIENT = "89d5ca9f-d63b-4885-bd30-6e7433c1540c"
GRAPH_APP = "00000003-0000-0000-c000-000000000000"
TENANT = "11111111-2222-3333-4444-555555555555"


def policy_of(features: dict[str, Any]) -> Any:
    settings = StackSettings.model_validate({"features": features, "user_consent": "catalogue"})
    assert settings_problems(settings, CATALOGUE, "test") == []
    return user_consent_policy("contoso", CATALOGUE, plan_consent(CATALOGUE, settings))


def test_one_include_per_app_and_api_with_the_user_consentable_scopes_by_id() -> None:
    policy = policy_of({"teams": {"consent": "tenant"}})
    assert policy.id == "entra-consent-contoso"
    (include,) = policy.includes
    assert (include.app, include.api) == ("m365-jira-teams", "microsoft-graph")
    graph = CATALOGUE.apis["microsoft-graph"]
    for name, scope_id in zip(include.scopes, include.permission_ids, strict=True):
        published = graph.scopes[name]
        assert not published.admin_consent_required and str(published.id) == scope_id
    assert include.graph_body() == {
        "permissionType": "delegated",
        "clientApplicationIds": [TEAMS_CLIENT],
        "resourceApplication": GRAPH_APP,
        "permissions": list(include.permission_ids),
    }


def test_admin_consent_scopes_are_left_to_an_admin() -> None:
    policy = policy_of({"calendar": {"consent": "tenant", "optional_scopes": "all"}})
    (admin,) = policy.admin_only
    graph = CATALOGUE.apis["microsoft-graph"]
    assert admin.scopes and all(graph.scopes[s].admin_consent_required for s in admin.scopes)
    (include,) = policy.includes
    assert not set(admin.scopes) & set(include.scopes)


def policy_with(features: dict[str, Any], apps: dict[str, Any]) -> Any:
    settings = StackSettings.model_validate(
        {"features": features, "apps": apps, "user_consent": "catalogue"}
    )
    assert settings_problems(settings, CATALOGUE, "test") == []
    return user_consent_policy("contoso", CATALOGUE, plan_consent(CATALOGUE, settings))


def test_a_feature_granted_per_user_opens_self_consent_only_behind_assignment() -> None:
    """Self-consent to a `principals` feature would give its scopes to every user: only when
    the app lets assigned users alone sign in does it stay theirs."""
    per_user = {"teams": {"consent": "principals", "users": ["adele.vance@contoso.com"]}}
    assert policy_with(per_user, {}).includes == ()
    required = {"m365-jira-teams": {"assignment_required": True}}
    (include,) = policy_with(per_user, required).includes
    assert include.app == "m365-jira-teams"


def test_a_feature_without_consent_lets_nobody_consent_to_it() -> None:
    policy = policy_of({"teams": {"consent": "tenant"}, "todo": {"consent": "none"}})
    assert {i.app for i in policy.includes} == {"m365-jira-teams"}


def test_no_include_uses_all() -> None:
    policy = policy_of({key: {"consent": "tenant"} for key in CATALOGUE.features})
    assert len(policy.includes) > 1
    for include in policy.includes:
        body = include.graph_body()
        assert "all" not in body["clientApplicationIds"] and "all" not in body["permissions"]
        assert body["permissions"]


@pytest.mark.parametrize(
    ("current", "mode", "expected"),
    [
        (
            [f"{FOR_SELF}microsoft-user-default-legacy", f"{FOR_OWNED}microsoft-app-owner"],
            "catalogue",
            [f"{FOR_OWNED}microsoft-app-owner", f"{FOR_SELF}entra-consent-contoso"],
        ),
        (
            [f"{FOR_SELF.lower()}microsoft-user-default-low", f"{FOR_OWNED}x"],
            "none",
            [f"{FOR_OWNED}x"],
        ),
        (
            [f"{FOR_SELF}anything", f"{FOR_OWNED}x"],
            "unmanaged",
            [f"{FOR_SELF}anything", f"{FOR_OWNED}x"],
        ),
        (  # another stack in the same tenant keeps its own policy; this one's is not doubled
            [f"{FOR_SELF}entra-consent-other", f"{FOR_SELF}ENTRA-CONSENT-CONTOSO"],
            "catalogue",
            [f"{FOR_SELF}entra-consent-other", f"{FOR_SELF}entra-consent-contoso"],
        ),
    ],
)
def test_the_assignment_keeps_owned_resource_entries_and_replaces_self_consent(
    current: list[str], mode: Any, expected: list[str]
) -> None:
    assert assigned_policies(current, mode, "entra-consent-contoso") == expected


@given(st.permutations([f"{FOR_OWNED}a", f"{FOR_SELF}entra-consent-x", f"{FOR_OWNED}b"]))
def test_graphs_case_and_order_are_not_a_change(order: list[str]) -> None:
    shouted = [p.upper() if i % 2 else p for i, p in enumerate(order)]
    assert same_assignment(
        shouted, [f"{FOR_OWNED}a", f"{FOR_OWNED}b", f"{FOR_SELF}entra-consent-x"]
    )
    assert not same_assignment(shouted, [f"{FOR_OWNED}a"])


def test_the_budget_is_checked_before_anything_is_written() -> None:
    policy = policy_of({"teams": {"consent": "tenant"}})
    assert budget_problems(policy, 0, "Pulumi.contoso.yaml") == []
    (problem,) = budget_problems(policy, ID_BUDGET, "Pulumi.contoso.yaml")
    assert problem.file == "Pulumi.contoso.yaml" and problem.path == "entra-consent:user_consent"
    assert f"beyond the tenant's budget of about {ID_BUDGET}" in problem.message


def config(**keys: Any) -> dict[str, Any]:
    return {
        "azuread:tenantId": TENANT,
        "entra-consent:features": {"teams": {"consent": "tenant"}},
        **keys,
    }


def test_the_two_keys_default_to_changing_nothing() -> None:
    settings = settings_from_config(config(), "Pulumi.contoso.yaml")
    assert settings.user_consent == "unmanaged" and settings.admin_consent_workflow is None


def test_the_workflow_as_a_stack_file_names_it() -> None:
    workflow = {
        "reviewers": {"groups": ["Identity Admins"], "roles": ["Cloud Application Administrator"]},
        "notify": True,
        "reminders": False,
        "duration_days": 14,
    }
    settings = settings_from_config(
        config(
            **{
                "entra-consent:user_consent": "catalogue",
                "entra-consent:admin_consent_workflow": workflow,
            }
        ),
        "Pulumi.contoso.yaml",
    )
    assert settings.user_consent == "catalogue"
    assert settings.admin_consent_workflow is not None
    assert settings.admin_consent_workflow.duration_days == 14
    assert settings.admin_consent_workflow.reviewers.groups == ["Identity Admins"]


@pytest.mark.parametrize(
    ("keys", "path", "said"),
    [
        ({"entra-consent:user_consent": "everyone"}, "entra-consent:user_consent", "catalogue"),
        (
            {"entra-consent:admin_consent_workflow": {"reviewers": {}}},
            "entra-consent:admin_consent_workflow.reviewers",
            "no reviewer named",
        ),
        (
            {
                "entra-consent:admin_consent_workflow": {
                    "reviewers": {"users": ["a@b.c"]},
                    "duration_days": 31,
                }
            },
            "entra-consent:admin_consent_workflow.duration_days",
            "30",
        ),
    ],
)
def test_bad_keys_are_one_line_each_naming_file_and_key(
    keys: dict[str, Any], path: str, said: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        settings_from_config(config(**keys), "Pulumi.contoso.yaml")
    (problem,) = raised.value.problems
    assert (problem.file, problem.path) == ("Pulumi.contoso.yaml", path)
    assert said in problem.message


def test_until_it_is_applied_a_stack_that_asks_for_it_stops_with_one_line_per_key() -> None:
    workflow = {"reviewers": {"groups": ["Identity Admins"]}}
    settings = settings_from_config(
        config(
            **{
                "entra-consent:user_consent": "none",
                "entra-consent:admin_consent_workflow": workflow,
            }
        ),
        "Pulumi.contoso.yaml",
    )
    problems = front_door_not_applied(settings, "Pulumi.contoso.yaml")
    assert [p.path for p in problems] == [
        "entra-consent:user_consent",
        "entra-consent:admin_consent_workflow",
    ]
    assert all("not applied by this version yet" in p.message for p in problems)
    plain = settings_from_config(config(), "Pulumi.contoso.yaml")
    assert front_door_not_applied(plain, "Pulumi.contoso.yaml") == []
