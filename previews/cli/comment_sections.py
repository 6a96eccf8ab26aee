"""The sections that open a pull-request comment: the changed files that decide consent
(previews/plan/deciding_files.py), and the policy pack's verdict on the plan, offline
(previews/plan/policy_verdict.py), which forks and pull requests without a live preview get too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalog.problems import Problem
from previews.cli.check_command import DEFAULT_POLICY_CONFIG
from previews.cli.render_command import EXIT_MANDATORY_VIOLATIONS, EXIT_OK
from previews.markdown import code
from previews.plan.deciding_files import DECIDING_FOLDERS, DecidingFiles
from previews.plan.policy_verdict import policy_verdict, read_policy_config
from previews.plan.stack_plan import StackPlan
from previews.render.render_changes import REVOKED, WARNING

LISTED = 50
EXIT_SETTINGS = 6  # `comment`'s exit when the settings (or the policy config) do not load


@dataclass(frozen=True)
class Section:
    markdown: str
    exit_code: int


def offline_verdict(
    planned: StackPlan | None, project_dir: Path, config_path: Path | None
) -> Section:
    """The policy pack's mandatory rules on the working tree's plan, offline ("" when there is
    none, the settings not loading: the plan diff says why)."""
    if planned is None:
        return Section("", EXIT_OK)
    path = config_path or project_dir / DEFAULT_POLICY_CONFIG
    if config_path is None and not path.is_file():
        return Section(
            f"**Policy pack, offline**: not run (no {code(DEFAULT_POLICY_CONFIG)}).\n\n", EXIT_OK
        )
    config = read_policy_config(path)
    if isinstance(config, Problem):
        return Section(f"**Policy pack, offline**: not run: {code(config)}\n\n", EXIT_SETTINGS)
    refused = policy_verdict(planned.plan, planned.catalogue, config)
    if not refused:
        return Section(
            "**Policy pack, offline**: no mandatory rule refuses this plan (judged from the "
            "files alone; the live preview and every write are judged again).\n\n",
            EXIT_OK,
        )
    lines = [
        f"## {REVOKED} The policy pack will refuse this plan",
        "",
        f"Judged offline from the plan with {code(path.name)}: {len(refused)} mandatory "
        "violation(s), so the preview fails and `pulumi up` would stop.",
        "",
        *(f"- {code(message)}" for message in refused[:LISTED]),
        *([f"- and {len(refused) - LISTED} more"] if len(refused) > LISTED else []),
        "",
        "",
    ]
    return Section("\n".join(lines), EXIT_MANDATORY_VIOLATIONS)


def deciding_markdown(found: DecidingFiles, base: str) -> str:
    """The section that lists the changed files that decide consent ("" when none changed)."""
    if found.problem is not None:
        return (
            f"**Files that decide consent**: not listed ({code(found.problem)}); read the pull "
            f"request's changes to {', '.join(code(f + '/') for f in DECIDING_FOLDERS)}, "
            f"`__main__.py`, `.github/` and `requirements*.txt` as code.\n\n"
        )
    if not found.paths:
        return ""
    shown = [f"- {code(p)}" for p in found.paths[:LISTED]]
    more = len(found.paths) - len(shown)
    return "\n".join(
        [
            f"## {WARNING} This pull request changes what decides consent",
            "",
            f"{len(found.paths)} changed file(s) since {code(base)} decide what is granted, how "
            "the policy pack judges it or how this comment is made. The consent diff below "
            "shows what the program declared, not what else its code does: read them as code "
            "before approving.",
            "",
            *shown,
            *([f"- and {more} more"] if more else []),
            "",
            "",
        ]
    )
