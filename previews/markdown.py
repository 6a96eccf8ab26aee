"""Small Markdown helpers shared by the plan and render outputs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from previews.matrix import ScopeInfo, TargetRef


def code(text: str) -> str:
    tick = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{tick}{pad}{text}{pad}{tick}"


def cell(text: str) -> str:
    """Text safe inside a table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def target_label(target: TargetRef, *, grant: bool = True) -> str:
    """`grant`: a group's per-user grants go to its user members; assignments go to the group."""
    if target.kind == "tenant":
        return "**tenant-wide** (all users)"
    if target.kind == "group":
        return f"group {code(target.ref)}" + (" (each user member)" if grant else "")
    return f"user {code(target.ref)}"


def scope_label(scope: ScopeInfo) -> str:
    label = code(scope.name)
    if scope.admin_consent_required:
        label += " (admin consent)"
    return label


def scope_list(scopes: Iterable[ScopeInfo]) -> str:
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
