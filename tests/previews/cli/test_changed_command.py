"""`entra-consent changed --base REF [--code]`: the changed files that decide consent, one per
line, from a real git history."""

from __future__ import annotations

from pathlib import Path

import pytest

from previews.__main__ import main
from tests.previews.plan.test_deciding_files import history


def test_lists_deciding_files_and_with_code_only_those_that_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = history(
        tmp_path / "r", ["catalog/apps/x.yaml", "components/program.py", "Pulumi.dev.yaml"]
    )
    assert main(["changed", "--project-dir", str(project), "--base", "HEAD~1"]) == 0
    assert capsys.readouterr().out == "catalog/apps/x.yaml\ncomponents/program.py\n"
    assert main(["changed", "--project-dir", str(project), "--base", "HEAD~1", "--code"]) == 0
    assert capsys.readouterr().out == "components/program.py\n"


def test_a_base_git_cannot_compare_exits_1_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = history(tmp_path / "r", ["components/program.py"])
    assert main(["changed", "--project-dir", str(project), "--base", "nosuch"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("changed: git cannot compare nosuch with HEAD")
