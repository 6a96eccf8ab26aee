"""Planner behaviour the rule-by-rule tests and the properties leave open (each test here kills
a mutant of components/core/planner.py that survived them; `make mutate`): the order of targets,
how a target reads, the APIs of a plan, and consent `assigned`."""

from __future__ import annotations

from catalog.catalogue import Catalogue
from components.core.planner import plan_consent
from components.core.target import TENANT, UNKNOWN_TARGET, Target
from tests.components.core.test_planner import EXCHANGE, GRAPH, app_plan, checked, principals, uid


def test_targets_are_ordered_tenant_then_groups_then_users(catalogue: Catalogue) -> None:
    """By kind first, then by name: a group whose name sorts after a user's still comes first."""
    s = checked(
        catalogue,
        {
            "email": {"consent": "tenant"},
            "calendar": {
                "consent": "principals",
                "users": ["adele@contoso.com"],
                "groups": ["zz team"],
            },
        },
    )
    mail = app_plan(plan_consent(catalogue, s), "m365-jira-mail")
    assert [g.target for g in mail.grants] == [
        TENANT,
        Target("group", "zz team"),
        Target("user", "adele@contoso.com"),
    ]
    assert [a.principal for a in mail.assignments] == [
        Target("group", "zz team"),
        Target("user", "adele@contoso.com"),
    ]


def test_a_target_reads_as_its_kind_and_reference() -> None:
    assert str(TENANT) == "tenant"
    assert str(Target("user", "0a1b")) == "user:0a1b"
    assert str(Target("group", "Jira Users")) == "group:Jira Users"
    assert str(UNKNOWN_TARGET) == "unknown"
    targets = (Target("user", "a"), Target("group", "b"), UNKNOWN_TARGET, TENANT)
    # Tenant-wide first, then what may be tenant-wide, then groups, then users.
    assert sorted(targets, key=Target.sort_key) == list(reversed(targets))


def test_apis_of_a_plan_are_sorted_and_unique(catalogue: Catalogue) -> None:
    s = checked(
        catalogue,
        {"jemhc-ews": {"consent": "tenant"}, "email": {"consent": "tenant"}},
    )
    plan = plan_consent(catalogue, s)
    assert plan.apis() == [EXCHANGE, GRAPH]
    assert len(plan.grants) == 3  # jemhc: Exchange and Graph; mail: Graph


def test_consent_assigned_is_one_tenant_wide_grant_and_requires_assignment(
    catalogue: Catalogue,
) -> None:
    s = checked(
        catalogue,
        {
            "email": {"consent": "assigned", "groups": ["Jira Users"]},
            "todo": {"consent": "principals", "users": ["adele@contoso.com"]},
        },
    )
    resolved = principals(["adele@contoso.com"], {"Jira Users": ["adele@contoso.com"]})
    plan = plan_consent(catalogue, s, resolved)
    mail = app_plan(plan, "m365-jira-mail")
    assert [g.target for g in mail.grants] == [TENANT]
    assert mail.settings.assignment_required is True
    assert [a.principal.kind for a in mail.assignments] == ["group"]
    # another app of the same stack is left as it was configured
    todo = app_plan(plan, "m365-jira-todo")
    assert todo.settings.assignment_required is False
    assert [g.target for g in todo.grants] == [Target("user", uid("adele@contoso.com"))]
