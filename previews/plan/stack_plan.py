"""A stack's consent matrix from its files alone: stack settings, catalogue, planner."""

from __future__ import annotations

from pathlib import Path

from components.core.planner import plan_consent
from components.core.stack_file import load_stack, read_stack_config, stack_file_name
from previews.plan.matrix import PlanDocument, build_matrix


def plan_stack(project_dir: Path, stack: str) -> PlanDocument:
    """Raises ConfigurationError with every problem of the stack file and its catalogue."""
    file = stack_file_name(stack)
    config = read_stack_config(project_dir, stack)
    catalogue, settings = load_stack(config, project_dir, file)
    plan = plan_consent(catalogue, settings)
    return build_matrix(stack, file, catalogue, settings, plan)
