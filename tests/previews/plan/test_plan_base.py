"""`python -m previews plan --base REF` against a temporary git repository with two commits."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from previews.__main__ import main
from previews.plan.base_plan import plan_against_base
from previews.plan.plan_diff import PlanDiffDocument
from previews.plan.plan_diff_markdown import plan_diff_markdown
from tests.previews.conftest import REPO

BEFORE = """\
config:
  azuread:tenantId: 11111111-2222-3333-4444-555555555555
  entra-consent:features:
    teams-jsm-portal:
      consent: tenant
    email:
      consent: principals
      users: [alex.wilber@contoso.com]
    calendar:
      consent: principals
      users: [adele.vance@contoso.com]
    todo:
      consent: none
"""

AFTER = """\
config:
  azuread:tenantId: 11111111-2222-3333-4444-555555555555
  entra-consent:features:
    teams-jsm-portal:
      consent: tenant
    teams:
      consent: tenant
    calendar:
      consent: principals
      users: [adele.vance@contoso.com, lee.gu@contoso.com]
      groups: [Jira Users]
      optional_scopes: [Group.ReadWrite.All]
    todo:
      consent: tenant
  entra-consent:apps:
    m365-jira-mail:
      assignment_required: true
"""


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def copy_catalogue(into: Path) -> None:
    for sub in ("apis", "apps"):
        (into / "catalog" / sub).mkdir(parents=True)
        for path in (REPO / "catalog" / sub).glob("*.yaml"):
            shutil.copy(path, into / "catalog" / sub / path.name)


def widen_portal(catalog: Path) -> None:
    """A catalogue change: the portal feature now also needs User.ReadBasic.All."""
    path = catalog / "apps" / "microsoft-365-for-jira.yaml"
    data = yaml.safe_load(path.read_text())
    data["features"]["teams-jsm-portal"]["grants"]["microsoft-graph"]["required"].append(
        "User.ReadBasic.All"
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def base_repo(repo: Path) -> Path:
    """A git repository whose first commit holds the catalogue and the stack as BEFORE."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    copy_catalogue(repo)
    (repo / "Pulumi.s.yaml").write_text(BEFORE)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "before")
    return repo


def make_repo(folder: Path) -> Path:
    repo = base_repo(folder / "repo")
    (repo / "Pulumi.s.yaml").write_text(AFTER)
    widen_portal(repo / "catalog")
    git(repo, "commit", "-q", "-am", "after")
    return repo


@pytest.fixture(scope="module")
def shared_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read-only: tests that change the repository use `repo`."""
    return make_repo(tmp_path_factory.mktemp("shared"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def plan_base(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["plan", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def markdown(shared_repo: Path) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["plan", "--stack", "s", "--base", "HEAD~1", "--project-dir", str(shared_repo)])
    assert code == 0
    return out.getvalue().splitlines()


PORTAL_BASE = "`User.Read`, `email`, `offline_access`, `openid`, `profile`"


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("- feature `teams` enabled (tenant)", id="feature-enabled"),
        pytest.param("- feature `email` disabled (was principals)", id="feature-disabled"),
        pytest.param("- feature `todo`: consent none → tenant", id="consent-mode-changed"),
        pytest.param("- assignment_required: false → true", id="app-setting-changed"),
        pytest.param(
            "- user `alex.wilber@contoso.com`: ⛔ **grant removed**: `Mail.ReadWrite.Shared`, "
            "`Mail.Send.Shared`, `People.Read`, `User.Read`, `User.ReadBasic.All`, `email`, "
            "`offline_access`, `openid`, `profile`",
            id="target-removed",
        ),
        pytest.param(
            "- user `adele.vance@contoso.com`: adds `Group.ReadWrite.All` (admin consent)",
            id="scopes-added-to-existing-target",
        ),
        pytest.param(
            "- **tenant-wide** (all users): adds `User.ReadBasic.All`",
            id="catalogue-change-widens-tenant-grant",
        ),
        pytest.param(
            "- group `Jira Users`: assigned",
            id="group-assignment-added",
        ),
        pytest.param(
            "- user `alex.wilber@contoso.com`: ⛔ **assignment removed**",
            id="assignment-removed",
        ),
        pytest.param(
            "Catalogue files changed: `catalog/apps/microsoft-365-for-jira.yaml`.",
            id="catalogue-files-changed",
        ),
        pytest.param(
            "### `m365-jira-teams`: `Microsoft 365 for Jira (Teams)` (added)", id="app-added"
        ),
        pytest.param(
            "- ⚠️ **Admin-consent scopes** added per user or group: `Group.ReadWrite.All`",
            id="admin-consent-stands-out",
        ),
    ],
)
def test_diff_lines(markdown: list[str], line: str) -> None:
    assert line in markdown


def test_catalogue_effect_alone(markdown: list[str]) -> None:
    """With the base settings, the catalogue change only widens the portal's tenant grant."""
    at = markdown.index("### Catalogue changes")
    effect = markdown[at:]
    assert (
        "#### `m365-jira-teams-jsm-portal`: `Microsoft 365 for Jira (Teams JSM portal)` (changed)"
        in effect
    )
    assert "- **tenant-wide** (all users): adds `User.ReadBasic.All`" in effect
    assert not any("m365-jira-mail" in line for line in effect)


def test_json_diff(shared_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = plan_base(
        capsys,
        "--stack",
        "s",
        "--base",
        "HEAD~1",
        "--format",
        "json",
        "--project-dir",
        str(shared_repo),
    )
    assert code == 0
    doc = PlanDiffDocument.model_validate_json(out)
    assert doc.base == "planned"
    assert [a.key for a in doc.apps] == [
        "m365-jira-mail",
        "m365-jira-teams",
        "m365-jira-teams-jsm-portal",
        "m365-jira-todo",
    ]
    todo = next(a for a in doc.apps if a.key == "m365-jira-todo")
    (grant,) = todo.grants
    assert (grant.status, grant.target.kind) == ("added", "tenant")
    assert doc.catalogue is not None and doc.catalogue.apps is not None
    assert [a.key for a in doc.catalogue.apps] == ["m365-jira-teams-jsm-portal"]


def test_same_ref_is_no_change(shared_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--stack", "s", "--base", "HEAD", "--project-dir", str(shared_repo)]
    code, out, _ = plan_base(capsys, *args)
    assert code == 0
    assert "No consent changes." in out.splitlines()
    assert "Catalogue changes" not in out


def test_new_stack_is_all_added(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "Pulumi.fresh.yaml").write_text(BEFORE)
    code, out, _ = plan_base(
        capsys, "--stack", "fresh", "--base", "HEAD", "--project-dir", str(repo)
    )
    assert code == 0
    assert "The stack file is new since `HEAD`: everything is added." in out


def test_invalid_base_is_reported_not_fatal(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "Pulumi.s.yaml").write_text(BEFORE.replace("consent: none", "consent: sometimes"))
    git(repo, "commit", "-q", "-am", "broken")
    (repo / "Pulumi.s.yaml").write_text(AFTER)
    code, out, _ = plan_base(capsys, "--stack", "s", "--base", "HEAD", "--project-dir", str(repo))
    assert code == 0
    problems = [line for line in out.splitlines() if line.startswith("- `HEAD:Pulumi.s.yaml: ")]
    assert len(problems) == 1 and "features.todo.consent: " in problems[0], out
    assert "The stack did not plan at `HEAD`, so everything is shown as added." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--base", "no-such-ref"], "--base no-such-ref: no such commit", id="bad-ref"),
    ],
)
def test_unusable_base(
    shared_repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    full = ["--stack", "s", "--project-dir", str(shared_repo), *args]
    code, out, err = plan_base(capsys, *full)
    assert code == 1 and out == ""
    assert err.startswith(message), err


def test_not_a_repository(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--stack", "small", "--project-dir", str(project), "--base", "HEAD"]
    code, out, err = plan_base(capsys, *args)
    assert code == 1 and out == ""
    assert err == f"--base HEAD: {project} is not in a git repository (run inside a clone)\n"


def test_project_in_a_subfolder_with_a_shared_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "mono"
    (repo / "infra").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    copy_catalogue(repo)
    stack = BEFORE.replace("config:\n", "config:\n  entra-consent:catalog: ../catalog\n")
    (repo / "infra" / "Pulumi.s.yaml").write_text(stack)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    widen_portal(repo / "catalog")
    code, out, err = plan_base(
        capsys, "--stack", "s", "--base", "HEAD", "--project-dir", str(repo / "infra")
    )
    assert (code, err) == (0, "")
    assert "Catalogue files changed: `catalog/apps/microsoft-365-for-jira.yaml`." in out
    assert "- **tenant-wide** (all users): adds `User.ReadBasic.All`" in out


def test_many_users_share_one_line_and_fit_a_budget(tmp_path: Path) -> None:
    repo = base_repo(tmp_path / "many")
    users = [f"user{i:04d}@contoso.com" for i in range(1500)]
    data = yaml.safe_load(BEFORE)
    data["config"]["entra-consent:features"]["calendar"]["users"] = users
    (repo / "Pulumi.s.yaml").write_text(yaml.safe_dump(data))
    doc = plan_against_base(repo, "s", "HEAD")
    full = plan_diff_markdown(doc)
    assert "- 1500 users: new grant: `Calendars.ReadWrite`," in full
    assert "- 1500 users: assigned" in full
    assert full.count("  - user `user") == 3000  # listed under the grant and the assignment
    short = plan_diff_markdown(doc, budget=20_000)
    assert len(short.encode()) <= 20_000
    assert "- 1500 users: new grant: `Calendars.ReadWrite`," in short
    assert "  - … and " in short
