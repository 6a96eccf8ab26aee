"""`python -m previews render PREVIEW.json [--events EVENTS.jsonl]`: the consent diff of a real
`pulumi preview --json` digest, as Markdown for a pull-request comment, and the exit code a
pipeline acts on (`exit_code`, shared with every command that renders a digest)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.catalogue import load_catalogue
from previews.cli.stack_args import byte_budget
from previews.render.digest import read_policy_events, read_text
from previews.render.pipeline import Rendered, render_digest
from previews.render.render_markdown import DEFAULT_BUDGET

EXIT_OK = 0
# 1: bad input (a digest or event log that does not parse, a catalogue that does not load),
# one line per problem: previews.__main__.EXIT_BAD_INPUT.
EXIT_MANDATORY_VIOLATIONS = 3
EXIT_PREVIEW_FAILED = 4
EXIT_NOT_UNDERSTOOD = 5
EXIT_CODES = (
    f"Exit codes: {EXIT_OK} rendered; 1 bad input (one line per problem); "
    f"{EXIT_MANDATORY_VIOLATIONS} mandatory policy violations (with --fail-on-mandatory); "
    f"{EXIT_PREVIEW_FAILED} the preview failed (the engine reported an error); "
    f"{EXIT_NOT_UNDERSTOOD} steps with an operation the renderer does not know. The Markdown "
    "is written in every case but bad input; when several apply, the first in that order wins."
)


def exit_code(rendered: Rendered, fail_on_mandatory: bool) -> int:
    """The exit code of a rendered digest: mandatory violations (when asked to fail on them),
    a failed preview, steps not understood; else 0."""
    if fail_on_mandatory and rendered.mandatory:
        return EXIT_MANDATORY_VIOLATIONS
    if rendered.failed:
        return EXIT_PREVIEW_FAILED
    if rendered.not_understood:
        return EXIT_NOT_UNDERSTOOD
    return EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="consent diff of a `pulumi preview --json` digest, as Markdown",
        description=(
            "Turn the output of `pulumi preview --json` into a consent diff: per app, API and "
            "target, the scopes granted and revoked; assignments; service principal changes; "
            "resources the catalogue does not name; resource options set or taken off (import, "
            "ignore_changes, an explicit provider, protect, retain_on_delete: pass "
            "`--show-sames` to the preview, or those of unchanged resources are not shown); "
            "policy violations (from an engine event log); totals. Large diffs are summarised to fit a GitHub pull-request comment. "
            + EXIT_CODES
        ),
    )
    parser.add_argument("preview", type=Path, metavar="PREVIEW.json", help="preview digest")
    parser.add_argument(
        "--events",
        type=Path,
        metavar="EVENTS.jsonl",
        help=(
            "engine event log for policy violations: `pulumi preview --event-log FILE`, a flag "
            "the CLI offers when PULUMI_DEBUG_COMMANDS=true (without it the totals say "
            "'policy violations: not checked')"
        ),
    )
    parser.add_argument(
        "--catalog",
        type=Path,
        default=Path("catalog"),
        metavar="DIR",
        help="catalogue folder naming apps, APIs and admin-consent scopes (default: catalog)",
    )
    parser.add_argument(
        "--max-bytes",
        type=byte_budget(MIN_BUDGET),
        default=DEFAULT_BUDGET,
        metavar="N",
        help=f"size limit of the Markdown in UTF-8 bytes (default: {DEFAULT_BUDGET})",
    )
    parser.add_argument(
        "--fail-on-mandatory",
        action="store_true",
        help=f"exit {EXIT_MANDATORY_VIOLATIONS} when the events hold a mandatory policy violation",
    )
    parser.set_defaults(run=run)


MIN_BUDGET = 1024


def run(args: argparse.Namespace) -> int:
    path: Path = args.preview
    text = read_text(path)
    events = read_policy_events(args.events) if args.events else None
    catalogue = load_catalogue(args.catalog)
    rendered = render_digest(text, catalogue, events, file=str(path), budget=args.max_bytes)
    sys.stdout.write(rendered.markdown)
    return exit_code(rendered, args.fail_on_mandatory)
