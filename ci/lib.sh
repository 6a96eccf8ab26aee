# shellcheck shell=bash
# ci/lib.sh: what the ci/*.sh scripts share. Sourced by them, never run on its own.
#
# The scripts are the shell steps of .github/workflows/ (and tests/e2e/test_ci_scripts.py runs
# them against the simulated tenant). They know GitHub only through environment variables and
# run anywhere bash, the Pulumi CLI (`pulumi` on PATH) and the project's venv/ are.
#
# Environment read here (all optional):
#   GITHUB_ACTIONS       true on GitHub: error lines go to stdout, and the log shows a comment
#                        between ::stop-commands:: markers
#   PROJECT_DIR          the project folder (Pulumi.yaml, Pulumi.<stack>.yaml, policies/);
#                        default: the folder above ci/
#   ENTRA_CONSENT        the entra-consent command of an unguarded run; default
#                        ./venv/bin/entra-consent (make setup)
#   GITHUB_STEP_SUMMARY  Markdown summaries are appended to this file; else to CI_SUMMARY;
#                        else written to stdout
#   GITHUB_OUTPUT        step outputs (key=value lines) are appended to this file; else stdout
#   PULUMI_BACKEND_URL   `pulumi login` to this backend first; unset: the CLI's current login
#   ACTIONS_ID_TOKEN_REQUEST_TOKEN, ACTIONS_ID_TOKEN_REQUEST_URL
#                        GitHub's OIDC token request, passed on to the azuread provider as
#                        ARM_OIDC_REQUEST_TOKEN and ARM_OIDC_REQUEST_URL unless those are set
#   POLICY_PACK          the policy pack folder; default policies (of the guard, below)
#   POLICY_CONFIG        the policy pack's config; default policies/config.example.json (a
#                        relative path is the guard's)
#
# The guard: the checkout these scripts come from. When PROJECT_DIR names another checkout (the
# pull request's, with the scripts run from a checkout of the base branch), the guard's policy
# pack, its config, its comment builder and these scripts judge the project, whose program,
# stack files and catalogue are what is previewed, and what the pull request changes in the
# guard's files does not judge it. Then `entra_consent` and `ci_pin_catalogue` run the guard's
# code with the guard's own virtualenv (<guard>/venv, `make -C <guard> setup-run`: the packages
# the base branch pins), never with the project's venv/, whose packages the pull request's
# requirements chose; the pack reads the project's catalog/ (ENTRA_CONSENT_POLICY_CATALOG).
# The project's venv/ runs the project's program only, during `pulumi preview`: the workflow
# makes it (the project's `make setup-run`) in its live job alone, after the gate, and in the
# environment whose reviewers approve a pull request that changes code (docs/reviewing.md).
# Not covered: what the project's setup and program run there comes before these scripts, in
# the same workspace, and could change them, the guard's checkout included; the job that posts
# the comment runs none of it.

CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GUARD_DIR="$(cd "$CI_DIR/.." && pwd)"
GUARDED=false
# The guard's own interpreter: the guard's code never runs with the project's packages.
GUARD_PYTHON="$GUARD_DIR/venv/bin/python"
# Pulumi's own rule for stack names: they reach file names, JSON, jq and the comment marker.
STACK_NAME_RE='^[A-Za-z0-9_.-]{1,100}$'

ci_enter_project() {
  cd "${PROJECT_DIR:-$GUARD_DIR}" || exit 1
  local guard=""
  if ! [ "$PWD" -ef "$GUARD_DIR" ]; then
    GUARDED=true
    guard="$GUARD_DIR/"
    export ENTRA_CONSENT_POLICY_CATALOG="$PWD/catalog"
  fi
  POLICY_PACK="${POLICY_PACK:-policies}"
  POLICY_CONFIG="${POLICY_CONFIG:-policies/config.example.json}"
  case "$POLICY_PACK" in /*) ;; *) POLICY_PACK="$guard$POLICY_PACK" ;; esac
  case "$POLICY_CONFIG" in /*) ;; *) POLICY_CONFIG="$guard$POLICY_CONFIG" ;; esac
}

# ci_error MESSAGE: an error line (a GitHub annotation). On GitHub it goes to stdout, in order
# with the log (and after any ::stop-commands:: the log resumed); elsewhere to stderr.
ci_error() {
  if [ "${GITHUB_ACTIONS:-}" = true ]; then
    echo "::error::$*"
  else
    echo "::error::$*" >&2
  fi
}

ci_notice() {
  echo "$*" >&2
}

# ci_stack_name NAME: exit 1 unless NAME is a stack name.
ci_stack_name() {
  if ! [[ "${1:-}" =~ $STACK_NAME_RE ]]; then
    ci_error "not a stack name (letters, digits, -, _, . only): '${1:-}'"
    exit 1
  fi
}

# ci_summary: append stdin to the job summary.
ci_summary() {
  local target="${GITHUB_STEP_SUMMARY:-${CI_SUMMARY:-}}"
  if [ -n "$target" ]; then
    cat >> "$target"
  else
    cat
  fi
}

# ci_has_summary: true when the summary goes to a file (not stdout).
ci_has_summary() {
  [ -n "${GITHUB_STEP_SUMMARY:-${CI_SUMMARY:-}}" ]
}

# ci_output KEY VALUE: a step output.
ci_output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$1" "$2"
  fi
}

# ci_guard_ready: exit 1 when guarded and the guard has no virtualenv of its own.
ci_guard_ready() {
  if [ "$GUARDED" = true ] && [ ! -x "$GUARD_PYTHON" ]; then
    ci_error "the guard has no virtualenv at $GUARD_DIR/venv: run make -C $GUARD_DIR setup-run first"
    exit 1
  fi
}

entra_consent() {
  if [ "$GUARDED" = true ]; then
    ci_guard_ready
    # PYTHONSAFEPATH: `-m` would put the current folder (the pull request's) ahead of
    # PYTHONPATH, and its previews/ would run instead of the guard's.
    PYTHONSAFEPATH=1 PYTHONPATH="$GUARD_DIR" "$GUARD_PYTHON" -m previews "$@"
  else
    "${ENTRA_CONSENT:-./venv/bin/entra-consent}" "$@"
  fi
}

# ci_pin_catalogue: fingerprint the project's catalog/ now, before any pulumi command runs, for
# the policy pack (ENTRA_CONSENT_CATALOG_FINGERPRINT): it then judges by no other catalogue,
# whatever a program writes between the preview and the update of one `pulumi up`.
ci_pin_catalogue() {
  local print python=./venv/bin/python
  if [ -n "${ENTRA_CONSENT_CATALOG_FINGERPRINT:-}" ]; then return 0; fi
  if [ "$GUARDED" = true ]; then
    ci_guard_ready
    python="$GUARD_PYTHON"
  fi
  if ! print="$(PYTHONSAFEPATH=1 PYTHONPATH="$GUARD_DIR" "$python" \
    -m catalog.fingerprint "$PWD/catalog")"; then
    ci_error "cannot fingerprint the catalogue at $PWD/catalog with $python"
    exit 1
  fi
  export ENTRA_CONSENT_CATALOG_FINGERPRINT="$print"
}

ci_pulumi_login() {
  if [ -n "${PULUMI_BACKEND_URL:-}" ]; then
    pulumi login --non-interactive "$PULUMI_BACKEND_URL" >&2
  fi
}

ci_arm_oidc() {
  if [ -n "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ] && [ -z "${ARM_OIDC_REQUEST_TOKEN:-}" ]; then
    export ARM_OIDC_REQUEST_TOKEN="$ACTIONS_ID_TOKEN_REQUEST_TOKEN"
  fi
  if [ -n "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] && [ -z "${ARM_OIDC_REQUEST_URL:-}" ]; then
    export ARM_OIDC_REQUEST_URL="$ACTIONS_ID_TOKEN_REQUEST_URL"
  fi
}

# ci_pack_venv: the policy pack's virtualenv, as PulumiPolicy.yaml names it (default venv).
ci_pack_venv() {
  local name
  name="$(sed -n 's/^[[:space:]]*virtualenv:[[:space:]]*\([^[:space:]#]*\).*$/\1/p' \
    "$POLICY_PACK/PulumiPolicy.yaml" 2> /dev/null | head -n 1)"
  name="${name%\"}" && name="${name#\"}" && name="${name%\'}" && name="${name#\'}"
  case "${name:-venv}" in
    /*) echo "$name" ;;
    *) echo "$POLICY_PACK/${name:-venv}" ;;
  esac
}

# ci_policy_ready: exit 1 unless the pack, its config and its virtualenv are there.
ci_policy_ready() {
  if [ ! -f "$POLICY_PACK/PulumiPolicy.yaml" ]; then
    ci_error "no policy pack at $POLICY_PACK (POLICY_PACK)"
    exit 1
  fi
  if [ ! -f "$POLICY_CONFIG" ]; then
    ci_error "no policy pack config at $POLICY_CONFIG (POLICY_CONFIG)"
    exit 1
  fi
  if [ ! -x "$(ci_pack_venv)/bin/python" ]; then
    ci_error "the policy pack has no virtualenv at $(ci_pack_venv): run ci/setup-policy-pack.sh first"
    exit 1
  fi
}
