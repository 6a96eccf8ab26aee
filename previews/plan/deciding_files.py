"""The files of a pull request that decide consent: the program and its components, the
policy pack and its config, the comment builder, the CI scripts and workflows, the catalogue
and the dependencies. Read from git (`git diff --name-only REF...HEAD`, the changes since the
branch left REF), never from a list the pull request could write.

A change to any of them changes what is granted, how the guard judges it, or how this comment
is made; the consent diff shows what the program declared, not what else its code does, so the
comment lists them for a reviewer to read as code.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Relative to the project folder; `.github/` is the repository's.
DECIDING_FOLDERS = ("policies", "components", "previews", "ci", "catalog")
# `make setup` runs the Makefile and installs the project (pyproject.toml) in every job.
DECIDING_FILES = ("__main__.py", "Pulumi.yaml", "Makefile", "pyproject.toml")
DECIDING_PATTERNS = ("requirements*.txt",)
REPOSITORY_FOLDERS = (".github",)


@dataclass(frozen=True)
class DecidingFiles:
    paths: tuple[str, ...]  # repository paths, sorted
    problem: str | None = None  # why git could not tell (then `paths` is empty)


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def is_deciding(path: PurePosixPath, project: PurePosixPath, catalog: PurePosixPath) -> bool:
    """Whether a repository path decides consent, for a project at `project` (repository-
    relative) whose stack names the catalogue folder `catalog` (project-relative)."""
    if path.parts and path.parts[0] in REPOSITORY_FOLDERS:
        return True
    try:
        inside = path.relative_to(project) if project.parts else path
    except ValueError:
        return False
    if not inside.parts:
        return False
    if inside.parts[0] in DECIDING_FOLDERS or str(inside) in DECIDING_FILES:
        return True
    if len(inside.parts) == 1 and any(inside.match(p) for p in DECIDING_PATTERNS):
        return True
    return catalog.parts != () and inside.is_relative_to(catalog)


def runs_in_preview(path: PurePosixPath, project: PurePosixPath, catalog: PurePosixPath) -> bool:
    """A deciding file that is code the preview job runs (everything but the catalogue, which
    is data the pack and the program read)."""
    if not is_deciding(path, project, catalog):
        return False
    inside = path.relative_to(project) if project.parts and path.is_relative_to(project) else path
    in_catalogue = catalog.parts != () and inside.is_relative_to(catalog)
    data = inside.suffix in (".yaml", ".yml", ".json") or inside.name.endswith(".md")
    # the catalogue's data files; its Python (the loader the program imports) is code
    return not ((in_catalogue or (inside.parts and inside.parts[0] == "catalog")) and data)


def deciding_files(
    project_dir: Path, ref: str, catalog: str = "catalog", *, code: bool = False
) -> DecidingFiles:
    """The consent-deciding files changed between `ref` and HEAD (`code`: only those that run
    during the preview)."""
    try:
        prefix = _git(project_dir, "rev-parse", "--show-prefix")
    except OSError as exc:
        return DecidingFiles((), f"cannot run git ({exc.strerror or exc})")
    if prefix.returncode != 0:
        return DecidingFiles((), f"{project_dir} is not in a git repository")
    changed = _git(project_dir, "diff", "--name-only", "-z", "--no-renames", f"{ref}...HEAD", "--")
    if changed.returncode != 0:
        return DecidingFiles((), f"git cannot compare {ref} with HEAD (fetch {ref} first)")
    project = PurePosixPath(prefix.stdout.decode(errors="replace").strip())
    catalog_path = PurePosixPath(catalog)
    names = [n for n in changed.stdout.decode(errors="replace").split("\0") if n]
    keep = runs_in_preview if code else is_deciding
    paths = sorted(n for n in names if keep(PurePosixPath(n), project, catalog_path))
    return DecidingFiles(tuple(paths))
