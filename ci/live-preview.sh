#!/usr/bin/env bash
# ci/live-preview.sh STACK: whether a pull request gets a live `pulumi preview` of STACK.
#
# Live only when all hold: the read-only identity is configured (PREVIEW_CLIENT_ID not empty),
# the pull request comes from this repository (SAME_REPO=true: forks get no secrets), STACK is
# not an example (EXAMPLE_STACKS), and its settings pass `entra-consent check STACK` offline
# (settings that do not load are reported by the comment, not previewed). Writes the step output
# `live=true` or `live=false`.
#
# Usage: ci/live-preview.sh STACK
# Environment: PREVIEW_CLIENT_ID, SAME_REPO, EXAMPLE_STACKS, GITHUB_OUTPUT (else stdout),
#   ENTRA_CONSENT, PROJECT_DIR (see ci/lib.sh).
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
if [ -z "$why" ]; then
  if entra_consent check "$STACK" > /dev/null 2>&1; then
    live=true
  else
    why="the settings do not pass entra-consent check (the comment lists the problems)"
  fi
fi
ci_notice "live preview of stack $STACK: $live${why:+ ($why)}"
ci_output live "$live"
