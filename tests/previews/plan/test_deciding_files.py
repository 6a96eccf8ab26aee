"""The files of a pull request that decide consent, read from real git histories: what the
comment lists first, for a reviewer to read as code."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from previews.cli.comment_sections import deciding_markdown
from previews.plan.deciding_files import (
    DecidingFiles,
    deciding_files,
    is_deciding,
    runs_in_preview,
)
from tests.previews.plan.test_plan_base import git

DECIDING = [
    "policies/config.example.json",
    "policies/pack.py",
    "components/enterprise_app.py",
    "__main__.py",
    "Pulumi.yaml",
    "Makefile",
    "pyproject.toml",
    "previews/render/render_markdown.py",
    "ci/preview-stack.sh",
    ".github/workflows/consent-preview.yml",
    "catalog/apps/microsoft-365-for-jira.yaml",
    "requirements.txt",
    "requirements-dev.txt",
    "setup.py",  # `make setup` runs it
    "yaml.py",  # first on the program's path: it shadows PyYAML
    "pydantic/__init__.py",  # so does a package
    "sitecustomize.pth",
]
NOT_DECIDING = ["Pulumi.dev.yaml", "docs/policies.md", "README.md", "tests/test_x.py"]


SETTINGS_ONLY = "config:\n  entra-consent:features: {}\n"


def history(
    root: Path,
    changed: list[str],
    project: str = "",
    base: dict[str, str] | None = None,
    text: dict[str, str] | None = None,
) -> Path:
    """A repository whose second commit (HEAD) changes `changed`, under `project`: stack files
    to a change of the project's settings alone, other files to `changed`, unless `text` says.
    `base`: files of the first commit, by name, with their text."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")

    def write(name: str, content: str) -> None:
        path = root / (name if name.startswith(".github") else f"{project}{name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)

    write("README.md", "base\n")
    for name, content in (base or {}).items():
        write(name, content)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    for name in changed:
        stack_file = name.startswith("Pulumi.") and name != "Pulumi.yaml"
        write(name, (text or {}).get(name, SETTINGS_ONLY if stack_file else "changed\n"))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "pull request")
    return root / project if project else root


def test_every_deciding_file_is_listed_and_nothing_else(tmp_path: Path) -> None:
    project = history(tmp_path / "r", DECIDING + NOT_DECIDING)
    found = deciding_files(project, "HEAD~1")
    assert found == DecidingFiles(tuple(sorted(DECIDING)))


def test_a_stack_file_only_change_lists_nothing(tmp_path: Path) -> None:
    project = history(tmp_path / "r", ["Pulumi.dev.yaml", "docs/adopting.md"])
    assert deciding_files(project, "HEAD~1") == DecidingFiles(())
    assert deciding_markdown(DecidingFiles(()), "main") == ""


def test_a_project_in_a_subfolder_and_its_own_catalogue_folder(tmp_path: Path) -> None:
    project = history(
        tmp_path / "r",
        ["shared-catalog/apps/x.yaml", "policies/rules.py", "Pulumi.dev.yaml", ".github/x.yml"],
        project="tenant/",
    )
    found = deciding_files(project, "HEAD~1", catalog="shared-catalog")
    assert found.paths == (
        ".github/x.yml",
        "tenant/policies/rules.py",
        "tenant/shared-catalog/apps/x.yaml",
    )


def test_the_branch_point_is_the_base_not_the_base_branch_tip(tmp_path: Path) -> None:
    """`REF...HEAD`: what main changed since the branch left it is not the pull request's."""
    project = history(tmp_path / "r", ["policies/pack.py"])
    git(project, "checkout", "-q", "-b", "pr")
    git(project, "checkout", "-q", "main")
    (project / "ci").mkdir()
    (project / "ci" / "later.sh").write_text("main moved on\n")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "main moves on")
    git(project, "checkout", "-q", "pr")
    assert deciding_files(project, "main").paths == ()


def test_a_base_that_cannot_be_compared_is_said(tmp_path: Path) -> None:
    project = history(tmp_path / "r", ["policies/pack.py"])
    found = deciding_files(project, "origin/nosuch")
    assert found.paths == () and found.problem is not None
    text = deciding_markdown(found, "origin/nosuch")
    assert "not listed (`git cannot compare origin/nosuch with HEAD" in text
    outside = deciding_files(tmp_path, "HEAD~1")
    assert outside.problem is not None and "not in a git repository" in outside.problem


def test_the_section_escapes_file_names_and_caps_the_list(tmp_path: Path) -> None:
    names = tuple(f"policies/x{i:03}`](javascript:alert(1)).py" for i in range(60))
    text = deciding_markdown(DecidingFiles(names), "main")
    assert text.startswith("## ⚠️ This pull request changes what decides consent\n")
    assert "60 changed file(s) since `main` decide" in text
    assert text.count("\n- ``") == 50 and "- and 10 more" in text
    assert "- ``policies/x000`](javascript:alert(1)).py``" in text


TENANT = "config:\n  azuread:tenantId: 11111111-2222-3333-4444-555555555555\n"


@pytest.mark.parametrize(
    ("before", "after", "code"),
    [
        pytest.param(TENANT, TENANT + "  entra-consent:features: {}\n", False, id="settings"),
        pytest.param(
            TENANT, TENANT + "  azuread:metadataHost: evil.example\n", True, id="provider-key"
        ),
        pytest.param(TENANT, TENANT + "secretsprovider: awskms://x\n", True, id="secrets"),
        pytest.param(None, TENANT, True, id="a-new-stack-names-its-tenant"),
        pytest.param(None, SETTINGS_ONLY, False, id="a-new-stack-of-settings"),
        pytest.param(TENANT, "config: [\n", True, id="not-yaml"),
        pytest.param(TENANT, "- a list\n", True, id="not-a-mapping"),
    ],
)
def test_a_stack_file_is_code_when_it_changes_more_than_the_settings(
    tmp_path: Path, before: str | None, after: str, code: bool
) -> None:
    """`azuread:*` keys name the tenant, the sign-in and the endpoints the provider sends its
    tokens to, in the preview job: such a change needs the same approval as code."""
    base = {"Pulumi.dev.yaml": before} if before is not None else {}
    project = history(
        tmp_path / "r", ["Pulumi.dev.yaml"], base=base, text={"Pulumi.dev.yaml": after}
    )
    listed = ("Pulumi.dev.yaml",) if code else ()
    assert deciding_files(project, "HEAD~1", code=True).paths == listed
    assert deciding_files(project, "HEAD~1").paths == listed


def test_a_deleted_stack_file_runs_nothing(tmp_path: Path) -> None:
    project = history(tmp_path / "r", ["docs/x.md"], base={"Pulumi.dev.yaml": TENANT})
    git(project, "rm", "-q", "Pulumi.dev.yaml")
    git(project, "commit", "-q", "-m", "gone")
    assert deciding_files(project, "HEAD~2", code=True).paths == ()


@pytest.mark.parametrize("name", DECIDING)
def test_is_deciding_at_the_root(name: str) -> None:
    assert is_deciding(PurePosixPath(name), PurePosixPath(""), PurePosixPath("catalog"))


@pytest.mark.parametrize(
    ("name", "runs"),
    [
        ("Pulumi.dev.yaml", False),
        ("Pulumi.yaml", True),
        ("catalog/apps/x.yaml", False),
        ("catalog/catalogue.py", True),
        ("docs/policies.md", False),
        ("README.md", False),
        ("tests/test_x.py", True),  # not deciding, but the job could run it: approval first
        ("notes.txt", True),  # unknown: counted as code
        (".github/workflows/x.yml", True),
        ("/lib/x.py", True),  # outside the project: a dependency may name it
        ("/docs/x.md", False),
        ("components/notes.md", False),
        ("docs/__init__.py", True),
    ],
)
def test_only_what_the_preview_only_reads_is_not_code(name: str, runs: bool) -> None:
    """Paths are the repository's; the project is its folder `p` (`/`: outside it)."""
    if name.startswith(("/", ".github")):
        path = PurePosixPath(name.lstrip("/"))
    else:
        path = PurePosixPath("p") / name
    assert runs_in_preview(path, PurePosixPath("p"), PurePosixPath("catalog")) is runs


@given(st.text(min_size=1, max_size=40).filter(lambda s: "\0" not in s))
def test_hostile_paths_never_raise(name: str) -> None:
    is_deciding(PurePosixPath(name), PurePosixPath("p"), PurePosixPath("../c"))
    runs_in_preview(PurePosixPath(name), PurePosixPath("p"), PurePosixPath("../c"))
