#!/usr/bin/env bash
# ci/drift-stack.sh STACK: has the tenant drifted from a deployed stack? Read-only.
#
# 1. `pulumi preview --refresh --expect-no-changes` with the policy pack and its config: the
#    resources the stack manages, refreshed from the tenant, must need no change. Rendered by
#    `entra-consent render` into the job summary.
# 2. `entra-consent discover --fail-on-drift`: the tenant's consent to the catalogue's apps
#    against the stack's plan, which also finds consent the stack does not manage (granted in
#    the portal, by consent links or scripts), with the stack's state (`pulumi stack export`,
#    OUT_DIR/state.json) so that it says which grants' scopes the stack ignores and `pulumi up`
#    leaves as they are. Its drift report goes into the job summary, its files (drift.md,
#    drift.json, import.json, tenant.json) to discovered/STACK.
# Both always run.
#
# Usage: ci/drift-stack.sh STACK
# Environment: POLICY_PACK, POLICY_CONFIG (default policies/config.example.json); OUT_DIR
#   (default out/ci/STACK: preview.json, events.jsonl, preview.md, state.json); PULUMI_BACKEND_URL,
#   PULUMI_CONFIG_PASSPHRASE, ARM_* (the azuread provider's sign-in); discover signs in with
#   azure-identity (Azure CLI login, ENTRA_CONSENT_GRAPH_TOKEN) and reads ENTRA_CONSENT_GRAPH_URL;
#   GITHUB_STEP_SUMMARY, ENTRA_CONSENT, PROJECT_DIR (see ci/lib.sh). `pulumi` on PATH.
# Exit: 0 no drift; 1 bad input (STACK not a stack name, the policy pack not set up); else the
#   first that failed of: `pulumi preview` (its exit code: changes found, a policy violation or
#   an error), discover (2 drift, 1 the tenant could not be read), render (4 the preview failed,
#   5 steps not understood).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STACK="${1:-}"
ci_stack_name "$STACK"
ci_enter_project
ci_policy_ready
out="${OUT_DIR:-out/ci/$STACK}"
mkdir -p "$out"
rm -f "$out/preview.json" "$out/events.jsonl" "$out/preview.md" "$out/state.json"

ci_pin_catalogue
ci_arm_oidc
ci_pulumi_login
export PULUMI_DEBUG_COMMANDS=true # the CLI offers --event-log only with this set
preview_exit=0
pulumi preview --stack "$STACK" --refresh --expect-no-changes --policy-pack "$POLICY_PACK" \
  --policy-pack-config "$POLICY_CONFIG" --non-interactive \
  --json --show-sames --event-log "$out/events.jsonl" > "$out/preview.json" || preview_exit=$?
events=()
if [ -f "$out/events.jsonl" ]; then events+=(--events "$out/events.jsonl"); fi
render_exit=0
entra_consent render "$out/preview.json" "${events[@]}" > "$out/preview.md" || render_exit=$?
{
  echo "### Drift check: stack \`$STACK\`"
  echo
  cat "$out/preview.md"
} | ci_summary
if [ "$preview_exit" != 0 ]; then
  ci_error "stack $STACK has drifted from its settings (or the preview failed): see the job summary"
fi

# A refresh only sees resources the stack manages; discover also finds consent granted outside
# it to the catalogue's apps. Read-only (GET).
# Without the state, discover says it cannot tell which grants the stack ignores.
state=()
if pulumi stack export --stack "$STACK" --file "$out/state.json" >&2; then
  state+=(--state "$out/state.json")
fi
discover_exit=0
entra_consent discover --stack "$STACK" --out "discovered/$STACK" --existing-stack \
  --fail-on-drift "${state[@]}" || discover_exit=$?
if [ -f "discovered/$STACK/drift.md" ]; then
  ci_summary < "discovered/$STACK/drift.md"
fi
if [ "$discover_exit" != 0 ]; then
  ci_error "the tenant's consent for stack $STACK differs from its plan (or could not be read): see the job summary"
fi

for code in "$preview_exit" "$discover_exit" "$render_exit"; do
  if [ "$code" != 0 ]; then exit "$code"; fi
done
