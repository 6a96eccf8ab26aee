"""The synthetic tenants and stacks of the scale benchmark, and the premises of their expected
minimum counts."""

from __future__ import annotations

import pytest

from benchmarks.synthetic import (
    GROUP_SPANS,
    SyntheticTenant,
    expected_counts,
    stack_config,
    upn,
    user_id,
)
from catalog.catalogue import Catalogue
from catalog.guid import is_guid
from components.core.settings import settings_from_config
from components.core.settings_checks import settings_problems

GRAPH = "microsoft-graph"


def test_meetings_scopes_are_all_in_calendars_tenant_wide_grant(catalogue: Catalogue) -> None:
    # The expected counts assume meetings-only users need no per-user grant.
    meetings = catalogue.features["meetings"].scopes(GRAPH)
    calendar = catalogue.features["calendar"].scopes(GRAPH)
    assert meetings <= calendar


def test_email_needs_scopes_beyond_calendars_tenant_wide_grant(catalogue: Catalogue) -> None:
    email = catalogue.features["email"].scopes(GRAPH)
    calendar = catalogue.features["calendar"].scopes(GRAPH)
    assert email - calendar


def test_the_three_features_share_one_app(catalogue: Catalogue) -> None:
    assert len({catalogue.features[k].app for k in ("email", "meetings", "calendar")}) == 1


@pytest.mark.parametrize("size", [200, 1_000, 10_000], ids=lambda s: f"{s}-users")
def test_stack_settings_are_valid(catalogue: Catalogue, size: int) -> None:
    settings = settings_from_config(stack_config(SyntheticTenant(size)), "Pulumi.bench.yaml")
    assert settings_problems(settings, catalogue, "Pulumi.bench.yaml") == []


def test_ids_are_guids_and_distinct() -> None:
    tenant = SyntheticTenant(2_000)
    users = [oid for oid, _ in tenant.users()]
    others = [m for g in tenant.groups.values() for m in g.non_users]
    others += [g.object_id for g in tenant.groups.values()]
    assert all(is_guid(i) for i in users + others)
    assert len(set(users)) == len(users)
    assert not set(users) & set(others)


def test_groups_mix_users_and_non_users() -> None:
    tenant = SyntheticTenant(1_000)
    for name, (start, stop) in GROUP_SPANS.items():
        group = tenant.groups[name]
        members = group.members()
        assert group.users == range(int(start * 1_000), int(stop * 1_000))
        assert set(members) == {user_id(i) for i in group.users} | set(group.non_users)
        assert len(group.non_users) >= 4


def test_directly_named_users_lie_outside_groups_except_the_overlap() -> None:
    tenant = SyntheticTenant(1_000)
    grouped = {i for g in tenant.groups.values() for i in g.users}
    in_groups = [i for i in tenant.direct_by_upn if i in grouped]
    assert len(in_groups) == 10
    assert not set(tenant.direct_by_id) & grouped
    config = stack_config(tenant)
    users = config["entra-consent:features"]["email"]["users"]
    assert upn(tenant.direct_by_upn[0]) in users
    assert user_id(tenant.direct_by_id[0]) in users


def test_expected_counts_at_1000_users() -> None:
    # Email: Sales 0-500 and Support 400-700 = 700 users, plus 40 by UPN and 10 by object id
    # outside every group (10 more by UPN are in Sales already).
    expected = expected_counts(SyntheticTenant(1_000))
    assert expected.user_grants == 750
    assert expected.tenant_grants == 1
    assert expected.assignments == 3 + 60
    assert expected.resources == 2 + 1 + 751 + 63 + 1  # components: EnterpriseApp, ResourceApi
    # users, 3 groups, Graph's and the app's service principals, the signed-in tenant
    assert sum(expected.invokes.values()) == 1 + 3 + 2 + 1
