"""The report of `make bench` (`python -m benchmarks`), as Markdown: printed, and written to
benchmarks/RESULTS.md. The program next to the SDK floors, what it declared, the planner and
the offline plan, the Graph requests behind the look-ups, and the targets. Pure."""

from __future__ import annotations

from benchmarks.figures import markdown_table, ratio, thousands
from benchmarks.lookup_tables import lookup_cost_table, upn_only_paths
from benchmarks.machine import Machine
from benchmarks.size_result import SizeResult
from benchmarks.synthetic import DIRECT_IDS, DIRECT_UPNS
from benchmarks.targets import targets


def _time_table(results: list[SizeResult]) -> list[str]:
    rows = []
    for r in results:
        p, f, sf = r.program, r.floor, r.shaped_floor
        rows.append(
            [
                thousands(r.size),
                thousands(p.resources),
                str(sum(p.invokes.values())),
                f"{p.wall_s:.2f}",
                f"{f.wall_s:.2f}",
                ratio(p.wall_s, f.wall_s),
                f"{sf.wall_s:.2f}",
                ratio(p.wall_s, sf.wall_s),
                f"{p.ms_per_resource:.2f} / {f.ms_per_resource:.2f}",
                f"{p.load_1m:.2f} / {f.load_1m:.2f} / {sf.load_1m:.2f}",
            ]
        )
    return markdown_table(
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


def _cpu_and_memory_table(results: list[SizeResult]) -> list[str]:
    rows = []
    for r in results:
        p, f, sf = r.program, r.floor, r.shaped_floor
        rows.append(
            [
                thousands(r.size),
                f"{p.cpu_s:.2f}",
                f"{f.cpu_s:.2f}",
                ratio(p.cpu_s, f.cpu_s),
                f"{sf.cpu_s:.2f}",
                ratio(p.cpu_s, sf.cpu_s),
                f"{p.peak_rss_mib:.0f}",
                f"{f.peak_rss_mib:.0f}",
                ratio(p.peak_rss_mib, f.peak_rss_mib),
                f"{sf.peak_rss_mib:.0f}",
                ratio(p.peak_rss_mib, sf.peak_rss_mib),
            ]
        )
    return markdown_table(
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


def _declared_table(results: list[SizeResult]) -> list[str]:
    rows = []
    for r in results:
        d, e = r.declared(), r.expected
        rows.append(
            [
                thousands(r.size),
                "yes" if r.meets_minimum() else "NO",
                str(d["components"]),
                str(d["service_principals"]),
                thousands(d["grants"]),
                thousands(e.grants),
                thousands(d["assignments"]),
                thousands(e.assignments),
                str(d["reads"]),
            ]
        )
    return markdown_table(
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


def _planner_table(results: list[SizeResult]) -> list[str]:
    rows = []
    for r in results:
        offline = r.offline_plan
        rows.append(
            [
                thousands(r.size),
                f"{float(r.planner['resolve_s']):.3f}",
                f"{float(r.planner['wall_s']):.3f}",
                f"{float(r.planner['peak_rss_mib']):.0f}",
                f"{offline['wall_s']:.2f}" if offline else "not present",
                f"{offline['peak_rss_mib']:.0f}" if offline else "",
            ]
        )
    return markdown_table(
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
        *_time_table(results),
        "",
        "CPU seconds (all threads) and peak memory of the same runs:",
        "",
        *_cpu_and_memory_table(results),
        "",
        "### What the program declared",
        "",
        *_declared_table(results),
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
        *_planner_table(results),
        "",
        "## Graph requests behind the look-ups",
        "",
        "Counted from the provider's source (`benchmarks/graph_requests.py`), not measured: "
        "Graph pages users and group members 100 at a time when no `$top` is sent. The last "
        "column is the alternative to the list: telling users from the groups' other members "
        "by one `GET` per member and named user (terraform-provider-azuread #1174).",
        "",
        *lookup_cost_table(sizes),
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
