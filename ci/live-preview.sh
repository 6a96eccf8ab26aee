#!/usr/bin/env bash
# ci/live-preview.sh [STACK]: whether a pull request gets a live `pulumi preview`, and in which
# environment.
#
# Without STACK (the gate job, which runs nothing of the pull request's): writes the step outputs
# `live` (true when the read-only identity is configured, PREVIEW_IDENTITY=true, and the pull
# request comes from this repository, SAME_REPO=true: forks get no secrets), `code` (true when
# the pull request changes a file a preview may run, all but stack files that change only
# entra-consent:* settings, catalogue data, Markdown and docs/: `entra-consent changed --base
# BASE_REF --code` lists any, or cannot tell)
# and `environment`: entra-preview-code when code is true (its required reviewers approve the
# run, so the commit they read), else entra-preview.
# The live job, in that environment, is the only one that runs the pull request's `make setup`
# and program.
# With STACK (the live job, per stack): writes `live=true` unless STACK is an example
# (EXAMPLE_STACKS) or its settings fail `entra-consent check STACK` offline, the policy pack's
# mandatory rules with POLICY_CONFIG included (the comment reports those, offline).
# Either way one line on stderr says why.
#
# Usage: ci/live-preview.sh [STACK]
# Environment: PREVIEW_IDENTITY, SAME_REPO, BASE_REF (without STACK); EXAMPLE_STACKS,
#   POLICY_CONFIG (with STACK); GITHUB_OUTPUT (else stdout), ENTRA_CONSENT, PROJECT_DIR (see
#   ci/lib.sh).
# Exit: 0 decided (either way); 1 STACK is not a stack name, or the guard has no virtualenv.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# code_changes: why the pull request counts as changing code, or nothing when it does not.
code_changes() {
  local found count first
  if [ -z "${BASE_REF:-}" ]; then
    echo "BASE_REF is not set, so whether the pull request changes code cannot be told"
  elif ! found=$(entra_consent changed --base "$BASE_REF" --code 2>&1); then
    echo "whether the pull request changes code cannot be told: $found"
  elif [ -n "$found" ]; then
    count=$(printf '%s\n' "$found" | wc -l | tr -d ' ')
    first=$(printf '%s\n' "$found" | head -n 3 | paste -sd ' ' -)
    echo "the pull request changes $count file(s) a preview may run ($first)"
  fi
}

decide_pull_request() {
  local live=true why="" code=false environment=entra-preview changes
  if [ "${PREVIEW_IDENTITY:-}" != true ]; then
    live=false why="no read-only identity configured"
  elif [ "${SAME_REPO:-}" != true ]; then
    live=false why="the pull request does not come from this repository"
  fi
  changes="$(code_changes | paste -sd ' ' -)"
  if [ -n "$changes" ]; then
    code=true environment=entra-preview-code
    changes="$changes: a reviewer of environment $environment approves this run"
  else
    changes="no change to code that runs during a preview"
  fi
  ci_notice "live preview: $live${why:+ ($why)}; environment $environment ($changes)"
  ci_output live "$live"
  ci_output code "$code"
  ci_output environment "$environment"
}

decide_stack() {
  local live=false why="" examples e
  read -r -a examples <<< "${EXAMPLE_STACKS:-}"
  for e in "${examples[@]}"; do
    if [ "$e" = "$STACK" ]; then why="an example stack (EXAMPLE_STACKS)"; fi
  done
  if [ -z "$why" ]; then
    if entra_consent check --policy-config "$POLICY_CONFIG" "$STACK" > /dev/null 2>&1; then
      live=true
    else
      why="the settings do not pass entra-consent check (the comment lists the problems)"
    fi
  fi
  ci_notice "live preview of stack $STACK: $live${why:+ ($why)}"
  ci_output live "$live"
}

STACK="${1-}"
if [ $# -gt 0 ]; then ci_stack_name "$STACK"; fi
ci_enter_project
ci_guard_ready
if [ $# -gt 0 ]; then
  decide_stack
else
  decide_pull_request
fi
