"""Engine resources of whole-program runs under the mock runtime, cached per stack config."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from simtenant.fakes.fake_tenant import FakeTenant
from simtenant.fakes.mock_runtime import ROOT, run_program
from simtenant.fakes.policy_analyzer import EngineResource, engine_resources
from simtenant.fakes.policy_corpus import Case, build_resources

TENANT_FILE = ROOT / "tests" / "tenants" / "contoso.yaml"
EXAMPLE_CONFIG = ROOT / "policies" / "config.example.json"


def example_stacks() -> list[Path]:
    """The shipped example, by name: a team's own `Pulumi.<stack>.yaml` beside it is theirs,
    not a test fixture, and must never decide whether the suite passes."""
    return [ROOT / "Pulumi.dev.yaml"]


def stack_config(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text("utf-8"))["config"])


def example_policy_config() -> dict[str, Any]:
    return dict(json.loads(EXAMPLE_CONFIG.read_text("utf-8")))


@cache
def _program(config_json: str, preview: bool) -> tuple[EngineResource, ...]:
    tenant = FakeTenant.from_file(TENANT_FILE)
    run = run_program(json.loads(config_json), tenant, preview=preview)
    return tuple(engine_resources(run, tenant, preview))


def program_resources(config: dict[str, Any], preview: bool) -> list[EngineResource]:
    return list(_program(json.dumps(config, sort_keys=True), preview))


def case_resources(case: Case) -> list[EngineResource]:
    if case.resources is not None:
        built = build_resources(case.resources, case.preview)
        if case.refresh:  # `preview --refresh` hands the pack the reads as well
            built = [dataclasses.replace(r, read=False) for r in built]
        return built
    if case.stack_file is not None:
        return program_resources(stack_config(ROOT / case.stack_file), case.preview)
    assert case.stack is not None, "a case needs resources, stack or stack_file"
    return program_resources(case.stack, case.preview)
