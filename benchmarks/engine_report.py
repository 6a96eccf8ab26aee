"""The tables of `make bench-engine`: the program next to the engine floor per operation and
size, peak memory per process, state size, and the growth per resource from the smallest size
to the largest."""

from __future__ import annotations

import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.engine_assigned import AssignedRun, assigned_table
from benchmarks.engine_throttled import LIMITS, ThrottledRun, throttled_table
from benchmarks.figures import load_text, markdown_table, ratio, thousands

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN = "<!-- engine results: written by make bench-engine -->"
END = "<!-- end of engine results -->"
KINDS = ("cli", "program", "plugin")


@dataclass
class Measured:
    """One command: wall and CPU seconds (the CLI and everything it started), peak RSS in MiB
    and CPU seconds per kind of process, the state file after it, the resources in it."""

    wall_s: float
    cpu_s: float
    peaks_mib: dict[str, float]
    cpu_by_kind: dict[str, float]
    state_kib: float
    resources: int


Runs = dict[int, dict[str, dict[str, Measured]]]  # size -> program|floor -> operation -> figures


def time_table(runs: Runs) -> list[str]:
    header = ["grants", "operation", "program s", "floor s", "vs floor", "program CPU s"]
    header += ["floor CPU s", "vs floor", "ms/grant (program / floor)"]
    rows = []
    for size, by_name in runs.items():
        program, floor = by_name["program"], by_name["floor"]
        for op, p in program.items():
            f = floor[op]
            rows.append(
                [
                    thousands(size),
                    op,
                    f"{p.wall_s:.1f}",
                    f"{f.wall_s:.1f}",
                    ratio(p.wall_s, f.wall_s),
                    f"{p.cpu_s:.1f}",
                    f"{f.cpu_s:.1f}",
                    ratio(p.cpu_s, f.cpu_s),
                    f"{1000 * p.wall_s / size:.2f} / {1000 * f.wall_s / size:.2f}",
                ]
            )
    return markdown_table(header, rows, left={1})


def memory_table(runs: Runs) -> list[str]:
    header = ["grants", "resources in state", "state KiB (program / floor)", "CLI MiB"]
    header += ["program MiB", "floor program MiB", "vs floor", "plugin MiB"]
    header += ["CPU s of CLI / program / plugin, first up"]
    rows = []
    for size, by_name in runs.items():
        program, floor = by_name["program"], by_name["floor"]

        def peak(ops: dict[str, Measured], kind: str) -> float:
            return max(m.peaks_mib.get(kind, 0.0) for m in ops.values())

        first = program["up"].cpu_by_kind
        rows.append(
            [
                thousands(size),
                thousands(program["up"].resources),
                f"{program['up'].state_kib:,.0f} / {floor['up'].state_kib:,.0f}",
                f"{peak(program, 'cli'):.0f}",
                f"{peak(program, 'program'):.0f}",
                f"{peak(floor, 'program'):.0f}",
                ratio(peak(program, "program"), peak(floor, "program")),
                f"{peak(program, 'plugin'):.0f}",
                " / ".join(f"{first.get(k, 0.0):.1f}" for k in KINDS),
            ]
        )
    return markdown_table(header, rows)


def growth_table(runs: Runs) -> list[str]:
    sizes = sorted(runs)
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    header = ["operation", f"program ms/grant at {thousands(small)}", f"at {thousands(large)}"]
    header += ["growth", f"floor ms/grant at {thousands(small)}", f"at {thousands(large)}"]
    header += ["growth"]
    rows = []
    for op in runs[small]["program"]:
        p0 = runs[small]["program"][op].wall_s / small
        p1 = runs[large]["program"][op].wall_s / large
        f0 = runs[small]["floor"][op].wall_s / small
        f1 = runs[large]["floor"][op].wall_s / large
        rows.append(
            [
                op,
                f"{1000 * p0:.2f}",
                f"{1000 * p1:.2f}",
                ratio(p1, p0),
                f"{1000 * f0:.2f}",
                f"{1000 * f1:.2f}",
                ratio(f1, f0),
            ]
        )
    return markdown_table(header, rows, text_columns=1)


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def report(
    runs: Runs,
    checkpoints: str,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
    pulumi: Path,
    assigned: AssignedRun | None = None,
    throttled: ThrottledRun | None = None,
) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    version = subprocess.run(
        [str(pulumi), "version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    load = load_text(load_before), load_text(load_after)
    lines = [
        "## The program on the real engine, next to the engine floor",
        "",
        f"Written by `make bench-engine` on {when}, commit {_commit()}: Pulumi CLI {version}, "
        f"Python {platform.python_version()}, the stand-in azuread plugin and the simulated "
        f"tenant (in the benchmark's process, so its cost is in no figure). Checkpoints: "
        f"{checkpoints}. One run per figure; load average (1 / 5 / 15 min) {load[0]} before, "
        f"{load[1]} after.",
        "",
        "Each command is timed whole: wall seconds, and CPU seconds of the CLI and every process "
        "it started (language host, program, plugin). `up` is the update alone "
        "(`--skip-preview`; a user's `pulumi up` adds the preview row), then `up (no change)` "
        "the same again, then `refresh --skip-preview`. The floor "
        "(`benchmarks/engine_floor/__main__.py`) declares the same grants in the same shape "
        "and nothing else.",
        "",
        *time_table(runs),
        "",
        "Peak memory (RSS sampled every 0.2 s, the highest of the four commands) and the state:",
        "",
        *memory_table(runs),
    ]
    growth = growth_table(runs)
    if growth:
        lines += ["", "Growth per grant from the smallest size to the largest:", "", *growth]
    if assigned is not None:
        lines += [
            "",
            "Consent `assigned` (one tenant-wide grant, assignment required, the group assigned) "
            "for one group, the same run, checkpoints as the engine's default:",
            "",
            *assigned_table(assigned),
        ]
    if throttled is not None:
        lines += [
            "",
            f"Per-user grants applied under Graph's identity write limits "
            f"({LIMITS.app_writes:,} writes per {LIMITS.app_window_s:g} s per app, "
            f"{LIMITS.tenant_writes:,} per {LIMITS.tenant_window_s / 60:g} min per tenant; 429 "
            "with Retry-After), "
            "the stand-in retrying as go-azure-sdk does, checkpoints skipped. The floor is the "
            "writes made at the per-app limit's sustained rate (a sliding window lets the first "
            f"{LIMITS.app_writes:,} through at once, so a run can end up to "
            f"{LIMITS.app_window_s:g} s before it):",
            "",
            *throttled_table(throttled),
        ]
    return "\n".join(lines) + "\n"


def _insert(document: str, block: str) -> str:
    """`document` with the engine block replaced, or added after its title."""
    if BEGIN in document and END in document:
        start, end = document.index(BEGIN), document.index(END) + len(END) + 1
        return document[:start] + block + document[end:]
    title, _, rest = document.partition("\n\n")
    return f"{title}\n\n{block}\n{rest}"


def write_results(text: str, path: Path = RESULTS) -> None:
    """Replace the engine section of RESULTS.md (or add it after the title)."""
    path.write_text(_insert(path.read_text("utf-8"), f"{BEGIN}\n{text}{END}\n"), "utf-8")


def keep_engine_results(new_document: str, path: Path = RESULTS) -> str:
    """`make bench` rewrites RESULTS.md: the engine section of the file it replaces stays."""
    old = path.read_text("utf-8") if path.exists() else ""
    if BEGIN not in old or END not in old:
        return new_document
    block = old[old.index(BEGIN) : old.index(END) + len(END) + 1]
    return _insert(new_document, block)
