"""`entra-consent changed --base REF [--code]`: the files changed since the branch left REF that
decide consent, one per line (previews/plan/deciding_files.py). With `--code`, every changed
file a live preview may run: all but stack files that change only the project's settings
(`entra-consent:*`), the catalogue's data files, Markdown and docs/ (tests, unknown files and
the provider's settings count as code). The pull-request workflow previews such a change live
only once a reviewer of the environment entra-preview-code approved the run."""

from __future__ import annotations

import argparse
import sys

from previews.cli.stack_args import add_project_dir_argument
from previews.plan.deciding_files import deciding_files

EXIT_OK = 0
EXIT_UNKNOWN = 1


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "changed",
        help="list the changed files that decide consent (--code: that a preview may run)",
        description=__doc__ + f" Exit codes: {EXIT_OK} listed (perhaps none); {EXIT_UNKNOWN} git "
        "cannot tell (not a clone, REF not fetched), the reason on stderr.",
    )
    add_project_dir_argument(parser)
    parser.add_argument("--base", required=True, metavar="REF", help="git ref to compare with")
    parser.add_argument(
        "--catalog",
        default="catalog",
        metavar="DIR",
        help="the catalogue folder, relative to the project (default: %(default)s)",
    )
    parser.add_argument(
        "--code",
        action="store_true",
        help="every changed file a preview may run: all but stack files that change only "
        "entra-consent:* settings, catalogue data, Markdown and docs/",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    found = deciding_files(args.project_dir, args.base, args.catalog, code=args.code)
    if found.problem is not None:
        print(f"changed: {found.problem}", file=sys.stderr)
        return EXIT_UNKNOWN
    for path in found.paths:
        print(repr(path)[1:-1] if not path.isprintable() else path)
    return EXIT_OK
