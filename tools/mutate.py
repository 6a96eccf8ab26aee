"""Mutation testing of the pure core and the policy pack: `make mutate` (docs/testing.md).

Each mutant is the module's source with one small change (a comparison turned round, `and` for
`or`, `not` dropped, a constant changed, a call statement dropped, `.lower()` dropped, a
`return` of None, ...). It is run against that module's own tests (MODULES below); a mutant the
tests fail on (or time out on) is killed, one they pass is a survivor. The score is killed/total
per module, printed raw and less the equivalent mutants listed in tests/mutation-equivalents.md.

The run never touches the work tree: each worker copies the repository (without venv/, .git/,
node_modules/) into a temporary folder and writes the mutant there, so the policy pack processes
that tests start see it too. A worker imports pytest, hypothesis and the other heavy libraries
once and forks a fresh child per mutant (no project module is imported before the fork), which
costs a fraction of a second instead of pytest's start-up.

    python tools/mutate.py                          # every module
    python tools/mutate.py --modules rules,planner  # some
    python tools/mutate.py --file policies/links.py --lines 40-80
    python tools/mutate.py --list --modules planner # the mutants, not run
    python tools/mutate.py --show ID                # one mutant's diff (ids as --list prints them)
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import difflib
import json
import os
import queue
import re
import select
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation-equivalents.md"
RESULTS = ROOT / "out" / "mutation" / "results.json"


@dataclass(frozen=True)
class Module:
    """A unit scored on its own: the files mutated and the tests each mutant runs."""

    files: tuple[str, ...]
    tests: tuple[str, ...]
    # Tests that reach the code in a process of their own (the policy pack's), where line
    # coverage cannot follow: they run for every mutant of the module.
    opaque: tuple[str, ...] = ()


# module -> (files mutated, tests run). Test entries are globs relative to the repository.
MODULES: dict[str, Module] = {
    "planner": Module(
        ("components/core/planner.py",),
        (
            "tests/components/core/test_planner*.py",
            "tests/components/core/test_renames.py",
            "tests/components/test_assigned_consent.py",
        ),
    ),
    "settings": Module(
        ("components/core/settings.py", "components/core/settings_checks.py"),
        (
            "tests/components/core/test_settings*.py",
            "tests/components/core/test_stack_file.py",
            "tests/components/test_assigned_consent.py",
        ),
    ),
    "rules": Module(
        (
            "policies/rules.py",
            "policies/catalogue_rules.py",
            "policies/grant_rules.py",
            "policies/first_party.py",
            "policies/catalogue_view.py",
            "policies/closed_world.py",
            "policies/links.py",
            "policies/violation.py",
        ),
        ("tests/policies/test_rules*.py", "tests/policies/test_corpus.py"),
        ("tests/policies/test_corpus.py",),
    ),
    "before_write": Module(
        ("policies/before_write.py", "policies/option_rules.py"),
        (
            "tests/policies/test_before_write.py",
            "tests/policies/test_option_rules.py",
            "tests/policies/test_corpus.py",
        ),
        ("tests/policies/test_corpus.py",),
    ),
    "resources": Module(
        ("policies/resources.py", "policies/stack.py", "policies/property_values.py"),
        ("tests/policies/test_rules*.py", "tests/policies/test_corpus.py"),
        ("tests/policies/test_corpus.py",),
    ),
    "consent_diff": Module(
        (
            "previews/render/consent_diff.py",
            "previews/render/consent_changes.py",
            "previews/render/consent_unmapped.py",
            "previews/render/render_changes.py",
            "previews/render/render_unmapped.py",
        ),
        ("tests/previews/render/test_*.py", "tests/previews/cli/test_render_gate.py"),
    ),
    "graph_client": Module(
        (
            "previews/tenant/graph_client.py",
            "previews/tenant/graph_url.py",
            "previews/tenant/graph_progress.py",
            "previews/tenant/graph_paging.py",
            "previews/tenant/graph_errors.py",
        ),
        (
            "tests/previews/tenant/test_discover_graph_client*.py",
            "tests/previews/tenant/test_discover_bounds.py",
        ),
    ),
    "text": Module(
        ("catalog/text.py",),
        ("tests/catalog/test_text.py", "tests/previews/test_markdown_kit.py"),
    ),
    "render_gate": Module(
        ("previews/cli/render_command.py", "previews/render/digest.py"),
        ("tests/previews/render/test_*.py", "tests/previews/cli/test_render_gate.py"),
    ),
}

PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "-m", "not e2e"]
# Libraries a worker imports before it forks; never a project module.
PRELOAD = ["pytest", "hypothesis", "pydantic", "yaml", "httpx", "jsonschema", "cmarkgfm"]
COPY_EXCLUDE = {".git", "venv", "node_modules", ".cache", "out", ".mypy_cache", ".ruff_cache"}
COPY_EXCLUDE_ANYWHERE = {"__pycache__", ".pytest_cache", ".hypothesis"}

# ---------------------------------------------------------------------------------------------
# The mutants


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the repository
    line: int
    col: int
    index: int  # several mutations of one node
    description: str
    source: str  # the whole mutated file
    first_line: int  # of the statement holding the change: its coverage decides the tests
    last_line: int

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}:{self.col}:{self.index}"


COMPARE_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
    ast.Pow: ast.Mult,
}
TYPE_FORMS = {"Literal", "Annotated", "Union", "Optional", "Callable", "type"}
NORMALISERS = {"lower", "upper", "casefold", "strip", "lstrip", "rstrip"}
# A string that is a key, a name or a value rather than prose: changing it is a typo the tests
# should notice. Messages (with spaces) are left alone.
KEYLIKE = re.compile(r"^[A-Za-z_@$][\w.\-/:@$]{0,59}$")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Finder(ast.NodeVisitor):
    """Every (node, replacement text, description) of a module, outside what cannot matter:
    docstrings, annotations, imports, decorators, `__all__`, f-strings."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[tuple[ast.AST, str, str, int]] = []
        self.stmt_line = 0

    def visit(self, node: ast.AST) -> Any:
        if not isinstance(node, ast.stmt):
            return super().visit(node)
        saved, self.stmt_line = self.stmt_line, node.lineno
        try:
            return super().visit(node)
        finally:
            self.stmt_line = saved

    def seg(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or ast.unparse(node)

    def add(self, node: ast.AST, text: str, before: str | None = None) -> None:
        shown = before if before is not None else self.seg(node)
        self.found.append((node, text, f"{_short(shown)} → {_short(text)}", self.stmt_line))

    # what is never mutated
    def visit_Import(self, node: ast.Import) -> None:
        return

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Name) and node.value.id in TYPE_FORMS:
            return  # a type (`Literal["tenant", ...]`, a type alias): nothing runs it
        self.generic_visit(node)

    def _body(self, body: list[ast.stmt]) -> None:
        start = 0
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            start = 1  # the docstring
        for stmt in body[start:]:
            self.visit(stmt)

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            self.visit(base)
        self._body(node.body)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self._body(node.body)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        self.generic_visit(node)

    # the mutations
    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            swap = COMPARE_SWAP.get(type(op))
            if swap is not None:
                ops = list(node.ops)
                ops[i] = swap()
                self.add(node, ast.unparse(ast.Compare(node.left, ops, node.comparators)))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self.add(node, ast.unparse(ast.BoolOp(other, node.values)))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not | ast.USub):
            self.add(node, self.seg(node.operand))
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = BINOP_SWAP.get(type(node.op))
        # text joined with `+`: any other operator fails on first use, which tells nothing more
        # than a dropped statement would
        if swap is not None and not (_is_text(node.left) or _is_text(node.right)):
            self.add(node, ast.unparse(ast.BinOp(node.left, swap(), node.right)))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        swap = BINOP_SWAP.get(type(node.op))
        if swap is not None:
            self.add(node, ast.unparse(ast.AugAssign(node.target, swap(), node.value)))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self.add(node, repr(not value))
        elif isinstance(value, int | float):
            self.add(node, repr(value + 1))
        elif isinstance(value, str) and KEYLIKE.match(value):
            self.add(node, repr(f"XX{value}XX"))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in NORMALISERS
            and not node.args
            and not node.keywords
        ):
            self.add(node, self.seg(func.value))
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call | ast.Await):
            self.add(node, "pass")
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None
        ):
            self.add(node, "return None")
        self.generic_visit(node)

    def visit_Break(self, node: ast.Break) -> None:
        self.add(node, "continue")

    def visit_Continue(self, node: ast.Continue) -> None:
        self.add(node, "break")


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _needs_parens(node: ast.AST, text: str) -> bool:
    if isinstance(node, ast.stmt):
        return False
    return not re.fullmatch(r"[\w.]+|'[^']*'|\"[^\"]*\"", text)


def mutants_of(path: str, source: str) -> Iterator[Mutant]:
    tree = ast.parse(source)
    finder = _Finder(source)
    finder.visit(tree)
    data = source.encode()
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    original = ast.dump(tree)
    seen: set[str] = set()
    per_node: dict[tuple[int, int], int] = {}
    for node, text, description, stmt_line in finder.found:
        begin = starts[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
        end = starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
        new = f"({text})" if _needs_parens(node, text) else text
        mutated = (data[:begin] + new.encode() + data[end:]).decode()
        try:
            if ast.dump(ast.parse(mutated)) == original:
                continue
        except SyntaxError:
            continue
        if mutated in seen:
            continue
        seen.add(mutated)
        key = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        index = per_node.get(key, 0)
        per_node[key] = index + 1
        last = node.end_lineno  # type: ignore[attr-defined]
        yield Mutant(
            path, key[0], key[1], index, description, mutated, min(stmt_line, key[0]), last
        )


# ---------------------------------------------------------------------------------------------
# Equivalent mutants (tests/mutation-equivalents.md)


@dataclass(frozen=True)
class Equivalent:
    path: str
    line: int
    mutation: str
    why: str


def read_equivalents(path: Path = EQUIVALENTS) -> list[Equivalent]:
    """The table rows `| file | line | mutation | why |` of the equivalents file."""
    found: list[Equivalent] = []
    if not path.exists():
        return found
    for raw in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", raw.strip().strip("|"))]
        if len(cells) != 4 or not cells[1].isdigit():
            continue
        found.append(Equivalent(cells[0].strip("`"), int(cells[1]), _unquote(cells[2]), cells[3]))
    return found


def _unquote(cell: str) -> str:
    cell = cell.replace("\\|", "|")
    if cell.startswith("`") and cell.endswith("`"):
        cell = cell[1:-1].strip()
    return cell


def match_equivalents(
    mutants: Sequence[Mutant], equivalents: Sequence[Equivalent]
) -> dict[str, Equivalent]:
    """Mutant id -> its entry: same file and mutation text, the nearest line (lines move)."""
    matched: dict[str, Equivalent] = {}
    for entry in equivalents:
        candidates = [
            m
            for m in mutants
            if m.path == entry.path and m.description == entry.mutation and m.id not in matched
        ]
        if candidates:
            best = min(candidates, key=lambda m: abs(m.line - entry.line))
            matched[best.id] = entry
    return matched


# ---------------------------------------------------------------------------------------------
# The workers


def _copy_tree(source: Path, dest: Path) -> None:
    """The repository as it is now, into `dest` (no git, no venv, no caches)."""

    def keep(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        parts = Path(info.name).parts
        if parts and parts[0] in COPY_EXCLUDE:
            return None
        if COPY_EXCLUDE_ANYWHERE.intersection(parts):
            return None
        return info

    with tempfile.TemporaryFile() as buffer:
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            tar.add(source, arcname=".", filter=keep)
        buffer.seek(0)
        with tarfile.open(fileobj=buffer, mode="r") as tar:
            tar.extractall(dest, filter="tar")
    for name in ("venv", "node_modules"):
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name)


def worker_main(tree: Path) -> None:
    """`--worker TREE`: run the jobs read from stdin (JSON lines), answer on stdout."""
    os.chdir(tree)
    sys.path.insert(0, str(tree))
    sys.dont_write_bytecode = True
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(name)
    from hypothesis import HealthCheck, Phase, settings

    # Deterministic examples and no example database: a mutant's verdict is the same each run;
    # no shrinking: a failure is all a mutant needs.
    settings.register_profile(
        "mutate",
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    out = sys.stdout
    log = tree / ".mutate.log"
    for raw in sys.stdin:
        job = json.loads(raw)
        target = tree / job["path"]
        original = target.read_text(encoding="utf-8")
        if job["source"] is not None:
            target.write_text(job["source"], encoding="utf-8")
        try:
            status, seconds = _run_child(tree, log, job)
        finally:
            target.write_text(original, encoding="utf-8")
        tail = ""
        if job.get("want_log"):
            tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        out.write(json.dumps({"status": status, "seconds": seconds, "log": tail}) + "\n")
        out.flush()


class _Select:
    """Pytest plugin: run only the tests named (node ids, or whole files), in their order."""

    def __init__(self, ids: list[str], files: list[str], durations: dict[str, float]) -> None:
        self.ids = set(ids)
        self.files = set(files)
        self.durations = durations

    def wanted(self, item: Any) -> bool:
        return item.nodeid in self.ids or item.nodeid.split("::")[0] in self.files

    def pytest_collection_modifyitems(self, config: Any, items: list[Any]) -> None:
        order = {item.nodeid.split("::")[0]: i for i, item in reversed(list(enumerate(items)))}
        kept = sorted(
            (item for item in items if self.wanted(item)),
            # quickest first within each file (a module's fixtures stay together): -x stops
            # at the first failure
            key=lambda i: (order[i.nodeid.split("::")[0]], self.durations.get(i.nodeid, 0.0)),
        )
        dropped = [item for item in items if not self.wanted(item)]
        items[:] = kept
        config.hook.pytest_deselected(items=dropped)


class _Cover:
    """Pytest plugin and tracer: which test runs which line of the mutated files (lines run
    outside any test, at import or collection, are filed under the empty node id)."""

    def __init__(self, files: list[str]) -> None:
        self.files = {os.path.abspath(f): f for f in files}
        self.current = ""
        self.hits: dict[str, dict[int, set[str]]] = {f: {} for f in files}
        self.durations: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + report.duration

    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> None:
        self.current = item.nodeid

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        self.current = ""

    def trace(self, frame: Any, event: str, arg: Any) -> Any:
        path = self.files.get(frame.f_code.co_filename)
        if path is None:
            return None
        lines = self.hits[path]

        def local(frame: Any, event: str, arg: Any) -> Any:
            if event == "line":
                lines.setdefault(frame.f_lineno, set()).add(self.current)
            return local

        lines.setdefault(frame.f_lineno, set()).add(self.current)
        return local

    def dump(self) -> dict[str, Any]:
        lines = {
            path: {str(line): sorted(ids) for line, ids in lines.items()}
            for path, lines in self.hits.items()
        }
        return {"lines": lines, "durations": self.durations}


def _run_child(tree: Path, log: Path, job: dict[str, Any]) -> tuple[str, float]:
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: pytest on the module's tests, in the copy
        code = 3
        try:
            os.setpgid(0, 0)
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.environ["HYPOTHESIS_PROFILE"] = "mutate"
            os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
            import pytest

            plugins: list[Any] = []
            if job.get("select") is not None:
                chosen = job["select"]
                plugins.append(_Select(chosen["ids"], chosen["files"], chosen["durations"]))
            cover = _Cover(job["cover"]) if job.get("cover") else None
            if cover is not None:
                plugins.append(cover)
                threading.settrace(cover.trace)
                sys.settrace(cover.trace)
            args = [*PYTEST_ARGS, *job["tests"]]
            if cover is not None:
                args.remove("-x")  # the whole module's tests, for the coverage
            code = int(pytest.main(args, plugins=plugins))
            if cover is not None:
                sys.settrace(None)
                (tree / ".mutate-cover.json").write_text(json.dumps(cover.dump()))
        except BaseException:
            code = 3
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = started + float(job["timeout"])
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout", time.monotonic() - started
        time.sleep(0.02)
    # anything the tests left running (a policy pack process)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return "survived", seconds
    if code in (1, 2, 3):  # tests failed, collection failed (the mutant broke an import)
        return "killed", seconds
    return f"error (pytest exit {code})", seconds


class Worker:
    def __init__(self, tree: Path) -> None:
        self.tree = tree
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tools" / "mutate.py"), "--worker", str(tree)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], float(job["timeout"]) + 60)
        if not ready:
            raise RuntimeError(f"worker in {self.tree} stopped answering")
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed | survived | timeout | not run | error ...
    seconds: float = 0.0


@dataclass
class ModuleRun:
    name: str
    mutants: list[Mutant]
    outcomes: list[Outcome] = field(default_factory=list)
    baseline: float = 0.0
    failed: str = ""


def test_files(module: Module, base: Path = ROOT) -> list[str]:
    found: list[str] = []
    for pattern in module.tests:
        for path in sorted(base.glob(pattern)):
            rel = path.relative_to(base).as_posix()
            if rel not in found:
                found.append(rel)
    return found


def _in_lines(line: int, spec: str | None) -> bool:
    if not spec:
        return True
    low, _, high = spec.partition("-")
    return int(low) <= line <= int(high or low)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--modules", default="", help="comma-separated, default every module")
    parser.add_argument("--file", help="only mutants of this file (repository-relative)")
    parser.add_argument("--lines", help="only mutants on these lines of --file: N or N-M")
    parser.add_argument("--only", action="append", default=[], help="one mutant id (repeatable)")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", "1")))
    parser.add_argument(
        "--time-limit",
        type=float,
        default=float(os.environ.get("MUTATE_TIME_LIMIT", "3600")),
        help="seconds for the whole run; mutants not started by then are reported as not run",
    )
    parser.add_argument("--fail-under", type=float, default=90.0, help="adjusted %% per module")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--show", help="print the diff of one mutant id")
    parser.add_argument(
        "--verbose", action="store_true", help="pytest's output of each mutant run (with --only)"
    )
    parser.add_argument(
        "--source-root",
        type=Path,
        default=ROOT,
        help="mutate and test a copy of this tree instead (e.g. a checkout of an older commit)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main(Path(args.worker))
        return 0

    names = [n for n in args.modules.replace(" ", ",").split(",") if n] or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; known: {', '.join(MODULES)}")
    if args.file:
        names = [n for n in names if args.file in MODULES[n].files]
        if not names:
            parser.error(f"{args.file} is in no module of {', '.join(MODULES)}")

    runs: list[ModuleRun] = []
    everything: list[Mutant] = []
    for name in names:
        mutants: list[Mutant] = []
        for path in MODULES[name].files:
            if args.file and path != args.file:
                continue
            source = (args.source_root / path).read_text(encoding="utf-8")
            for mutant in mutants_of(path, source):
                if args.file and not _in_lines(mutant.line, args.lines):
                    continue
                if args.only and mutant.id not in args.only:
                    continue
                mutants.append(mutant)
        runs.append(ModuleRun(name, mutants))
        everything += mutants

    if args.show:
        for mutant in everything:
            if mutant.id == args.show:
                original = (args.source_root / mutant.path).read_text(encoding="utf-8")
                sys.stdout.writelines(
                    difflib.unified_diff(
                        original.splitlines(keepends=True),
                        mutant.source.splitlines(keepends=True),
                        f"a/{mutant.path}",
                        f"b/{mutant.path}",
                    )
                )
                return 0
        print(f"no mutant {args.show}", file=sys.stderr)
        return 2

    equivalents = read_equivalents()
    matched = match_equivalents(everything, equivalents)
    if args.list:
        for run in runs:
            for mutant in run.mutants:
                flag = "  [equivalent]" if mutant.id in matched else ""
                print(f"{run.name}  {mutant.id}  {mutant.description}{flag}")
        print(f"{len(everything)} mutants")
        return 0

    started = time.monotonic()
    deadline = started + args.time_limit
    jobs = max(1, args.jobs)
    scratch = Path(tempfile.mkdtemp(prefix="entra-consent-mutate-"))
    workers: list[Worker] = []
    try:
        for i in range(jobs):
            tree = scratch / f"tree{i}"
            tree.mkdir()
            _copy_tree(args.source_root, tree)
            workers.append(Worker(tree))
        for run in runs:
            _run_module(run, workers, deadline, args.verbose)
    finally:
        for worker in workers:
            worker.close()
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.monotonic() - started
    return _report(runs, matched, equivalents, elapsed, args)


def _run_module(run: ModuleRun, workers: list[Worker], deadline: float, verbose: bool) -> None:
    module = MODULES[run.name]
    tests = test_files(module, workers[0].tree)  # the copy: the tests as they were
    opaque = test_files(Module((), module.opaque), workers[0].tree)
    if not run.mutants:
        return
    if time.monotonic() > deadline:
        run.outcomes = [Outcome(m, "not run") for m in run.mutants]
        return
    baseline = {
        "path": run.mutants[0].path,
        "source": None,
        "tests": tests,
        "timeout": 1800.0,
        "want_log": True,
        "cover": list(module.files),
    }
    answer = workers[0].run(baseline)
    run.baseline = float(answer["seconds"])
    if answer["status"] != "survived":
        run.failed = f"the module's tests fail unmutated ({answer['status']}):\n{answer['log']}"
        run.outcomes = [Outcome(m, "not run") for m in run.mutants]
        print(f"{run.name}: {run.failed}", file=sys.stderr)
        return
    cover_file = workers[0].tree / ".mutate-cover.json"
    covered = json.loads(cover_file.read_text())
    coverage: dict[str, dict[str, list[str]]] = covered["lines"]
    durations: dict[str, float] = covered["durations"]
    timeout = max(20.0, 2 * run.baseline + 10)
    print(
        f"{run.name}: {len(run.mutants)} mutants, tests {run.baseline:.1f} s unmutated with "
        f"coverage ({', '.join(tests)}), timeout {timeout:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    pending: queue.Queue[tuple[int, Mutant]] = queue.Queue()
    for item in enumerate(run.mutants):
        pending.put(item)
    results: dict[int, Outcome] = {}
    lock = threading.Lock()

    def selection(mutant: Mutant) -> tuple[list[str], dict[str, Any]]:
        """The test files to run for a mutant and which of their tests (None: all)."""
        lines = coverage.get(mutant.path, {})
        ids: set[str] = set()
        for line in range(mutant.first_line, mutant.last_line + 1):
            ids.update(lines.get(str(line), ()))
        if "" in ids:  # run at import or collection: any test may depend on it
            return tests, {"ids": [], "files": tests, "durations": durations}
        files = [t for t in tests if t in opaque or any(i.split("::")[0] == t for i in ids)]
        return files, {"ids": sorted(ids), "files": opaque, "durations": durations}

    def drain(worker: Worker) -> None:
        while True:
            try:
                i, mutant = pending.get_nowait()
            except queue.Empty:
                return
            files, keep = selection(mutant)
            if time.monotonic() > deadline:
                outcome = Outcome(mutant, "not run")
            elif not files:
                outcome = Outcome(mutant, "uncovered")
            else:
                job = {
                    "path": mutant.path,
                    "source": mutant.source,
                    "tests": files,
                    "timeout": timeout,
                    "want_log": verbose,
                    "select": keep,
                }
                answer = worker.run(job)
                outcome = Outcome(mutant, str(answer["status"]), float(answer["seconds"]))
                if verbose:
                    print(f"--- {mutant.id}: {outcome.status}\n{answer['log']}", file=sys.stderr)
            with lock:
                results[i] = outcome
                if len(results) % 25 == 0:
                    print(f"  {run.name}: {len(results)}/{len(run.mutants)}", file=sys.stderr)

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.outcomes = [results[i] for i in range(len(run.mutants))]
    for o in run.outcomes:
        if o.status in ("survived", "uncovered"):
            print(f"  survivor {o.mutant.id}  {o.mutant.description}", file=sys.stderr)


SURVIVED = ("survived", "uncovered")
KILLED = ("killed", "timeout")


def _row(name: str, outcomes: list[Outcome], matched: dict[str, Equivalent]) -> tuple[str, float]:
    total = len(outcomes)
    killed = sum(1 for o in outcomes if o.status in KILLED)
    survived = sum(1 for o in outcomes if o.status in SURVIVED)
    uncovered = sum(1 for o in outcomes if o.status == "uncovered")
    timeouts = sum(1 for o in outcomes if o.status == "timeout")
    other = total - killed - survived
    equiv = sum(1 for o in outcomes if o.mutant.id in matched and o.status in SURVIVED)
    raw = 100.0 * killed / total if total else 100.0
    adjusted = 100.0 * killed / (total - equiv) if total - equiv else 100.0
    line = (
        f"{name:<34}{total:>7}{killed:>7}{survived:>7}{uncovered:>7}{timeouts:>7}{other:>7}"
        f"{equiv:>7}{raw:>7.1f}{adjusted:>7.1f}"
    )
    return line, adjusted


def _report(
    runs: list[ModuleRun],
    matched: dict[str, Equivalent],
    equivalents: list[Equivalent],
    elapsed: float,
    args: argparse.Namespace,
) -> int:
    print()
    header = (
        f"{'module':<34}{'total':>7}{'killed':>7}{'surv.':>7}{'uncov.':>7}{'t/out':>7}"
        f"{'no run':>7}{'equiv':>7}{'raw%':>7}{'adj%':>7}"
    )
    print(header)
    print("-" * len(header))
    below: list[str] = []
    for run in runs:
        line, adjusted = _row(run.name, run.outcomes, matched)
        print(line)
        if adjusted < args.fail_under:
            below.append(run.name)
        files = sorted({o.mutant.path for o in run.outcomes})
        if len(files) > 1:
            for path in files:
                mine = [o for o in run.outcomes if o.mutant.path == path]
                print(_row(f"  {path}", mine, matched)[0])
    print(
        "\nkilled: a test failed (t/out: a test ran past the time limit, counted as killed); "
        "surv.: every test passed\n(uncov.: no test runs the line at all); raw% = killed / total; "
        f"adj% = killed / (total - equiv), equiv being the\nsurvivors listed in "
        f"{EQUIVALENTS.relative_to(ROOT)}; the target ({args.fail_under:g}%) applies to adj%."
    )
    print(f"time: {elapsed:.0f} s")

    for run in runs:
        survivors = [o for o in run.outcomes if o.status in SURVIVED and o.mutant.id not in matched]
        if survivors:
            print(f"\n{run.name}: {len(survivors)} surviving mutant(s)")
            for o in survivors:
                flag = "  [no test runs this line]" if o.status == "uncovered" else ""
                print(f"  {o.mutant.id}  {o.mutant.description}{flag}")
        odd = [o for o in run.outcomes if o.status not in (*SURVIVED, *KILLED)]
        if odd:
            print(f"\n{run.name}: {len(odd)} mutant(s) not run")
            for o in odd[:20]:
                print(f"  {o.mutant.id}  {o.status}: {o.mutant.description}")
        if run.failed:
            print(f"\n{run.name}: {run.failed}")
    shown = [o for run in runs for o in run.outcomes if o.mutant.id in matched]
    if shown:
        print(f"\nequivalent mutants ({EQUIVALENTS.relative_to(ROOT)}):")
        for o in shown:
            entry = matched[o.mutant.id]
            note = "" if o.status in SURVIVED else f"  !! {o.status}: not equivalent, unlist it"
            print(f"  {o.mutant.id}  {o.mutant.description}{note}\n      {entry.why}")
    if not args.file and not args.only:
        mutated = {p for run in runs for p in MODULES[run.name].files}
        for entry in equivalents:
            if entry.path in mutated and entry not in matched.values():
                print(f"  stale entry (no such mutant): {entry.path}:{entry.line} {entry.mutation}")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = {
        "seconds": round(elapsed, 1),
        "modules": {
            run.name: [
                {
                    "id": o.mutant.id,
                    "mutation": o.mutant.description,
                    "status": o.status,
                    "equivalent": o.mutant.id in matched,
                    "seconds": round(o.seconds, 2),
                }
                for o in run.outcomes
            ]
            for run in runs
        },
    }
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"results: {RESULTS.relative_to(ROOT)}")
    if any(o.status not in (*SURVIVED, *KILLED) for run in runs for o in run.outcomes):
        print("\nincomplete: some mutants were not run (time limit or errors)")
        return 3
    if below and not args.file and not args.only:
        print(f"\nbelow {args.fail_under:g}%: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
