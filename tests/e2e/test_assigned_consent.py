"""Consent `assigned` on the real CLI: a group of 50,000 members costs the resources and Graph
writes of a handful of objects, and the tenant ends as the mode promises (one tenant-wide
grant, assignment required, the group assigned)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.engine import GROUP, MAIL_CLIENT_ID, tenant_state
from benchmarks.engine_assigned import run_assigned

pytestmark = pytest.mark.e2e

MEMBERS = 50_000


def test_a_group_of_50000_members_is_a_handful_of_objects(
    tmp_path: Path, pulumi_cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, members = tenant_state(MEMBERS)
    assert len(members) == MEMBERS
    run = run_assigned(state, MEMBERS, GROUP, pulumi_cli, tmp_path)
    with capsys.disabled():
        print(
            f"\nassigned, {MEMBERS:,} members: pulumi up (with its preview) {run.up_s:.1f} s, "
            f"{run.requests} Graph requests, {run.writes} writes, {run.resources} resources"
        )
    assert run.member_reads == 0  # neither the group's members nor the tenant's users listed
    # The client's service principal, created as the provider creates one (POST with the
    # caller as owner, the description PATCH, the caller removed as owner), one grant, one
    # assignment.
    assert run.writes <= 5
    assert run.resources <= 8  # the stack, the provider, components, the reads, the three

    tenant = run.tenant
    [sp] = [s for s in tenant["servicePrincipals"] if s["appId"] == MAIL_CLIENT_ID]
    assert sp["appRoleAssignmentRequired"] is True
    grants = [g for g in tenant["oauth2PermissionGrants"] if g["clientId"] == sp["id"]]
    assert [(g["consentType"], g.get("principalId")) for g in grants] == [("AllPrincipals", None)]
    [group] = [g for g in tenant["groups"] if g["displayName"] == GROUP]
    assigned = [a for a in tenant["appRoleAssignments"] if a["resourceId"] == sp["id"]]
    assert [(a["principalId"], a["principalType"]) for a in assigned] == [(group["id"], "Group")]
