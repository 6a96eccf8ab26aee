"""A stack's consent matrix from its files alone: stack settings, catalogue, planner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalog.catalogue import Catalogue
from catalog.problems import ConfigurationError
from components.core.front_door import budget_problems, user_consent_policy
from components.core.planner import ConsentPlan, plan_consent
from components.core.stack_file import load_stack, read_stack_config, stack_file_name
from previews.plan.matrix import PlanDocument, build_matrix


@dataclass(frozen=True)
class StackPlan:
    """The plan of one stack, with the catalogue it was planned from."""

    catalogue: Catalogue
    plan: ConsentPlan
    document: PlanDocument


def planned_stack(project_dir: Path, stack: str) -> StackPlan:
    """Raises ConfigurationError with every problem of the stack file and its catalogue."""
    file = stack_file_name(stack)
    config = read_stack_config(project_dir, stack)
    catalogue, settings = load_stack(config, project_dir, file)
    plan = plan_consent(catalogue, settings)
    if settings.user_consent == "catalogue":
        # the tenant's other policies count too: the provider checks them before it writes
        over = budget_problems(user_consent_policy(stack, catalogue, plan), 0, file)
        if over:
            raise ConfigurationError(over)
    return StackPlan(catalogue, plan, build_matrix(stack, file, catalogue, settings, plan))


def plan_stack(project_dir: Path, stack: str) -> PlanDocument:
    """Raises ConfigurationError with every problem of the stack file and its catalogue."""
    return planned_stack(project_dir, stack).document
