"""`python -m previews comment --stack S --base REF [--preview P.json [--events E.jsonl]]`: the
whole pull-request comment of one stack within one size budget, and the exit code the workflow
acts on.

The comment: the marker line the workflow finds it by, the files changed since REF that decide
consent (previews/plan/deciding_files.py), the offline plan diff against REF (or the settings'
problems when they do not load), then the consent diff of `pulumi preview` with the policy
verdict (or a line saying no live preview was run). Budget split: each part gets all it
needs when both fit; otherwise the live diff, what the tenant would actually see and the policy
verdict, gets at least two thirds and the plan diff the rest (at least a third, or all it needs).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.catalogue import Catalogue, load_catalogue
from catalog.problems import ConfigurationError, Problem
from components.core.stack_file import read_stack_config
from previews.cli.check_command import DEFAULT_POLICY_CONFIG
from previews.cli.comment_sections import EXIT_SETTINGS, deciding_markdown, offline_verdict
from previews.cli.plan_command import no_cyclic_gc
from previews.cli.render_command import (
    EXIT_MANDATORY_VIOLATIONS,
    EXIT_NOT_UNDERSTOOD,
    EXIT_OK,
    EXIT_PREVIEW_FAILED,
    exit_code,
)
from previews.cli.stack_args import add_stack_arguments, byte_budget
from previews.markdown import Group, code, fit, truncate, utf8_size
from previews.plan.base_plan import plan_against_base
from previews.plan.deciding_files import deciding_files
from previews.plan.plan_diff import PlanDiffDocument
from previews.plan.plan_diff_markdown import plan_diff_markdown
from previews.plan.stack_plan import StackPlan, planned_stack
from previews.render.digest import read_policy_events, read_text
from previews.render.pipeline import render_digest

DEFAULT_BUDGET = 60_000  # UTF-8 bytes; GitHub takes 65,536 characters, never more than bytes
MIN_BUDGET = 10_000
# Pulumi's own rule for stack names: the marker and the workflow's shell and jq read the name.
STACK_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")
SEPARATOR = ["", "---", ""]
NO_PREVIEW = (
    "**Live preview**: not run for this pull request (pull requests from forks, example stacks "
    "and repositories without the read-only identity get none): nothing was checked against "
    "the tenant, and policy violations: not checked."
)
EXIT_CODES = (
    f"Exit codes: {EXIT_OK} nothing blocks the change; 1 bad input, no comment written (one "
    f"line per problem); {EXIT_SETTINGS} the settings do not load; {EXIT_MANDATORY_VIOLATIONS} "
    f"mandatory policy violations; {EXIT_PREVIEW_FAILED} the preview failed (the engine "
    "reported an error, --preview-exit was not 0, or the digest or event log does not read); "
    f"{EXIT_NOT_UNDERSTOOD} preview steps the renderer does not understand. The comment is "
    "written in every case but bad input; when several apply, the first in that order wins."
)
PRIORITY = (EXIT_SETTINGS, EXIT_MANDATORY_VIOLATIONS, EXIT_PREVIEW_FAILED, EXIT_NOT_UNDERSTOOD)


@dataclass(frozen=True)
class Inputs:
    project_dir: Path
    stack: str
    base: str
    preview: Path | None
    events: Path | None
    preview_exit: int


@dataclass(frozen=True)
class Live:
    """The live part of the comment within a budget: its Markdown and the exit code it calls for."""

    markdown: str
    exit_code: int


@dataclass(frozen=True)
class Comment:
    markdown: str
    exit_code: int


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "comment",
        help="the whole pull-request comment of a stack (plan diff, live diff, violations)",
        description=(
            "Write the pull-request comment of one stack: its marker line "
            "(<!-- entra-consent-preview:STACK -->), the offline plan diff against --base (or "
            "the settings' problems), and with --preview the consent diff of `pulumi preview "
            "--json` with the policy violations of --events, all within --max-bytes. When both "
            "parts do not fit, the live diff gets at least two thirds of the budget. " + EXIT_CODES
        ),
    )
    add_stack_arguments(parser)
    parser.add_argument("--base", required=True, metavar="REF", help="git ref to diff against")
    parser.add_argument(
        "--preview",
        type=Path,
        metavar="PREVIEW.json",
        help="`pulumi preview --json --show-sames` output",
    )
    parser.add_argument(
        "--events",
        type=Path,
        metavar="EVENTS.jsonl",
        help="engine event log of that preview (`--event-log`); without it policy violations "
        "show as not checked",
    )
    parser.add_argument(
        "--preview-exit",
        type=int,
        default=0,
        metavar="N",
        help="exit status of `pulumi preview`: not 0 marks the preview failed (default: 0)",
    )
    parser.add_argument(
        "--max-bytes",
        type=byte_budget(MIN_BUDGET),
        default=DEFAULT_BUDGET,
        metavar="N",
        help=f"size limit of the whole comment in UTF-8 bytes (default: {DEFAULT_BUDGET})",
    )
    parser.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="the policy pack's config, whose mandatory rules judge the plan offline (default: "
        f"{DEFAULT_POLICY_CONFIG} in the project folder, when there)",
    )
    parser.add_argument(
        "--full",
        type=Path,
        metavar="FILE",
        help="also write the comment without a size limit to FILE (for the job log)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Raises ConfigurationError (exit 1, no comment) on a stack name that is not one."""
    stack: str = args.stack
    if not STACK_NAME.fullmatch(stack):
        raise ConfigurationError(
            [
                Problem(
                    "--stack", "", f"{stack!r} is not a stack name (use letters, digits, -, _, .)"
                )
            ]
        )
    inputs = Inputs(
        args.project_dir, stack, args.base, args.preview, args.events, args.preview_exit
    )
    with no_cyclic_gc():
        planned = _planned(inputs)
        offline = _offline(inputs, planned)
        catalogue = _catalogue(inputs.project_dir, stack)
        found = deciding_files(inputs.project_dir, inputs.base, _catalog_folder(inputs))
        verdict = offline_verdict(planned, inputs.project_dir, args.policy_config)
        deciding = deciding_markdown(found, inputs.base) + verdict.markdown
        comment = build_comment(inputs, offline, catalogue, args.max_bytes, deciding)
        if verdict.exit_code != EXIT_OK:
            worst = next(c for c in PRIORITY if c in (comment.exit_code, verdict.exit_code))
            comment = Comment(comment.markdown, worst)
        sys.stdout.write(comment.markdown)
        if args.full is not None:
            full = build_comment(inputs, offline, catalogue, None, deciding).markdown
            args.full.write_text(full, encoding="utf-8")
    return comment.exit_code


def _planned(inputs: Inputs) -> StackPlan | None:
    """The working tree's plan, once for the plan diff and the offline verdict (None when the
    settings do not load: the plan diff reports why)."""
    try:
        return planned_stack(inputs.project_dir, inputs.stack)
    except ConfigurationError:
        return None


def _offline(inputs: Inputs, planned: StackPlan | None) -> PlanDiffDocument | list[Problem]:
    head = planned.document if planned is not None else None
    try:
        return plan_against_base(inputs.project_dir, inputs.stack, inputs.base, head)
    except ConfigurationError as exc:
        return exc.problems


def _catalog_folder(inputs: Inputs) -> str:
    """The catalogue folder the working tree's stack file names (default `catalog`)."""
    try:
        named = read_stack_config(inputs.project_dir, inputs.stack).get("entra-consent:catalog")
    except ConfigurationError:
        named = None
    return named if isinstance(named, str) and named else "catalog"


def _catalogue(project_dir: Path, stack: str) -> Catalogue | list[Problem]:
    """The catalogue the working tree's stack file names (default `catalog`)."""
    folder = _catalog_folder(Inputs(project_dir, stack, "", None, None, 0))
    try:
        return load_catalogue(project_dir / folder, relative_to=project_dir)
    except ConfigurationError as exc:
        return exc.problems


def build_comment(
    inputs: Inputs,
    offline: PlanDiffDocument | list[Problem],
    catalogue: Catalogue | list[Problem],
    budget: int | None,
    deciding: str = "",
) -> Comment:
    """The comment within `budget` UTF-8 bytes (None: no limit), `deciding` (the opening
    sections) first, within a fifth of the budget: file names a pull request chose never push
    the consent diffs and the verdict out."""
    if budget is not None and utf8_size(deciding) > budget // 5:
        deciding = truncate(deciding, budget // 5) + "\n"
    head = f"<!-- entra-consent-preview:{inputs.stack} -->\n" + deciding
    room = None if budget is None else budget - utf8_size(head) - utf8_size("\n".join(SEPARATOR))
    plan = _offline_markdown(inputs, offline, room)
    codes = [EXIT_SETTINGS] if isinstance(offline, list) else []
    if inputs.preview is None:
        live = Live(NO_PREVIEW + "\n", EXIT_OK)
    else:
        live_room = None if room is None else room - min(utf8_size(plan), room // 3)
        live = _live(inputs, catalogue, live_room)
        if room is not None and utf8_size(plan) + utf8_size(live.markdown) > room:
            plan = _offline_markdown(inputs, offline, room - utf8_size(live.markdown))
    codes.append(live.exit_code)
    text = head + plan + "\n".join(SEPARATOR) + "\n" + live.markdown
    if budget is not None and utf8_size(text) > budget:  # a part overran its share: cut at a line
        text = truncate(text, budget)
    return Comment(text, next((c for c in PRIORITY if c in codes), EXIT_OK))


def _offline_markdown(
    inputs: Inputs, offline: PlanDiffDocument | list[Problem], budget: int | None
) -> str:
    if not isinstance(offline, list):
        return plan_diff_markdown(offline, budget=budget)
    lines: list[str | Group[Any]] = [
        f"## Stack {code(inputs.stack)}: the settings do not load",
        "",
        f"No plan diff against {code(inputs.base)}: every problem, one a line (fix them and push "
        "again):",
        "",
        *(f"- {code(p)}" for p in offline),
    ]
    return fit(lines, budget)


def _live(inputs: Inputs, catalogue: Catalogue | list[Problem], budget: int | None) -> Live:
    assert inputs.preview is not None
    failed = f"## Live consent diff: the preview of stack {code(inputs.stack)} cannot be shown"
    if isinstance(catalogue, list):
        return _problems(failed, "The catalogue does not load:", catalogue, budget)
    note = ""
    if inputs.preview_exit != 0:
        note = (
            f"**`pulumi preview` exited {inputs.preview_exit}**: the preview did not complete, "
            "so the diff below may be partial.\n\n"
        )
    room = 10**12 if budget is None else budget - utf8_size(note)
    try:
        text = read_text(inputs.preview)  # unreadable or not UTF-8: one problem line
        events = read_policy_events(inputs.events) if inputs.events is not None else None
        rendered = render_digest(text, catalogue, events, file=str(inputs.preview), budget=room)
    except ConfigurationError as exc:
        return _problems(failed, "The preview failed:", exc.problems, budget)
    verdict = exit_code(rendered, fail_on_mandatory=True)
    if note and verdict == EXIT_OK:
        verdict = EXIT_PREVIEW_FAILED
    return Live(note + rendered.markdown, verdict)


def _problems(title: str, intro: str, problems: list[Problem], budget: int | None) -> Live:
    lines: list[str | Group[Any]] = [title, "", intro, "", *(f"- {code(p)}" for p in problems)]
    return Live(fit(lines, budget), EXIT_PREVIEW_FAILED)
