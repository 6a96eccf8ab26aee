"""`benchmarks.discover_memory` runs at a small bound (no figure is checked but the stop)."""

from __future__ import annotations

import pytest

from benchmarks.discover_memory import main


def test_runs_and_discover_stops_at_its_bound(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--max-mib", "30"]) == 0
    out = capsys.readouterr().out
    assert "growth / bound" in out and "MiB of memory in use" in out
