"""Shared fixtures: the shipped catalogue (loaded once) and hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from catalog.catalogue import Catalogue, load_catalogue

ROOT = Path(__file__).resolve().parent.parent

# Fast by default; `HYPOTHESIS_PROFILE=thorough pytest` for a deeper search.
settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "catalog")
