"""How the benchmarks write figures (benchmarks/figures.py)."""

from __future__ import annotations

from benchmarks.figures import load_text, markdown_table, ratio, thousands


def test_thousands_and_ratios() -> None:
    assert thousands(35117) == "35,117"
    assert ratio(1.06, 0.83) == "1.28"
    assert ratio(1.0, 0.0) == "n/a"


def test_load_text() -> None:
    assert load_text((0.16, 0.39, 0.86)) == "0.16 / 0.39 / 0.86"


def test_text_columns_left_figures_right() -> None:
    assert markdown_table(["name", "path", "n"], [["a", "b", "1"]], text_columns=2) == [
        "| name | path | n |",
        "|---|---|---:|",
        "| a | b | 1 |",
    ]
