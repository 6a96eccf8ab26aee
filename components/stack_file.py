"""Reading a stack's settings straight from `Pulumi.<stack>.yaml` (offline plan, previews)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalog.problems import ConfigurationError, Problem
from catalog.yamlfile import read_yaml


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
