"""`python -m previews render PREVIEW.json [--events EVENTS.jsonl]`: the consent diff of a real
`pulumi preview --json` digest, as Markdown for a pull-request comment."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.catalogue import load_catalogue
from catalog.problems import ConfigurationError, Problem
from previews.digest import read_policy_events
from previews.render import render_digest
from previews.render_markdown import DEFAULT_BUDGET

EXIT_MANDATORY_VIOLATIONS = 3


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="consent diff of a `pulumi preview --json` digest, as Markdown",
        description=(
            "Turn the output of `pulumi preview --json` into a consent diff: per app, API and "
            "target, the scopes granted and revoked; assignments; service principal changes; "
            "policy violations (from an engine event log); totals. Large diffs are summarised "
            "to fit a GitHub pull-request comment. Exits 1 listing every problem on bad input."
        ),
    )
    parser.add_argument("preview", type=Path, metavar="PREVIEW.json", help="preview digest")
    parser.add_argument(
        "--events",
        type=Path,
        metavar="EVENTS.jsonl",
        help=(
            "engine event log for policy violations: `pulumi preview --event-log FILE`, a flag "
            "the CLI offers when PULUMI_DEBUG_COMMANDS=true"
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
        type=int,
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


def run(args: argparse.Namespace) -> int:
    path: Path = args.preview
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError([Problem(str(path), "", f"cannot read: {exc.strerror}")]) from None
    events = read_policy_events(args.events) if args.events else []
    catalogue = load_catalogue(args.catalog)
    rendered = render_digest(text, catalogue, events, file=str(path), budget=args.max_bytes)
    sys.stdout.write(rendered.markdown)
    if args.fail_on_mandatory and any(v.mandatory for v in rendered.diff.violations):
        return EXIT_MANDATORY_VIOLATIONS
    return 0
