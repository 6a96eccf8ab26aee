"""`entra-consent SUBCOMMAND` (or `python -m previews SUBCOMMAND`): each subcommand lives in
its own module, which exposes `add_parser(subparsers)` and sets `run` as the parser's default:
a function (args -> exit code), or "module:function" for a command whose imports are heavy,
imported only when it runs."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from catalog.problems import ConfigurationError
from previews.cli import (
    changed_command,
    check_command,
    comment_command,
    discover_command,
    plan_command,
    render_command,
)

SUBCOMMANDS = [
    plan_command,
    check_command,
    render_command,
    comment_command,
    discover_command,
    changed_command,
]

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2  # as argparse exits on a usage error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="entra-consent",
        description="Consent previews for entra-consent stacks: what access changes, for whom.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(subparsers)
    return parser


def command(run: Callable[[argparse.Namespace], int] | str) -> Callable[[argparse.Namespace], int]:
    if callable(run):
        return run
    module, _, name = run.partition(":")
    found: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    given = sys.argv[1:] if argv is None else list(argv)
    if not given:
        parser.print_help()
        return EXIT_USAGE
    args = parser.parse_args(given)
    try:
        code: int = command(args.run)(args)
    except ConfigurationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())
