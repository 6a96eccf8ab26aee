from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STACKS = Path(__file__).resolve().parent / "stacks"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the repository's catalogue and the test stack files."""
    (tmp_path / "catalog").symlink_to(REPO / "catalog", target_is_directory=True)
    for stack in STACKS.glob("Pulumi.*.yaml"):
        shutil.copy(stack, tmp_path / stack.name)
    return tmp_path
