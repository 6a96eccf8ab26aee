"""`python -m previews SUBCOMMAND`: each subcommand lives in its own module, which exposes
`add_parser(subparsers)` and sets `run` (args -> exit code) as the parser's default."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from catalog.problems import ConfigurationError
from previews import comment_command, discover, plan_command, render_command

SUBCOMMANDS = [
    plan_command,
    render_command,
    comment_command,
    discover,
]

EXIT_BAD_INPUT = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m previews",
        description="Consent previews for entra-consent stacks: what access changes, for whom.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except ConfigurationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())
