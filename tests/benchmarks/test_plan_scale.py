"""benchmarks/plan_scale.py at a small size: the stack it writes plans, and the figures it
prints include the budget check."""

from __future__ import annotations

import pytest

from benchmarks import plan_scale


def test_small_run_prints_figures_within_budget(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan_scale.main(["2000"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("nproc ") and "load average" in out[0] and "budget 60000" in out[0]
    users, seconds, peak, size, fits, load = out[2].split()
    assert (users, fits) == ("2000", "yes")
    assert float(seconds) > 0 and float(peak) > 0 and 0 < int(size) <= 60_000
    assert float(load) >= 0


def test_no_limit_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan_scale.main(["2000", "--max-bytes", "0"]) == 0
    assert "budget none" in capsys.readouterr().out
