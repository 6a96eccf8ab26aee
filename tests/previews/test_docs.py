"""docs/reviewing.md shows real output: its examples match what the commands print today."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from previews.__main__ import main
from previews.cli.render_command import EXIT_PREVIEW_FAILED
from tests.previews.conftest import REPO
from tests.previews.plan.test_plan_base import make_repo

DOC = REPO / "docs" / "reviewing.md"
DIGESTS = Path(__file__).resolve().parent / "digests"


def example(name: str) -> str:
    match = re.search(
        rf"<!-- example: {re.escape(name)} \(generated[^>]*-->\n(.*?)<!-- end of example -->",
        DOC.read_text(),
        re.S,
    )
    assert match, f"no example {name!r} in {DOC}"
    return "\n".join(line.removeprefix(">").removeprefix(" ") for line in match[1].splitlines())


def output(*args: str, exit_code: int = 0) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(args)) == exit_code
    return out.getvalue().rstrip("\n")


def test_render_example_is_current() -> None:
    rendered = output(
        "render",
        str(DIGESTS / "engine-mixed.json"),
        "--events",
        str(DIGESTS / "engine-mixed-events.jsonl"),
        "--catalog",
        str(REPO / "catalog"),
        exit_code=EXIT_PREVIEW_FAILED,  # the policy pack stopped the preview
    )
    assert example("render") == rendered


def test_plan_example_is_current(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    planned = output("plan", "--stack", "s", "--base", "HEAD~1", "--project-dir", str(repo))
    assert example("plan --base") == planned


@pytest.mark.parametrize(
    "option", ["--base", "--format", "--events", "--fail-on-mandatory", "--max-bytes", "--catalog"]
)
def test_documented_options_exist(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    helps = ""
    for command in ("plan", "render"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        helps += capsys.readouterr().out
    assert option in helps
    assert option in DOC.read_text()
