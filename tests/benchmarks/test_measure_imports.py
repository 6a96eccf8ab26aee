"""The measuring process takes its Pulumi tokens from components/core/naming.py, which must stay
cheap to import: importing the measurement loads none of the program's other modules (the
catalogue, the planner, pydantic, the look-ups) before the clock starts, so the timed program
run still pays for its own imports."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_measurement_loads_none_of_the_programs_modules_before_timing() -> None:
    code = (
        "import sys\nimport benchmarks.measure\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'catalog', 'components', 'previews', 'pydantic'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(
        ["components", "components.core", "components.core.naming", "components.core.target"]
    )
