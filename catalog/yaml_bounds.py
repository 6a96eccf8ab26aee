"""The bounds a YAML file must keep, checked on its event stream before any node is built:
libyaml's composer recurses in C, so a 30,000 level file would crash the interpreter; a 600-byte
alias bomb would expand to billions of values; and Python refuses to convert a decimal integer
of more than `sys.get_int_max_str_digits()` digits (4,300 by default), which would end the run
in a traceback. Each refusal names the key path and the line."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_DEPTH = 64
# Values after alias expansion. The largest shipped file (the Microsoft Graph API catalogue)
# has about 4,800.
MAX_VALUES = 200_000
_DECIMAL = re.compile(r"^[-+]?[1-9][0-9_]*$")


class Refused(Exception):
    def __init__(self, loc: tuple[str | int, ...], line: int, message: str) -> None:
        super().__init__(message)
        self.loc, self.line, self.message = loc, line, message


@dataclass
class _Frame:
    """A collection being read: its key path, its size and depth so far, its anchor."""

    loc: tuple[str | int, ...]
    mapping: bool
    anchor: str | None
    values: int = 1
    depth: int = 0
    index: int = 0
    key: str | int | None = None
    expect_key: bool = True


@dataclass
class _Scan:
    """Sizes and depths of anchored nodes, so an alias counts as what it expands to."""

    frames: list[_Frame] = field(default_factory=list)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)

    def child_loc(self) -> tuple[str | int, ...]:
        if not self.frames:
            return ()
        top = self.frames[-1]
        if not top.mapping:
            return (*top.loc, top.index)
        return top.loc if top.expect_key or top.key is None else (*top.loc, top.key)

    def add(self, values: int, depth: int, line: int, anchor: str | None = None) -> None:
        if anchor is not None:
            self.sizes[anchor] = (values, depth)
        if not self.frames:
            return
        top = self.frames[-1]
        if len(self.frames) + depth > MAX_DEPTH:
            raise Refused(
                self.child_loc(), line, f"nested deeper than {MAX_DEPTH} levels (flatten it)"
            )
        top.values += values
        top.depth = max(top.depth, depth)
        if top.values > MAX_VALUES:
            raise Refused(
                top.loc,
                line,
                f"more than {MAX_VALUES} values once aliases are expanded "
                "(write the values out, or use fewer aliases)",
            )

    def advance(self, key: str | int | None) -> None:
        if not self.frames:
            return
        top = self.frames[-1]
        if not top.mapping:
            top.index += 1
        elif top.expect_key:
            top.key, top.expect_key = key, False
        else:
            top.key, top.expect_key = None, True


def _refuse_long_integer(scan: _Scan, event: yaml.ScalarEvent, line: int) -> None:
    limit = sys.get_int_max_str_digits()
    if not event.implicit[0] or not limit or len(event.value) <= limit:
        return
    digits = sum(c.isdigit() for c in event.value)
    if digits > limit and _DECIMAL.match(event.value):
        raise Refused(
            scan.child_loc(),
            line,
            f"an integer of {digits:,} digits; at most {limit:,} can be read "
            "(quote it if it is text)",
        )


def scan_bounds(loader: Any) -> None:
    """Walk the event stream of a fresh loader (flat: libyaml's parser keeps its own stack) and
    refuse a file that would nest too deep, expand too far or hold an integer too long to read,
    before anything recursive touches it. Disposes of the loader."""
    scan = _Scan()
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                if len(scan.frames) >= MAX_DEPTH:
                    raise Refused(
                        scan.child_loc(),
                        line,
                        f"nested deeper than {MAX_DEPTH} levels (flatten it)",
                    )
                is_map = isinstance(event, yaml.MappingStartEvent)
                scan.frames.append(_Frame(scan.child_loc(), is_map, event.anchor))
            elif isinstance(event, yaml.CollectionEndEvent):
                done = scan.frames.pop()
                scan.add(done.values, done.depth + 1, line, done.anchor)
                scan.advance(None)
            elif isinstance(event, yaml.ScalarEvent):
                _refuse_long_integer(scan, event, line)
                scan.add(1, 1, line, event.anchor)
                scan.advance(event.value)
            elif isinstance(event, yaml.AliasEvent):
                values, depth = scan.sizes.get(event.anchor or "", (1, 1))
                scan.add(values, depth, line)
                scan.advance(None)
    finally:
        loader.dispose()
