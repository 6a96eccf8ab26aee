"""Benchmark: `python -m previews render` on large synthetic `pulumi preview --json` digests.

Prints, per size, the best of five runs of
- render: parse the digest text, map it to consent changes, render the Markdown;
- command: the whole `render` subcommand in-process (read the file, load the catalogue,
  render, write the Markdown to a discarded stdout);
- peak MiB: the most memory Python held during one render (tracemalloc, a run of its own:
  the digest text excluded, the parsed digest and the diff included);
the Markdown's length against GitHub's comment limit, and the load average.
Usage: ./venv/bin/python -m benchmarks.render_preview [STEPS ...]   (default: 2000 20000)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from catalog.catalogue import load_catalogue
from previews.__main__ import main as previews_main
from previews.render.pipeline import render_digest
from previews.render.render_markdown import GITHUB_COMMENT_LIMIT
from simtenant.fakes.preview_digests import large_digest

REPO = Path(__file__).resolve().parents[1]
RUNS = 5


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(work: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(steps: int, folder: Path) -> tuple[int, float, float, float, int]:
    text = json.dumps(large_digest(steps))
    path = folder / f"preview-{steps}.json"
    path.write_text(text)
    catalogue = load_catalogue(REPO / "catalog")
    render = best_of(RUNS, lambda: render_digest(text, catalogue))

    def command() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            code = previews_main(["render", str(path), "--catalog", str(REPO / "catalog")])
        assert code == 0

    whole = best_of(RUNS, command)
    peak = peak_mib(lambda: render_digest(text, catalogue))
    chars = len(render_digest(text, catalogue).markdown)
    return len(text), render, whole, peak, chars


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [2_000, 20_000]
    print(
        f"{'steps':>7} {'digest bytes':>13} {'render s':>9} {'command s':>10} "
        f"{'peak MiB':>9} {'md chars':>9}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for steps in sizes:
            size, render, whole, peak, chars = measure(steps, Path(folder))
            print(f"{steps:>7} {size:>13} {render:>9.3f} {whole:>10.3f} {peak:>9.1f} {chars:>9}")
    print(f"GitHub comment limit: {GITHUB_COMMENT_LIMIT} characters")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main(sys.argv[1:])
