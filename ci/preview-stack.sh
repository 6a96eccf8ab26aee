#!/usr/bin/env bash
# ci/preview-stack.sh STACK: the pull-request check of one stack and its comment.
#
# 1. With LIVE=true: `pulumi preview` of STACK with the policy pack and its config, as JSON with
#    the engine event log (policy violations).
# 2. Always: `entra-consent comment`, the whole comment within MAX_BYTES: the files that decide
#    consent, the policy pack's offline verdict on the plan (POLICY_CONFIG), the offline plan diff
#    against BASE_REF and, when live, the consent diff of the preview with the policy verdict.
#    The comment goes to OUT_DIR/comment.md and the job summary, the comment without a size
#    limit (OUT_DIR/comment-full.md) to the log.
# 3. Fails on what the comment command's exit code says: bad settings, mandatory policy
#    violations, a failed preview, preview steps it does not understand.
# Post the comment with ci/post-comment.sh (when the step output comment_exit is not 1).
#
# Usage: ci/preview-stack.sh STACK
# Environment: BASE_REF (required: the git ref to diff against, e.g. origin/main); LIVE (true,
#   the default: run the preview; false: the offline plan diff only); POLICY_PACK,
#   POLICY_CONFIG (default policies/config.example.json); OUT_DIR (default out/ci/STACK: holds
#   preview.json, events.jsonl, comment.md, comment-full.md); MAX_BYTES (default 60000);
#   PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, ARM_* (the azuread provider's sign-in);
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, ENTRA_CONSENT, PROJECT_DIR (see ci/lib.sh). `pulumi` on
#   PATH. Step outputs: comment_exit (the comment command's exit code), comment (its file).
# Exit: the comment command's: 0 nothing blocks the change; 1 bad input, no comment written
#   (also: STACK not a stack name, BASE_REF unset, the policy pack not set up); 6 the settings
#   do not load; 3 mandatory policy violations; 4 the preview failed; 5 preview steps not
#   understood.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STACK="${1:-}"
ci_stack_name "$STACK"
ci_enter_project
if [ -z "${BASE_REF:-}" ]; then
  ci_error "BASE_REF is not set (the git ref to diff against, e.g. origin/main)"
  exit 1
fi
LIVE="${LIVE:-true}"
out="${OUT_DIR:-out/ci/$STACK}"
mkdir -p "$out"
rm -f "$out/preview.json" "$out/events.jsonl" "$out/comment.md" "$out/comment-full.md"

args=()
if [ "$LIVE" = true ]; then
  ci_policy_ready
  ci_pin_catalogue
  ci_arm_oidc
  ci_pulumi_login
  export PULUMI_DEBUG_COMMANDS=true # the CLI offers --event-log only with this set
  preview_exit=0
  pulumi preview --stack "$STACK" --policy-pack "$POLICY_PACK" \
    --policy-pack-config "$POLICY_CONFIG" --non-interactive \
    --json --show-sames --event-log "$out/events.jsonl" > "$out/preview.json" || preview_exit=$?
  # A preview that left no digest is reported as failed by the comment.
  args+=(--preview "$out/preview.json" --preview-exit "$preview_exit")
  if [ -f "$out/events.jsonl" ]; then args+=(--events "$out/events.jsonl"); fi
fi

comment_exit=0
entra_consent comment --stack "$STACK" --base "$BASE_REF" --policy-config "$POLICY_CONFIG" \
  --max-bytes "${MAX_BYTES:-60000}" \
  --full "$out/comment-full.md" "${args[@]}" > "$out/comment.md" || comment_exit=$?
ci_output comment_exit "$comment_exit"
if [ "$comment_exit" != 1 ]; then
  ci_output comment "$out/comment.md"
  if ci_has_summary; then ci_summary < "$out/comment.md"; fi # else the log below shows it
fi
if [ -f "$out/comment-full.md" ]; then
  if [ "${GITHUB_ACTIONS:-}" = true ]; then
    # The log shows the comment but runs no workflow command written in it.
    token="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    echo "::stop-commands::$token"
    cat "$out/comment-full.md"
    echo "::$token::"
  else
    cat "$out/comment-full.md"
  fi
fi

# The exit codes of `entra-consent comment` (its --help lists them).
case "$comment_exit" in
  0) ;;
  6) ci_error "stack $STACK: the settings do not load (see the comment)" ;;
  3) ci_error "stack $STACK: mandatory policy violations (see the comment)" ;;
  4) ci_error "stack $STACK: the preview failed (see the comment)" ;;
  5) ci_error "stack $STACK: preview steps not understood (see the comment)" ;;
  1) ci_error "stack $STACK: bad input, no comment written (see the log)" ;;
  *) ci_error "stack $STACK: the comment command exited $comment_exit" ;;
esac
exit "$comment_exit"
