"""The targets of the scale benchmark, each met or missed, for the end of the report: the
minimum declared, invokes that do not grow with users, the program near the SDK floor, linear
growth, and the planner's time at 50,000 users."""

from __future__ import annotations

from benchmarks.figures import thousands
from benchmarks.size_result import SizeResult


def json_key(d: dict[str, int]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(d.items()))


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
            f"- Linear growth, per-resource wall time at {thousands(large.size)} users over that "
            f"at {thousands(small.size)}: {growth:.2f}x "
            f"(**{'met' if growth <= 1.3 else 'missed'}**; the floor's own: {floor_growth:.2f}x)."
        )
    if 50_000 in by_size:
        planner = float(by_size[50_000].planner["wall_s"])
        lines.append(
            f"- Planner alone at 50,000 users under 2 s: {planner:.3f} s "
            f"(**{'met' if planner < 2 else 'missed'}**)."
        )
    return lines
