"""One measurement, in a fresh process: `python -m benchmarks.measure KIND SIZE` prints one JSON
object. KIND is `program` (the whole program on a synthetic tenant of SIZE users), `floor` (SIZE
bare azuread resources) or `planner` (the planner alone, principals of SIZE users resolved).

The Pulumi SDK is imported before the clock starts in every kind (both the program and the floor
need it); the program's own modules are imported by the program, inside the timed run. Peak RSS
is the process's high-water mark, so one measurement per process.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import pulumi  # noqa: F401  (imported before timing, as the floor needs it too)
import pulumi_azuread  # noqa: F401

from benchmarks.harness import MockRun, floor_run, program_run, shaped_floor_run
from benchmarks.synthetic import SyntheticTenant, stack_config

ROOT = Path(__file__).resolve().parents[1]


def _rss_mib(field: str) -> float:
    """`VmRSS` (now) or `VmHWM` (peak) of this process, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed_run(run: MockRun) -> dict[str, Any]:
    run.prepare()
    start_rss = _rss_mib("VmRSS")
    cpu = time.process_time()
    started = time.perf_counter()
    counts = run.run()
    wall = time.perf_counter() - started
    return {
        "wall_s": wall,
        "cpu_s": time.process_time() - cpu,
        "start_rss_mib": start_rss,
        "registered": counts.registered,
        "read": counts.read,
        "resources": counts.resources,
        "invokes": counts.invokes,
        "live_invokes": counts.live_invokes,
        "error": counts.error,
    }


def measure_program(size: int) -> dict[str, Any]:
    tenant = SyntheticTenant(size)
    return _timed_run(program_run(stack_config(tenant), tenant))


def measure_floor(count: int) -> dict[str, Any]:
    return _timed_run(floor_run(count))


def measure_shaped_floor(count: int) -> dict[str, Any]:
    return _timed_run(shaped_floor_run(count))


def measure_planner(size: int) -> dict[str, Any]:
    """Resolution of the look-ups' results (pure part) and the planner, timed apart."""
    from benchmarks.principals import resolved_principals
    from components.core.planner import plan_consent
    from components.core.stack_file import load_stack

    tenant = SyntheticTenant(size)
    catalogue, settings = load_stack(stack_config(tenant), ROOT, "Pulumi.bench.yaml")
    start_rss = _rss_mib("VmRSS")
    started = time.perf_counter()
    principals = resolved_principals(tenant, settings)
    resolved = time.perf_counter()
    plan = plan_consent(catalogue, settings, principals)
    planned = time.perf_counter()
    return {
        "resolve_s": resolved - started,
        "wall_s": planned - resolved,
        "start_rss_mib": start_rss,
        "grants": len(plan.grants),
        "assignments": len(plan.assignments),
    }


KINDS = {
    "program": measure_program,
    "floor": measure_floor,
    "shaped-floor": measure_shaped_floor,
    "planner": measure_planner,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.measure")
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("size", type=int)
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="write a pyinstrument profile of the measurement (text) to FILE; figures then "
        "include the profiler's overhead",
    )
    args = parser.parse_args(argv)
    if args.profile is None:
        figures = KINDS[args.kind](args.size)
    else:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
        figures = KINDS[args.kind](args.size)
        profiler.stop()
        args.profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    figures["peak_rss_mib"] = _rss_mib("VmHWM")
    json.dump({"kind": args.kind, "size": args.size, **figures}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
