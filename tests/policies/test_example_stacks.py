"""Every example stack passes the pack (with the documented config), at preview and at update,
and the pack describes itself to the engine as documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies.rules import RULES
from simtenant.fakes.mock_runtime import ROOT
from simtenant.fakes.policy_analyzer import LEVEL_NAMES, PolicyPackProcess
from simtenant.fakes.policy_stacks import (
    example_policy_config,
    example_stacks,
    program_resources,
    stack_config,
)


def test_there_is_an_example_stack() -> None:
    assert [p.name for p in example_stacks()] == ["Pulumi.dev.yaml"]


def test_a_teams_own_stack_file_is_not_taken_for_an_example() -> None:
    own = ROOT / "Pulumi.zz-own-stack-of-a-team.yaml"
    own.write_text("config:\n  entra-consent:features: {not-a-feature: {}}\n", "utf-8")
    try:
        assert [p.name for p in example_stacks()] == ["Pulumi.dev.yaml"]
    finally:
        own.unlink()


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "update"])
@pytest.mark.parametrize("path", example_stacks(), ids=lambda p: p.stem)
def test_example_stack_passes(pack: PolicyPackProcess, path: Path, preview: bool) -> None:
    resources = program_resources(stack_config(path), preview)
    kinds = {r.type.rsplit(":", 1)[-1] for r in resources}
    assert {"ServicePrincipalDelegatedPermissionGrant", "AppRoleAssignment"} <= kinds
    pack.configure(example_policy_config())
    found = pack.analyze_all(resources)
    assert found == [], "\n".join(f"{d.policy} @ {d.resource}: {d.message}" for d in found)


def test_example_stack_at_preview_has_unknown_ids() -> None:
    """The preview variant really carries the engine's unknowns (so the test above means it)."""
    (path,) = example_stacks()
    grants = [
        r
        for r in program_resources(stack_config(path), preview=True)
        if r.type.endswith("ServicePrincipalDelegatedPermissionGrant")
    ]
    assert grants
    assert all(
        g.outputs["servicePrincipalObjectId"] == "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
        for g in grants
    )


def test_analyzer_info_lists_the_six_rules(pack: PolicyPackProcess) -> None:
    info = pack.info()
    assert info.name == "entra-consent"
    assert info.supportsConfig
    by_name = {p.name: p for p in info.policies}
    assert list(by_name) == [rule.name for rule in RULES]
    for rule in RULES:
        policy = by_name[rule.name]
        assert LEVEL_NAMES[policy.enforcementLevel] == "mandatory", rule.name
        assert set(policy.configSchema.properties) == set(rule.schema), rule.name
        assert "catalog" in policy.configSchema.properties
