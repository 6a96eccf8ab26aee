"""Per-user grants applied under Microsoft Graph's published identity write limits: 3,000 writes
per 150 s per app and tenant, 18,000 per 5 min per tenant. The simulated Graph enforces them
(429 with Retry-After, `/_sim/throttle`) and the stand-in plugin retries as the real provider's
HTTP client does, so the row shows what a first `pulumi up` of N per-user grants costs in a
real tenant. The row sets it beside the writes at the per-app limit's sustained rate (20 a
second: 500 s for 10,000); a sliding window lets the first 3,000 through at once, so the hard
bound is 150 s less per full window before the last (450 s for 10,000). The question is how
close to them the apply gets, with no step failed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.engine_stack import email_workspace
from benchmarks.figures import markdown_table
from simtenant.graph import SimTenant
from simtenant.graph.throttle import Limits

# Graph's published limits for identity writes, as the simulated Graph enforces them.
LIMITS = Limits()
UP_TIMEOUT_S = 3 * 3600


@dataclass(frozen=True)
class ThrottledRun:
    grants: int
    up_s: float  # the update alone (`--skip-preview`)
    writes: int  # writes Graph accepted
    throttled: int  # requests Graph answered 429
    failed: bool  # the update exited non-zero (a step failed)
    grants_in_tenant: int

    @property
    def floor_s(self) -> float:
        """The sustained rate the per-app limit allows, for the writes made."""
        return self.writes * LIMITS.app_window_s / LIMITS.app_writes


def run_throttled(
    state: dict[str, Any], grants: int, group: str, pulumi: Path, work: Path
) -> ThrottledRun:
    sim = SimTenant(state=state, throttle=LIMITS)
    sim.start()
    try:
        ws = email_workspace(
            work / f"throttled-{grants}", pulumi, sim.base_url, "principals", group
        )
        ws.env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        start = time.perf_counter()
        result = ws.run(
            str(pulumi),
            "up",
            "--yes",
            "--skip-preview",
            "--non-interactive",
            check=False,
            timeout_s=UP_TIMEOUT_S,
        )
        took = time.perf_counter() - start
        assert sim.throttle is not None
        # Admitted writes count whatever Graph answered them; throttled ones are not writes.
        writes, throttled = sim.throttle.admitted, sim.throttle.throttled
        tenant = sim.tenant.to_state()
    finally:
        sim.stop()
    return ThrottledRun(
        grants=grants,
        up_s=took,
        writes=writes,
        throttled=throttled,
        failed=result.code != 0,
        grants_in_tenant=sum(
            1 for g in tenant["oauth2PermissionGrants"] if g.get("consentType") == "Principal"
        ),
    )


def throttled_table(run: ThrottledRun) -> list[str]:
    header = ["per-user grants", "`pulumi up` s (update)", "floor s (writes at 20/s)"]
    header += ["vs floor", "writes", "answered 429", "failed steps", "grants in tenant"]
    row = [f"{run.grants:,}", f"{run.up_s:.1f}", f"{run.floor_s:.1f}"]
    row += [f"{run.up_s / run.floor_s:.2f}", f"{run.writes:,}", f"{run.throttled:,}"]
    row += ["yes" if run.failed else "none", f"{run.grants_in_tenant:,}"]
    return markdown_table(header, [row])
