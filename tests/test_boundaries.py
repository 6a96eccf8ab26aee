"""The code's boundaries, read from the source (imports at run time, not those under
`if TYPE_CHECKING:`): the pure core imports neither Pulumi nor an HTTP client, no two modules
import each other, and modules stay small. `plan` and `render` load neither the Pulumi SDK
nor httpx."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("catalog", "components", "policies", "previews", "simtenant", "benchmarks")
# The thin shells: the Pulumi program and its look-ups, the policy pack's wiring, and the tenant
# side's HTTP client. Every other module of the packages named in LAYERS is pure.
SHELLS = {
    "components.program",
    "components.lookups",
    "components.enterprise_app",
    "components.resource_api",
    "policies.pack",
    "policies.configure_hook",
    "policies.tenant_directory",
    "previews.tenant.graph_client",
    "previews.tenant.graph_paging",
    "previews.tenant.graph_errors",
    "previews.tenant.graph_credentials",
}
# What each package may import of the project (the longest name that a module's name starts
# with decides its layer). docs/design.md draws the same map.
LAYERS: dict[str, set[str]] = {
    "catalog": set(),
    "components.core": {"catalog"},
    "components": {"catalog", "components.core"},
    "policies": {"catalog", "components.core"},
    # the pack's reader of the tenant, with discover's Graph client (checked-before-write)
    "policies.tenant_directory": {"catalog", "components.core", "policies", "previews.tenant"},
    "policies.pack": {"catalog", "components.core", "policies", "policies.tenant_directory"},
    "previews.markdown": {"catalog"},
    "previews.plan": {"catalog", "components.core", "previews.markdown", "policies"},
    "previews.render": {"catalog", "components.core", "previews.markdown"},
    "previews.tenant": {"catalog", "components.core", "previews.markdown"},
    "previews.cli": {
        "catalog",
        "components.core",
        "previews.markdown",
        "previews.plan",
        "previews.render",
        "previews.tenant",
    },
    "previews": {"catalog", "previews.cli"},
}
PURE_PACKAGES = ("catalog", "components", "policies", "previews")
IMPURE = {"pulumi", "pulumi_azuread", "pulumi_policy", "httpx", "azure", "grpc"}
MAX_LINES = 400
TARGET_LINES = 300
# Modules allowed over TARGET_LINES (never past MAX_LINES): none today; a module that must grow
# past the target is listed here with its size, and the list only shrinks.
OVER_TARGET: dict[str, int] = {}


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(name: str, path: Path) -> set[str]:
    """Every module name imported at run time, at any depth of the file (functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    todo: list[ast.AST] = [ast.parse(path.read_text("utf-8"))]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _type_checking(node):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = (
                package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            )
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        todo.extend(ast.iter_child_nodes(node))
    return found


MODULES = modules()
IMPORTS = {name: runtime_imports(name, path) for name, path in MODULES.items()}


def test_the_pure_core_imports_no_pulumi_and_no_http_client() -> None:
    offenders = {
        name: sorted({i.split(".")[0] for i in imports} & IMPURE)
        for name, imports in IMPORTS.items()
        if name.split(".")[0] in PURE_PACKAGES and name not in SHELLS
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def layer(name: str) -> str | None:
    return max((k for k in LAYERS if name == k or name.startswith(k + ".")), key=len, default=None)


def test_each_package_imports_only_the_layers_beneath_it() -> None:
    ours = {package for package in PACKAGES} | {"tests"}
    offenders = {}
    for name, imports in IMPORTS.items():
        home = layer(name)
        if home is None:  # simtenant, benchmarks: anything but the tests
            if any(i.split(".")[0] == "tests" for i in imports):
                offenders[name] = sorted(i for i in imports if i.split(".")[0] == "tests")
            continue
        allowed = LAYERS[home] | {home}
        wrong = sorted(
            i
            for i in imports
            if i.split(".")[0] in ours and layer(i) not in allowed and i.split(".")[0] != "tests"
        )
        wrong += sorted(i for i in imports if i.split(".")[0] == "tests")
        if wrong:
            offenders[name] = wrong
    assert offenders == {}


def test_no_two_modules_import_each_other() -> None:
    internal = {name: {i for i in imports if i in MODULES} for name, imports in IMPORTS.items()}
    pairs = sorted(
        (a, b) for a, targets in internal.items() for b in targets if a < b and a in internal[b]
    )
    assert pairs == []


def test_modules_stay_small() -> None:
    sizes = {name: len(path.read_text("utf-8").splitlines()) for name, path in MODULES.items()}
    too_big = {n: s for n, s in sizes.items() if s > TARGET_LINES and s > OVER_TARGET.get(n, 0)}
    assert too_big == {}, f"over {TARGET_LINES} lines: split by job"
    assert all(limit <= MAX_LINES for limit in OVER_TARGET.values())


@pytest.mark.parametrize("command", [["plan", "--stack", "dev"], ["render", "--help"]])
def test_plan_and_render_load_neither_the_sdk_nor_httpx(command: list[str]) -> None:
    code = (
        "import sys\nfrom previews.__main__ import main\n"
        f"try:\n    main({command!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        f"set({sorted(IMPURE)!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("[]")
