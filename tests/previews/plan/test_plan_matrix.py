"""The plan document holds the planner's own `Target`s: written as `{"kind", "ref"}`, read back
to equal targets, and refused, like any other part of the document, with a key of its own or a
kind that is not one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from components.core.target import TENANT, Target
from previews.plan.matrix import PlanDocument
from previews.plan.stack_plan import plan_stack
from tests.previews.conftest import REPO


@pytest.fixture(scope="module")
def dev() -> PlanDocument:
    return plan_stack(REPO, "dev")


def first_target(data: dict[str, Any]) -> dict[str, Any]:
    target: dict[str, Any] = data["apps"][0]["apis"][0]["targets"][0]["target"]
    return target


def test_targets_are_written_as_kind_and_ref(dev: PlanDocument) -> None:
    written = {
        json.dumps(t["target"])
        for app in json.loads(dev.model_dump_json())["apps"]
        for api in app["apis"]
        for t in api["targets"]
    }
    assert '{"kind": "tenant", "ref": ""}' in written
    assert '{"kind": "group", "ref": "Jira Users"}' in written


def test_read_back_holds_the_same_targets(dev: PlanDocument) -> None:
    back = PlanDocument.model_validate_json(dev.model_dump_json())
    assert back == dev
    targets = {t.target for app in back.apps for api in app.apis for t in api.targets}
    assert TENANT in targets and Target("group", "Jira Users") in targets
    assert all(type(t) is Target for t in targets)


@pytest.mark.parametrize(
    "change", [{"extra": "x"}, {"kind": "device"}, {"ref": 1}], ids=["unknown key", "kind", "ref"]
)
def test_a_bad_target_is_refused(dev: PlanDocument, change: dict[str, Any]) -> None:
    data = json.loads(dev.model_dump_json())
    first_target(data).update(change)
    with pytest.raises(ValidationError):
        PlanDocument.model_validate(data)
