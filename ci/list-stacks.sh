#!/usr/bin/env bash
# ci/list-stacks.sh: the project's stacks, for a workflow's matrix.
#
# Lists every Pulumi.<stack>.yaml of the project folder and writes two step outputs, JSON arrays
# sorted by name: `stacks` (every stack file) and `deployed` (all but the examples).
#
# Usage: ci/list-stacks.sh
# Environment: EXAMPLE_STACKS (space-separated stack names that are examples, never previewed
#   against a tenant nor deployed), GITHUB_OUTPUT (else the outputs go to stdout), PROJECT_DIR.
# Exit: 0 listed (possibly none); 1 a stack file whose name is not a stack name (letters,
#   digits, -, _, . only: the names reach shell, jq and the comment marker).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ci_enter_project

export LC_ALL=C # sort by byte, as everywhere else
shopt -s nullglob
stacks=()
bad=()
for file in Pulumi.*.yaml; do
  name="${file#Pulumi.}"
  name="${name%.yaml}"
  if [[ "$name" =~ $STACK_NAME_RE ]]; then
    stacks+=("$name")
  else
    bad+=("'$name'")
  fi
done
if [ "${#bad[@]}" -gt 0 ]; then
  ci_error "not stack names (letters, digits, -, _, . only): ${bad[*]}"
  exit 1
fi

read -r -a examples <<< "${EXAMPLE_STACKS:-}"
all="" deployed=""
for name in "${stacks[@]}"; do
  all+="${all:+,}\"$name\""
  example=false
  for e in "${examples[@]}"; do
    if [ "$e" = "$name" ]; then example=true; fi
  done
  if [ "$example" = false ]; then deployed+="${deployed:+,}\"$name\""; fi
done
ci_output stacks "[$all]"
ci_output deployed "[$deployed]"
