"""The machine a benchmark ran on: CPUs, memory, load, versions and the commit, for the head of
RESULTS.md (the machine is shared, so its load is part of every figure)."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from benchmarks.figures import load_text

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Machine:
    nproc: int
    cpu_model: str
    memory_gib: float
    load: tuple[float, float, float]
    python: str
    versions: dict[str, str]
    commit: str
    when: str

    def load_text(self) -> str:
        return load_text(self.load)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "components", "catalog", "__main__.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{sha} (program files modified)" if dirty else sha or "unknown"


def machine_info() -> Machine:
    versions = {}
    for package in ("pulumi", "pulumi-azuread", "pydantic"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return Machine(
        nproc=len(os.sched_getaffinity(0)),
        cpu_model=_cpu_model(),
        memory_gib=_memory_gib(),
        load=os.getloadavg(),
        python=platform.python_version(),
        versions=versions,
        commit=_commit(),
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
