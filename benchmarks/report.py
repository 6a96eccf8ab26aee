"""Tables of the scale benchmark, as Markdown (printed and written to RESULTS.md). Pure."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.graph_requests import LookupCost, lookup_cost
from benchmarks.synthetic import (
    DIRECT_IDS,
    DIRECT_UPNS,
    TENANT_ID,
    Expected,
    SyntheticTenant,
    stack_config,
    upn,
    user_id,
)
from components.core.naming import RESOURCE_API_TYPE
from components.core.principals import UPN_LOOKUP_LIMIT, user_lookup
from components.core.settings import StackSettings, settings_from_config

ROOT = Path(__file__).resolve().parents[1]
GRANT = "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant"
ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment"
SERVICE_PRINCIPAL = "azuread:index/servicePrincipal:ServicePrincipal"
COMPONENT = "entra-consent:index:EnterpriseApp"


@dataclass(frozen=True)
class Machine:
    nproc: int
    cpu_model: str
    memory_gib: float
    load: tuple[float, float, float]
    python: str
    versions: dict[str, str]
    commit: str
    when: str

    def load_text(self) -> str:
        return " / ".join(f"{x:.2f}" for x in self.load)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "components", "catalog", "__main__.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{sha} (program files modified)" if dirty else sha or "unknown"


def machine_info() -> Machine:
    versions = {}
    for package in ("pulumi", "pulumi-azuread", "pydantic"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return Machine(
        nproc=len(os.sched_getaffinity(0)),
        cpu_model=_cpu_model(),
        memory_gib=_memory_gib(),
        load=os.getloadavg(),
        python=platform.python_version(),
        versions=versions,
        commit=_commit(),
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    resources: int
    registered: dict[str, int]
    read: dict[str, int]
    invokes: dict[str, int]
    live_invokes: int
    load_1m: float

    @classmethod
    def of(cls, figures: dict[str, Any]) -> Measurement:
        return cls(
            wall_s=float(figures["wall_s"]),
            cpu_s=float(figures["cpu_s"]),
            peak_rss_mib=float(figures["peak_rss_mib"]),
            resources=int(figures["resources"]),
            registered=dict(figures.get("registered") or {}),
            read=dict(figures.get("read") or {}),
            invokes=dict(figures.get("invokes") or {}),
            live_invokes=int(figures.get("live_invokes") or 0),
            load_1m=float(figures["load_1m"]),
        )

    @property
    def ms_per_resource(self) -> float:
        return 1000 * self.wall_s / max(1, self.resources)


@dataclass
class SizeResult:
    size: int
    expected: Expected
    program: Measurement
    floor: Measurement
    shaped_floor: Measurement
    planner: dict[str, Any]
    offline_plan: dict[str, Any] | None = field(default=None)

    def declared(self) -> dict[str, int]:
        reg = self.program.registered
        return {
            "service_principals": reg.get(SERVICE_PRINCIPAL, 0),
            "grants": reg.get(GRANT, 0),
            "assignments": reg.get(ASSIGNMENT, 0),
            "components": reg.get(COMPONENT, 0) + reg.get(RESOURCE_API_TYPE, 0),
            "reads": sum(self.program.read.values()),
        }

    def meets_minimum(self) -> bool:
        d, e = self.declared(), self.expected
        return (
            d["service_principals"] == e.service_principals
            and d["grants"] == e.grants
            and d["assignments"] == e.assignments
            and d["components"] == e.components
            and d["reads"] == e.reads
            and self.program.resources == e.resources
        )

    def invokes_as_expected(self) -> bool:
        return bool(self.program.invokes == self.expected.invokes)

    def lookup(self) -> LookupCost:
        tenant = SyntheticTenant(self.size)
        settings = _settings(stack_config(tenant))
        members = [len(g.members()) for g in tenant.groups.values()]
        # Telling users from devices one member at a time: a GET per distinct member.
        distinct = {m for g in tenant.groups.values() for m in g.members()}
        direct = len(set(tenant.direct_by_upn) | set(tenant.direct_by_id))
        return lookup_cost(user_lookup(settings), self.size, members, 1, len(distinct) + direct)


def _settings(config: dict[str, Any]) -> StackSettings:
    return settings_from_config(config, "Pulumi.bench.yaml")


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def _n(value: int) -> str:
    return f"{value:,}"


def _table(header: list[str], rows: list[list[str]], text_columns: int = 0) -> list[str]:
    """A Markdown table; the first `text_columns` columns left-aligned, the rest (figures)
    right-aligned."""
    align = ["---" if i < text_columns else "---:" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def upn_only_paths(sizes: list[int]) -> list[str]:
    """Which user look-up a stack naming only users by UPN (or object id) gets, and its Graph
    cost at each tenant size."""
    shapes: list[tuple[str, dict[str, Any]]] = []
    for count in (10, UPN_LOOKUP_LIMIT, UPN_LOOKUP_LIMIT + 1, 1_000):
        users = [upn(i) for i in range(count)]
        shapes.append((f"{_n(count)} users by UPN", {"consent": "principals", "users": users}))
    ids = [user_id(i) for i in range(10)]
    shapes.append(("10 users by object id", {"consent": "principals", "users": ids}))
    mixed = [*ids[:5], *(upn(i) for i in range(5, 10))]
    shapes.append(("5 by UPN and 5 by object id", {"consent": "principals", "users": mixed}))
    shapes.append(("any group", {"consent": "principals", "groups": ["Sales"]}))
    header = ["stack names", "user look-up", *[f"requests at {_n(s)} users" for s in sizes]]
    rows = []
    for label, feature in shapes:
        settings = _settings(
            {"azuread:tenantId": TENANT_ID, "entra-consent:features": {"email": feature}}
        )
        lookup = user_lookup(settings)
        costs = [lookup_cost(lookup, size, [], 0, 0).users for size in sizes]
        path = lookup_cost(lookup, sizes[0], [], 0, 0).path
        rows.append([label, path, *[_n(c) for c in costs]])
    return _table(header, rows, text_columns=2)


def targets(results: list[SizeResult]) -> list[str]:
    lines = []
    by_size = {r.size: r for r in results}
    ok = all(r.meets_minimum() for r in results)
    lines.append(
        f"- Resources declared = the minimum the consent needs, at every size: "
        f"**{'met' if ok else 'MISSED'}**."
    )
    invokes = {json_key(r.program.invokes) for r in results}
    ok = all(r.invokes_as_expected() for r in results) and len(invokes) == 1
    total = sum(results[0].program.invokes.values()) if results else 0
    lines.append(
        f"- Invokes do not grow with users ({total} at every size: 1 get_users, 1 get_group per "
        f"group, 1 get_service_principal per API): **{'met' if ok else 'MISSED'}**."
    )
    if 10_000 in by_size:
        r = by_size[10_000]
        wall = r.program.wall_s / r.floor.wall_s
        cpu = r.program.cpu_s / r.floor.cpu_s
        rss = r.program.peak_rss_mib / r.floor.peak_rss_mib
        lines.append(
            f"- Within 1.2x of the SDK floor at 10,000 users: wall {wall:.2f}x "
            f"(**{'met' if wall <= 1.2 else 'missed'}**), CPU {cpu:.2f}x, peak RSS {rss:.2f}x "
            f"(**{'met' if rss <= 1.2 else 'missed'}**)."
        )
    if len(results) >= 2:
        small, large = results[0], results[-1]
        growth = large.program.ms_per_resource / small.program.ms_per_resource
        floor_growth = large.floor.ms_per_resource / small.floor.ms_per_resource
        lines.append(
            f"- Linear growth, per-resource wall time at {_n(large.size)} users over that at "
            f"{_n(small.size)}: {growth:.2f}x (**{'met' if growth <= 1.3 else 'missed'}**; "
            f"the floor's own: {floor_growth:.2f}x)."
        )
    if 50_000 in by_size:
        planner = float(by_size[50_000].planner["wall_s"])
        lines.append(
            f"- Planner alone at 50,000 users under 2 s: {planner:.3f} s "
            f"(**{'met' if planner < 2 else 'missed'}**)."
        )
    return lines


def json_key(d: dict[str, int]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(d.items()))


def render(results: list[SizeResult], before: Machine, after: Machine, repeat: int) -> str:
    sizes = [r.size for r in results]
    out = [
        "# Scale benchmark results",
        "",
        f"Written by `make bench` (`python -m benchmarks`) on {after.when}, commit "
        f"{after.commit}. Every figure is one measurement in a fresh process"
        + (f", the fastest of {repeat} runs" if repeat > 1 else "")
        + "; the machine is shared, so the 1-minute load average at the start of each "
        "measurement is shown with it.",
        "",
        "## Machine",
        "",
        f"- CPUs (nproc): {after.nproc}; CPU: {after.cpu_model}; memory: {after.memory_gib:.1f} GiB",
        f"- Python {after.python}; " + "; ".join(f"{k} {v}" for k, v in after.versions.items()),
        f"- Load average (1 / 5 / 15 min): {before.load_text()} before, {after.load_text()} after",
        "",
        "## The program under the mock runtime, next to the SDK floor",
        "",
        "Preview mode, invokes answered by mocks from a synthetic tenant. The floor is a minimal "
        "program (`benchmarks/floor/__main__.py`) registering the same number of bare azuread "
        "grants on the same harness; the shaped floor (`benchmarks/floor_shaped/__main__.py`) "
        "registers them in the program's shape (a component parent, Output inputs from the "
        "service principals) without settings, look-ups or planner. Seconds are the run of the "
        "program file (interpreter start and the SDK import excluded from all three); peak RSS "
        "is the whole process's high-water mark.",
        "",
    ]
    rows = []
    for r in results:
        p, f, sf = r.program, r.floor, r.shaped_floor
        rows.append(
            [
                _n(r.size),
                _n(p.resources),
                str(sum(p.invokes.values())),
                f"{p.wall_s:.2f}",
                f"{f.wall_s:.2f}",
                _ratio(p.wall_s, f.wall_s),
                f"{sf.wall_s:.2f}",
                _ratio(p.wall_s, sf.wall_s),
                f"{p.ms_per_resource:.2f} / {f.ms_per_resource:.2f}",
                f"{p.load_1m:.2f} / {f.load_1m:.2f} / {sf.load_1m:.2f}",
            ]
        )
    out += _table(
        [
            "users",
            "resources",
            "invokes",
            "program s",
            "floor s",
            "vs floor",
            "shaped floor s",
            "vs shaped",
            "ms/resource (program / floor)",
            "load (program / floor / shaped)",
        ],
        rows,
    )
    out += ["", "CPU seconds (all threads) and peak memory of the same runs:", ""]
    rows = []
    for r in results:
        p, f, sf = r.program, r.floor, r.shaped_floor
        rows.append(
            [
                _n(r.size),
                f"{p.cpu_s:.2f}",
                f"{f.cpu_s:.2f}",
                _ratio(p.cpu_s, f.cpu_s),
                f"{sf.cpu_s:.2f}",
                _ratio(p.cpu_s, sf.cpu_s),
                f"{p.peak_rss_mib:.0f}",
                f"{f.peak_rss_mib:.0f}",
                _ratio(p.peak_rss_mib, f.peak_rss_mib),
                f"{sf.peak_rss_mib:.0f}",
                _ratio(p.peak_rss_mib, sf.peak_rss_mib),
            ]
        )
    out += _table(
        [
            "users",
            "program CPU s",
            "floor CPU s",
            "vs floor",
            "shaped CPU s",
            "vs shaped",
            "program MiB",
            "floor MiB",
            "vs floor",
            "shaped MiB",
            "vs shaped",
        ],
        rows,
    )
    out += ["", "### What the program declared", ""]
    rows = []
    for r in results:
        d, e = r.declared(), r.expected
        rows.append(
            [
                _n(r.size),
                "yes" if r.meets_minimum() else "NO",
                str(d["components"]),
                str(d["service_principals"]),
                _n(d["grants"]),
                _n(e.grants),
                _n(d["assignments"]),
                _n(e.assignments),
                str(d["reads"]),
            ]
        )
    out += _table(
        [
            "users",
            "= minimum",
            "components",
            "service principals",
            "grants",
            "minimum grants",
            "assignments",
            "minimum assignments",
            "reads",
        ],
        rows,
    )
    out += [
        "",
        "The synthetic stack (`benchmarks/synthetic.py`): calendar tenant-wide; email per user "
        "for groups Sales (users 0-50%) and Support (40-70%) plus "
        f"{DIRECT_UPNS + 10} users by UPN and {DIRECT_IDS} by object id; meetings per user for "
        "Support and Engineering (60-95%). All three share one client app. The minimum: one "
        "tenant-wide grant, one per-user grant per email user (merged with meetings where both "
        "apply), none for meetings-only users (calendar's tenant-wide grant covers every "
        "meetings scope), one assignment per group and per directly named user. Each group "
        "also has non-user transitive members (a nested group, devices, service principals).",
        "",
        "## The planner alone and the offline plan",
        "",
        "Planner: `plan_consent` with the tenant's principals already resolved (resolution, the "
        "pure half of the look-ups, timed apart). Offline plan: `python -m previews plan "
        "--format json` on the synthetic stack file, the whole command including interpreter "
        "start.",
        "",
    ]
    rows = []
    for r in results:
        offline = r.offline_plan
        rows.append(
            [
                _n(r.size),
                f"{float(r.planner['resolve_s']):.3f}",
                f"{float(r.planner['wall_s']):.3f}",
                f"{float(r.planner['peak_rss_mib']):.0f}",
                f"{offline['wall_s']:.2f}" if offline else "not present",
                f"{offline['peak_rss_mib']:.0f}" if offline else "",
            ]
        )
    out += _table(
        [
            "users",
            "resolve s",
            "planner s",
            "planner process MiB",
            "offline plan s",
            "offline plan MiB",
        ],
        rows,
    )
    out += [
        "",
        "## Graph requests behind the look-ups",
        "",
        "Counted from the provider's source (`benchmarks/graph_requests.py`), not measured: "
        "Graph pages users and group members 100 at a time when no `$top` is sent. The last "
        "column is the alternative to the list: telling users from the groups' other members "
        "by one `GET` per member and named user (terraform-provider-azuread #1174).",
        "",
    ]
    rows = []
    for r in results:
        cost = r.lookup()
        rows.append(
            [
                _n(r.size),
                cost.path,
                _n(cost.users),
                _n(cost.groups),
                _n(cost.apis),
                _n(cost.total),
                _n(cost.by_object_id),
            ]
        )
    out += _table(
        [
            "users",
            "user look-up",
            "get_users",
            "get_group (3 groups)",
            "get_service_principal",
            "total",
            "one GET per member instead",
        ],
        rows,
    )
    out += [
        "",
        "Which user look-up a stack gets (`components/core/principals.py`, `user_lookup`), and its "
        "Graph requests by tenant size:",
        "",
        *upn_only_paths(sizes),
        "",
        "## Targets",
        "",
        *targets(results),
        "",
    ]
    return "\n".join(out)
