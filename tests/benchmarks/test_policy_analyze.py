"""`benchmarks.policy_analyze` runs at a small size, both sides (no figure is checked)."""

from __future__ import annotations

import pytest

from benchmarks.policy_analyze import main


def test_stack_and_per_resource_sides_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--grants", "40", "--repeat", "1"]) == 0
    assert main(["--analyze", "--grants", "40"]) == 0
    out = capsys.readouterr().out
    assert "pack / floor" in out and "checked-before-write on / off" in out
