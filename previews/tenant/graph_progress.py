"""What a discovery shows while it reads the tenant."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    """Progress on stderr: one line per page on a terminal (overwritten), one line per finished
    listing otherwise (CI logs stay short)."""

    stream: TextIO | None = field(default_factory=lambda: sys.stderr)
    _live: bool = False

    def __post_init__(self) -> None:
        self._live = bool(self.stream is not None and self.stream.isatty())

    def page(self, what: str, pages: int, items: int) -> None:
        if self.stream is not None and self._live:
            self.stream.write(f"\rdiscover: {what}: {items} (page {pages})\x1b[K")
            self.stream.flush()

    def done(self, what: str, pages: int, items: int) -> None:
        if self.stream is None:
            return
        prefix = "\r" if self._live else ""
        suffix = "\x1b[K" if self._live else ""
        plural = "s" if pages != 1 else ""
        self.stream.write(f"{prefix}discover: {what}: {items} in {pages} page{plural}{suffix}\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        if self.stream is not None:
            prefix = "\r" if self._live else ""
            self.stream.write(f"{prefix}discover: {message}\n")
            self.stream.flush()
