#!/usr/bin/env bash
# ci/post-comment.sh STACK: put a stack's comment on the pull request, one per stack.
#
# Finds the pull request's comment that starts with the stack's marker
# (<!-- entra-consent-preview:STACK -->, written by `entra-consent comment`) and updates it in
# place, or creates it. Uses the GitHub CLI (`gh` on PATH, signed in by GH_TOKEN) and jq.
#
# Usage: ci/post-comment.sh STACK
# Environment: REPO (owner/name), PR_NUMBER, GH_TOKEN; COMMENT (the comment file, default
#   out/ci/STACK/comment.md as ci/preview-stack.sh writes it), PROJECT_DIR.
# Exit: 0 posted; 1 bad input (STACK, REPO, PR_NUMBER or the comment file missing); otherwise
#   the failing gh call's.
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STACK="${1:-}"
ci_stack_name "$STACK"
ci_enter_project
comment="${COMMENT:-out/ci/$STACK/comment.md}"
if [ -z "${REPO:-}" ] || ! [[ "${PR_NUMBER:-}" =~ ^[0-9]+$ ]]; then
  ci_error "REPO (owner/name) and PR_NUMBER must be set"
  exit 1
fi
if [ ! -f "$comment" ]; then
  ci_error "no comment at $comment (run ci/preview-stack.sh first)"
  exit 1
fi

marker="<!-- entra-consent-preview:${STACK} -->"
id=$(gh api "repos/$REPO/issues/$PR_NUMBER/comments" --paginate \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | sed -n 1p)
body=$(jq -Rs '{body: .}' < "$comment")
if [ -n "$id" ]; then
  echo "$body" | gh api --method PATCH "repos/$REPO/issues/comments/$id" --input - > /dev/null
  ci_notice "updated comment $id on pull request $PR_NUMBER"
else
  echo "$body" | gh api --method POST "repos/$REPO/issues/$PR_NUMBER/comments" --input - > /dev/null
  ci_notice "commented on pull request $PR_NUMBER"
fi
