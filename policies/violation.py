"""What a rule reports: one message, filed under the resource at fault (or the stack)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    message: str
    urn: str | None = None
