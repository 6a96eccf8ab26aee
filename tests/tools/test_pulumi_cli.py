"""`make -s pulumi-path` (tools/pulumi-cli.sh): which CLI it names, and its one-line failure."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PATH = "/usr/bin:/bin"


def copy_tools(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "tools", root / "tools")
    return root


def fake_pulumi(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "pulumi"
    exe.write_text(f"#!/bin/sh\necho {version}\n")
    exe.chmod(0o755)
    return exe


def run(root: Path, path: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ENTRA_CONSENT_BUILD_PULUMI"}
    env["PATH"] = path
    return subprocess.run(
        [str(root / "tools" / "pulumi-cli.sh")], env=env, capture_output=True, text=True
    )


def test_a_supported_pulumi_on_path_is_used(tmp_path: Path) -> None:
    root = copy_tools(tmp_path)
    exe = fake_pulumi(tmp_path / "bin", "v3.272.0")
    result = run(root, f"{exe.parent}:{SYSTEM_PATH}")
    assert (result.returncode, result.stdout) == (0, f"{exe}\n")


@pytest.mark.skipif(
    shutil.which("go", path=SYSTEM_PATH) is not None, reason="Go is in the system folders here"
)
def test_an_older_pulumi_on_path_is_not_used_and_no_go_is_one_line(tmp_path: Path) -> None:
    root = copy_tools(tmp_path)
    exe = fake_pulumi(tmp_path / "bin", "v3.100.0")
    result = run(root, f"{exe.parent}:{SYSTEM_PATH}")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert (
        lines[0] == f"pulumi-path: ignoring {exe} (version v3.100.0; v3.259.0 or newer is needed)"
    )
    assert lines[1:] == [
        "pulumi-path: no pulumi v3.259.0 or newer on PATH and no Go toolchain to build it "
        "(install Go 1.25.11 or newer, or the Pulumi CLI)"
    ]


def test_a_built_cli_in_the_cache_is_named_without_building(tmp_path: Path) -> None:
    root = copy_tools(tmp_path)
    cache = root / ".cache" / "pulumi-cli" / "v3.259.0"
    fake_pulumi(cache, "v3.259.0")
    for name in ("pulumi-language-python", "pulumi-language-python-exec"):
        (cache / name).write_text("")
        (cache / name).chmod(0o755)
    result = run(root, SYSTEM_PATH)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{cache / 'pulumi'}\n", "")
