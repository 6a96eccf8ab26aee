#!/usr/bin/env bash
# ci/deploy-stack.sh STACK: apply one stack, after its offline check, with the policy pack.
#
# 1. `entra-consent check STACK`: the stack file, settings, catalogue and plan, offline, and the
#    plan judged by the policy pack's mandatory rules (POLICY_CONFIG); any
#    problem stops here, before the tenant is touched.
# 2. The stack's consent plan (`entra-consent plan`) into the job summary.
# 3. `pulumi up --yes` with the policy pack and its config (its preview runs first: a mandatory
#    violation stops the update before anything changes), at most PARALLEL resource operations
#    at once (Microsoft Graph throttles identity writes).
#
# Usage: ci/deploy-stack.sh STACK
# Environment: POLICY_PACK, POLICY_CONFIG (default policies/config.example.json); PARALLEL
#   (default 8); PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, ARM_* (the azuread provider's
#   sign-in); GITHUB_STEP_SUMMARY, ENTRA_CONSENT, PROJECT_DIR (see ci/lib.sh). `pulumi` on PATH.
# Exit: 0 applied; 1 bad input (STACK not a stack name, the policy pack not set up) or the
#   offline check failed (one line per problem on stderr and in the summary); otherwise
#   `pulumi up`'s (a policy violation, a Graph error).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STACK="${1:-}"
ci_stack_name "$STACK"
ci_enter_project
PARALLEL="${PARALLEL:-8}"
ci_pin_catalogue # before anything reads it: the pack judges the update by this catalogue only

check_exit=0
problems="$(entra_consent check --policy-config "$POLICY_CONFIG" "$STACK" 2>&1)" || check_exit=$?
printf '%s\n' "$problems" >&2
if [ "$check_exit" != 0 ]; then
  {
    echo "### Deploy: stack \`$STACK\` fails the offline check; nothing applied"
    echo
    echo '```'
    printf '%s\n' "$problems"
    echo '```'
  } | ci_summary
  ci_error "stack $STACK: the settings do not pass the offline check (see the log)"
  exit 1
fi
ci_policy_ready
entra_consent plan --stack "$STACK" | ci_summary

ci_arm_oidc
ci_pulumi_login
up_exit=0
pulumi up --yes --stack "$STACK" --policy-pack "$POLICY_PACK" \
  --policy-pack-config "$POLICY_CONFIG" --parallel "$PARALLEL" \
  --non-interactive --diff || up_exit=$?
if [ "$up_exit" != 0 ]; then
  # shellcheck disable=SC2016 # Markdown code spans, not expansions
  printf '\n**`pulumi up` of stack `%s` failed** (exit %s): see the log.\n' "$STACK" "$up_exit" \
    | ci_summary
  ci_error "stack $STACK: pulumi up failed (exit $up_exit)"
  exit "$up_exit"
fi
# shellcheck disable=SC2016 # Markdown code spans, not expansions
printf '\n`pulumi up` of stack `%s`: applied.\n' "$STACK" | ci_summary
