"""`make bench` / `python -m benchmarks`: every measurement in a fresh subprocess, per tenant
size: the whole program under the mock runtime (preview, mocked invokes), the SDK floor with the
same number of resources, the planner alone and the offline plan command. Prints the tables and
writes them, with the machine they ran on, to benchmarks/RESULTS.md."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from benchmarks.engine_report import keep_engine_results
from benchmarks.machine import Machine, machine_info
from benchmarks.scale_report import render
from benchmarks.size_result import Measurement, SizeResult
from benchmarks.synthetic import SyntheticTenant, expected_counts, stack_config

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
DEFAULT_SIZES = (1_000, 10_000, 50_000)


def run_measured(argv: list[str], cwd: Path = ROOT) -> tuple[str, float, float, int]:
    """Run a child process; return (stdout, wall seconds, peak RSS MiB, exit status) measured
    from outside (wait4), so the figures are the child's alone."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode()
        if proc.returncode != 0:
            sys.stderr.write(err.read().decode())
    return stdout, wall, usage.ru_maxrss / 1024, proc.returncode


def measure(kind: str, size: int) -> dict[str, Any]:
    load = os.getloadavg()[0]
    stdout, _, _, code = run_measured([sys.executable, "-m", "benchmarks.measure", kind, str(size)])
    if code != 0:
        raise SystemExit(f"benchmarks.measure {kind} {size} failed (exit {code})")
    figures: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    figures["load_1m"] = load
    return figures


def measure_offline_plan(size: int, workdir: Path) -> dict[str, Any] | None:
    """`python -m previews plan` on the synthetic stack, whole command (interpreter start
    included); None if the previews package has no plan command in this checkout."""
    if not (ROOT / "previews" / "plan_command.py").exists():
        return None
    stack = f"bench-{size}"
    config = stack_config(SyntheticTenant(size), catalog=ROOT / "catalog")
    (workdir / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}))
    load = os.getloadavg()[0]
    argv = [sys.executable, "-m", "previews", "plan", "--stack", stack]
    argv += ["--project-dir", str(workdir), "--format", "json"]
    stdout, wall, rss, code = run_measured(argv)
    if code != 0:
        raise SystemExit(f"previews plan failed on {stack} (exit {code})")
    doc = json.loads(stdout)
    return {"wall_s": wall, "peak_rss_mib": rss, "load_1m": load, "bytes": len(stdout), "doc": doc}


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Of repeated runs, the fastest (its own RSS alongside)."""
    return min(runs, key=lambda r: float(r["wall_s"]))


def run_size(size: int, repeat: int, workdir: Path, log: Any) -> SizeResult:
    expected = expected_counts(SyntheticTenant(size))
    programs: list[dict[str, Any]] = []
    floors: list[dict[str, Any]] = []
    shaped_floors: list[dict[str, Any]] = []
    for _ in range(repeat):
        program = measure("program", size)
        if program.get("error"):
            raise SystemExit(f"the program failed at {size} users: {program['error']}")
        programs.append(program)
        log(
            f"  program {size:>6} users: {program['resources']} resources, {program['wall_s']:.2f} s"
        )
        floor = measure("floor", int(program["resources"]))
        floors.append(floor)
        log(f"  floor   {floor['resources']:>6} resources: {floor['wall_s']:.2f} s")
        shaped = measure("shaped-floor", int(program["resources"]))
        shaped_floors.append(shaped)
        log(f"  shaped floor {shaped['resources']:>6} resources: {shaped['wall_s']:.2f} s")
    planner = best([measure("planner", size) for _ in range(repeat)])
    log(f"  planner {size:>6} users: {planner['wall_s']:.3f} s")
    offline = measure_offline_plan(size, workdir)
    if offline is not None:
        log(f"  offline plan: {offline['wall_s']:.2f} s")
    return SizeResult(
        size=size,
        expected=expected,
        program=Measurement.of(best(programs)),
        floor=Measurement.of(best(floors)),
        shaped_floor=Measurement.of(best(shaped_floors)),
        planner=planner,
        offline_plan=offline,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="users per tenant"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per measurement; the fastest is kept"
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="Markdown file to write (default: %(default)s)",
    )
    parser.add_argument("--no-results", action="store_true", help="print only, write no file")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    before: Machine = machine_info()
    log(f"load average before: {before.load_text()}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            log(f"size {size}:")
            results.append(run_size(size, args.repeat, Path(tmp), log))
    after = machine_info()
    text = render(results, before, after, args.repeat)
    print(text)
    if not args.no_results:
        args.results.write_text(keep_engine_results(text, args.results))
        log(f"written to {args.results}")
    return 0 if all(r.meets_minimum() for r in results) else 1
