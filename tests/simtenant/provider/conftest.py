"""Fixtures: a fresh simulated tenant (in process) holding the deploying identity (the app the
plugin signs in as, with its service principal: the real provider binds its caller as owner of
what it creates, and Graph refuses an owner that does not exist), and the azuread plugin (a
subprocess, as the engine starts it) configured against it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from simtenant.graph import SimTenant
from tests.simtenant.provider.harness import Plugin, Seeder


@dataclass
class Env:
    sim: SimTenant
    seed: Seeder
    plugin: Plugin


@pytest.fixture
def tenant() -> Iterator[Callable[..., Env]]:
    """`tenant(page_size=100)`: a started tenant with a configured plugin."""
    opened: list[Env] = []

    def make(page_size: int = 100, configure: bool = True) -> Env:
        sim = SimTenant(page_size=page_size).start()
        plugin = Plugin(sim.base_url)
        env = Env(sim, Seeder(sim.base_url), plugin)
        opened.append(env)
        env.seed.deployer()
        if configure:
            plugin.configure()
        return env

    yield make
    for env in opened:
        env.plugin.close()
        env.seed.http.close()
        env.sim.stop()


@pytest.fixture
def env(tenant: Callable[..., Env]) -> Env:
    return tenant()
