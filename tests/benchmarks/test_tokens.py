"""The measuring process's copy of the Pulumi tokens (benchmarks/tokens.py): equal to the
program's own, and the reason for the copy holds: importing the measurement loads none of the
program's modules before the clock starts."""

from __future__ import annotations

import subprocess
import sys

from benchmarks import tokens
from components import lookups
from components.core.naming import SERVICE_PRINCIPAL_TYPE
from simtenant.provider import get_group
from tests.conftest import ROOT


def test_the_tokens_are_the_programs_own() -> None:
    assert tokens.SERVICE_PRINCIPAL == SERVICE_PRINCIPAL_TYPE
    assert tokens.GET_USERS == lookups.GET_USERS
    assert tokens.GET_SERVICE_PRINCIPAL == lookups.GET_SERVICE_PRINCIPAL
    assert tokens.GET_CLIENT_CONFIG == lookups.GET_CLIENT_CONFIG
    assert tokens.GET_GROUP == get_group.TOKEN  # the program calls the typed `get_group`


def test_the_measurement_loads_none_of_the_programs_modules_before_timing() -> None:
    code = (
        "import sys\nimport benchmarks.measure\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'catalog', 'components', 'previews', 'pydantic'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
