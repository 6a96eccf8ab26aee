"""The Markdown kit every renderer (plan, plan --base, render, drift) writes with.

Every value the renderers did not write themselves (stack config, catalogue, tenant, engine)
goes through `code()`: an inline code span that nothing in the value can close, on one line,
without control characters or terminal escapes (`catalog.text.code_text`). Inside a code span
GitHub renders no HTML, image, link, autolink or comment, so a hostile value cannot change the
comment's structure; a value in a table cell also goes through `cell()`.
tests/previews/test_markdown_kit.py checks this with GitHub's own Markdown library (cmarkgfm)
over arbitrary strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from catalog.text import code_text


class TargetLike(Protocol):
    """A consent target as the plan and the preview both hold it: kind and reference."""

    @property
    def kind(self) -> str: ...
    @property
    def ref(self) -> str: ...


class ScopeLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def admin_consent_required(self) -> bool: ...


_TICKS = re.compile(r"`+")


def code(value: object) -> str:
    """`value` as an inline code span that it cannot close: the fence is one backtick longer
    than the longest run of backticks in it, padded where CommonMark would eat an edge."""
    text = code_text(value)
    if text == "":
        return "` `"
    fence = "`" * (max((len(run) for run in _TICKS.findall(text)), default=0) + 1)
    edge = text[0] == "`" or text[-1] == "`" or (text[0] == " " and text[-1] == " ")
    pad = " " if edge and text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    """Markdown (already made of kit pieces) safe inside a table cell: pipes escaped (GitHub
    also reads them inside code spans), on one line."""
    return text.replace("|", "\\|").replace("\n", " ")


def target_label(target: TargetLike, *, grant: bool = True, assigned_only: bool = False) -> str:
    """`grant`: a group's per-user grants go to its user members; assignments go to the group.
    `assigned_only`: the app requires assignment, so a tenant-wide grant serves only the users
    and the direct members of the groups assigned to it."""
    if target.kind == "tenant":
        if assigned_only:
            return "**tenant-wide**, sign-in by assignment only (assigned users, direct members of assigned groups)"
        return "**tenant-wide** (all users)"
    if target.kind == "unknown":
        return "**unknown until apply (may be tenant-wide)**"
    if target.kind == "group":
        return f"group {code(target.ref)}" + (" (each user member)" if grant else "")
    return f"user {code(target.ref)}"


def scope_label(scope: ScopeLike) -> str:
    label = code(scope.name)
    if scope.admin_consent_required:
        label += " (admin consent)"
    return label


def scope_list(scopes: Iterable[ScopeLike]) -> str:
    return ", ".join(scope_label(s) for s in scopes) or "none"


T = TypeVar("T")


def grouped(
    effect: str, targets: Sequence[T], label: Callable[[T], str], cap: int | None
) -> list[str]:
    """One line for alike changes of several users, the users in a collapsible list of at most
    `cap` entries (None: all; 0: no list)."""
    if len(targets) == 1:
        return [f"- {label(targets[0])}: {effect}"]
    lines = [f"- {len(targets)} users: {effect}"]
    if cap == 0:
        return lines
    shown = targets if cap is None else targets[:cap]
    lines += ["", "  <details><summary>users</summary>", ""]
    lines += [f"  - {label(t)}" for t in shown]
    if len(shown) < len(targets):
        lines.append(f"  - … and {len(targets) - len(shown)} more")
    lines += ["", "  </details>", ""]
    return lines


def table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, right: Sequence[int] = ()
) -> list[str]:
    """A Markdown table, one line per row. Each cell is Markdown made of kit pieces (`code()`
    around every foreign value) and goes through `cell()` here, the one place that does, so no
    cell is escaped twice. `right`: the columns aligned right (counts)."""
    rule = "|" + "".join("---:|" if i in right else "---|" for i in range(len(header)))
    lines = ["| " + " | ".join(header) + " |", rule]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


USER_LIST_CAPS: tuple[int | None, ...] = (None, 500, 100, 20, 5, 0)


@dataclass(frozen=True)
class Group(Generic[T]):
    """Alike changes for several users, expanded by `grouped` with a list cap."""

    effect: str
    targets: list[T]
    label: Callable[[T], str]


def expand(items: Iterable[str | Group[Any]], cap: int | None) -> list[str]:
    lines: list[str] = []
    for item in items:
        if isinstance(item, str):
            lines.append(item)
        else:
            lines += grouped(item.effect, item.targets, item.label, cap)
    return lines


def join_lines(lines: Iterable[str]) -> str:
    text = "\n".join(lines).rstrip("\n") + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def truncate(text: str, budget: int) -> str:
    """Whole lines up to `budget` UTF-8 bytes, and a note saying so."""
    note = "\n\n_Truncated to fit a pull-request comment: the job log has the full diff._\n"
    room = budget - utf8_size(note)
    kept: list[str] = []
    used = 0
    for line in text.splitlines():
        used += utf8_size(line) + 1
        if used > room:
            break
        kept.append(line)
    return "\n".join(kept) + note


def fit(items: list[str | Group[Any]], budget: int | None) -> str:
    """The items with the longest user lists that keep the text within `budget` bytes."""
    if budget is None:
        return join_lines(expand(items, None))
    text = ""
    for cap in USER_LIST_CAPS:
        text = join_lines(expand(items, cap))
        if utf8_size(text) <= budget:
            return text
    return truncate(text, budget)
