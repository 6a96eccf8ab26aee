"""`make bench-engine` runs: one small size on the real CLI and the simulated tenant (what it
measures is not checked here, only that every command ran and was measured)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.engine import GROUP, OPERATIONS, run_size, tenant_state
from benchmarks.engine_throttled import run_throttled

pytestmark = pytest.mark.e2e


def test_a_small_run_on_the_real_cli(tmp_path: Path, pulumi_cli: Path) -> None:
    runs = {20: run_size(20, pulumi_cli, tmp_path, skip_checkpoints=True)}
    program, floor = runs[20]["program"], runs[20]["floor"]
    assert list(program) == list(OPERATIONS) == list(floor)
    # 20 grants, the group's assignment, the service principal, the Graph read, the
    # components and the stack; the floor has the grants, its service principal and read.
    assert program["up"].resources >= 20 + 4 and floor["up"].resources >= 20 + 3
    assert all(m.wall_s > 0 and m.cpu_s > 0 for m in program.values())
    assert program["up"].peaks_mib["cli"] > 0 and program["up"].peaks_mib["plugin"] > 0


def test_a_small_throttled_run_on_the_real_cli(tmp_path: Path, pulumi_cli: Path) -> None:
    state, _ = tenant_state(20)
    run = run_throttled(state, 20, GROUP, pulumi_cli, tmp_path)
    assert not run.failed
    assert run.grants_in_tenant == 20 and run.writes >= 20 and run.floor_s > 0
