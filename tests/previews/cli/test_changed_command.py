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
        tmp_path / "r",
        ["catalog/apps/x.yaml", "catalog/catalogue.py", "components/program.py", "Pulumi.dev.yaml"],
    )
    assert main(["changed", "--project-dir", str(project), "--base", "HEAD~1"]) == 0
    listed = "catalog/apps/x.yaml\ncatalog/catalogue.py\ncomponents/program.py\n"
    assert capsys.readouterr().out == listed
    assert main(["changed", "--project-dir", str(project), "--base", "HEAD~1", "--code"]) == 0
    # the catalogue's loader is Python the program imports: code; its YAML is data
    assert capsys.readouterr().out == "catalog/catalogue.py\ncomponents/program.py\n"


def test_a_base_git_cannot_compare_exits_1_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = history(tmp_path / "r", ["components/program.py"])
    assert main(["changed", "--project-dir", str(project), "--base", "nosuch"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("changed: git cannot compare nosuch with HEAD")
