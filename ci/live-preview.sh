#!/usr/bin/env bash
# ci/live-preview.sh STACK: whether a pull request gets a live `pulumi preview` of STACK.
#
# Live only when all hold: the read-only identity is configured (PREVIEW_CLIENT_ID not empty),
# the pull request comes from this repository (SAME_REPO=true: forks get no secrets), STACK is
# not an example (EXAMPLE_STACKS), the pull request changes no code that runs during a preview
# (`entra-consent changed --base BASE_REF --code` lists none) or a maintainer approved this run
# (CODE_APPROVED=true: the workflow's run for the label safe-to-preview), and its settings pass
# `entra-consent check STACK` offline, the policy pack's mandatory rules with POLICY_CONFIG
# included (settings that do not load and plans the pack refuses are reported by the comment,
# not previewed). The program runs during `pulumi preview` with the job's identity and secrets,
# before any review: code is previewed only once someone has read it. Writes the step output
# `live=true` or `live=false`.
#
# Usage: ci/live-preview.sh STACK
# Environment: PREVIEW_CLIENT_ID, SAME_REPO, EXAMPLE_STACKS, BASE_REF, CODE_APPROVED, POLICY_CONFIG,
#   GITHUB_OUTPUT (else stdout), ENTRA_CONSENT, PROJECT_DIR (see ci/lib.sh).
# Exit: 0 decided (either way); 1 STACK is not a stack name.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STACK="${1:-}"
ci_stack_name "$STACK"
ci_enter_project

live=false
why=""
read -r -a examples <<< "${EXAMPLE_STACKS:-}"
for e in "${examples[@]}"; do
  if [ "$e" = "$STACK" ]; then why="an example stack (EXAMPLE_STACKS)"; fi
done
if [ -z "${PREVIEW_CLIENT_ID:-}" ]; then
  why="no read-only identity configured"
elif [ "${SAME_REPO:-}" != true ]; then
  why="the pull request does not come from this repository"
fi
if [ -z "$why" ] && [ "${CODE_APPROVED:-}" != true ]; then
  if [ -z "${BASE_REF:-}" ]; then
    why="BASE_REF is not set, so whether the pull request changes code cannot be told"
  elif ! code=$(entra_consent changed --base "$BASE_REF" --code 2>&1); then
    why="whether the pull request changes code cannot be told: $code"
  elif [ -n "$code" ]; then
    count=$(printf '%s\n' "$code" | wc -l | tr -d ' ')
    first=$(printf '%s\n' "$code" | head -n 3 | paste -sd ' ' -)
    why="the pull request changes $count file(s) of code that run during a preview ($first); a maintainer adds the label safe-to-preview to preview it live"
  fi
fi
if [ -z "$why" ]; then
  if entra_consent check --policy-config "$POLICY_CONFIG" "$STACK" > /dev/null 2>&1; then
    live=true
  else
    why="the settings do not pass entra-consent check (the comment lists the problems)"
  fi
fi
ci_notice "live preview of stack $STACK: $live${why:+ ($why)}"
ci_output live "$live"
