"""Reading the YAML files people edit (stack files, catalogue files, Pulumi.yaml), safe against
hostile input and read as Pulumi's engine reads them.

- Bounded: a size cap, a nesting cap and a cap on how many values aliases expand to are checked
  on the event stream before any node is built (libyaml's composer recurses in C, so a 30,000
  level file would crash the interpreter; a 600-byte alias bomb would expand to billions).
- YAML 1.2 scalars, as the engine's Go YAML library reads them: only `true`/`false` are
  booleans and dates stay strings, so `assign: yes` is the string "yes" here and in the program.
- Duplicate keys and keys that are not strings are problems; merge keys (`<<: *defaults`) work.
- Every problem is one line naming the file and, where known, the key path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog.problems import Problem, key_path

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
# Values after alias expansion. The largest shipped file (the Microsoft Graph API catalogue)
# has about 4,800.
MAX_VALUES = 200_000

_SHOWN_PARTS = 8  # of a refused key path: a 64-level path is no help

_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_IN_C = _BASE is not yaml.SafeLoader
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_BASE):  # type: ignore[valid-type,misc]
    """libyaml when PyYAML was built with it (about ten times faster), with YAML 1.2 booleans
    and no timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _Refused(Exception):
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
            raise _Refused(
                self.child_loc(), line, f"nested deeper than {MAX_DEPTH} levels (flatten it)"
            )
        top.values += values
        top.depth = max(top.depth, depth)
        if top.values > MAX_VALUES:
            raise _Refused(
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


def _scan(text: str) -> None:
    """Walk the event stream (flat: libyaml's parser keeps its own stack) and refuse a file
    that would nest too deep or expand too far, before anything recursive touches it."""
    scan = _Scan()
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.CollectionStartEvent):
                if len(scan.frames) >= MAX_DEPTH:
                    raise _Refused(
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
                scan.add(1, 1, line, event.anchor)
                scan.advance(event.value)
            elif isinstance(event, yaml.AliasEvent):
                values, depth = scan.sizes.get(event.anchor or "", (1, 1))
                scan.add(values, depth, line)
                scan.advance(None)
    finally:
        loader.dispose()


def _key_problems(root: yaml.Node, file: str) -> tuple[list[Problem], bool]:
    """Duplicate keys and keys that are not strings, and whether the nodes can be built (a
    list or mapping as a key cannot). Runs on the composed nodes, before construction merges
    `<<` keys into their mapping; each node is visited once, so an alias neither repeats a
    problem nor expands."""
    problems: list[Problem] = []
    buildable = True
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            # Reversed onto the stack: nodes are visited in file order, an anchor before its
            # aliases, so a problem is reported where it is written.
            stack.extend((item, (*loc, i)) for i, item in reversed(list(enumerate(node.value))))
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        first_line: dict[str, int] = {}
        children: list[tuple[yaml.Node, tuple[str | int, ...]]] = []
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                buildable = False
                problems.append(
                    Problem(
                        file,
                        key_path(loc),
                        f"line {line}: a key must be a name, not a list or mapping",
                    )
                )
                continue
            key = str(key_node.value)
            if key_node.tag != _STR:
                problems.append(
                    Problem(
                        file,
                        key_path((*loc, key)),
                        f"line {line}: the key is read as {key_node.tag.rsplit(':', 1)[-1]}, "
                        f'not a name (put it in quotes: "{key}")',
                    )
                )
            if key in first_line:
                problems.append(
                    Problem(
                        file,
                        key_path((*loc, key)),
                        f"duplicate key (line {line}; first at line {first_line[key]}; keep one)",
                    )
                )
            else:
                first_line[key] = line
            children.append((value_node, (*loc, key)))
        stack.extend(reversed(children))
    return sorted(problems), buildable


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return None, [Problem(file, "", f"larger than {limit} MiB (is this the right file?)")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        return None, [
            Problem(
                file,
                "",
                f"line {line}: not UTF-8 text (byte 0x{byte:02x} at column {column}; save the file as UTF-8)",
            )
        ]


def parse_yaml(raw: bytes, file: str) -> tuple[Any, list[Problem]]:
    """Parse YAML bytes; returns (data, problems). Data is None when the text cannot be used."""
    text, problems = _decode(raw, file)
    if text is None:
        return None, problems
    try:
        _scan(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, []
            problems, buildable = _key_problems(node, file)
            data = loader.construct_document(node) if buildable else None
        finally:
            loader.dispose()
    except _Refused as exc:
        shown = key_path(exc.loc[:_SHOWN_PARTS]) + ("…" if len(exc.loc) > _SHOWN_PARTS else "")
        return None, [Problem(file, shown, f"line {exc.line}: {exc.message}")]
    except yaml.reader.ReaderError as exc:
        # libyaml counts bytes of the UTF-8 text, PyYAML's own reader characters.
        before = (
            text.encode("utf-8")[: exc.position].decode("utf-8", "ignore")
            if _IN_C
            else text[: exc.position]
        )
        line = before.count("\n") + 1
        return None, [
            Problem(
                file,
                "",
                f"line {line}: character U+{exc.character:04X} is not allowed in YAML (remove it)",
            )
        ]
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f"line {where.line + 1}: " if where is not None else ""
        return None, [Problem(file, "", f"{at}not valid YAML: {getattr(exc, 'problem', exc)}")]
    return data, problems


def read_yaml(path: Path, display: str | None = None) -> tuple[Any, list[Problem]]:
    """Parse a YAML file; returns (data, problems). Data is None when the file cannot be used."""
    file = display or str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(file, "", f"cannot read file: {exc.strerror or exc}")]
    return parse_yaml(raw, file)
