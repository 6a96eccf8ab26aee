"""`entra-consent discover`: its command line. The run itself (previews/cli/discover_run.py) loads
an HTTP client and Azure credentials, so it is imported only when the command runs: `plan`,
`render`, `check` and every `--help` stay free of both."""

from __future__ import annotations

import argparse
from pathlib import Path

from previews.cli.stack_args import add_stack_arguments
from previews.tenant.graph_settings import (
    DEFAULT_DEADLINE_S,
    DEFAULT_MAX_MIB,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_WAIT_S,
    DEFAULT_TIMEOUT_S,
    GRAPH_URL_ENV,
    NATIONAL_CLOUDS,
)

DESCRIPTION = (
    "Read the tenant's current consent for a stack's catalogue apps (GET requests only), "
    "compare it with the stack's plan, and write the drift report (Markdown and JSON), the "
    "tenant snapshot and the `pulumi import --file` document."
)
RUN = "previews.cli.discover_run:run"  # resolved by the dispatcher when the command runs

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_DRIFT = 2

SNAPSHOT_FILE = "tenant.json"
REPORT_JSON = "drift.json"
REPORT_MARKDOWN = "drift.md"
IMPORT_FILE = "import.json"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "discover",
        help="read the tenant's consent (read-only), report drift, write a pulumi import file",
        description=DESCRIPTION,
    )
    configure_parser(parser)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"folder for {REPORT_MARKDOWN}, {REPORT_JSON}, {IMPORT_FILE} and {SNAPSHOT_FILE} "
        "(default: discovered/<stack>)",
    )
    parser.add_argument(
        "--graph-url",
        metavar="URL",
        help=f"Microsoft Graph base URL, or one of {', '.join(NATIONAL_CLOUDS)} "
        f"(default: ${GRAPH_URL_ENV}, else {NATIONAL_CLOUDS['public']})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"per request (default {DEFAULT_TIMEOUT_S:g})",
    )
    parser.add_argument(
        "--max-retries",
        type=int,
        default=DEFAULT_MAX_RETRIES,
        metavar="N",
        help="retries of a throttled (429), failing (5xx) or timed-out request "
        f"(default {DEFAULT_MAX_RETRIES})",
    )
    parser.add_argument(
        "--max-wait",
        type=_seconds,
        default=DEFAULT_MAX_WAIT_S,
        metavar="SECONDS",
        help="the most time spent waiting before retries, all requests together; a Retry-After "
        f"beyond what is left fails at once (default {DEFAULT_MAX_WAIT_S:g})",
    )
    parser.add_argument(
        "--deadline",
        type=_seconds,
        default=DEFAULT_DEADLINE_S,
        metavar="SECONDS",
        help=f"the most time the whole read of the tenant may take (default {DEFAULT_DEADLINE_S:g})",
    )
    parser.add_argument(
        "--max-pages",
        type=_count,
        default=DEFAULT_MAX_PAGES,
        metavar="N",
        help=f"the most pages of one listing (default {DEFAULT_MAX_PAGES})",
    )
    parser.add_argument(
        "--max-mib",
        type=_count,
        default=DEFAULT_MAX_MIB,
        metavar="MIB",
        help="the most MiB of memory discover may grow by, for what it reads and keeps; one "
        f"answer may be a fortieth of it at most (default {DEFAULT_MAX_MIB})",
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        metavar="FILE",
        help=f"compare an earlier {SNAPSHOT_FILE} instead of reading the tenant",
    )
    parser.add_argument(
        "--state",
        type=Path,
        metavar="STATE.json",
        help="the stack's state (the output of `pulumi stack export`): the report then says "
        "which grants' scopes the stack ignores (ignore_changes), which `pulumi up` leaves as "
        "the tenant holds them",
    )
    parser.add_argument(
        "--existing-stack",
        action="store_true",
        help="the stack already holds its EnterpriseApp components (after a first pulumi up): "
        "the import file names them by URN instead of creating them",
    )
    parser.add_argument(
        "--fail-on-drift",
        action="store_true",
        help=f"exit {EXIT_DRIFT} when the tenant differs from the plan (scheduled drift check)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=RUN)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also NaN
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value
