"""One policy pack process per test module (starting it costs about half a second)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simtenant.fakes.policy_analyzer import PolicyPackProcess


@pytest.fixture(scope="module")
def pack() -> Iterator[PolicyPackProcess]:
    process = PolicyPackProcess()
    try:
        yield process
    finally:
        process.close()
