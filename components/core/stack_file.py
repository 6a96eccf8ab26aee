"""A stack's settings and the catalogue they name: read straight from `Pulumi.<stack>.yaml`
(offline plan, previews) or from the config the engine hands the program, and checked."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path, PureWindowsPath
from typing import Any

from catalog.catalogue import Catalogue, folder_exists, load_catalogue
from catalog.problems import ConfigurationError, Problem
from catalog.yamlfile import read_yaml
from components.core.settings import NAMESPACE, StackSettings, settings_from_config, usable_settings
from components.core.settings_checks import settings_problems


def stack_file_name(stack: str) -> str:
    return f"Pulumi.{stack}.yaml"


def stack_config_from_text(data: Any, file: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigurationError([Problem(file, "", "must be a YAML mapping with a config key")])
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise ConfigurationError([Problem(file, "config", "must be a mapping of config keys")])
    return config


def read_stack_config(project_dir: Path, stack: str) -> dict[str, Any]:
    file = stack_file_name(stack)
    path = project_dir / file
    if not path.exists():
        raise ConfigurationError(
            [Problem(file, "", f"no such stack file in {project_dir} (check --stack)")]
        )
    data, problems = read_yaml(path, file)
    if problems:
        # Key paths are given as Pulumi names config keys, without the top-level `config`.
        raise ConfigurationError(
            Problem(p.file, p.path.removeprefix("config."), p.message) for p in problems
        )
    return stack_config_from_text(data, file)


def _review_root(project_dir: Path) -> Path | None:
    """The git work tree holding the project: what a pull request's review covers (a monorepo
    may share one catalogue between projects). None outside git (an extracted base commit)."""
    absolute = Path(os.path.abspath(project_dir))
    for folder in (absolute, *absolute.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _outside_project(catalog: str, project_dir: Path) -> bool:
    """In a git work tree (a clone, as CI has it), a catalogue folder outside it: what the
    catalogue grants would then come from a folder the repository's review never sees."""
    root = _review_root(project_dir)
    if root is None:
        return False
    if PureWindowsPath(catalog).is_absolute():
        return True
    # Resolved, links followed: a committed symlink to a folder elsewhere is outside too.
    try:
        where = (Path(os.path.abspath(project_dir)) / catalog.replace("\\", "/")).resolve()
    except (OSError, ValueError):  # a NUL byte, a link loop: the folder check says not found
        return False
    return not where.is_relative_to(root.resolve())


def load_stack(
    config: Mapping[str, Any], project_dir: Path, file: str
) -> tuple[Catalogue, StackSettings]:
    """Settings and the catalogue they name, checked against each other. Raises one
    ConfigurationError listing every problem in either."""
    problems: list[Problem] = []
    settings: StackSettings | None = None
    catalogue: Catalogue | None = None
    checkable: StackSettings | None = None
    try:
        settings = checkable = settings_from_config(config, file)
    except ConfigurationError as exc:
        problems.extend(exc.problems)
        checkable = usable_settings(config, file)
    # When the settings fail validation, still check the catalogue they name.
    named = config.get(f"{NAMESPACE}:catalog")
    catalog = (
        settings.catalog if settings else named if isinstance(named, str) and named else "catalog"
    )
    catalog_dir = project_dir / catalog
    if _outside_project(catalog, project_dir):
        problems.append(
            Problem(
                file,
                f"{NAMESPACE}:catalog",
                f"{catalog!r} is outside the repository (name a folder inside it, relative to "
                "the project, such as catalog)",
            )
        )
    elif not folder_exists(catalog_dir):
        problems.append(
            Problem(
                file,
                f"{NAMESPACE}:catalog",
                f"no catalogue folder {catalog!r} next to this file (name the folder that "
                "holds apis/ and apps/, relative to the project)",
            )
        )
    else:
        try:
            catalogue = load_catalogue(catalog_dir, relative_to=project_dir)
        except ConfigurationError as exc:
            problems.extend(exc.problems)
    if checkable is not None and catalogue is not None:
        problems.extend(settings_problems(checkable, catalogue, file))
    if problems or settings is None or catalogue is None:
        raise ConfigurationError(problems)
    return catalogue, settings
