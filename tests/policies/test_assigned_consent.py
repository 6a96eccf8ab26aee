"""`tenant-wide-privileged-scopes` and consent `assigned`: privileged scopes tenant-wide pass on
an app that requires assignment only when the policy config says so, and only when the stack
declares the requirement as a known `true`."""

from __future__ import annotations

import dataclasses

import pytest

from components.core.naming import SERVICE_PRINCIPAL_TYPE
from policies.config import PrivilegedConfig, parse_config
from policies.grant_rules import tenant_wide_privileged_scopes
from policies.stack import Stack
from tests.policies.test_rules import CATALOGUE, UNKNOWN, _stack

PRIVILEGED = ["Group.ReadWrite.All", "Mail.Send", "User.Read"]  # the first at level 4


def stack_requiring(required: object) -> Stack:
    stack = _stack("jemhc", "microsoft-graph", PRIVILEGED, None, False)
    return Stack(
        dataclasses.replace(r, props={**r.props, "appRoleAssignmentRequired": required})
        if r.type == SERVICE_PRINCIPAL_TYPE
        else r
        for r in stack.resources
    )


@pytest.mark.parametrize(
    ("required", "allow", "refused"),
    [
        (True, False, True),  # off by default: assignment alone allows nothing
        (True, True, False),  # on, and the app requires assignment
        (False, True, True),  # on, but anyone may sign in
        (None, True, True),  # not declared
        (UNKNOWN, True, True),  # unknown at preview: never taken as true
        ("true", True, True),  # a string is not the boolean
    ],
)
def test_assignment_required_allows_only_when_configured_and_known(
    required: object, allow: bool, refused: bool
) -> None:
    config = PrivilegedConfig(allowWhenAssignmentRequired=allow)
    violations = tenant_wide_privileged_scopes(stack_requiring(required), CATALOGUE, config)
    assert bool(violations) is refused


def test_per_user_grants_are_unaffected() -> None:
    stack = _stack(
        "jemhc", "microsoft-graph", PRIVILEGED, "33333333-0000-0000-0000-0000000000cc", False
    )
    config = PrivilegedConfig(allowWhenAssignmentRequired=True)
    assert tenant_wide_privileged_scopes(stack, CATALOGUE, config) == []


def test_the_option_is_a_boolean_in_the_config() -> None:
    parsed, problems = parse_config(
        PrivilegedConfig, "tenant-wide-privileged-scopes", {"allowWhenAssignmentRequired": "yes"}
    )
    assert parsed is None
    assert [str(p) for p in problems] == [
        "policy config: tenant-wide-privileged-scopes.allowWhenAssignmentRequired: "
        "must be true or false (got 'yes')"
    ]
