"""`make bench-engine` (`python -m benchmarks.engine`): the program on the real Pulumi CLI
against the simulated tenant, at 1,000 / 5,000 / 10,000 per-user grants, next to the engine
floor (benchmarks/engine_floor/: the same resources in the same shape, nothing else).

Per size and for both programs: `pulumi preview`, the first `pulumi up`, a no-change
`pulumi up` and `pulumi refresh`, each timed as a whole command (wall and CPU of the CLI and
everything it started), with the peak memory of the CLI, the program and the stand-in provider
plugin sampled from /proc, and the state file's size after it. The simulated Graph runs in this
process, so its own cost is in none of the figures; the plugin's is (it is the same for both
programs, and shown on its own).

The stack: feature `email` per user for one group of N users, so N per-user grants, one
assignment (the group) and one service principal. Tables go to stdout; `--write` also puts them
in benchmarks/RESULTS.md between the engine markers."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from benchmarks.engine_assigned import run_assigned
from benchmarks.engine_report import Measured, report, write_results
from benchmarks.engine_stack import TENANT_ID, email_workspace
from benchmarks.engine_throttled import run_throttled
from simtenant.graph import SimTenant
from simtenant.graph.seed import seed
from simtenant.workspace import SEED, Workspace, find_pulumi_cli

ROOT = Path(__file__).resolve().parents[1]
FLOOR = Path(__file__).resolve().parent / "engine_floor" / "__main__.py"
GROUP = "Bench Users"
MAIL_CLIENT_ID = "e7185a25-9df9-4d05-b779-76b04bf46424"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
EMAIL_SCOPES = (
    "Mail.ReadWrite.Shared Mail.Send.Shared People.Read User.Read User.ReadBasic.All "
    "email offline_access openid profile"
)
OPERATIONS = ("preview", "up", "up (no change)", "refresh")
SAMPLE_S = 0.2
TIMEOUT_S = 3 * 3600


def tenant_state(size: int) -> tuple[dict[str, Any], list[str]]:
    """The example tenant plus `size` users, all direct members of group GROUP."""
    sim = SimTenant()
    sim.start()
    try:
        seed(sim.base_url, SEED)
        state = sim.tenant.to_state()
    finally:
        sim.stop()
    template = state["users"][0]
    ids = [f"{i:08x}-b000-4000-8000-{i:012x}" for i in range(size)]
    for i, user_id in enumerate(ids):
        name = f"bench.user{i:06d}@contoso.com"
        state["users"].append(
            {
                **template,
                "id": user_id,
                "displayName": f"Bench User {i:06d}",
                "userPrincipalName": name,
                "mailNickname": name.split("@")[0],
            }
        )
    group = dict(state["groups"][0])
    group.update(id="0bec0000-0000-4000-8000-000000000001", displayName=GROUP, members=ids)
    group["mailNickname"] = "bench-users"
    state["groups"].append(group)
    return state, ids


@dataclass
class Sampler:
    """Peak RSS and CPU per kind of process under the CLI, from /proc every SAMPLE_S."""

    root: int
    peaks: dict[str, int] = field(default_factory=dict)
    cpu: dict[int, tuple[str, float]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    @staticmethod
    def kind(process: psutil.Process) -> str:
        cmdline = " ".join(process.cmdline())
        # The stand-in runs as `python -m simtenant.provider`; a real plugin by its own name.
        if "simtenant.provider" in cmdline or process.name().startswith("pulumi-resource-"):
            return "plugin"
        if process.name().startswith("pulumi-language"):
            return "host"
        if process.name() == "pulumi":
            return "cli"
        if "python" in process.name() or "python" in cmdline:
            return "program"
        return "other"

    def sample(self) -> None:
        try:
            top = psutil.Process(self.root)
            processes = [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        totals: dict[str, int] = {}
        for process in processes:
            try:
                kind = self.kind(process)
                rss = process.memory_info().rss
                times = process.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            totals[kind] = totals.get(kind, 0) + rss
            self.cpu[process.pid] = (kind, times.user + times.system)
        for kind, rss in totals.items():
            self.peaks[kind] = max(self.peaks.get(kind, 0), rss)

    def run(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self.sample()

    def stop(self) -> None:
        self._stop.set()

    def cpu_by_kind(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for kind, seconds in self.cpu.values():
            out[kind] = out.get(kind, 0.0) + seconds
        return out


def measure(ws: Workspace, args: list[str]) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(ws.pulumi), *args, "--non-interactive", "--skip-preview", "--yes"]
        if args[0] in ("up", "refresh")
        else [str(ws.pulumi), *args, "--non-interactive"],
        cwd=ws.project,
        env=ws.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    sampler = Sampler(process.pid)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    output, _ = process.communicate(timeout=TIMEOUT_S)
    wall = time.perf_counter() - start
    sampler.stop()
    thread.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"pulumi {' '.join(args)} failed:\n{output[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    state_kib, count = ws.state_size()
    return Measured(
        wall,
        cpu,
        {k: v / 2**20 for k, v in sampler.peaks.items()},
        sampler.cpu_by_kind(),
        state_kib,
        count,
    )


def workspace(root: Path, pulumi: Path, graph_url: str, ids: list[str], floor: bool) -> Workspace:
    if not floor:
        return email_workspace(root, pulumi, graph_url, "principals", GROUP)
    ws = Workspace(root, pulumi, graph_url)
    users = ws.project / "bench-users.json"
    users.write_text(json.dumps(ids), "utf-8")
    ws.write_program(FLOOR)
    ws.write_stack_config(
        {
            "azuread:tenantId": TENANT_ID,
            "bench:users": str(users),
            "bench:clientId": MAIL_CLIENT_ID,
            "bench:scopes": EMAIL_SCOPES,
            "bench:graphSp": graph_sp(graph_url),
        }
    )
    return ws


def graph_sp(graph_url: str) -> str:
    import urllib.request

    query = f"{graph_url}/servicePrincipals?$filter=appId%20eq%20%27{GRAPH_APP_ID}%27"
    request = urllib.request.Request(query, headers={"Authorization": "Bearer bench"})
    with urllib.request.urlopen(request) as answer:
        return str(json.load(answer)["value"][0]["id"])


def run_size(
    size: int, pulumi: Path, work: Path, skip_checkpoints: bool
) -> dict[str, dict[str, Measured]]:
    state, ids = tenant_state(size)
    results: dict[str, dict[str, Measured]] = {}
    for name, floor in (("floor", True), ("program", False)):
        sim = SimTenant(state=state)
        sim.start()
        try:
            ws = workspace(work / f"{size}-{name}", pulumi, sim.base_url, ids, floor)
            if skip_checkpoints:
                ws.env["PULUMI_SKIP_CHECKPOINTS"] = "true"
            ops: dict[str, Measured] = {}
            for label, args in zip(
                OPERATIONS, (["preview"], ["up"], ["up"], ["refresh"]), strict=True
            ):
                ops[label] = measure(ws, args)
                print(
                    f"bench-engine: {size} {name} {label}: {ops[label].wall_s:.1f} s",
                    file=sys.stderr,
                )
            results[name] = ops
        finally:
            sim.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engine", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument(
        "--checkpoints",
        choices=["every-step", "skip"],
        default="skip",
        help="every-step: the engine writes the whole state after each step (its default); "
        "skip: PULUMI_SKIP_CHECKPOINTS=true, the state is written once at the end (default "
        "here: every-step grows with the square of the resources, see docs/scale.md)",
    )
    parser.add_argument(
        "--assigned",
        type=int,
        default=50_000,
        metavar="MEMBERS",
        help="also measure consent 'assigned' for one group of this many members (0: skip)",
    )
    parser.add_argument(
        "--throttled",
        type=int,
        default=10_000,
        metavar="GRANTS",
        help="also apply this many per-user grants under Graph's published write limits, "
        "next to the floor they set (0: skip; about 10 minutes at 10,000)",
    )
    parser.add_argument("--write", action="store_true", help="also update benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    pulumi, why = find_pulumi_cli()
    if pulumi is None:
        print(f"bench-engine: {why}", file=sys.stderr)
        return 1
    skip = args.checkpoints == "skip"
    runs: dict[int, dict[str, dict[str, Measured]]] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as work:
        for size in args.sizes:
            runs[size] = run_size(size, pulumi, Path(work), skip)
        assigned = None
        if args.assigned:
            state, _ = tenant_state(args.assigned)
            assigned = run_assigned(state, args.assigned, GROUP, pulumi, Path(work))
        throttled = None
        if args.throttled:
            state, _ = tenant_state(args.throttled)
            throttled = run_throttled(state, args.throttled, GROUP, pulumi, Path(work))
    text = report(runs, args.checkpoints, load_before, os.getloadavg(), pulumi, assigned, throttled)
    print(text)
    if args.write:
        write_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
