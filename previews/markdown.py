"""Small Markdown helpers shared by the plan and render outputs."""

from __future__ import annotations

from collections.abc import Iterable

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


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (many or noun + 's')}"
