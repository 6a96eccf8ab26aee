"""`plan` within its byte budget: small stacks keep one table row per target; large ones share
rows between users with the same scopes, list them in shortening collapsible lists, and as a
last resort are cut at a line with a note. JSON has no budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from previews.__main__ import main
from previews.markdown import utf8_size
from previews.plan.matrix import PlanDocument
from previews.plan.plan_markdown import DEFAULT_BUDGET, plan_markdown
from previews.plan.stack_plan import plan_stack
from tests.previews.conftest import REPO

TENANT = "11111111-2222-3333-4444-555555555555"
TRUNCATED = "_Truncated to fit a pull-request comment: the job log has the full diff._"


def write_stack(folder: Path, users: int, groups: int = 1) -> Path:
    named = [f"user{i:05d}@contoso.com" for i in range(users)]
    config: dict[str, Any] = {
        "azuread:tenantId": TENANT,
        "entra-consent:catalog": str(REPO / "catalog"),
        "entra-consent:features": {
            "calendar": {"consent": "tenant"},
            "email": {
                "consent": "principals",
                "users": named,
                "groups": [f"Group {i}" for i in range(groups)],
            },
            "todo": {"consent": "principals", "users": named},
        },
    }
    (folder / "Pulumi.big.yaml").write_text(yaml.safe_dump({"config": config}))
    return folder


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> PlanDocument:
    return plan_stack(write_stack(tmp_path_factory.mktemp("big"), 3000), "big")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["plan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_default_budget_summarises_users_with_alike_grants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_stack(tmp_path, 3000)
    code, out, err = run(capsys, "--stack", "big", "--project-dir", str(tmp_path))
    assert (code, err) == (0, "")
    assert utf8_size(out) <= DEFAULT_BUDGET
    lines = out.splitlines()
    todo_scopes = (
        "`Tasks.Read`, `Tasks.ReadWrite`, `Tasks.ReadWrite.Shared`, `User.Read`, `email`, "
        "`offline_access`, `openid`, `profile`"
    )
    assert f"| 3000 users (listed below) | {todo_scopes} |" in lines
    assert f"- 3000 users: {todo_scopes}" in lines
    assert "- 3000 users: default role" in lines
    assert (
        "| group `Group 0` (each user member) | `Mail.ReadWrite.Shared`, `Mail.Send.Shared` |"
        in (lines)
    )
    assert any(line.startswith("  - … and ") and line.endswith(" more") for line in lines)
    assert "| `m365-jira-todo` | `todo` (principals) | 3000 | 3000 |" in lines


def test_no_limit_lists_every_target_on_its_own_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_stack(tmp_path, 300)
    code, out, _ = run(capsys, "--stack", "big", "--max-bytes", "0", "--project-dir", str(tmp_path))
    assert code == 0
    assert sum(line.startswith("| user `user") for line in out.splitlines()) == 600
    assert "users (listed below)" not in out


def test_same_as_no_limit_when_it_fits(big: PlanDocument, tmp_path: Path) -> None:
    small = plan_stack(write_stack(tmp_path, 3), "big")
    assert plan_markdown(small) == plan_markdown(small, budget=None)
    assert utf8_size(plan_markdown(big, budget=None)) > DEFAULT_BUDGET


@settings(max_examples=40, deadline=None)
@given(budget=st.integers(min_value=2_000, max_value=300_000))
def test_any_budget_is_kept(big: PlanDocument, budget: int) -> None:
    text = plan_markdown(big, budget=budget)
    assert utf8_size(text) <= budget
    assert text.startswith("## Desired consent: stack `big`")


def test_many_groups_are_cut_at_a_line_with_a_note(tmp_path: Path) -> None:
    doc = plan_stack(write_stack(tmp_path, 2, groups=2000), "big")
    text = plan_markdown(doc, budget=5_000)
    assert utf8_size(text) <= 5_000
    assert text.rstrip("\n").endswith(TRUNCATED)


@pytest.mark.parametrize("value", ["1999", "-1", "many"])
def test_unusable_budget_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "--stack", "dev", "--max-bytes", value])
    assert exit_info.value.code == 2
    assert "--max-bytes" in capsys.readouterr().err


def test_json_is_complete_whatever_the_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_stack(tmp_path, 3000)
    args = ["--stack", "big", "--format", "json", "--max-bytes", "2000"]
    code, out, _ = run(capsys, *args, "--project-dir", str(tmp_path))
    assert code == 0
    doc = PlanDocument.model_validate_json(out)
    todo = doc.app("m365-jira-todo")
    assert todo is not None and len(todo.apis[0].targets) == 3000


def test_help_says_json_has_no_budget(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "JSON output is for tools and has no limit" in help_text
    assert f"(default: {DEFAULT_BUDGET}; 0: no limit)" in help_text
