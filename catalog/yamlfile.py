"""Reading the YAML files people edit (stack files, catalogue files, Pulumi.yaml), safe against
hostile input and read as Pulumi's engine reads them.

- Bounded: a size cap here; a nesting cap, a cap on how many values aliases expand to and a cap
  on an integer's digits on the event stream before any node is built (catalog/yaml_bounds.py).
- Only regular files are read: a named pipe or a device in a catalogue folder would otherwise
  make the reader wait for ever.
- YAML 1.2 scalars, as the engine's Go YAML library reads them: only `true`/`false` are
  booleans and dates stay strings, so `assign: yes` is the string "yes" here and in the program.
- Duplicate keys and keys that are not strings are problems; merge keys (`<<: *defaults`) work.
- Every problem is one line naming the file and, where known, the key path.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from catalog.problems import Problem, key_path
from catalog.yaml_bounds import MAX_DEPTH, MAX_VALUES, Refused, scan_bounds

MAX_FILE_BYTES = 4 * 1024 * 1024
__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_VALUES", "parse_yaml", "read_yaml"]

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


@functools.cache
def _power_of_ten(digits: int) -> int:
    return int(10**digits)


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """Every integer form (decimal, hex, octal, base 60, an explicit `!!int`) within what Python
    converts to and from text (`sys.get_int_max_str_digits()`); the plain decimals are already
    refused with their key path on the event stream (catalog/yaml_bounds.py)."""
    limit = sys.get_int_max_str_digits()
    runs = re.findall(r"[0-9a-fA-F]+", str(node.value))
    too_long = ConstructorError(
        None, None, f"an integer too long to read (at most {limit:,} digits)", node.start_mark
    )
    if limit and max(map(len, runs), default=0) > limit:
        raise too_long
    value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    if limit and abs(value) >= _power_of_ten(limit):  # more than `limit` decimal digits
        raise too_long
    return value


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


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
        scan_bounds(_Loader(text))
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, []
            problems, buildable = _key_problems(node, file)
            data = loader.construct_document(node) if buildable else None
        finally:
            loader.dispose()
    except Refused as exc:
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
        # Non-blocking open, then a look at what was opened: a named pipe or a device would
        # otherwise wait for a writer for ever (the file could be swapped between a stat and an
        # open, so the check is on the open descriptor).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None, [
                    Problem(file, "", "not a regular file (a named pipe or a device?); remove it")
                ]
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(file, "", f"cannot read file: {exc.strerror or exc}")]
    return parse_yaml(raw, file)
