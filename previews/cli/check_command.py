"""`entra-consent check`: every stack file of a project, checked offline as `plan` and the program
would check it (file format, settings, the catalogue they name, the users and groups as written,
the consent plan), and its plan judged by the policy pack's mandatory rules with the pack's
config, as the pack will judge it at preview. For a team's own CI: no Pulumi CLI, tenant or
credentials."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from catalog.problems import ConfigurationError, Problem
from previews.cli.stack_args import add_project_dir_argument
from previews.plan.policy_verdict import policy_verdict, read_policy_config
from previews.plan.stack_plan import planned_stack

EXIT_OK = 0
EXIT_PROBLEMS = 1
STACK_FILES = "Pulumi.*.yaml"
DEFAULT_POLICY_CONFIG = "policies/config.example.json"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check every stack file of the project offline (settings, catalogue, plan)",
        description=__doc__,
    )
    add_project_dir_argument(parser)
    parser.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help=f"the policy pack's config (as --policy-pack-config), whose mandatory rules judge "
        f"each plan (default: {DEFAULT_POLICY_CONFIG} in the project folder, when there; "
        "without it the rules are not run, and check says so)",
    )
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


def _policy_config(args: argparse.Namespace) -> dict[str, Any] | Problem | None:
    """The config the rules run with; None when there is none to run them with."""
    given: Path | None = args.policy_config
    path = given if given is not None else args.project_dir / DEFAULT_POLICY_CONFIG
    if given is None and not path.is_file():
        print(
            f"check: policy rules not run (no {DEFAULT_POLICY_CONFIG}; pass --policy-config)",
            file=sys.stderr,
        )
        return None
    return read_policy_config(path)


def run(args: argparse.Namespace) -> int:
    project_dir: Path = args.project_dir
    stacks: list[str] = args.stacks or stack_names(project_dir)
    if not stacks:
        print(f"check: no {STACK_FILES} in {project_dir} (nothing to check)", file=sys.stderr)
        return EXIT_PROBLEMS
    config = _policy_config(args)
    if isinstance(config, Problem):
        print(config, file=sys.stderr)
        return EXIT_PROBLEMS
    failed = 0
    for stack in stacks:
        try:
            planned = planned_stack(project_dir, stack)
        except ConfigurationError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        plan = planned.document
        refused = [] if config is None else policy_verdict(planned.plan, planned.catalogue, config)
        if refused:
            failed += 1
            for message in refused:
                print(
                    f"{plan.stack_file}: the policy pack refuses at preview: {message}",
                    file=sys.stderr,
                )
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
