"""A pull request can change what every stack grants without touching a stack file: the plan
diff (and so the comment, offline) shows each catalogue change as what it does to the stack's
grants and targets, never "they change nothing". Real git histories."""

from __future__ import annotations

from pathlib import Path

from previews.plan.base_plan import plan_against_base
from previews.plan.plan_diff_markdown import plan_diff_markdown
from tests.previews.plan.test_plan_base import base_repo, git

APPS = "catalog/apps/microsoft-365-for-jira.yaml"
PORTAL = "a47ed889-74d6-4acf-b5c8-b1172696eb70"  # teams-jsm-portal, tenant-wide in BEFORE
AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"


def changed(tmp_path: Path, path: str, old: str, new: str) -> str:
    repo = base_repo(tmp_path / "repo")
    file = repo / path
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), "utf-8")
    git(repo, "commit", "-q", "-am", "catalogue only")
    text = plan_diff_markdown(plan_against_base(repo, "s", "HEAD~1"), budget=None)
    assert "They change nothing in this stack's grants" not in text
    return text


def test_a_changed_client_id_moves_every_grant_to_another_app(tmp_path: Path) -> None:
    text = changed(tmp_path, APPS, PORTAL, AZURE_CLI)
    assert (
        f"- ⚠️ **Client id changed** for `m365-jira-teams-jsm-portal`: `{PORTAL}` → `{AZURE_CLI}`"
    ) in text
    assert "- **tenant-wide** (all users): ⛔ **grant removed**: `User.Read`" in text
    assert "- **tenant-wide** (all users): new grant: `User.Read`" in text
    assert "apps +0 / -0 / 1 changed; grant targets +1 / -1" in text


def test_a_scope_added_to_a_feature_is_a_scope_added_to_its_targets(tmp_path: Path) -> None:
    text = changed(
        tmp_path,
        APPS,
        "required: [openid, profile, offline_access, User.Read, email]",
        "required: [openid, profile, offline_access, User.Read, email, Files.ReadWrite.All]",
    )
    assert "- **tenant-wide** (all users): adds `Files.ReadWrite.All`" in text
    assert "⚠️ **Tenant-wide** for `m365-jira-teams-jsm-portal`" in text


def test_a_scope_reclassified_in_an_api_file_is_shown(tmp_path: Path) -> None:
    text = changed(
        tmp_path,
        "catalog/apis/microsoft-graph.yaml",
        "  User.Read:\n    id: e1fe6dd8-ba31-4d61-89e7-88639da4683d\n    admin_consent_required: false",
        "  User.Read:\n    id: e1fe6dd8-ba31-4d61-89e7-88639da4683d\n    admin_consent_required: true",
    )
    assert "⚠️ classified anew by the catalogue: `User.Read` (admin consent)" in text
