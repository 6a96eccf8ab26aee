"""Planner: unit tests on the shipped catalogue, and properties over generated settings and
tenants."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from catalog.catalogue import Catalogue, load_catalogue
from catalog.guid import DEFAULT_APP_ROLE_ID
from components.core.planner import AppPlan, ConsentPlan, Grant, plan_consent
from components.core.principals import ResolvedGroup, ResolvedPrincipals, index_users
from components.core.settings import StackSettings
from components.core.settings_checks import settings_problems
from components.core.target import TENANT, Target
from simtenant.fakes.fake_tenant import fake_id
from simtenant.fakes.mock_runtime import ROOT

GRAPH = "microsoft-graph"
EXCHANGE = "exchange-online"
BASE = ["User.Read", "email", "offline_access", "openid", "profile"]


def settings(features: dict[str, Any], **more: Any) -> StackSettings:
    return StackSettings.model_validate({"features": features, **more})


def checked(catalogue: Catalogue, features: dict[str, Any], **more: Any) -> StackSettings:
    s = settings(features, **more)
    assert settings_problems(s, catalogue, "test") == []
    return s


def app_plan(plan: ConsentPlan, app: str) -> AppPlan:
    return next(a for a in plan.apps if a.key == app)


def grants_by_target(plan: AppPlan, api: str = GRAPH) -> dict[Target, tuple[str, ...]]:
    return {g.target: g.scopes for g in plan.grants if g.api == api}


def uid(upn: str) -> str:
    return fake_id("user", upn)


def principals(users: list[str], groups: dict[str, list[str]] | None = None) -> ResolvedPrincipals:
    return ResolvedPrincipals(
        users=index_users((uid(u), u) for u in users),
        groups={
            name: ResolvedGroup(fake_id("group", name), frozenset(uid(m) for m in members))
            for name, members in (groups or {}).items()
        },
    )


# --- unit tests ---------------------------------------------------------------------------


def test_features_sharing_a_client_id_merge_into_one_sorted_grant(catalogue: Catalogue) -> None:
    s = checked(catalogue, {"email": {"consent": "tenant"}, "meetings": {"consent": "tenant"}})
    plan = plan_consent(catalogue, s)
    assert [a.key for a in plan.apps] == ["m365-jira-mail"]
    mail = plan.apps[0]
    assert mail.features == ("email", "meetings")
    assert mail.client_id == "e7185a25-9df9-4d05-b779-76b04bf46424"
    assert len(mail.grants) == 1
    grant = mail.grants[0]
    assert (grant.api, grant.target) == (GRAPH, TENANT)
    email = catalogue.features["email"].entry.grants[GRAPH].required
    meetings = catalogue.features["meetings"].entry.grants[GRAPH].required
    assert grant.scopes == tuple(sorted(set(email) | set(meetings)))
    assert list(grant.scopes) == sorted(grant.scopes)


def test_per_user_scopes_covered_tenant_wide_are_left_out(catalogue: Catalogue) -> None:
    s = checked(
        catalogue,
        {
            "email": {"consent": "tenant"},
            "calendar": {"consent": "principals", "users": ["adele@contoso.com"]},
        },
    )
    mail = app_plan(plan_consent(catalogue, s, principals(["adele@contoso.com"])), "m365-jira-mail")
    grants = grants_by_target(mail)
    adele = Target("user", uid("adele@contoso.com"))
    assert set(grants) == {TENANT, adele}
    assert grants[adele] == (
        "Calendars.ReadWrite",
        "Calendars.ReadWrite.Shared",
        "OnlineMeetings.ReadWrite",
    )
    assert not set(grants[adele]) & set(grants[TENANT])


def test_per_user_grant_with_nothing_left_is_not_declared(catalogue: Catalogue) -> None:
    # Meetings' scopes are a subset of Calendar's: tenant-wide Calendar covers them all.
    s = checked(
        catalogue,
        {
            "calendar": {"consent": "tenant"},
            "meetings": {"consent": "principals", "users": ["adele@contoso.com"]},
        },
    )
    mail = app_plan(plan_consent(catalogue, s, principals(["adele@contoso.com"])), "m365-jira-mail")
    assert set(grants_by_target(mail)) == {TENANT}
    # The assignment still stands: consent and assignment are separate.
    assert [a.principal for a in mail.assignments] == [Target("user", uid("adele@contoso.com"))]


def test_optional_scope_not_covered_tenant_wide_stays_per_user(catalogue: Catalogue) -> None:
    s = checked(
        catalogue,
        {
            "calendar": {"consent": "tenant"},
            "meetings": {
                "consent": "principals",
                "users": ["adele@contoso.com"],
                "optional_scopes": ["Place.Read.All"],
            },
        },
    )
    mail = app_plan(plan_consent(catalogue, s, principals(["adele@contoso.com"])), "m365-jira-mail")
    assert grants_by_target(mail)[Target("user", uid("adele@contoso.com"))] == ("Place.Read.All",)


def test_groups_expand_to_user_members_for_grants_and_are_assigned_as_groups(
    catalogue: Catalogue,
) -> None:
    s = checked(
        catalogue,
        {"todo": {"consent": "principals", "groups": ["Jira Users"], "users": ["lee@contoso.com"]}},
    )
    members = ["adele@contoso.com", "megan@contoso.com"]
    resolved = principals([*members, "lee@contoso.com"], {"Jira Users": members})
    todo = app_plan(plan_consent(catalogue, s, resolved), "m365-jira-todo")
    everyone = {uid(u) for u in [*members, "lee@contoso.com"]}
    assert {g.target for g in todo.grants} == {Target("user", u) for u in everyone}
    assert all(
        g.scopes == tuple(sorted(catalogue.features["todo"].scopes(GRAPH))) for g in todo.grants
    )
    assert {a.principal for a in todo.assignments} == {
        Target("group", fake_id("group", "Jira Users")),
        Target("user", uid("lee@contoso.com")),
    }
    assert {a.app_role_id for a in todo.assignments} == {DEFAULT_APP_ROLE_ID}


def test_symbolic_plan_shows_groups_as_groups(catalogue: Catalogue) -> None:
    s = checked(catalogue, {"todo": {"consent": "principals", "groups": ["Jira Users"]}})
    todo = app_plan(plan_consent(catalogue, s), "m365-jira-todo")
    assert [g.target for g in todo.grants] == [Target("group", "Jira Users")]
    assert [a.principal for a in todo.assignments] == [Target("group", "Jira Users")]


def test_consent_none_declares_the_service_principal_only(catalogue: Catalogue) -> None:
    s = checked(catalogue, {"todo": {"consent": "none"}}, apps={"m365-jira-todo": {"hide": True}})
    plan = plan_consent(catalogue, s, principals([]))
    assert [a.key for a in plan.apps] == ["m365-jira-todo"]
    todo = plan.apps[0]
    assert (todo.grants, todo.assignments, todo.features) == ((), (), ("todo",))
    assert todo.settings.hide


def test_optional_all_adds_every_optional_scope(catalogue: Catalogue) -> None:
    s = checked(catalogue, {"calendar": {"consent": "tenant", "optional_scopes": "all"}})
    grant = plan_consent(catalogue, s).grants[0]
    assert {"Place.Read.All", "Group.ReadWrite.All", "Team.ReadBasic.All"} <= set(grant.scopes)
    without = plan_consent(catalogue, checked(catalogue, {"calendar": {"consent": "tenant"}}))
    assert set(grant.scopes) - set(without.grants[0].scopes) == {
        "Place.Read.All",
        "Group.ReadWrite.All",
        "Team.ReadBasic.All",
    }


def test_tenant_consent_with_users_assigns_them_without_per_user_grants(
    catalogue: Catalogue,
) -> None:
    s = checked(catalogue, {"teams": {"consent": "tenant", "users": ["adele@contoso.com"]}})
    teams = app_plan(
        plan_consent(catalogue, s, principals(["adele@contoso.com"])), "m365-jira-teams"
    )
    assert [g.target for g in teams.grants] == [TENANT]
    assert [a.principal for a in teams.assignments] == [Target("user", uid("adele@contoso.com"))]


def test_assign_false_makes_no_assignments(catalogue: Catalogue) -> None:
    s = checked(
        catalogue,
        {"todo": {"consent": "principals", "users": ["adele@contoso.com"], "assign": False}},
    )
    todo = app_plan(plan_consent(catalogue, s, principals(["adele@contoso.com"])), "m365-jira-todo")
    assert len(todo.grants) == 1
    assert todo.assignments == ()


def test_jemhc_one_grant_per_api(catalogue: Catalogue) -> None:
    s = checked(
        catalogue,
        {
            "jemhc-ews": {"consent": "tenant"},
            "jemhc-graph": {"consent": "principals", "users": ["support@contoso.com"]},
        },
    )
    jemhc = app_plan(plan_consent(catalogue, s, principals(["support@contoso.com"])), "jemhc")
    assert [(g.api, g.target) for g in jemhc.grants] == [
        (EXCHANGE, TENANT),
        (GRAPH, TENANT),
        (GRAPH, Target("user", uid("support@contoso.com"))),
    ]
    assert grants_by_target(jemhc)[TENANT] == ("email", "offline_access", "openid", "profile")
    assert grants_by_target(jemhc, EXCHANGE)[TENANT] == ("EWS.AccessAsUser.All",)


def test_references_the_tenant_lacks_are_left_out(catalogue: Catalogue) -> None:
    s = checked(
        catalogue,
        {"todo": {"consent": "principals", "users": ["ghost@contoso.com"], "groups": ["Ghosts"]}},
    )
    todo = app_plan(plan_consent(catalogue, s, principals(["adele@contoso.com"])), "m365-jira-todo")
    assert (todo.grants, todo.assignments) == ((), ())


def test_users_named_by_object_id_or_upn_in_any_case_are_one_target(catalogue: Catalogue) -> None:
    adele = uid("adele@contoso.com")
    s = checked(
        catalogue,
        {
            "email": {"consent": "principals", "users": ["Adele@Contoso.com"]},
            "meetings": {"consent": "principals", "users": [adele.upper()]},
        },
    )
    mail = app_plan(plan_consent(catalogue, s, principals(["adele@contoso.com"])), "m365-jira-mail")
    assert [g.target for g in mail.grants] == [Target("user", adele)]
    assert [a.principal for a in mail.assignments] == [Target("user", adele)]


# --- properties -----------------------------------------------------------------------------

# Strategies read the shipped catalogue from here (as an argument, it would bloat their repr).
CATALOGUE = load_catalogue(ROOT / "catalog")
UPNS = [f"user{i}@contoso.com" for i in range(6)]
GROUPS = ["Group A", "Group B", "Group C"]


@st.composite
def tenants(draw: st.DrawFn) -> ResolvedPrincipals:
    """Some of the user pool (by UPN) and some groups with user members; the rest are missing."""
    present = draw(st.lists(st.sampled_from(UPNS), unique=True))
    groups = {}
    for name in draw(st.lists(st.sampled_from(GROUPS), unique=True)):
        groups[name] = draw(st.lists(st.sampled_from(present), unique=True)) if present else []
    return principals(present, groups)


@st.composite
def feature_settings(draw: st.DrawFn, key: str) -> dict[str, Any]:
    feature = CATALOGUE.features[key]
    consent = draw(st.sampled_from([*feature.entry.consent_modes, "none"]))
    out: dict[str, Any] = {"consent": consent}
    if consent == "none":
        return out
    users = draw(st.lists(st.sampled_from(UPNS), unique=True, max_size=4))
    groups = draw(st.lists(st.sampled_from(GROUPS), unique=True, max_size=2))
    if consent == "principals" or draw(st.booleans()):
        if users:
            out["users"] = [draw(st.sampled_from([u, u.upper()])) for u in users]
        if groups:
            out["groups"] = groups
    if "users" in out or "groups" in out:
        out["assign"] = draw(
            st.sampled_from([None, True] if consent == "tenant" else [None, True, False])
        )
        if out["assign"] is None:
            del out["assign"]
    offered = sorted(feature.optional_scopes())
    if offered:
        choice = draw(st.sampled_from(["none", "all", "some"]))
        if choice == "all":
            out["optional_scopes"] = "all"
        elif choice == "some":
            out["optional_scopes"] = draw(
                st.lists(st.sampled_from(offered), unique=True, min_size=1)
            )
    return out


@st.composite
def stacks(draw: st.DrawFn) -> StackSettings:
    keys = draw(st.lists(st.sampled_from(sorted(CATALOGUE.features)), unique=True, min_size=1))
    features = {key: draw(feature_settings(key)) for key in keys}
    s = settings(features)
    assume(not settings_problems(s, CATALOGUE, "test"))  # e.g. conflicting assign
    return s


def reordered(s: StackSettings, rng: random.Random) -> StackSettings:
    raw = s.model_dump(exclude_none=True)
    features = list(raw["features"].items())
    rng.shuffle(features)
    for _, fs in features:
        for key in ("users", "groups", "optional_scopes"):
            if isinstance(fs.get(key), list):
                rng.shuffle(fs[key])
    raw["features"] = dict(features)
    return StackSettings.model_validate(raw)


def effective(plan: AppPlan, api: str, user: str) -> set[str]:
    grants = grants_by_target(plan, api)
    return set(grants.get(TENANT, ())) | set(grants.get(Target("user", user), ()))


def expected_access(
    catalogue: Catalogue, s: StackSettings, resolved: ResolvedPrincipals, app: str, api: str
) -> tuple[set[str], dict[str, set[str]]]:
    """Independent model: tenant-wide scopes, and each user's effective scopes."""
    tenant: set[str] = set()
    per_user: dict[str, set[str]] = {}
    for key, fs in s.features.items():
        feature = catalogue.features[key]
        if feature.app != app or fs.consent == "none":
            continue
        optional = (
            feature.optional_scopes()
            if fs.optional_scopes == "all"
            else set(fs.optional_scopes or ())
        )
        scopes = feature.scopes(api, optional)
        if fs.consent == "tenant":
            tenant |= scopes
            continue
        members = {resolved.users[u.lower()] for u in fs.users or [] if u.lower() in resolved.users}
        for group in fs.groups or []:
            if group in resolved.groups:
                members |= resolved.groups[group].user_ids
        for member in members:
            per_user.setdefault(member, set()).update(scopes)
    return tenant, {u: scopes | tenant for u, scopes in per_user.items()}


@given(data=st.data())
def test_properties_of_resolved_plans(catalogue: Catalogue, data: st.DataObject) -> None:
    s = data.draw(stacks())
    resolved = data.draw(tenants())
    plan = plan_consent(catalogue, s, resolved)

    # Planning twice gives the same result.
    assert plan_consent(catalogue, s, resolved) == plan
    # The order of features, users, groups and optional scopes changes nothing.
    rng = random.Random(data.draw(st.integers(0, 2**32 - 1)))
    assert plan_consent(catalogue, reordered(s, rng), resolved) == plan

    # One grant per (app, API, target).
    counts = Counter((g.app, g.api, g.target) for g in plan.grants)
    assert all(n == 1 for n in counts.values())
    # One app plan per enabled app, assignments unique.
    assert sorted(a.key for a in plan.apps) == sorted(
        {catalogue.features[k].app for k in s.features}
    )
    assert len(set(plan.assignments)) == len(plan.assignments)

    tenant_scopes = {(g.app, g.api): set(g.scopes) for g in plan.grants if g.target == TENANT}
    for grant in plan.grants:
        # Every granted scope is catalogue-listed for that app and API, scopes sorted, none empty.
        assert set(grant.scopes) <= catalogue.listed_scopes(grant.app, grant.api)
        assert grant.scopes and list(grant.scopes) == sorted(set(grant.scopes))
        # Per-user grants go to users only, and never repeat tenant-wide scopes.
        assert grant.target.kind in ("tenant", "user")
        if grant.target.kind == "user":
            assert not set(grant.scopes) & tenant_scopes.get((grant.app, grant.api), set())

    # Each user ends up with exactly the access the settings give them (model check).
    for app in plan.apps:
        for api in catalogue.apis:
            tenant, per_user = expected_access(catalogue, s, resolved, app.key, api)
            assert set(grants_by_target(app, api).get(TENANT, ())) == tenant
            granted_users = {t.ref for t in grants_by_target(app, api) if t.kind == "user"}
            assert granted_users <= set(per_user)
            for user, scopes in per_user.items():
                assert effective(app, api, user) == scopes


@given(data=st.data())
def test_symbolic_plans_are_order_independent(catalogue: Catalogue, data: st.DataObject) -> None:
    s = data.draw(stacks())
    plan = plan_consent(catalogue, s)
    assert not plan.resolved
    rng = random.Random(data.draw(st.integers(0, 2**32 - 1)))
    assert plan_consent(catalogue, reordered(s, rng)) == plan
    counts = Counter((g.app, g.api, g.target) for g in plan.grants)
    assert all(n == 1 for n in counts.values())
    for grant in plan.grants:
        assert set(grant.scopes) <= catalogue.listed_scopes(grant.app, grant.api)


def test_grant_is_hashable_value() -> None:
    # Plans compare by value: the properties above rely on it.
    assert Grant("a", "b", TENANT, ("x",)) == Grant("a", "b", Target("tenant"), ("x",))
