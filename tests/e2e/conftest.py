"""Fixtures of the end-to-end layer: the real Pulumi CLI (`make -s pulumi-path`), a simulated
tenant per test (`python -m simtenant serve` seeded with the example tenant), and a workspace
that runs the repository's program against it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from simtenant.workspace import SimulatedTenant, Workspace, find_pulumi_cli
from tests.e2e.tenant import GraphReader


@pytest.fixture(scope="session")
def pulumi_cli() -> Path:
    """ENTRA_CONSENT_PULUMI (set by `make e2e`), else what `tools/pulumi-cli.sh` finds or
    builds. Without one the layer fails on CI and is skipped, visibly, elsewhere."""
    given = os.environ.get("ENTRA_CONSENT_PULUMI")
    if given:
        return Path(given)
    found, why = find_pulumi_cli()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"e2e: {why}")
        pytest.skip(f"e2e layer skipped: {why}")
    return found


class TenantProcess(SimulatedTenant):
    """The simulated tenant with a Graph client for the assertions."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.graph = GraphReader(self.base_url)

    def close(self) -> None:
        self.graph.close()
        super().close()


@pytest.fixture
def tenant(tmp_path: Path) -> Iterator[TenantProcess]:
    sim = TenantProcess(tmp_path / "tenant")
    yield sim
    sim.close()


@pytest.fixture
def workspace(tmp_path: Path, pulumi_cli: Path, tenant: TenantProcess) -> Workspace:
    return Workspace(tmp_path / "ws", pulumi_cli, tenant.base_url)
