"""`render` never reassures falsely: consent changes it cannot map still show (a delete as a
revocation), operations it does not know fail the command, a failed preview is a failure,
policy violations without an event log are "not checked", service principal settings change
with a direction, and principals are named where the preview knows them.

Real engine steps (tests/previews/digests/engine-mixed.json) where they show the case;
synthetic ones (simtenant/fakes/preview_digests.py, the engine's shape) changed where needed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from catalog.catalogue import Catalogue, load_catalogue
from previews.__main__ import main
from previews.cli.render_command import (
    EXIT_MANDATORY_VIOLATIONS,
    EXIT_NOT_UNDERSTOOD,
    EXIT_OK,
    EXIT_PREVIEW_FAILED,
    exit_code,
)
from previews.render.digest import read_policy_events
from previews.render.pipeline import Rendered, render_digest
from simtenant.fakes.preview_digests import (
    MAIL_SCOPES,
    PROJECT,
    assignment_step,
    grant_step,
    stack_step,
    user_id,
)
from tests.previews.conftest import REPO

DIGESTS = Path(__file__).resolve().parents[1] / "digests"
MIXED = json.loads((DIGESTS / "engine-mixed.json").read_text("utf-8"))
EMPTY_TEXT = (DIGESTS / "engine-empty.json").read_text("utf-8")
NO_CHANGES = "No consent changes: no grants, assignments or service principals change."
CATALOGUE = load_catalogue(REPO / "catalog")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return CATALOGUE


def rendered(steps: list[dict[str, Any]], **digest: Any) -> Rendered:
    return render_digest(json.dumps({"steps": steps, **digest}), CATALOGUE, [])


def lines(steps: list[dict[str, Any]], **digest: Any) -> list[str]:
    return rendered(steps, **digest).markdown.splitlines()


def orphan(step: dict[str, Any], name: str) -> dict[str, Any]:
    """The step as a direct child of the stack (no app component), named `name`."""
    step = copy.deepcopy(step)
    typ = (step.get("newState") or step["oldState"])["type"]
    step["urn"] = f"urn:pulumi:dev::{PROJECT}::{typ}::{name}"
    for key in ("oldState", "newState"):
        if step.get(key):
            step[key]["urn"] = step["urn"]
            step[key]["parent"] = f"urn:pulumi:dev::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-dev"
    return step


def renamed(step: dict[str, Any], name: str) -> dict[str, Any]:
    step = copy.deepcopy(step)
    step["urn"] = step["urn"].rsplit("::", 1)[0] + f"::{name}"
    for key in ("oldState", "newState"):
        if step.get(key):
            step[key]["urn"] = step["urn"]
    return step


def _object_id(name: str) -> str:
    """A service principal's object id in the fixture (ids differ per recorded run)."""
    for step in MIXED["steps"]:
        if step["urn"].endswith(f"::{name}"):
            for key in ("oldState", "newState"):
                found = ((step.get(key) or {}).get("outputs") or {}).get("objectId")
                if found:
                    return str(found)
    raise AssertionError(f"no object id for {name} in engine-mixed.json")


MAIL_SP = _object_id("m365-jira-mail-sp")
STACK_STEP = next(s for s in MIXED["steps"] if "::pulumi:pulumi:Stack::" in s["urn"])


def real(name: str, op: str) -> dict[str, Any]:
    return copy.deepcopy(
        next(s for s in MIXED["steps"] if s["op"] == op and s["urn"].endswith(f"::{name}"))
    )


# -- "No consent changes" only when there are none ---------------------------------------------


def test_grant_of_an_app_the_catalogue_lacks_shows() -> None:
    """Under an EnterpriseApp component whose client app is not in the catalogue."""
    user = user_id(1)
    step = grant_step("dev", "rogue-app", user, "create", None, ["Mail.Send", "User.Read"])
    out = lines([step])
    assert NO_CHANGES not in out
    assert (
        f"- grant `rogue-app-microsoft-graph-user-{user}` (under component `rogue-app`; client "
        "`5e5e5e5e-0000-4000-8000-000000000001`, API `6b0a4b1e-0000-4000-8000-0000000000aa`) "
        f"for user `{user}`: new grant: adds `Mail.Send`, `User.Read`" in out
    )
    assert "not recognised: 1 (0 revoking)" in out[2]


def test_deleted_grant_the_renderer_cannot_map_is_a_revocation() -> None:
    user = user_id(2)
    step = grant_step("dev", "rogue-app", user, "delete", ["Mail.Send"], None)
    out = lines([step])
    assert any(
        line.startswith(f"- ⛔ grant `rogue-app-microsoft-graph-user-{user}`")
        and line.endswith("**grant revoked**: `Mail.Send`")
        for line in out
    ), out
    assert (
        "- ⛔ **Not recognised**: 1 resource changing that the catalogue does not name, 1 of "
        "them revoking (listed below)" in out
    )


def test_tenant_wide_grant_outside_any_component_is_named_from_its_properties() -> None:
    """A grant with no parent component, no user (so tenant-wide), on the real engine's
    step: the client and API named from the object ids the preview shows."""
    step = orphan(real("m365-jira-teams-microsoft-graph-tenant", "create"), "hand-made")
    step["newState"]["inputs"]["servicePrincipalObjectId"] = MAIL_SP
    out = lines([STACK_STEP, *[s for s in MIXED["steps"] if s["op"] == "read"], step])
    assert (
        "- ⚠️ grant `hand-made` (outside any app component; client `m365-jira-mail-sp`, API "
        "`api-microsoft-graph`) for **tenant-wide** (all users): new grant: adds "
        "`Channel.ReadBasic.All`, `ChannelMessage.Send`, `Chat.ReadWrite`, `Team.ReadBasic.All`, "
        "`User.Read`, `User.ReadBasic.All`, `email`, `offline_access`, `openid`, `profile`" in out
    )


def test_deleted_assignment_with_another_name_is_a_revocation() -> None:
    """The real engine's removed assignment, under its component but not this program's name:
    its outputs still name the user."""
    step = renamed(real(f"m365-jira-mail-assign-user-{alex()}", "delete"), "by-hand")
    out = lines([step])
    assert (
        f"- ⛔ assignment `by-hand` (under component `m365-jira-mail`; app "
        f"`{MAIL_SP}`) of user `Alex Wilber` (`{alex()}`): "
        "**assignment removed** (default role)" in out
    )
    assert NO_CHANGES not in out


def test_service_principal_deleted_under_another_name_is_a_revocation() -> None:
    step = renamed(real("m365-jira-todo-sp", "delete"), "todo-by-hand")
    step["oldState"].pop("retainOnDelete", None)
    out = lines([step])
    assert (
        "- ⛔ service principal `todo-by-hand` (under component `m365-jira-todo`): **deleted**"
        in out
    )


def test_another_resource_type_shows() -> None:
    """A type this program does not register (the policy pack refuses it; the diff shows it)."""
    step = orphan(assignment_step("dev", "jemhc", user_id(5), "create"), "sneaky")
    typ = "azuread:index/groupMember:GroupMember"
    step["newState"]["type"] = typ
    step["urn"] = step["newState"]["urn"] = f"urn:pulumi:dev::{PROJECT}::{typ}::sneaky"
    out = lines([step])
    assert (
        f"- ⚠️ resource of type `{typ}` `sneaky` (outside any app component): created; **gives "
        "membership of a group, with every assignment and role the group holds**"
    ) in out
    assert NO_CHANGES not in out


def test_a_directory_role_shows_what_it_gives_to_whom() -> None:
    """Never just a count: "directory role Global Administrator -> service principal X"."""
    step = orphan(assignment_step("dev", "jemhc", user_id(5), "create"), "teams-global-admin")
    typ = "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment"
    step["newState"]["type"] = typ
    step["newState"]["inputs"] = {
        "roleId": "62e90394-69f5-4237-9190-012177145e10",
        "principalObjectId": "`](javascript:alert(1))",
    }
    step["urn"] = step["newState"]["urn"] = f"urn:pulumi:dev::{PROJECT}::{typ}::teams-global-admin"
    out = lines([step])
    (line,) = [x for x in out if "teams-global-admin" in x]
    assert line.startswith(f"- ⚠️ resource of type `{typ}` `teams-global-admin`")
    assert (
        "**gives a directory role (e.g. Global Administrator) over the whole directory (role "
        in line
    )
    assert line.endswith("Global Administrator)** to `` `](javascript:alert(1)) ``")


def test_unmapped_change_keeps_grant_and_assignment_types() -> None:
    """Identified by type, not by name: a grant named like an assignment is still a grant."""
    grant = renamed(grant_step("dev", "jemhc", user_id(6), "delete", MAIL_SCOPES, None), "x")
    diff = rendered([grant]).diff
    assert [(c.kind, c.revokes) for c in diff.unmapped] == [("grant", True)]


def test_empty_preview_is_no_change(catalogue: Catalogue) -> None:
    out = render_digest(EMPTY_TEXT, catalogue, []).markdown.splitlines()
    assert NO_CHANGES in out


# -- operations the renderer does not know ----------------------------------------------------


@pytest.mark.parametrize("op", ["discard", "frobnicate", "remove-pending-replace"])
def test_unknown_operation_is_listed_and_fails(op: str) -> None:
    step = grant_step("dev", "jemhc", user_id(7), "update", MAIL_SCOPES, MAIL_SCOPES[1:])
    step["op"] = op
    result = rendered([step])
    out = result.markdown.splitlines()
    assert (
        "⛔ **1 step not understood**: operations this renderer does not know, so it cannot "
        "say what they change (the command fails until it does):" in out
    )
    assert f"- `{op}` on `{step['urn']}`" in out
    assert NO_CHANGES not in out
    assert "not understood: 1" in next(line for line in out if line.startswith("**Totals**"))
    assert exit_code(result, fail_on_mandatory=False) == EXIT_NOT_UNDERSTOOD


def test_discarding_a_read_resource_is_understood() -> None:
    """`discard`: a resource the program read (`external`) and no longer reads."""
    read = real("api-microsoft-graph", "read")
    read["op"] = "discard"
    result = rendered([read])
    assert result.not_understood == 0 and NO_CHANGES in result.markdown.splitlines()
    assert exit_code(result, fail_on_mandatory=True) == EXIT_OK


def test_unknown_operation_exit_code_from_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    step = grant_step("dev", "jemhc", user_id(7), "create", None, MAIL_SCOPES)
    step["op"] = "teleport"
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": [step]}))
    code = main(["render", str(path), "--catalog", str(REPO / "catalog")])
    out = capsys.readouterr().out
    assert code == EXIT_NOT_UNDERSTOOD == 5
    assert "- `teleport` on " in out


# -- a failed preview ----------------------------------------------------------------------------

FAILED = {"message": "error: preview failed\n", "severity": "error"}


@pytest.mark.parametrize(
    "digest",
    [
        pytest.param({"steps": [], "diagnostics": [FAILED]}, id="no-steps"),
        pytest.param({"diagnostics": [FAILED], "duration": 1}, id="no-steps-key"),
    ],
)
def test_failed_preview_without_steps_is_a_failure(digest: dict[str, Any]) -> None:
    result = render_digest(json.dumps(digest), CATALOGUE, [])
    out = result.markdown.splitlines()
    assert out[2].startswith("⛔ **FAILURE: the preview failed** (`preview failed`).")
    assert NO_CHANGES not in out
    assert "No consent changes shown: the preview failed before it showed any." in out
    assert exit_code(result, fail_on_mandatory=True) == EXIT_PREVIEW_FAILED == 4


def test_failed_real_preview_is_a_failure_above_its_changes() -> None:
    """engine-mixed.json: the engine stopped on a mandatory policy violation."""
    result = render_digest(json.dumps(MIXED), CATALOGUE, None)
    out = result.markdown.splitlines()
    assert out[2].startswith("⛔ **FAILURE: the preview failed**")
    assert out[4].startswith("**Totals**")
    assert exit_code(result, fail_on_mandatory=False) == EXIT_PREVIEW_FAILED


def test_preview_without_errors_does_not_fail() -> None:
    result = rendered([grant_step("dev", "jemhc", user_id(8), "create", None, MAIL_SCOPES)])
    assert not result.failed
    assert not any("FAILURE" in line for line in result.markdown.splitlines())
    assert exit_code(result, fail_on_mandatory=True) == EXIT_OK


# -- policy violations without an event log ---------------------------------------------------


def test_without_an_event_log_violations_are_not_checked() -> None:
    step = grant_step("dev", "jemhc", user_id(9), "create", None, MAIL_SCOPES)
    text = json.dumps({"steps": [step]})
    unchecked = render_digest(text, CATALOGUE, None)
    assert unchecked.markdown.splitlines()[2].endswith(
        "; policy violations: not checked (no event log)."
    )
    assert "0 mandatory" not in unchecked.markdown
    checked = render_digest(text, CATALOGUE, [])
    assert checked.markdown.splitlines()[2].endswith(
        "; policy violations: 0 mandatory, 0 advisory."
    )
    assert (unchecked.policy_checked, checked.policy_checked) == (False, True)


def test_mandatory_violations_exit_3_only_when_asked() -> None:
    events = read_policy_events(DIGESTS / "engine-mixed-events.jsonl")
    result = render_digest(EMPTY_TEXT, CATALOGUE, events)
    assert result.mandatory == 1
    assert exit_code(result, fail_on_mandatory=True) == EXIT_MANDATORY_VIOLATIONS == 3
    assert exit_code(result, fail_on_mandatory=False) == EXIT_OK


# -- a direction on every service principal change --------------------------------------------


def sp_update(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The real engine's update of m365-jira-mail-sp, with other inputs before and after."""
    step = real("m365-jira-mail-sp", "update")
    step["oldState"]["inputs"].update(old)
    step["newState"]["inputs"].update(new)
    before, after = step["oldState"]["inputs"], step["newState"]["inputs"]
    step["diffReasons"] = sorted(k for k in set(old) | set(new) if before[k] != after[k])
    step["detailedDiff"] = {k: {"kind": "update", "inputDiff": True} for k in step["diffReasons"]}
    return step


@pytest.mark.parametrize(
    ("old", "new", "effect"),
    [
        pytest.param(
            {"appRoleAssignmentRequired": False},
            {"appRoleAssignmentRequired": True},
            "sign-in restricted to assigned users (`appRoleAssignmentRequired`: `false` → `true`)",
            id="restricted",
        ),
        pytest.param(
            {"appRoleAssignmentRequired": True},
            {"appRoleAssignmentRequired": False},
            "⚠️ sign-in opened to every user (`appRoleAssignmentRequired`: `true` → `false`)",
            id="opened",
        ),
        pytest.param(
            {"appRoleAssignmentRequired": True, "notes": "Approved in CHG-1234"},
            {"appRoleAssignmentRequired": True, "notes": "Approved in CHG-99"},
            "`notes`: `Approved in CHG-1234` → `Approved in CHG-99`",
            id="notes",
        ),
        pytest.param(
            {"tags": ["WindowsAzureActiveDirectoryIntegratedApp", "Owner:IT"]},
            {"tags": ["WindowsAzureActiveDirectoryIntegratedApp", "HideApp", "Owner:IT"]},
            "hidden from users' app lists (`tags`: "
            '`["WindowsAzureActiveDirectoryIntegratedApp", "Owner:IT"]` → '
            '`["WindowsAzureActiveDirectoryIntegratedApp", "HideApp", "Owner:IT"]`)',
            id="tags-hidden-as-the-program-declares-them",
        ),
        pytest.param(
            {"tags": ["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"]},
            {"tags": ["WindowsAzureActiveDirectoryIntegratedApp"]},
            "shown in users' app lists (`tags`: "
            '`["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"]` → '
            '`["WindowsAzureActiveDirectoryIntegratedApp"]`)',
            id="tags-shown",
        ),
        pytest.param(
            {"featureTags": [{"enterprise": True, "hide": False}]},
            {"featureTags": [{"enterprise": True, "hide": True}]},
            "hidden from users' app lists (`featureTags`: "
            '`[{"enterprise": true, "hide": false}]` → `[{"enterprise": true, "hide": true}]`)',
            id="tags-hidden",
        ),
        pytest.param(
            {"accountEnabled": True},
            {"accountEnabled": False},
            "⛔ sign-in disabled for every user (`accountEnabled`: `true` → `false`)",
            id="disabled",
        ),
    ],
)
def test_service_principal_change_has_a_direction(
    old: dict[str, Any], new: dict[str, Any], effect: str
) -> None:
    out = lines([sp_update(old, new)])
    assert f"- service principal: updated: {effect}" in out, out


def test_opening_sign_in_stands_out() -> None:
    out = lines(
        [sp_update({"appRoleAssignmentRequired": True}, {"appRoleAssignmentRequired": False})]
    )
    assert (
        "- ⚠️ **Sign-in opened to every user** (assignment no longer required): `m365-jira-mail`"
        in out
    )


# -- principals by name, object id beside -----------------------------------------------------


def alex() -> str:
    step = next(s for s in MIXED["steps"] if s["op"] == "delete" and "-assign-user-" in s["urn"])
    return str(step["oldState"]["inputs"]["principalObjectId"])


def test_group_named_from_its_assignment_outputs() -> None:
    group = "c0c0c0c0-0000-4000-8000-000000000001"
    step = real(f"m365-jira-mail-assign-user-{alex()}", "delete")
    text = json.dumps(step).replace(alex(), group).replace("assign-user-", "assign-group-")
    step = json.loads(text)
    step["oldState"]["outputs"].update(principalDisplayName="Jira Admins", principalType="Group")
    out = lines([step])
    assert f"- group `Jira Admins` (`{group}`): ⛔ **assignment removed** (default role)" in out
    assert f"- group `{group}`:" not in " ".join(out)


def test_user_by_display_name_and_upn() -> None:
    """The assignment names Alex; a stack output `users` gives his UPN."""
    grant = real(f"m365-jira-mail-microsoft-graph-user-{alex()}", "delete")
    assignment = real(f"m365-jira-mail-assign-user-{alex()}", "delete")
    stack = stack_step("dev", {"users": {alex(): "alex.wilber@contoso.com"}})
    out = lines([stack, assignment, grant])
    label = f"user `Alex Wilber` `alex.wilber@contoso.com` (`{alex()}`)"
    assert any(line.startswith(f"- {label}: ⛔ **grant revoked**") for line in out), out
    assert f"- {label}: ⛔ **assignment removed** (default role)" in out


def test_a_grant_removed_but_retained_is_never_said_revoked() -> None:
    """retain_on_delete: the grant leaves the stack and stays in the tenant."""
    step = grant_step("dev", "jemhc", user_id(7), "delete", MAIL_SCOPES, None)
    step["oldState"]["retainOnDelete"] = True
    diff = rendered([step]).diff
    (grant,) = diff.grants
    assert not grant.revokes and grant.removed == frozenset()
    out = lines([step])
    (line,) = [x for x in out if user_id(7) in x and "kept in the tenant" in x]
    assert "⚠️ removed from the stack but **kept in the tenant** (retain on delete)" in line
    assert "stay granted, governed by no stack" in line
    assert not any("grant revoked" in x for x in out)
    assert not any("**Revocations**" in x for x in out)


def test_an_import_whose_tenant_scopes_differ_is_never_called_unchanged() -> None:
    """An import adopts what the tenant holds (its outputs), whatever the stack declares."""
    step = grant_step("dev", "jemhc", user_id(8), "import", None, MAIL_SCOPES)
    wider = [*MAIL_SCOPES, "Directory.ReadWrite.All"]
    step["newState"]["outputs"] = {**step["newState"].get("outputs", {}), "claimValues": wider}
    out = lines([step])
    (line,) = [x for x in out if user_id(8) in x and x.startswith("- user ")]
    assert "**adopted as the tenant holds it, not as declared**" in line
    assert "Directory.ReadWrite.All" in line.split("the stack declares")[0]
    assert "unchanged" not in line
    same = grant_step("dev", "jemhc", user_id(9), "import", None, MAIL_SCOPES)
    (plain,) = [x for x in lines([same]) if user_id(9) in x and x.startswith("- user ")]
    assert "adopted into the stack (already in the tenant, unchanged)" in plain
