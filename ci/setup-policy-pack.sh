#!/usr/bin/env bash
# ci/setup-policy-pack.sh: make the policy pack runnable by `pulumi preview|up --policy-pack`.
#
# Creates the pack's virtualenv where PulumiPolicy.yaml names it (policies/venv), installs
# policies/requirements.txt into it, and checks that the pack runs there: its modules import
# with that interpreter and the catalogue it reads (the project's catalog/, next to the pack)
# loads. Idempotent: an existing virtualenv is kept, and pip changes nothing when the pinned
# requirements are already installed. The Pulumi CLI never installs the pack's dependencies
# itself; without this the engine cannot start the pack.
#
# Usage: ci/setup-policy-pack.sh
# Environment: POLICY_PACK (default policies), PYTHON (the interpreter that creates the
#   virtualenv, default python3), PROJECT_DIR (see ci/lib.sh).
# Exit: 0 the pack is ready; 1 the virtualenv could not be made, pip failed, or the pack does not
#   import or its catalogue does not load (the reason on stderr).
set -euo pipefail
# shellcheck source=ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ci_enter_project

if [ ! -f "$POLICY_PACK/PulumiPolicy.yaml" ] || [ ! -f "$POLICY_PACK/requirements.txt" ]; then
  ci_error "no policy pack at $POLICY_PACK (PulumiPolicy.yaml and requirements.txt)"
  exit 1
fi
venv="$(ci_pack_venv)"
if [ -x "$venv/bin/python" ]; then
  ci_notice "setup-policy-pack: $venv exists (kept)"
else
  ci_notice "setup-policy-pack: creating $venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r "$POLICY_PACK/requirements.txt"

# What the engine's `python <pack>` does up to serving: the pack's modules as one package, the
# project's `catalog`, `components.core` and `previews.tenant` (the Graph client) packages beside
# it, then the catalogue the pack reads by default.
if ! "$venv/bin/python" - "$POLICY_PACK" << 'PY'; then
import importlib
import importlib.util
import sys
from pathlib import Path

pack = Path(sys.argv[1]).resolve()
sys.path[:0] = [str(pack), str(pack.parent)]
spec = importlib.util.spec_from_file_location(
    "entra_consent_policies", pack / "__init__.py", submodule_search_locations=[str(pack)]
)
assert spec is not None and spec.loader is not None
package = importlib.util.module_from_spec(spec)
sys.modules["entra_consent_policies"] = package
spec.loader.exec_module(package)
importlib.import_module("entra_consent_policies.pack")
source = importlib.import_module("entra_consent_policies.catalogue_source")
loaded = source.load(source.catalogue_dir(None, pack))
if loaded.catalogue is None:
    sys.exit(loaded.failure)
print(f"setup-policy-pack: the pack imports with {sys.executable}; catalogue {loaded.path} loads",
      file=sys.stderr)
PY
  ci_error "the policy pack at $POLICY_PACK does not run with $venv (see above)"
  exit 1
fi
