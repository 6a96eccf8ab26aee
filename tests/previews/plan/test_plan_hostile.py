"""`plan` and `plan --base` on stack files and catalogues holding hostile strings: rendered as
GitHub renders comments (cmarkgfm), the Markdown has the same structure as with benign values.
Values go where validation lets them: app `notes` (any string but empty, which shows no notes
line), group names (any string), users (anything with an `@`), stack names (any file name), catalogue display names, git refs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st

from catalog.problems import ConfigurationError
from previews.plan.base_plan import plan_against_base
from previews.plan.plan_diff import CatalogueEffect, PlanDiffDocument
from previews.plan.plan_diff_markdown import plan_diff_markdown
from previews.plan.plan_markdown import plan_markdown
from previews.plan.stack_plan import plan_stack
from tests.previews.conftest import REPO
from tests.previews.plan.test_plan_base import base_repo, git
from tests.previews.test_markdown_kit import HOSTILE, render, structure

TENANT = "11111111-2222-3333-4444-555555555555"
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
NAME = st.text(
    st.characters(codec="utf-8", exclude_characters="/\x00"),
    min_size=1,
    max_size=30,
)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ATTACK = "x`\n\n# Approved\n\n![](https://evil.example/t.png) | a | <!--"


def stack_yaml(notes: str, user: str, group: str) -> str:
    config: dict[str, Any] = {
        "azuread:tenantId": TENANT,
        "entra-consent:features": {
            "calendar": {"consent": "tenant"},
            "email": {"consent": "principals", "users": [user], "groups": [group]},
            "todo": {"consent": "principals", "users": [user]},
        },
        "entra-consent:apps": {"m365-jira-mail": {"notes": notes}},
    }
    return yaml.safe_dump({"config": config}, allow_unicode=False)


def copy_catalogue(into: Path, app_name: str = "", api_name: str = "") -> None:
    """The repository's catalogue, with display names replaced where given."""
    shutil.copytree(REPO / "catalog" / "apis", into / "catalog" / "apis")
    shutil.copytree(REPO / "catalog" / "apps", into / "catalog" / "apps")
    for path, name in (
        (into / "catalog" / "apps" / "microsoft-365-for-jira.yaml", app_name),
        (into / "catalog" / "apis" / "microsoft-graph.yaml", api_name),
    ):
        if name:
            data = yaml.safe_load(path.read_text())
            (data["apps"]["m365-jira-mail"] if "apps" in data else data)["display_name"] = name
            path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False))


@pytest.fixture(scope="module")
def catalogue_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    copy_catalogue(folder)
    return folder


def plan_structure(project: Path, stack: str, notes: str, user: str, group: str) -> list[str]:
    (project / f"Pulumi.{stack}.yaml").write_text(stack_yaml(notes, user, group))
    try:
        return structure(render(plan_markdown(plan_stack(project, stack))))
    except ConfigurationError:
        reject()  # validation refused the value: nothing is rendered
    finally:
        (project / f"Pulumi.{stack}.yaml").unlink()


@SETTINGS
@given(notes=TEXT.filter(bool), user=TEXT, group=TEXT.filter(bool), stack=NAME)
@example(notes=ATTACK, user=ATTACK + "@x", group=ATTACK, stack="s`<!--")
def test_plan_structure_holds_for_any_values(
    catalogue_project: Path, notes: str, user: str, group: str, stack: str
) -> None:
    user = user + "@contoso.com"  # what validation takes as a UPN
    benign = plan_structure(catalogue_project, "s", "n", "u@contoso.com", "g")
    assert plan_structure(catalogue_project, stack, notes, user, group) == benign


@pytest.mark.parametrize("name", [*HOSTILE[:-3], ATTACK])
def test_plan_structure_holds_for_hostile_catalogue_names(tmp_path: Path, name: str) -> None:
    benign_dir, hostile_dir = tmp_path / "benign", tmp_path / "hostile"
    copy_catalogue(benign_dir, "App", "Api")
    copy_catalogue(hostile_dir, name or "x", name or "x")
    for project in (benign_dir, hostile_dir):
        (project / "Pulumi.s.yaml").write_text(stack_yaml("n", "u@contoso.com", "g"))
    benign = plan_markdown(plan_stack(benign_dir, "s"))
    hostile = plan_markdown(plan_stack(hostile_dir, "s"))
    assert structure(render(hostile)) == structure(render(benign))


@pytest.fixture(scope="module")
def git_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Committed: the stack without the users and groups (so the working tree's are all added,
    in an order that does not depend on their names) and other notes, and a branch whose name
    is an attack."""
    repo = tmp_path_factory.mktemp("hostile-base") / "repo"
    base_repo(repo)
    base: dict[str, Any] = {
        "azuread:tenantId": TENANT,
        "entra-consent:features": {"calendar": {"consent": "tenant"}},
        "entra-consent:apps": {"m365-jira-mail": {"notes": "before"}},
    }
    (repo / "Pulumi.s.yaml").write_text(yaml.safe_dump({"config": base}))
    git(repo, "commit", "-q", "-am", "benign")
    git(repo, "branch", "x``<!--#!<img>(b)")
    return repo


def diff_structure(repo: Path, notes: str, user: str, group: str, ref: str = "HEAD") -> list[str]:
    (repo / "Pulumi.s.yaml").write_text(stack_yaml(notes, user, group))
    try:
        return structure(render(plan_diff_markdown(plan_against_base(repo, "s", ref))))
    except ConfigurationError:
        reject()  # validation refused the value: nothing is rendered


@SETTINGS
@given(notes=TEXT.filter(bool), user=TEXT, group=TEXT.filter(bool))
@example(notes=ATTACK, user=ATTACK + "@x", group=ATTACK)
def test_plan_base_structure_holds_for_any_values(
    git_project: Path, notes: str, user: str, group: str
) -> None:
    user = user + "@contoso.com"
    benign = diff_structure(git_project, "n", "u@contoso.com", "g")
    assert diff_structure(git_project, notes, user, group) == benign


def test_plan_base_structure_holds_for_a_hostile_ref(git_project: Path) -> None:
    benign = diff_structure(git_project, "n", "u@contoso.com", "g", "HEAD")
    assert diff_structure(git_project, "n", "u@contoso.com", "g", "x``<!--#!<img>(b)") == benign


@pytest.fixture(scope="module")
def diff_doc(git_project: Path) -> PlanDiffDocument:
    (git_project / "Pulumi.s.yaml").write_text(stack_yaml("n", "u@contoso.com", "g"))
    return plan_against_base(git_project, "s", "HEAD")


@SETTINGS
@given(value=TEXT)
@example(value=ATTACK)
def test_problems_quoted_in_the_diff_keep_the_structure(
    diff_doc: PlanDiffDocument, value: str
) -> None:
    """Problems of a base that does not plan, or of old settings with the new catalogue, quote
    the stack file's values."""

    def rendered(problem: str) -> list[str]:
        catalogue = CatalogueEffect(
            files_changed=["catalog/apps/a.yaml"], apps=None, problems=[problem]
        )
        doc = diff_doc.model_copy(
            update={"base": "invalid", "base_problems": [problem], "catalogue": catalogue}
        )
        return structure(render(plan_diff_markdown(doc)))

    assert rendered(f"Pulumi.s.yaml: x: {value}") == rendered("Pulumi.s.yaml: x: a")
