"""`python -m previews plan`: a stack's desired consent (or its diff against a git ref) from its
settings and the catalogue alone. No Pulumi CLI, tenant or credentials."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from previews.cli.stack_args import add_stack_arguments, byte_budget
from previews.plan.base_plan import plan_against_base
from previews.plan.plan_diff_markdown import plan_diff_markdown
from previews.plan.plan_markdown import DEFAULT_BUDGET, plan_markdown
from previews.plan.stack_plan import plan_stack

MIN_BUDGET = 2_000  # the headings, totals and highlights of a diff, and the truncation note


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="desired consent of a stack from its settings alone (no CLI, no tenant)",
        description=(
            "Print the desired consent matrix of a stack: per app, API and target (tenant, "
            "user or group as configured), the scopes, with admin-consent-required scopes "
            "marked, and the app role assignments; with user_consent or admin_consent_workflow "
            "set, who may consent to what (docs/user-consent.md). Reads Pulumi.<stack>.yaml and "
            "the catalogue "
            "it names; contacts nothing. With --base REF, print instead what changed since the "
            "git ref REF (stack file and catalogue read with git, nothing checked out). Exits 1 "
            "listing every problem on bad input."
        ),
    )
    add_stack_arguments(parser)
    parser.add_argument(
        "--format",
        choices=["markdown", "json"],
        default="markdown",
        help="output format (default: markdown)",
    )
    parser.add_argument(
        "--base",
        metavar="REF",
        help="show the consent diff against the same stack at git ref REF (e.g. origin/main)",
    )
    parser.add_argument(
        "--max-bytes",
        type=max_bytes,
        default=DEFAULT_BUDGET,
        metavar="N",
        help="markdown: the text fits N UTF-8 bytes; users with alike grants share a line and "
        "their lists shorten, then the text is cut at a line with a note (default: "
        f"{DEFAULT_BUDGET}; 0: no limit). JSON output is for tools and has no limit",
    )
    parser.set_defaults(run=run)


def max_bytes(text: str) -> int | None:
    """`--max-bytes`: 0 is no limit (None); below MIN_BUDGET no diff fits."""
    if text.strip() == "0":
        return None
    return byte_budget(MIN_BUDGET)(text)


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """A large stack's plan is a million small objects without reference cycles: the cyclic
    collector would re-scan them again and again (measured: 40% of plan's time at 100,000
    users)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(args: argparse.Namespace) -> int:
    """Raises ConfigurationError on bad input (the dispatcher prints it)."""
    with no_cyclic_gc():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    project_dir: Path = args.project_dir
    budget: int | None = args.max_bytes
    if args.base:
        diff = plan_against_base(project_dir, args.stack, args.base)
        if args.format == "json":
            sys.stdout.write(diff.model_dump_json(indent=2) + "\n")
        else:
            sys.stdout.write(plan_diff_markdown(diff, budget=budget))
        return 0
    doc = plan_stack(project_dir, args.stack)
    if args.format == "json":
        sys.stdout.write(doc.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(plan_markdown(doc, budget=budget))
    return 0
