"""The stack's state in the drift report (previews/tenant/stack_state.py): a grant whose scopes
the state ignores is reported as kept by `pulumi up`, never as set back; without the state the
report says it cannot tell; a file that is not a `pulumi stack export` is one problem line.
The real engine's export: tests/e2e/test_adoption.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog.problems import ConfigurationError
from components.core.naming import ASSIGNMENT_TYPE, GRANT_TYPE
from previews.tenant.drift_markdown import render
from previews.tenant.drift_report import DriftReport, GrantEntry
from previews.tenant.import_file import grant_import_id
from previews.tenant.stack_state import ignored_grant_properties, ignores_scopes, with_state

WIDENED = "uHs32pvJkA8XPrYTVxzuCKuKc79BnWa2grqarulwOL4"
OTHER = "Frhlm_gfBOyc6N5ceOJKlNW26PIL6enrPwxedAKGVHQ"


def export(*resources: dict[str, Any]) -> dict[str, Any]:
    """`pulumi stack export`'s shape (version 3), with what discover does not read left out."""
    return {"version": 3, "deployment": {"manifest": {}, "resources": list(resources)}}


def resource(typ: str, grant_id: str, ignored: list[str] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"urn": f"urn:x::{grant_id}", "custom": True, "type": typ}
    found["id"] = grant_import_id(grant_id)
    if ignored is not None:
        found["ignoreChanges"] = ignored
    return found


def write(tmp_path: Path, body: Any) -> Path:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(body), "utf-8")
    return path


def grant(grant_id: str, status: str = "drifted") -> GrantEntry:
    return GrantEntry.model_validate(
        {
            "status": status,
            "app": "m365-jira-teams",
            "client_id": "89d5ca9f-d63b-4885-bd30-6e7433c1540c",
            "api": "microsoft-graph",
            "api_display_name": "Microsoft Graph",
            "target": "tenant",
            "planned_scopes": ["User.Read"],
            "tenant_scopes": ["Mail.Send", "User.Read"],
            "extra_scopes": ["Mail.Send"] if status == "drifted" else [],
            "grant_id": grant_id,
        }
    )


def report(*grants: GrantEntry) -> DriftReport:
    return DriftReport(
        stack="dev",
        tenant_id=None,
        graph_url="http://127.0.0.1/v1.0",
        read_at="2026-12-07T00:00:00Z",
        in_sync=False,
        counts={"service_principals": {}, "grants": {}, "assignments": {}},
        service_principals=[],
        grants=list(grants),
        assignments=[],
        problems=[],
    )


def test_only_grants_that_ignore_something_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        export(
            resource(GRANT_TYPE, WIDENED, ["claimValues"]),
            resource(GRANT_TYPE, OTHER),
            resource(ASSIGNMENT_TYPE, "assignment", ["appRoleId"]),
        ),
    )
    assert ignored_grant_properties(path) == {grant_import_id(WIDENED): ("claimValues",)}


@pytest.mark.parametrize(
    ("ignored", "scopes"),
    [
        (("claimValues",), True),
        (("claimValues[0]",), True),
        (("*",), True),
        (("userObjectId",), False),
        (("claimValuesX",), False),
        ((), False),
    ],
)
def test_what_ignores_the_scopes(ignored: tuple[str, ...], scopes: bool) -> None:
    assert ignores_scopes(ignored) is scopes


def test_an_ignored_drifted_grant_is_kept_by_up_and_listed(tmp_path: Path) -> None:
    ignored = {grant_import_id(WIDENED): ("claimValues",)}
    markdown = render(with_state(report(grant(WIDENED), grant(OTHER)), ignored))
    rows = [line for line in markdown.splitlines() if line.startswith("| `m365-jira-teams`")]
    kept = [r for r in rows if "**leaves the tenant's scopes**" in r]
    set_back = [r for r in rows if r.endswith("| sets them |")]
    assert len(kept) == 1 and len(set_back) == 1, markdown
    assert "## Grants whose scopes the stack ignores" in markdown
    assert "was not read" not in markdown


def test_a_matching_grant_the_state_ignores_is_listed_too() -> None:
    ignored = {grant_import_id(WIDENED): ("claimValues",)}
    markdown = render(with_state(report(grant(WIDENED, status="match")), ignored))
    section = markdown.split("## Grants whose scopes the stack ignores", 1)[1]
    row = "| `m365-jira-teams` | `Microsoft Graph` | **tenant-wide** (all users) | `match` | "
    assert f"{row}`claimValues` |" in section, markdown


def test_without_the_state_the_report_says_it_cannot_tell() -> None:
    markdown = render(report(grant(WIDENED)))
    assert "The stack's state was not read" in markdown
    assert "| sets them, unless the stack ignores them |" in markdown
    assert "**leaves the tenant's scopes**" not in markdown


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps({"version": 3}), json.dumps([1, 2]), "\udcff"],
)
def test_a_file_that_is_not_an_export_is_one_problem(tmp_path: Path, body: str) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(body.encode("utf-8", "surrogateescape"))
    with pytest.raises(ConfigurationError) as raised:
        ignored_grant_properties(path)
    (problem,) = raised.value.problems
    assert problem.file == str(path)


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as raised:
        ignored_grant_properties(tmp_path / "absent.json")
    assert "cannot read" in str(raised.value.problems[0])


def test_which_up_sets_the_scopes_depends_on_an_adoption_or_a_deployed_stack() -> None:
    """After an import the state holds the tenant's scopes, so `up` sees the difference; a
    deployed stack's state holds what it last set, so only `up --refresh` does."""
    adopted = render(report(grant(WIDENED)))
    assert "After the import, the next `pulumi up` sets the plan's scopes" in adopted
    assert "--refresh" not in adopted
    deployed = render(report(grant(WIDENED)).model_copy(update={"existing_stack": True}))
    assert "`pulumi up --refresh` sets the plan's scopes" in deployed
    assert "A plain `pulumi up` compares with the stack's state" in deployed
    assert "| `up --refresh` sets the plan's scopes, unless the stack ignores them |" in deployed
