"""A bundled pack (as published) runs on its own, from a folder of any name, with its own copy
of the catalogue and of the pure core it imports (`components/core/`)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from policies.bundle import bundle
from simtenant.fakes.policy_analyzer import PolicyPackProcess
from simtenant.fakes.policy_corpus import CASES, build_resources, load_case
from simtenant.fakes.policy_stacks import (
    example_policy_config,
    example_stacks,
    program_resources,
    stack_config,
)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PolicyPackProcess]:
    out = bundle(tmp_path_factory.mktemp("published") / "0.1.0")
    assert not (out.parent / "catalog").exists()
    process = PolicyPackProcess(out / "__main__.py")
    try:
        yield process
    finally:
        process.close()


def test_bundle_holds_pack_and_catalogue(tmp_path: Path) -> None:
    out = bundle(tmp_path / "pack")
    for name in ("__main__.py", "rules.py", "PulumiPolicy.yaml", "requirements.txt"):
        assert (out / name).is_file(), name
    assert (out / "catalog" / "catalogue.py").is_file()
    assert (out / "components" / "__init__.py").is_file()
    for name in ("naming.py", "target.py"):
        assert (out / "components" / "core" / name).is_file(), name
    assert sorted(p.name for p in (out / "catalog" / "apps").glob("*.yaml")) == sorted(
        p.name for p in (Path(__file__).resolve().parents[2] / "catalog" / "apps").glob("*.yaml")
    )
    assert not list(out.rglob("__pycache__"))


def test_bundled_pack_judges_like_the_project_pack(bundled: PolicyPackProcess) -> None:
    bundled.configure(example_policy_config())
    (path,) = example_stacks()
    assert bundled.analyze_all(program_resources(stack_config(path), preview=True)) == []
    case = load_case(CASES / "unlisted-scope-tenant-grant.yaml")
    assert case.resources is not None
    found = bundled.analyze_all(build_resources(case.resources, preview=False))
    # Judged at the end (the stack rule) and before the write, with the ids resolved in the
    # tenant (the bundle's own Graph client).
    assert sorted((d.policy, d.resource) for d in found) == [
        ("catalogue-scopes-only", "m365-jira-teams-microsoft-graph-tenant"),
        ("checked-before-write", "m365-jira-teams-microsoft-graph-tenant"),
    ]


def test_bundled_pack_imports_its_own_copies(tmp_path: Path) -> None:
    """The bundled `__main__.py`, up to serving: the pack, the catalogue loader and the core it
    imports all load from the bundle, never from the project (installed in the test venv)."""
    out = bundle(tmp_path / "0.1.0").resolve()
    modules = (
        "entra_consent_policies.rules",
        "catalog.catalogue",
        "components.core.naming",
        "components.core.target",
    )
    code = (
        "import runpy, sys\n"
        "import pulumi_policy\n"
        "pulumi_policy.PolicyPack = lambda **_: None  # build the pack, do not serve it\n"
        f"runpy.run_path({str(out / '__main__.py')!r})\n"
        f"print('\\n'.join(sys.modules[m].__file__ for m in {modules!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    files = [Path(line) for line in done.stdout.splitlines()]
    assert files == [
        out / "rules.py",
        out / "catalog" / "catalogue.py",
        out / "components" / "core" / "naming.py",
        out / "components" / "core" / "target.py",
    ]
