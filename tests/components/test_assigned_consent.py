"""Consent `assigned`: one tenant-wide grant, assignment required, one assignment per group,
whatever the group's size; its checks against the catalogue and the other features of the app;
and the program's look-ups (group ids only, no member or user listing)."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from catalog.catalogue import load_catalogue
from catalog.problems import ConfigurationError
from components.core.naming import (
    ASSIGNMENT_TYPE,
    GET_GROUP,
    GET_GROUPS,
    GET_USERS,
    GRANT_TYPE,
    SERVICE_PRINCIPAL_TYPE,
)
from components.core.planner import plan_consent
from components.core.principals import (
    ResolvedGroup,
    ResolvedPrincipals,
    id_only_groups,
    member_groups,
)
from components.core.settings import settings_from_config
from components.core.settings_checks import settings_problems
from components.core.stack_file import load_stack
from components.core.target import TENANT, Target
from simtenant.fakes.fake_tenant import FakeTenant, fake_id
from simtenant.fakes.mock_runtime import ROOT, run_program, runtime_config

CATALOGUE = load_catalogue(ROOT / "catalog")
FILE = "Pulumi.test.yaml"
F = "entra-consent:features"
A = "entra-consent:apps"
TENANT_ID = "11111111-2222-3333-4444-555555555555"
GRANT = GRANT_TYPE
ASSIGNMENT = ASSIGNMENT_TYPE
SP = SERVICE_PRINCIPAL_TYPE
CONTOSO = ROOT / "tests" / "tenants" / "contoso.yaml"
ASSIGNED: dict[str, Any] = {
    "azuread:tenantId": TENANT_ID,
    F: {"email": {"consent": "assigned", "groups": ["Jira Users", "O'Brien Team"]}},
}


def config(**replaced: Any) -> dict[str, Any]:
    return {**copy.deepcopy(ASSIGNED), **replaced}


def problems(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigurationError) as caught:
        load_stack(runtime_config(raw), ROOT, FILE)
    return [str(p) for p in caught.value.problems]


def test_plan_is_one_tenant_grant_and_one_assignment_per_group() -> None:
    settings = settings_from_config(ASSIGNED, FILE)
    principals = ResolvedPrincipals(
        groups={
            "Jira Users": ResolvedGroup("g1", frozenset()),
            "O'Brien Team": ResolvedGroup("g2", frozenset()),
        }
    )
    [app] = plan_consent(CATALOGUE, settings, principals).apps
    assert [(g.api, g.target) for g in app.grants] == [("microsoft-graph", TENANT)]
    assert [a.principal for a in app.assignments] == [Target("group", "g1"), Target("group", "g2")]
    assert app.settings.assignment_required is True
    # Only the groups' ids are needed: no member list, however large the groups.
    assert id_only_groups(settings) == ["Jira Users", "O'Brien Team"]
    assert member_groups(settings) == []


def test_a_group_name_with_an_apostrophe_is_fine_when_no_members_are_read() -> None:
    load_stack(runtime_config(ASSIGNED), ROOT, FILE)  # no problem raised


@pytest.mark.parametrize(
    ("features", "apps", "expected"),
    [
        (
            {"email": {"consent": "assigned"}},
            {},
            "entra-consent:features.email: consent 'assigned' names no users or groups (name the "
            "groups whose members may use the app)",
        ),
        (
            {"email": {"consent": "assigned", "groups": ["Jira Users"], "assign": False}},
            {},
            "entra-consent:features.email.assign: consent 'assigned' works through the "
            "assignments: with assign false nobody could sign in (remove assign)",
        ),
        (
            {
                "email": {"consent": "assigned", "groups": ["Jira Users"]},
                "calendar": {"consent": "tenant"},
            },
            {},
            "entra-consent:features.calendar.consent: 'tenant' is for every user, but app "
            "m365-jira-mail requires assignment for email ('assigned'), so only assigned users "
            "could sign in (use 'assigned' with the same groups)",
        ),
        (
            {
                "email": {"consent": "assigned", "groups": ["Jira Users"]},
                "calendar": {
                    "consent": "principals",
                    "users": ["adele@contoso.com"],
                    "assign": False,
                },
            },
            {},
            "entra-consent:features.calendar.assign: users consented without assignment could not "
            "sign in: app m365-jira-mail requires assignment for email ('assigned') (remove "
            "assign: false)",
        ),
        (
            {"email": {"consent": "assigned", "groups": ["Jira Users"]}},
            {"m365-jira-mail": {"assignment_required": False}},
            "entra-consent:apps.m365-jira-mail.assignment_required: email uses 'assigned', which "
            "requires assignment (remove assignment_required: false)",
        ),
    ],
)
def test_checks(features: dict[str, Any], apps: dict[str, Any], expected: str) -> None:
    raw = config(**{F: features, **({A: apps} if apps else {})})
    assert problems(raw) == [f"{FILE}: {expected}"]


def test_a_feature_the_catalogue_keeps_per_user_refuses_assigned() -> None:
    """No shipped feature is per-user only; the check reads the catalogue's consent modes."""
    email = CATALOGUE.features["email"]
    entry = email.entry.model_copy(update={"consent_modes": ["principals"]})
    features = {**CATALOGUE.features, "email": dataclasses.replace(email, entry=entry)}
    catalogue = dataclasses.replace(CATALOGUE, features=features)
    settings = settings_from_config(ASSIGNED, FILE)
    assert [str(p) for p in settings_problems(settings, catalogue, FILE)] == [
        f"{FILE}: entra-consent:features.email.consent: 'assigned' is one tenant-wide grant, "
        "which email does not allow (use principals)"
    ]


def test_principals_still_refuse_an_apostrophe_they_would_look_up_by_filter() -> None:
    raw = config(**{F: {"email": {"consent": "principals", "groups": ["O'Brien Team"]}}})
    [line] = problems(raw)
    assert "the azuread provider looks a group up by a Graph filter it does not escape" in line


def test_the_program_reads_group_ids_only_and_declares_a_handful_of_resources() -> None:
    tenant = FakeTenant.from_file(CONTOSO)
    run = run_program({F: {"email": {"consent": "assigned", "groups": ["Jira Users"]}}}, tenant)
    assert run.error is None, run.error
    assert run.invokes[GET_GROUPS] == 1
    assert run.invokes[GET_GROUP] == 0  # no member list
    assert run.invokes[GET_USERS] == 0  # no user list
    [sp] = run.of_type(SP)
    assert sp.inputs["appRoleAssignmentRequired"] is True
    [grant] = run.of_type(GRANT)
    assert "userObjectId" not in grant.inputs  # tenant-wide
    [assignment] = run.of_type(ASSIGNMENT)
    assert assignment.inputs["principalObjectId"] == fake_id("group", "Jira Users")


def test_a_missing_group_fails_or_is_skipped_as_configured() -> None:
    tenant = FakeTenant.from_file(CONTOSO)
    raw = {F: {"email": {"consent": "assigned", "groups": ["Jira Users", "Nobody"]}}}
    run = run_program(raw, tenant)
    assert run.error is not None and run.registrations == []
    assert any("Nobody" in m for m in run.messages("error"))
    skipped = run_program({**raw, "entra-consent:missing_principals": "skip"}, tenant)
    assert skipped.error is None
    assert len(skipped.of_type(ASSIGNMENT)) == 1
