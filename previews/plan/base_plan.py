"""`plan --base REF`: the stack's offline plan at a git ref against the working tree's, and what
catalogue changes alone do to it. Reads git objects only (no checkout, no credentials), so it
works for pull requests from forks."""

from __future__ import annotations

import tempfile
from pathlib import Path

from catalog.problems import ConfigurationError
from components.core.planner import plan_consent
from components.core.stack_file import load_stack, read_stack_config, stack_file_name
from previews.plan.git_base import catalogue_files_now, checkout_base
from previews.plan.matrix import PlanDocument, build_matrix
from previews.plan.plan_diff import (
    CatalogueEffect,
    PlanDiffDocument,
    WhoMayConsentChange,
    diff_plans,
)
from previews.plan.stack_plan import plan_stack


def plan_against_base(
    project_dir: Path, stack: str, ref: str, head: PlanDocument | None = None
) -> PlanDiffDocument:
    """Raises ConfigurationError when the working tree's stack is bad or `ref` unusable; a bad
    stack at `ref` is reported in the document instead (the change may be its fix). `head`: the
    working tree's plan when the caller has it already."""
    head = head or plan_stack(project_dir, stack)
    with tempfile.TemporaryDirectory(prefix="entra-consent-base-") as folder:
        base = checkout_base(project_dir, stack, ref, Path(folder))
        before: PlanDocument | None = None
        problems: list[str] = []
        if base.stack_exists:
            try:
                before = plan_stack(base.project_dir, stack)
            except ConfigurationError as exc:
                problems = [f"{ref}:{p}" for p in exc.problems]
        now_files = catalogue_files_now(project_dir, head.catalog)
        changed = sorted(
            name
            for name in base.catalogue_files.keys() | now_files.keys()
            if base.catalogue_files.get(name) != now_files.get(name)
        )
        catalogue = None
        if base.stack_exists and changed:
            catalogue = _catalogue_effect(project_dir, base.project_dir, stack, before, changed)
    return PlanDiffDocument(
        stack=stack,
        base_ref=ref,
        base="planned" if before else ("invalid" if base.stack_exists else "no-stack-file"),
        base_problems=problems,
        apps=diff_plans(before, head),
        catalogue=catalogue,
        who_may_consent=_who_may_consent_change(before, head),
    )


def _who_may_consent_change(
    before: PlanDocument | None, after: PlanDocument
) -> WhoMayConsentChange | None:
    old = before.who_may_consent if before is not None else None
    if old == after.who_may_consent:
        return None
    return WhoMayConsentChange(before=old, after=after.who_may_consent)


def _catalogue_effect(
    project_dir: Path, base_dir: Path, stack: str, before: PlanDocument | None, changed: list[str]
) -> CatalogueEffect:
    """The stack's settings at the ref, planned with today's catalogue, against `before`."""
    if before is None:
        return CatalogueEffect(files_changed=changed, apps=None)
    file = stack_file_name(stack)
    try:
        catalogue, settings = load_stack(read_stack_config(base_dir, stack), project_dir, file)
    except ConfigurationError as exc:
        return CatalogueEffect(
            files_changed=changed, apps=None, problems=[str(p) for p in exc.problems]
        )
    after = build_matrix(stack, file, catalogue, settings, plan_consent(catalogue, settings))
    return CatalogueEffect(files_changed=changed, apps=diff_plans(before, after))
