"""Policy config: enforcement levels and allowances honoured, numbers as floats, bad config
refused, the schema file current and the example config valid against it."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from policies.config import PrivilegedConfig, parse_config
from policies.config_file import SCHEMA_FILE, schema_text
from simtenant.fakes.policy_analyzer import PolicyPackProcess
from simtenant.fakes.policy_corpus import CASES, build_resources, load_case
from simtenant.fakes.policy_stacks import EXAMPLE_CONFIG, example_policy_config, program_resources

TODO_TENANT = {
    "azuread:tenantId": "11111111-2222-3333-4444-555555555555",
    "entra-consent:features": {"todo": {"consent": "tenant"}},
}


def _unlisted_scope() -> list[Any]:
    case = load_case(CASES / "unlisted-scope-tenant-grant.yaml")
    assert case.resources is not None
    return build_resources(case.resources, preview=False)


@pytest.mark.parametrize("level", ["advisory", "mandatory", "remediate"])
def test_enforcement_level_is_honoured(pack: PolicyPackProcess, level: str) -> None:
    pack.configure({"catalogue-scopes-only": level})
    found = pack.analyze_all(_unlisted_scope())
    # a remediate level on a stack policy is reported as mandatory
    want = "mandatory" if level == "remediate" else level
    assert [(d.policy, d.level) for d in found] == [("catalogue-scopes-only", want)]


def test_disabled_rule_reports_nothing(pack: PolicyPackProcess) -> None:
    pack.configure({"catalogue-scopes-only": {"enforcementLevel": "disabled"}})
    assert pack.analyze_all(_unlisted_scope()) == []


@pytest.mark.parametrize(
    ("threshold", "flagged"),
    [(3, True), (3.0, True), (4, False), (4.0, False)],
    ids=["3", "3.0", "4", "4.0"],
)
def test_privilege_threshold_number_or_float(
    pack: PolicyPackProcess, threshold: float, flagged: bool
) -> None:
    """To Do's tenant-wide Tasks.* scopes are privilege level 3."""
    pack.configure({"tenant-wide-privileged-scopes": {"privilegeThreshold": threshold}})
    found = pack.analyze_all(program_resources(TODO_TENANT, preview=False))
    policies = [d.policy for d in found]
    assert policies == (["tenant-wide-privileged-scopes"] if flagged else [])
    if flagged:
        assert "Tasks.Read, Tasks.ReadWrite, Tasks.ReadWrite.Shared (" in found[0].message


def test_allowance_by_client_id(pack: PolicyPackProcess) -> None:
    allow = {"32d752a1-8945-4600-97c9-73ed32c3627a": {"microsoft-graph": ["Tasks.Read"]}}
    pack.configure(
        {"tenant-wide-privileged-scopes": {"privilegeThreshold": 3, "allowances": allow}}
    )
    (found,) = pack.analyze_all(program_resources(TODO_TENANT, preview=False))
    assert "or unknown): Tasks.ReadWrite, Tasks.ReadWrite.Shared (" in found.message


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"privilegeThreshold": 4.5}, "tenant-wide-privileged-scopes.privilegeThreshold"),
        ({"privilegeThreshold": 9}, "tenant-wide-privileged-scopes.privilegeThreshold"),
        ({"allowance": {}}, "tenant-wide-privileged-scopes.allowance: unknown key"),
        (
            {"allowances": {"jemhc": ["EWS.AccessAsUser.All"]}},
            "tenant-wide-privileged-scopes.allowances.jemhc",
        ),
    ],
    ids=["fraction", "out-of-range", "misspelt-key", "allowances-not-by-api"],
)
def test_bad_config_is_a_mandatory_violation(
    pack: PolicyPackProcess, settings: dict[str, Any], problem: str
) -> None:
    pack.configure({"tenant-wide-privileged-scopes": settings})
    found = pack.analyze_all(program_resources(TODO_TENANT, preview=False))
    assert [(d.policy, d.level, d.resource) for d in found] == [
        ("tenant-wide-privileged-scopes", "mandatory", None)
    ]
    assert f"policy config: {problem}" in found[0].message
    assert "(fix the policy config)" in found[0].message


def test_schema_file_is_current() -> None:
    assert SCHEMA_FILE.read_text("utf-8") == schema_text(), "run python -m policies.config_file"


def test_example_config_matches_schema_and_models() -> None:
    example = example_policy_config()
    jsonschema.validate(example, json.loads(SCHEMA_FILE.read_text("utf-8")))
    config, problems = parse_config(
        PrivilegedConfig,
        "tenant-wide-privileged-scopes",
        example["tenant-wide-privileged-scopes"],
    )
    assert problems == [] and config is not None
    assert config.allowed("jemhc", None, "exchange-online") == {"EWS.AccessAsUser.All"}
    assert EXAMPLE_CONFIG.name == "config.example.json"


def test_schema_refuses_unknown_rule_and_key() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    for bad in ({"no-such-rule": "mandatory"}, {"one-grant-per-target": {"catalogue": "x"}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
