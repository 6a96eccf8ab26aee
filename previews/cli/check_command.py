"""`entra-consent check`: every stack file of a project, checked offline as `plan` and the program
would check it (file format, settings, the catalogue they name, the users and groups as written,
the consent plan). For a team's own CI: no Pulumi CLI, tenant or credentials."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.problems import ConfigurationError
from previews.cli.stack_args import add_project_dir_argument
from previews.plan.stack_plan import plan_stack

EXIT_OK = 0
EXIT_PROBLEMS = 1
STACK_FILES = "Pulumi.*.yaml"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check every stack file of the project offline (settings, catalogue, plan)",
        description=__doc__,
    )
    add_project_dir_argument(parser)
    parser.add_argument(
        "stacks",
        nargs="*",
        metavar="STACK",
        help=f"stack names to check (default: every {STACK_FILES} in the project folder)",
    )
    parser.set_defaults(run=run)


def stack_names(project_dir: Path) -> list[str]:
    prefix, suffix = "Pulumi.", ".yaml"
    return sorted(p.name[len(prefix) : -len(suffix)] for p in project_dir.glob(STACK_FILES))


def run(args: argparse.Namespace) -> int:
    project_dir: Path = args.project_dir
    stacks: list[str] = args.stacks or stack_names(project_dir)
    if not stacks:
        print(f"check: no {STACK_FILES} in {project_dir} (nothing to check)", file=sys.stderr)
        return EXIT_PROBLEMS
    failed = 0
    for stack in stacks:
        try:
            plan = plan_stack(project_dir, stack)
        except ConfigurationError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        grants = sum(len(api.targets) for app in plan.apps for api in app.apis)
        print(
            f"{plan.stack_file}: ok ({len(plan.apps)} app(s), {grants} grant target(s), "
            f"catalogue {plan.catalog})"
        )
    if failed:
        print(f"check: {failed} of {len(stacks)} stack file(s) have problems", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK
