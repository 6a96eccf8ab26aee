"""`make bench-engine`: its tenant and its tables (tests/e2e/test_bench_engine.py runs it on the
real CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.engine import GROUP, OPERATIONS, tenant_state
from benchmarks.engine_assigned import AssignedRun
from benchmarks.engine_report import (
    BEGIN,
    END,
    Measured,
    Runs,
    keep_engine_results,
    report,
    write_results,
)
from benchmarks.engine_throttled import ThrottledRun


def figures(wall: float, resources: int) -> Measured:
    return Measured(
        wall_s=wall,
        cpu_s=wall * 1.5,
        peaks_mib={"cli": 100.0, "program": 80.0, "plugin": 60.0},
        cpu_by_kind={"cli": wall, "program": wall / 2, "plugin": wall / 4},
        state_kib=4.0 * resources,
        resources=resources,
    )


RUNS: Runs = {
    size: {
        "program": {op: figures(size / 100, size + 7) for op in OPERATIONS},
        "floor": {op: figures(size / 125, size + 4) for op in OPERATIONS},
    }
    for size in (1000, 10000)
}


def test_tenant_has_the_group_of_n_users() -> None:
    state, ids = tenant_state(25)
    [group] = [g for g in state["groups"] if g["displayName"] == GROUP]
    assert group["members"] == ids and len(set(ids)) == 25
    upns = {u["userPrincipalName"] for u in state["users"]}
    assert "bench.user000024@contoso.com" in upns
    assert "adele.vance@contoso.com" in upns  # the example tenant is kept


def test_report_ratios_and_growth() -> None:
    text = report(RUNS, "skip", (0.1, 0.2, 0.3), (1.0, 0.5, 0.4), Path("/bin/true"))
    assert "| 1,000 | up | 10.0 | 8.0 | 1.25 | 15.0 | 12.0 | 1.25 | 10.00 / 8.00 |" in text
    assert "| up | 10.00 | 10.00 | 1.00 | 8.00 | 8.00 | 1.00 |" in text  # linear: no growth
    assert "| 10,000 | 10,007 | 40,028 / 40,016 | 100 | 80 | 80 | 1.00 | 60 |" in text
    assert "load average (1 / 5 / 15 min) 0.10 / 0.20 / 0.30 before" in text


def test_results_section_is_replaced_in_place(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Title\n\nIntro.\n\n## Other\n\nKept.\n", "utf-8")
    write_results("first\n", results)
    write_results("second\n", results)
    text = results.read_text("utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert "second" in text and "first" not in text
    assert text.startswith("# Title\n\n" + BEGIN) and text.endswith("## Other\n\nKept.\n")


def test_report_shows_the_assigned_run() -> None:
    run = AssignedRun(50_000, 4.6, 8, 21, 4, 0, tenant={})
    text = report(RUNS, "skip", (0.1, 0.2, 0.3), (1.0, 0.5, 0.4), Path("/bin/true"), run)
    assert "| 50,000 | 4.6 | 8 | 21 | 4 | 0 |" in text


def test_report_shows_the_throttled_run_next_to_its_floor() -> None:
    run = ThrottledRun(10_000, 531.2, 10_002, 4_211, False, 10_000)
    assert run.floor_s == pytest.approx(500.1)
    text = report(RUNS, "skip", (0.1, 0.2, 0.3), (1.0, 0.5, 0.4), Path("/bin/true"), None, run)
    assert "| 10,000 | 531.2 | 500.1 | 1.06 | 10,002 | 4,211 | none | 10,000 |" in text


def test_make_bench_keeps_the_engine_section(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Title\n\nOld mock-runtime figures.\n", "utf-8")
    write_results("engine figures\n", results)
    rewritten = keep_engine_results("# Title\n\nNew mock-runtime figures.\n", results)
    assert "engine figures" in rewritten and "New mock-runtime figures." in rewritten
    assert "Old mock-runtime figures." not in rewritten
    assert keep_engine_results("# T\n\nx\n", tmp_path / "absent.md") == "# T\n\nx\n"
