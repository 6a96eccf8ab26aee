"""Consent `assigned` on the real engine: one group of N members made able to use an app costs
one tenant-wide grant, one assignment and the app's service principal, whatever N. Measured
beside the per-user runs of `make bench-engine`: `pulumi up` (with its preview and the policy
pack, as CI runs it), the resources in the state, the Graph requests and writes the simulated
tenant served."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.engine_stack import WRITES, email_workspace
from benchmarks.figures import markdown_table
from simtenant.graph import SimTenant


@dataclass(frozen=True)
class AssignedRun:
    members: int
    up_s: float
    resources: int
    requests: int
    writes: int
    member_reads: int  # requests listing the group's members or the tenant's users
    tenant: dict[str, Any]  # the simulated tenant afterwards (Graph's state)


def run_assigned(
    state: dict[str, Any], members: int, group: str, pulumi: Path, work: Path
) -> AssignedRun:
    sim = SimTenant(state=state)
    sim.start()
    try:
        ws = email_workspace(work / f"assigned-{members}", pulumi, sim.base_url, "assigned", group)
        sim.reset_requests()
        start = time.perf_counter()
        ws.up()
        took = time.perf_counter() - start
        requests = list(sim.requests)
        tenant = sim.tenant.to_state()
    finally:
        sim.stop()
    return AssignedRun(
        members=members,
        up_s=took,
        resources=ws.state_size()[1],
        requests=len(requests),
        writes=sum(1 for r in requests if r.method in WRITES),
        member_reads=sum(
            1 for r in requests if "members" in r.path.lower() or r.path.endswith("/users")
        ),
        tenant=tenant,
    )


def assigned_table(run: AssignedRun) -> list[str]:
    header = ["group members", "`pulumi up` s (preview, pack, update)", "resources in state"]
    header += ["Graph requests", "Graph writes", "member or user listings"]
    row = [f"{run.members:,}", f"{run.up_s:.1f}", str(run.resources), str(run.requests)]
    row += [str(run.writes), str(run.member_reads)]
    return markdown_table(header, [row])
