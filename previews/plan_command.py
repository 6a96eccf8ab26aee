"""`python -m previews plan`: a stack's desired consent (or its diff against a git ref) from its
settings and the catalogue alone. No Pulumi CLI, tenant or credentials."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from previews.base_plan import plan_against_base
from previews.plan_diff_markdown import plan_diff_markdown
from previews.plan_markdown import plan_markdown
from previews.stack_args import add_stack_arguments
from previews.stack_plan import plan_stack


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="desired consent of a stack from its settings alone (no CLI, no tenant)",
        description=(
            "Print the desired consent matrix of a stack: per app, API and target (tenant, "
            "user or group as configured), the scopes, with admin-consent-required scopes "
            "marked, and the app role assignments. Reads Pulumi.<stack>.yaml and the catalogue "
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
        type=int,
        metavar="N",
        help="with --base and markdown: shorten the lists of users so the text fits N UTF-8 "
        "bytes (for pull-request comments); default: no limit",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Raises ConfigurationError on bad input (the dispatcher prints it)."""
    project_dir: Path = args.project_dir
    if args.base:
        diff = plan_against_base(project_dir, args.stack, args.base)
        if args.format == "json":
            sys.stdout.write(diff.model_dump_json(indent=2) + "\n")
        else:
            sys.stdout.write(plan_diff_markdown(diff, budget=args.max_bytes))
        return 0
    doc = plan_stack(project_dir, args.stack)
    if args.format == "json":
        sys.stdout.write(doc.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(plan_markdown(doc))
    return 0
