"""The files of a pull request that decide consent: the program and its components, the
policy pack and its config, the comment builder, the CI scripts and workflows, the catalogue
and the dependencies, and any module at the project's top, where Python looks first (a
`yaml.py` there, or a `setup.py`, runs in the preview job). Read from git (`git diff
--name-only REF...HEAD`, the changes since the branch left REF), never from a list the pull
request could write.

A change to any of them changes what is granted, how the guard judges it, or how this comment
is made; the consent diff shows what the program declared, not what else its code does, so the
comment lists them for a reviewer to read as code.

Which changes a live preview may run (`code`) is counted the other way round, from what is
known to be only read: the project's own settings in stack files, the catalogue's data,
Markdown and `docs/`. Everything else needs a reviewer's approval before a live preview (the
environment `entra-preview-code`), tests, unknown files and the provider's settings included.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from catalog.yamlfile import parse_yaml
from components.core.settings import NAMESPACE

# Relative to the project folder; `.github/` is the repository's.
DECIDING_FOLDERS = ("policies", "components", "previews", "ci", "catalog")
# `make setup` runs the Makefile and installs the project (pyproject.toml) in every job.
DECIDING_FILES = ("__main__.py", "Pulumi.yaml", "Makefile", "pyproject.toml")
# At the project's top: the dependencies, and modules on Python's path before any library.
DECIDING_PATTERNS = ("requirements*.txt", "*.py", "*.pth", "setup.cfg")
# Only read during a preview, never run (besides the catalogue's data files).
STACK_FILE = "Pulumi.*.yaml"
SETTINGS_PREFIX = f"{NAMESPACE}:"  # a stack file's keys that are only this project's settings
READ_ONLY_FOLDERS = ("docs",)
DATA_SUFFIXES = (".yaml", ".yml", ".json")
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
    if len(inside.parts) == 2 and inside.name == "__init__.py":
        return True  # a package at the top: it may shadow a library
    return catalog.parts != () and inside.is_relative_to(catalog)


def runs_in_preview(path: PurePosixPath, project: PurePosixPath, catalog: PurePosixPath) -> bool:
    """A changed file a live preview may run, by its path: all but what it only reads (stack
    files, whose content `_settings_only` judges, the
    catalogue's data files, Markdown, `docs/`). Files outside the project count too: a
    dependency may name them (`-e ../lib`)."""
    if path.name.endswith(".md"):
        return False
    try:
        inside = path.relative_to(project) if project.parts else path
    except ValueError:
        return True
    if _is_stack_file(path, project):
        return False
    if inside.parts[:1] and inside.parts[0] in READ_ONLY_FOLDERS and inside.suffix != ".py":
        return False  # a `docs/__init__.py` would make a package Python finds first
    in_catalogue = inside.parts[:1] == ("catalog",)
    in_catalogue |= catalog.parts != () and inside.is_relative_to(catalog)
    # the catalogue's data files; its Python (the loader the program imports) is code
    return not (in_catalogue and inside.suffix in DATA_SUFFIXES)


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
    changed = _git(
        project_dir, "diff", "--name-status", "-z", "--no-renames", f"{ref}...HEAD", "--"
    )
    if changed.returncode != 0:
        return DecidingFiles((), f"git cannot compare {ref} with HEAD (fetch {ref} first)")
    project = PurePosixPath(prefix.stdout.decode(errors="replace").strip())
    catalog_path = PurePosixPath(catalog)
    # "<status>\0<path>\0" per file (no renames, so one path each)
    fields = changed.stdout.decode(errors="replace").split("\0")
    status = dict(zip(fields[1::2], fields[0::2], strict=False))
    keep = runs_in_preview if code else is_deciding
    paths = [n for n in status if keep(PurePosixPath(n), project, catalog_path)]
    # a deleted stack file changes nothing that runs
    stack_files = [
        n for n, s in status.items() if s != "D" and _is_stack_file(PurePosixPath(n), project)
    ]
    if stack_files:
        merged = _git(project_dir, "merge-base", ref, "HEAD")
        base = merged.stdout.decode(errors="replace").strip() or ref
        paths += [n for n in stack_files if not _settings_only(project_dir, base, n)]
    return DecidingFiles(tuple(sorted(paths)))


def _is_stack_file(path: PurePosixPath, project: PurePosixPath) -> bool:
    try:
        inside = path.relative_to(project) if project.parts else path
    except ValueError:
        return False
    return len(inside.parts) == 1 and inside.match(STACK_FILE)


def _settings_only(project_dir: Path, base: str, path: str) -> bool:
    """A stack file whose change is the project's own settings (`entra-consent:*`) alone. Any
    other key configures the engine or the provider a live preview runs with (`azuread:*`
    names the tenant, the sign-in and the endpoints it sends tokens to; `secretsprovider`):
    code. One that cannot be read is code (a deleted one is never asked about)."""
    after = _git(project_dir, "show", f"HEAD:{path}")
    if after.returncode != 0:
        return False
    before = _git(project_dir, "show", f"{base}:{path}")
    old = _engine_part(before.stdout, path) if before.returncode == 0 else {}
    new = _engine_part(after.stdout, path)
    return old is not None and new is not None and old == new


def _engine_part(raw: bytes, file: str) -> Any:
    """The stack file without the project's settings; None when it is not a YAML mapping."""
    data, problems = parse_yaml(raw, file)
    if problems or not isinstance(data, dict):
        return None if problems or data is not None else {}
    rest = {k: v for k, v in data.items() if k != "config"}
    config = data.get("config")
    if isinstance(config, dict):
        config = {k: v for k, v in config.items() if not str(k).startswith(SETTINGS_PREFIX)}
    if config:
        rest["config"] = config
    return rest
