"""AnalyzeStack timings of the policy pack for stacks of 2,000 and 20,000 delegated grants.

The pack runs as the CLI runs it (a subprocess speaking the analyzer gRPC protocol). Each stack
has the program's shape: two enterprise apps (EnterpriseApp components with their managed
service principals), Microsoft Graph read with ServicePrincipal.get, one group assignment per
app, and per-user grants split between the apps, linked by dependencies and property
dependencies. Prints the load average next to the figures (the machines are shared), and the SDK's floor: the
same requests to a pack of as many no-op stack policies as the pack has (what pulumi_policy costs
by itself, as it deserializes every resource once per stack policy), and the ratio of the two.

    ./venv/bin/python -m benchmarks.policy_analyze [--grants 2000 20000] [--repeat 3]

With `--analyze`: the per-resource side instead, `Analyze` of every resource as the engine
calls it before each step, with checked-before-write on (it reads the tenant: the pack's
simulated Graph) and off, and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from policies.pack import GC_THRESHOLDS
from policies.rules import RULES
from simtenant.fakes.policy_analyzer import PolicyPackProcess, stack_request
from simtenant.fakes.policy_corpus import ResourceSpec, build_resources
from simtenant.fakes.policy_stacks import example_policy_config

GRAPH = "00000003-0000-0000-c000-000000000000"
APPS = {
    "m365-jira-mail": (
        "e7185a25-9df9-4d05-b779-76b04bf46424",
        [
            "openid",
            "profile",
            "offline_access",
            "User.Read",
            "email",
            "Mail.ReadWrite.Shared",
            "Mail.Send.Shared",
            "People.Read",
            "User.ReadBasic.All",
            "Calendars.ReadWrite",
        ],
    ),
    "jemhc": (
        "08b9fc2c-f6b8-4da0-8d4d-c065edfa949b",
        ["openid", "profile", "email", "offline_access", "User.Read", "Mail.ReadWrite"],
    ),
}
NS = uuid.UUID("0c5a4d0e-52a4-4a55-9d4a-1c3b2e8f7a60")
ROLE = "00000000-0000-0000-0000-000000000000"


def stack_specs(grants: int) -> list[ResourceSpec]:
    specs = [ResourceSpec(kind="api", name="api-microsoft-graph", clientId=GRAPH)]
    for app, (client_id, _) in APPS.items():
        specs.append(ResourceSpec(kind="sp", name=app, clientId=client_id))
        specs.append(
            ResourceSpec(
                kind="assignment",
                name=f"{app}-assign-group",
                app=app,
                appRoleId=ROLE,
                principal=str(uuid.uuid5(NS, f"group-{app}")),
            )
        )
    apps = list(APPS)
    for i in range(grants):
        app = apps[i % len(apps)]
        user = str(uuid.uuid5(NS, f"user-{i // len(apps)}"))
        specs.append(
            ResourceSpec(
                kind="grant",
                name=f"{app}-microsoft-graph-user-{user}",
                client=app,
                api="api-microsoft-graph",
                user=user,
                claimValues=APPS[app][1],
            )
        )
    return specs


STACK_POLICIES = sum(rule.kind == "stack" for rule in RULES)
FLOOR_PACK = f"""
import gc
from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy

gc.set_threshold{GC_THRESHOLDS!r}
PolicyPack(
    name="floor",
    policies=[
        StackValidationPolicy(name=f"noop-{{i}}", description="no-op", validate=lambda a, r: None)
        for i in range({STACK_POLICIES})
    ],
    enforcement_level=EnforcementLevel.MANDATORY,
)
"""


def timed(pack: PolicyPackProcess, request: Any, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = pack.stub.AnalyzeStack(request, timeout=600)
        times.append(time.perf_counter() - started)
        if response.diagnostics:
            raise SystemExit(f"unexpected violations: {response.diagnostics[0].message}")
    return times


def analyze_each(pack: PolicyPackProcess, resources: list[Any], before_write: str) -> float:
    """Seconds to `Analyze` every registered resource, as the engine does before each step,
    with checked-before-write at `before_write` (it reads the pack's simulated Graph, which
    holds the stack's service principals; each object id is read once)."""
    pack.configure({**example_policy_config(), "checked-before-write": before_write})
    pack.hold(resources)
    started = time.perf_counter()
    for r in resources:
        if r.type != "pulumi:pulumi:Stack" and not r.read and pack.analyze(r):
            raise SystemExit(f"unexpected violations for {r.name}")
    return time.perf_counter() - started


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grants", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--preview", action="store_true", help="object ids unknown (preview)")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="instead: Analyze of every resource (before each step), checked-before-write on "
        "and off",
    )
    args = parser.parse_args(argv)
    if args.analyze:
        return analyze_main(args.grants, args.preview)

    with tempfile.TemporaryDirectory() as tmp:
        floor_main = Path(tmp) / "__main__.py"
        floor_main.write_text(FLOOR_PACK, "utf-8")
        pack = PolicyPackProcess()
        floor = PolicyPackProcess(floor_main)
        try:
            pack.configure(example_policy_config())
            print(f"cores: {os.cpu_count()}; load average (1/5/15 min) at start: {load()}")
            print(f"SDK floor: {STACK_POLICIES} no-op stack policies, as many as the pack has")
            print(
                "grants  resources  AnalyzeStack s, min / median  per grant ms"
                "  SDK floor s  pack / floor  load (1/5/15 min)"
            )
            for grants in args.grants:
                resources = build_resources(stack_specs(grants), args.preview)
                request = stack_request(resources)  # built once: the engine's cost
                times = timed(pack, request, args.repeat)
                floor_times = timed(floor, request, args.repeat)
                best = min(times)
                print(
                    f"{grants:6d}  {len(resources):9d}  {best:12.2f} / {statistics.median(times):6.2f}"
                    f"  {best / grants * 1000:12.3f}  {min(floor_times):11.2f}"
                    f"  {best / min(floor_times):11.2f}x  {load()}"
                )
        finally:
            pack.close()
            floor.close()
    return 0


def analyze_main(sizes: list[int], preview: bool) -> int:
    pack = PolicyPackProcess()
    try:
        print(f"cores: {os.cpu_count()}; load average (1/5/15 min) at start: {load()}")
        print("grants  resources  Analyze each s: checked-before-write on / off  ratio  load")
        for grants in sizes:
            resources = build_resources(stack_specs(grants), preview)
            on = analyze_each(pack, resources, "mandatory")
            off = analyze_each(pack, resources, "disabled")
            print(
                f"{grants:6d}  {len(resources):9d}  {on:26.2f} / {off:5.2f}  {on / off:5.2f}x  "
                f"{load()}"
            )
    finally:
        pack.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
