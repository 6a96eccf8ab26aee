"""What reviewers read: `pulumi preview --json` of a real change, with the engine's event log,
rendered by `previews render`, shows exactly that change. The digest and event log of this run
are the fixtures tests/previews/digests/engine-change.json and engine-change-events.jsonl
(regenerate them with ENTRA_CONSENT_WRITE_DIGESTS=1), as the engine wrote them but for what
only adds size: registration stack traces, debug diagnostics, and the hundreds of scopes and
roles Microsoft Graph publishes, in the outputs of its read service principal."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from simtenant.workspace import ROOT, Workspace
from tests.e2e.conftest import Tenant

pytestmark = pytest.mark.e2e

DIGESTS = ROOT / "tests" / "previews" / "digests"
FEATURES = "entra-consent:features"


def change(ws: Workspace) -> None:
    """Team.ReadBasic.All for Calendar (its users: Adele, and Jira Users' members Megan, Lee and
    Adele), and Alex (in no configured group) taken off Email: his grant and assignment go."""
    config = copy.deepcopy(ws.stack_config())
    config[FEATURES]["calendar"]["optional_scopes"] = ["Team.ReadBasic.All"]
    del config[FEATURES]["email"]["users"]
    ws.write_stack_config(config)


def test_rendered_preview_shows_exactly_the_change(
    workspace: Workspace, tenant: Tenant, tmp_path: Path
) -> None:
    base = copy.deepcopy(workspace.stack_config())
    del base[FEATURES]["calendar"]["optional_scopes"]
    workspace.write_stack_config(base)
    workspace.up()
    change(workspace)
    events = tmp_path / "events.jsonl"
    workspace.env["PULUMI_DEBUG_COMMANDS"] = "true"
    preview = workspace.preview("--json", "--event-log", str(events))
    digest = tmp_path / "preview.json"
    digest.write_text(preview.stdout, "utf-8")
    if os.environ.get("ENTRA_CONSENT_WRITE_DIGESTS"):
        write_fixtures(digest, events)

    ops = {s["urn"].rsplit("::", 1)[-1]: s["op"] for s in json.loads(preview.stdout)["steps"]}
    changed = {name: op for name, op in ops.items() if op not in ("same", "read")}
    ids = {
        u: tenant.graph.user_id(f"{u}@contoso.com")
        for u in ("alex.wilber", "adele.vance", "megan.bowen", "lee.gu")
    }
    assert changed == {
        **{
            f"m365-jira-mail-microsoft-graph-user-{ids[u]}": "update"
            for u in ("adele.vance", "megan.bowen", "lee.gu")
        },
        f"m365-jira-mail-microsoft-graph-user-{ids['alex.wilber']}": "delete",
        f"m365-jira-mail-assign-user-{ids['alex.wilber']}": "delete",
    }

    rendered = workspace.previews(
        "render", str(digest), "--events", str(events), "--catalog", "catalog"
    ).stdout
    assert "grants: 3 updated, 1 revoked" in rendered, rendered
    assert "assignments: 1 removed" in rendered, rendered
    assert "policy violations: 0 mandatory, 0 advisory" in rendered, rendered
    mail = section(rendered, "m365-jira-mail")
    # Alex is named as Graph names him on his assignment; the others by object id.
    alex = ids["alex.wilber"]
    assert re.search(rf"user `Alex Wilber` \(`{alex}`\): ⛔ \*\*grant revoked\*\*", mail), mail
    assert re.search(rf"user `Alex Wilber` \(`{alex}`\): ⛔ \*\*assignment removed\*\*", mail), mail
    assert "3 users: adds `Team.ReadBasic.All`" in mail, mail
    for user in ("adele.vance", "megan.bowen", "lee.gu"):
        assert f"user `{ids[user]}`" in mail, mail
    for app in ("jemhc", "m365-jira-teams", "m365-jira-teams-jsm-portal", "m365-jira-todo"):
        assert f"### `{app}`" not in rendered


PUBLISHED = ("oauth2PermissionScopes", "oauth2PermissionScopeIds", "appRoles", "appRoleIds")


def trim(state: dict[str, Any] | None) -> None:
    if not state:
        return
    state.pop("stackTrace", None)
    if state.get("external"):
        for key in PUBLISHED:
            (state.get("outputs") or {}).pop(key, None)


def write_fixtures(digest: Path, events: Path) -> None:
    body = json.loads(digest.read_text("utf-8"))
    for step in body["steps"]:
        trim(step.get("oldState"))
        trim(step.get("newState"))
    (DIGESTS / "engine-change.json").write_text(json.dumps(body, indent=1) + "\n", "utf-8")
    kept = []
    for line in events.read_text("utf-8").splitlines():
        event = json.loads(line)
        if event.get("diagnosticEvent", {}).get("severity") == "debug":
            continue
        for kind in ("resourcePreEvent", "resOutputsEvent"):
            metadata = event.get(kind, {}).get("metadata", {})
            trim(metadata.get("old"))
            trim(metadata.get("new"))
        kept.append(json.dumps(event))
    (DIGESTS / "engine-change-events.jsonl").write_text("\n".join(kept) + "\n", "utf-8")


def section(markdown: str, app: str) -> str:
    start = markdown.index(f"### `{app}`")
    end = markdown.find("\n### ", start + 1)
    return markdown[start : end if end != -1 else None]
