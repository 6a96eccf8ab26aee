"""The catalogue's fingerprint: the data files `load_catalogue` reads, by path and bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog.fingerprint import fingerprint, main
from tests.conftest import ROOT


def copy(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    for sub in ("apis", "apps"):
        shutil.copytree(ROOT / "catalog" / sub, root / sub)
    return root


def test_any_change_to_a_data_file_changes_it_and_nothing_else_does(tmp_path: Path) -> None:
    root = copy(tmp_path)
    before = fingerprint(root)
    assert fingerprint(root) == before == fingerprint(ROOT / "catalog")
    (root / "apps" / "notes.txt").write_text("not read by the loader")
    assert fingerprint(root) == before
    app = root / "apps" / "jemhc.yaml"
    app.write_text(app.read_text("utf-8") + "\n", "utf-8")
    assert fingerprint(root) != before
    app.rename(root / "apps" / "jemhc2.yaml")  # a rename is a change too
    assert fingerprint(root) not in (before,)


def test_the_command_prints_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy(tmp_path)
    assert main([str(root)]) == 0
    assert capsys.readouterr().out == fingerprint(root) + "\n"
    assert main([str(tmp_path / "nosuch")]) == 1
    assert main([]) == 2
