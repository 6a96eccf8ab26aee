"""A quick, small run of the scale benchmark to keep it working: counts, not times."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from typing import Any

from benchmarks.synthetic import (
    EMAIL_GROUPS,
    GRAPH_APP_ID,
    TENANT_ID,
    SyntheticTenant,
    expected_counts,
    stack_config,
)
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
)
from simtenant.fakes.fake_tenant import FakeTenant
from simtenant.fakes.mock_runtime import ROOT, run_program


def _measure(kind: str, size: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", kind, str(size)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures: dict[str, Any] = json.loads(out)
    return figures


def test_program_run_declares_the_minimum_with_constant_invokes() -> None:
    size = 1_000
    expected = expected_counts(SyntheticTenant(size))
    figures = _measure("program", size)
    assert figures["error"] is None
    assert figures["registered"] == {
        ENTERPRISE_APP_TYPE: 1,
        RESOURCE_API_TYPE: 1,
        SERVICE_PRINCIPAL_TYPE: 1,
        GRANT_TYPE: expected.grants,
        ASSIGNMENT_TYPE: expected.assignments,
    }
    assert figures["read"] == {SERVICE_PRINCIPAL_TYPE: 1}
    assert figures["resources"] == expected.resources
    assert figures["invokes"] == expected.invokes
    assert figures["live_invokes"] == 0  # every invoke's answer was prepared before timing
    assert figures["peak_rss_mib"] > 0


def test_floor_registers_the_count_asked_for() -> None:
    figures = _measure("floor", 300)
    assert figures["error"] is None
    assert figures["registered"] == {GRANT_TYPE: 300}


def test_planner_run_plans_the_minimum() -> None:
    expected = expected_counts(SyntheticTenant(2_000))
    figures = _measure("planner", 2_000)
    assert (figures["grants"], figures["assignments"]) == (expected.grants, expected.assignments)


def _fake_tenant(tenant: SyntheticTenant) -> FakeTenant:
    return FakeTenant(
        users=dict(tenant.users()),
        groups={g.name: (g.object_id, g.members()) for g in tenant.groups.values()},
        service_principals={GRAPH_APP_ID: tenant.service_principal_id(GRAPH_APP_ID)},
        tenant_id=TENANT_ID,
    )


def test_the_recording_harness_sees_the_same_minimum() -> None:
    """Cross-check of the lean harness with the tests' recording one, and of what "minimum"
    means: per-user grants go to email's users only, with the scopes calendar's tenant-wide
    grant lacks, and never to non-user group members."""
    tenant = SyntheticTenant(200)
    expected = expected_counts(tenant)
    run = run_program(stack_config(tenant), _fake_tenant(tenant), stack="bench")
    assert run.error is None
    counts = Counter(r.type for r in run.registrations if not r.read)
    assert counts[GRANT_TYPE] == expected.grants
    assert counts[ASSIGNMENT_TYPE] == expected.assignments
    assert counts[SERVICE_PRINCIPAL_TYPE] == 1
    email_users = {oid for i, (oid, _) in enumerate(tenant.users()) if i in _email_indices(tenant)}
    per_user = [r for r in run.of_type(GRANT_TYPE) if r.inputs.get("userObjectId")]
    assert {r.inputs["userObjectId"] for r in per_user} == email_users
    assert {tuple(r.inputs["claimValues"]) for r in per_user} == {
        ("Mail.ReadWrite.Shared", "Mail.Send.Shared")
    }


def _email_indices(tenant: SyntheticTenant) -> set[int]:
    indices = set(tenant.direct_by_upn) | set(tenant.direct_by_id)
    for name in EMAIL_GROUPS:
        indices.update(tenant.groups[name].users)
    return indices


def test_make_bench_small_prints_the_tables() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--sizes", "200", "--no-results"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "## Machine" in result.stdout
    assert "CPUs (nproc)" in result.stdout
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 200 | ")]
    # the minimum, declared: components are the EnterpriseApp and the ResourceApi of Graph
    assert any(row.startswith("| 200 | yes | 2 | 1 |") for row in rows)
    assert "Resources declared = the minimum the consent needs, at every size: **met**" in (
        result.stdout
    )
