"""Benchmark: `python -m previews plan` (Markdown, the default) of a stack naming many users.

The offline plan resolves nothing (group members are not looked up), so its size grows with the
users the stack file names. The stack: calendar tenant-wide; email (mail app) per user for every
named user (by UPN) and two groups; meetings per user for one group; todo (a second app) per user
for every named user. Every figure is the whole command in a
fresh process (`python -m previews plan --stack big`, interpreter start included, stdout to a
file), the fastest of RUNS runs: wall seconds, peak RSS of the process, bytes written. The 1-minute
load average before each measurement is printed with it (the machine may be shared).

Usage: ./venv/bin/python -m benchmarks.plan_scale [USERS ...] [--max-bytes N]
       (default: 100000 users; --max-bytes is passed to `plan` when given, 0: no limit). Exits 1
       when an output is over its budget.

Measured on 2026-11-23, 2 shared CPUs, 100,000 users, default budget (60,000 bytes), best of 3:
before (commit 0f530d2's plan, no budget): 22.19 s, 1,098 MiB peak, 34,301,640 bytes (load 1.22);
after: 6.75 s, 612 MiB, 17,644 bytes (load 1.03); after with --max-bytes 0 (the whole table):
8.19 s, 622 MiB, 34,301,657 bytes (load 1.02).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.figures import load_text
from previews.plan.plan_markdown import DEFAULT_BUDGET

REPO = Path(__file__).resolve().parents[1]
RUNS = 3
DOMAIN = "contoso.example"
TENANT_ID = "0b3e1f52-7c4d-4e8a-9f6b-2d1c0a9e8b7f"


def stack_text(users: int) -> str:
    named = [f"user{i:06d}@{DOMAIN}" for i in range(users)]
    config: dict[str, Any] = {
        "azuread:tenantId": TENANT_ID,
        "entra-consent:catalog": str(REPO / "catalog"),
        "entra-consent:features": {
            "calendar": {"consent": "tenant"},
            "email": {
                "consent": "principals",
                "users": named,
                "groups": ["Sales", "Support"],
            },
            "meetings": {"consent": "principals", "groups": ["Engineering"]},
            "todo": {"consent": "principals", "users": named},
        },
        "entra-consent:apps": {
            "m365-jira-mail": {"assignment_required": True, "notes": "Plan benchmark stack"}
        },
    }
    return yaml.safe_dump({"config": config}, sort_keys=False)


@dataclass(frozen=True)
class Figures:
    seconds: float
    peak_mib: float
    out_bytes: int
    load: float


def run_once(project: Path, extra: list[str]) -> Figures:
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "previews", "plan", "--stack", "big", *extra]
    command += ["--project-dir", str(project)]
    out, err = project / "plan.out", project / "plan.err"
    with out.open("wb") as sink, err.open("wb") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=sink, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
        seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"plan failed (exit {code}): {err.read_text()}")
    return Figures(seconds, usage.ru_maxrss / 1024, out.stat().st_size, load)  # KiB on Linux


def measure(users: int, extra: list[str]) -> Figures:
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as folder:
        project = Path(folder)
        (project / "Pulumi.big.yaml").write_text(stack_text(users))
        runs = [run_once(project, extra) for _ in range(RUNS)]
    return min(runs, key=lambda f: f.seconds)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plan_scale")
    parser.add_argument("users", type=int, nargs="*", default=[100_000])
    parser.add_argument("--max-bytes", type=int, help="passed to plan (default: plan's own)")
    args = parser.parse_args(argv)
    extra = ["--max-bytes", str(args.max_bytes)] if args.max_bytes is not None else []
    budget = DEFAULT_BUDGET if args.max_bytes is None else args.max_bytes or None
    print(f"nproc {os.cpu_count()}; load average {_load()}; budget {budget or 'none'} bytes")
    print(f"{'users':>8} {'seconds':>8} {'peak MiB':>9} {'out bytes':>11} {'fits':>5} {'load':>5}")
    over = False
    for users in args.users:
        f = measure(users, extra)
        fits = budget is None or f.out_bytes <= budget
        over = over or not fits
        print(
            f"{users:>8} {f.seconds:>8.2f} {f.peak_mib:>9.0f} {f.out_bytes:>11} "
            f"{'yes' if fits else 'NO':>5} {f.load:>5.2f}"
        )
    print(f"load average after: {_load()}")
    return 1 if over else 0


def _load() -> str:
    return load_text(os.getloadavg())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
