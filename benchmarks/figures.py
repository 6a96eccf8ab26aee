"""How the benchmarks write their figures: counts with thousands separators, ratios, load
averages and Markdown tables. Shared by `make bench`, `make bench-engine` and the plan
benchmark, so every table writes a figure the same way. Pure."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def thousands(value: int) -> str:
    return f"{value:,}"


def ratio(a: float, b: float) -> str:
    """a / b to two decimals; "n/a" when b is not positive (nothing measured)."""
    return f"{a / b:.2f}" if b > 0 else "n/a"


def load_text(load: Sequence[float]) -> str:
    """A load average (1 / 5 / 15 min), as `os.getloadavg()` gives it."""
    return " / ".join(f"{x:.2f}" for x in load)


def markdown_table(
    header: list[str], rows: list[list[str]], text_columns: int = 0, *, left: Collection[int] = ()
) -> list[str]:
    """A Markdown table; the first `text_columns` columns and those in `left` left-aligned, the
    rest (figures) right-aligned."""
    align = ["---" if i < text_columns or i in left else "---:" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out
