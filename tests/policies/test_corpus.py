"""Every case of the violation corpus produces exactly its expected violations, no more."""

from __future__ import annotations

from pathlib import Path

import pytest

from simtenant.fakes.policy_analyzer import PolicyPackProcess
from simtenant.fakes.policy_corpus import CASES, build_resources, case_files, load_case
from simtenant.fakes.policy_stacks import case_resources


def test_corpus_is_large_enough() -> None:
    violating = [p for p in case_files() if load_case(p).expect]
    assert len(violating) >= 15


@pytest.mark.parametrize("path", case_files(), ids=lambda p: p.stem)
def test_case(pack: PolicyPackProcess, path: Path) -> None:
    case = load_case(path)
    pack.configure(case.config())
    found = pack.analyze_all(case_resources(case))

    shown = "\n".join(f"  {d.policy} @ {d.resource} [{d.level}]: {d.message}" for d in found)
    got = sorted((d.policy, d.resource or "") for d in found)
    want = sorted((e.policy, e.resource or "") for e in case.expect)
    assert got == want, f"{path.name}: violations differ; found:\n{shown}"
    for expected in case.expect:
        # a rule may say two things of one resource (each is its own expected entry): the
        # mentions must all be in one of them
        diagnostics = [
            d for d in found if (d.policy, d.resource) == (expected.policy, expected.resource)
        ]
        assert all(d.level == "mandatory" for d in diagnostics), shown
        complete = [d for d in diagnostics if all(m in d.message for m in expected.mentions)]
        assert complete, (
            f"{path.name}: no {expected.policy} message has {expected.mentions}:\n{shown}"
        )


def test_consecutive_calls_are_judged_on_their_own_values(pack: PolicyPackProcess) -> None:
    """The pack builds its view of the stack once per AnalyzeStack call and shares it between
    its rules. Consecutive calls with the same URNs (a pack process serving several) must each
    be judged on their own values, never on another's view. (The CLI starts the pack anew for
    the update of a `pulumi up`, seen end to end: catalogue_swapped_for_the_update.py.)"""
    spoofed = load_case(CASES / "tamper-spoofed-client-id.yaml")
    assert spoofed.resources is not None
    honest = [r.model_copy(update={"props": {}}) for r in spoofed.resources]
    pack.configure(spoofed.config())
    verdicts = [
        sorted({d.policy for d in pack.analyze_stack(build_resources(specs, preview=False))})
        for specs in (honest, spoofed.resources, honest)
    ]
    assert verdicts == [
        [],
        ["catalogue-apps-only", "catalogue-scopes-only", "registered-ids-only"],
        [],
    ]
