"""Every loader of a file a person or a tool hands us, fed hostile bytes: each returns or raises
ConfigurationError whose problems are one line each, naming the file, within a couple of
seconds. Never a traceback, never a hang.

Loaders: stack files (read as `plan` does, and as the program receives config), catalogue
files, Pulumi.yaml, preview digests (`pulumi preview --json`), engine event logs, tenant
snapshots of `discover`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.catalogue import load_catalogue
from catalog.problems import ConfigurationError
from catalog.yamlfile import read_yaml
from components.core.settings import settings_from_config
from components.core.stack_file import load_stack, read_stack_config
from previews.render.digest import parse_digest, read_policy_events
from previews.tenant.discover import load_snapshot
from simtenant.fakes.mock_runtime import ROOT

EXAMPLE_STACK = (ROOT / "Pulumi.dev.yaml").read_bytes()
APPS_FILE = (ROOT / "catalog" / "apps" / "jemhc.yaml").read_bytes()
DIGEST = (ROOT / "tests" / "previews" / "digests" / "engine-change.json").read_bytes()

# Pieces hostile YAML and JSON are made of: anchors, aliases, merge keys, deep brackets,
# tags, YAML 1.1 booleans, invisible and control characters, quotes, byte order marks.
TOKENS = [
    "config:\n",
    "  azuread:tenantId: 11111111-2222-3333-4444-555555555555\n",
    "  entra-consent:features:\n",
    "  entra-consent:catalog: ",
    "    teams: {consent: tenant}\n",
    "    email: {consent: principals, users: [",
    "assign: ",
    "groups: [",
    "&a ",
    "*a",
    "&b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "<<: ",
    "<<: *a",
    "[" * 50,
    "]" * 50,
    "{" * 20,
    "}",
    "[",
    "]",
    ", ",
    ": ",
    "- ",
    "\n",
    "  ",
    "\t",
    "yes",
    "no",
    "on",
    "~",
    "null",
    "12",
    "2024-01-01",
    "0x1F",
    "'",
    '"',
    "#",
    "!!binary ",
    "!!python/object/apply:os.system ",
    "!!set ",
    "? ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "\u200b",
    "\u202e",
    "\ud800",
    "é",
    "../../",
    "/" * 300,
    "a" * 300,
    "11111111-2222-3333-4444-555555555555\n",
    '{"steps": [',
    '{"resourcePreEvent": {"metadata": ',
    '"op": "create", "urn": "urn:pulumi:',
    "\\u0000",
    "1e999999",
    "-0",
]


def encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def hostile_text() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def mutated(original: bytes) -> st.SearchStrategy[bytes]:
    """The file with a few bytes replaced, removed or inserted."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data)))
            kind = draw(st.sampled_from(["replace", "delete", "insert"]))
            chunk = draw(st.one_of(st.binary(min_size=1, max_size=4), hostile_text().map(encoded)))
            if kind == "replace":
                data[at : at + len(chunk)] = chunk
            elif kind == "delete":
                del data[at : at + draw(st.integers(1, 40))]
            else:
                data[at:at] = chunk
        return bytes(data)

    return build()


def hostile_bytes(original: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=600), hostile_text().map(encoded), mutated(original))


FUZZ = settings(
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def assert_one_line_each(error: ConfigurationError, file: str) -> None:
    assert error.problems
    for problem in error.problems:
        line = str(problem)
        assert "\n" not in line and "\r" not in line, line
        assert line.startswith(file + ":") or line.startswith(file.rsplit("/", 1)[-1]), line


def outcome(load: Callable[[], Any], file: str) -> None:
    try:
        load()
    except ConfigurationError as error:
        assert_one_line_each(error, file)


@contextmanager
def project(stack: bytes) -> Iterator[Path]:
    """A project folder: the shipped catalogue and a stack file `Pulumi.fuzz.yaml`."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        shutil.copytree(ROOT / "catalog" / "apis", folder / "catalog" / "apis")
        shutil.copytree(ROOT / "catalog" / "apps", folder / "catalog" / "apps")
        (folder / "Pulumi.fuzz.yaml").write_bytes(stack)
        yield folder
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(hostile_bytes(EXAMPLE_STACK))
def test_stack_file_as_plan_reads_it(raw: bytes) -> None:
    with project(raw) as folder:
        outcome(
            lambda: load_stack(read_stack_config(folder, "fuzz"), folder, "Pulumi.fuzz.yaml"),
            "Pulumi.fuzz.yaml",
        )


@FUZZ
@given(hostile_bytes(EXAMPLE_STACK))
def test_stack_config_as_the_program_receives_it(raw: bytes) -> None:
    """The language host hands config values as strings, structured ones as JSON."""
    text = raw.decode("utf-8", "replace")
    config = {
        "azuread:tenantId": text[:60],
        "entra-consent:features": text,
        "entra-consent:apps": json.dumps({"jemhc": {"notes": text}}),
        "entra-consent:catalog": text[:200],
    }
    outcome(lambda: load_stack(config, ROOT, "Pulumi.fuzz.yaml"), "Pulumi.fuzz.yaml")
    outcome(lambda: settings_from_config(config, "Pulumi.fuzz.yaml"), "Pulumi.fuzz.yaml")


@FUZZ
@given(hostile_bytes(APPS_FILE))
def test_catalogue_file(raw: bytes) -> None:
    with project(EXAMPLE_STACK) as folder:
        (folder / "catalog" / "apps" / "jemhc.yaml").write_bytes(raw)
        outcome(
            lambda: load_catalogue(folder / "catalog", relative_to=folder),
            "catalog/apps/jemhc.yaml",
        )


@FUZZ
@given(hostile_bytes(b"name: entra-consent\nruntime: python\n"))
def test_yaml_file(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Pulumi.yaml"
        path.write_bytes(raw)
        _, problems = read_yaml(path, "Pulumi.yaml")
        for problem in problems:
            assert "\n" not in str(problem) and str(problem).startswith("Pulumi.yaml: ")


@FUZZ
@given(hostile_bytes(DIGEST))
def test_preview_digest(raw: bytes) -> None:
    text = raw.decode("utf-8", "replace")
    outcome(lambda: parse_digest(text, "preview.json"), "preview.json")


@FUZZ
@given(hostile_bytes(DIGEST))
def test_event_log_and_snapshot(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.json"
        path.write_bytes(raw)
        outcome(lambda: read_policy_events(path), str(path))
        outcome(lambda: load_snapshot(path), str(path))


def test_config_that_no_yaml_file_gives_is_still_one_line_per_problem() -> None:
    """A config map built in code (non-string feature keys) reaches load_stack without the YAML
    reader's key checks: still problems, not a traceback."""
    config = {
        "azuread:tenantId": "11111111-2222-3333-4444-555555555555",
        "entra-consent:features": {2024: {"consent": "tenant"}, "teams": {"consent": "tenant"}},
    }
    outcome(lambda: load_stack(config, ROOT, "Pulumi.fuzz.yaml"), "Pulumi.fuzz.yaml")
