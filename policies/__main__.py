"""Entry point the Pulumi CLI runs: build the policy pack and serve it (prints its port)."""

import importlib
import importlib.util
import sys
from pathlib import Path

PACK_DIR = Path(__file__).resolve().parent
PACKAGE = "entra_consent_policies"

# The pack's modules load as one package whatever the folder is called (a published pack runs
# from a versioned folder); `catalog` and `components.core` come from bundled copies or from the
# project around it.
sys.path[:0] = [str(PACK_DIR), str(PACK_DIR.parent)]
spec = importlib.util.spec_from_file_location(
    PACKAGE, PACK_DIR / "__init__.py", submodule_search_locations=[str(PACK_DIR)]
)
assert spec is not None and spec.loader is not None
package = importlib.util.module_from_spec(spec)
sys.modules[PACKAGE] = package
spec.loader.exec_module(package)

importlib.import_module(f"{PACKAGE}.pack").build_pack()
