"""The YAML reader every edited file goes through: bounded against hostile input, YAML 1.2
scalars as the engine reads them, merge keys, key checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.yamlfile import MAX_DEPTH, MAX_FILE_BYTES, parse_yaml, read_yaml


def lines(raw: bytes | str) -> list[str]:
    data = raw.encode() if isinstance(raw, str) else raw
    return [str(p) for p in parse_yaml(data, "f.yaml")[1]]


def test_30000_levels_of_nesting_is_one_line_not_a_crash(tmp_path: Path) -> None:
    """libyaml's composer recurses in C: before the event scan this killed the interpreter
    (SIGSEGV). Run in a child so a regression fails this test, not the whole session."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 30000 + "]" * 30000 + "\n")
    code = (
        "import sys; from pathlib import Path; from catalog.yamlfile import read_yaml; "
        "print(*read_yaml(Path(sys.argv[1]), 'deep.yaml')[1], sep='\\n')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout == (
        f"deep.yaml: a[0][0][0][0][0][0][0]…: line 1: nested deeper than {MAX_DEPTH} levels "
        "(flatten it)\n"
    )


def test_deep_block_mappings_stop_at_the_cap() -> None:
    text = (
        "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 1)) + "  " * (MAX_DEPTH + 1) + "x"
    )
    assert lines(text) == [
        f"f.yaml: k0.k1.k2.k3.k4.k5.k6.k7…: line {MAX_DEPTH}: nested deeper than {MAX_DEPTH} "
        "levels (flatten it)"
    ]


def test_nesting_at_the_cap_is_read() -> None:
    data, problems = parse_yaml(b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1), "f.yaml")
    assert problems == []
    depth = 0
    while isinstance(data, list) and data:
        data, depth = data[0], depth + 1
    assert depth == MAX_DEPTH - 2


def test_alias_that_expands_deep_counts_its_depth() -> None:
    deep = "[" * 40 + "]" * 40
    text = f"a: &a {deep}\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
    assert lines(text) == [
        f"f.yaml: b[0][0][0][0][0][0][0]…: line 2: nested deeper than {MAX_DEPTH} levels (flatten it)"
    ]


def test_alias_bomb_is_refused_before_anything_is_built() -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    rows += [
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    assert len("\n".join(rows)) < 600
    [problem] = lines("\n".join(rows))
    assert problem.startswith("f.yaml: f: line 6: more than 200000 values once aliases")


def test_aliases_within_the_cap_are_fine_and_report_a_duplicate_once() -> None:
    text = "base: &b {x: 1, x: 2}\none: *b\ntwo: *b\n"
    assert lines(text) == ["f.yaml: base.x: duplicate key (line 1; first at line 1; keep one)"]


def test_merge_key_overriding_a_merged_key_is_not_a_duplicate() -> None:
    text = (
        "email: &users {consent: principals, groups: [Jira Users]}\n"
        "meetings:\n  <<: *users\n  groups: [Sales]\n"
    )
    data, problems = parse_yaml(text.encode(), "f.yaml")
    assert problems == []
    assert data["meetings"] == {"consent": "principals", "groups": ["Sales"]}


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("2024-05-01", "2024-05-01"),
        ("'true'", "true"),
        ("12", 12),
        ("~", None),
    ],
)
def test_scalars_are_read_as_yaml_1_2(scalar: str, value: object) -> None:
    """The engine reads stack files with Go's YAML 1.2 library: `assign: yes` is a string there,
    so it is a string here too (and refused as a boolean by the settings)."""
    data, problems = parse_yaml(f"v: {scalar}\n".encode(), "f.yaml")
    assert problems == [] and data == {"v": value}


def test_keys_that_are_not_names() -> None:
    text = "ok: 1\n12: a\ntrue: b\n~: c\n[x]: d\n"
    assert lines(text) == [
        "f.yaml: line 5: a key must be a name, not a list or mapping",
        'f.yaml: 12: line 2: the key is read as int, not a name (put it in quotes: "12")',
        'f.yaml: true: line 3: the key is read as bool, not a name (put it in quotes: "true")',
        'f.yaml: ~: line 4: the key is read as null, not a name (put it in quotes: "~")',
    ]


def test_not_utf8_names_line_and_column() -> None:
    assert lines(b"a: 1\nb: caf\xe9\n") == [
        "f.yaml: line 2: not UTF-8 text (byte 0xe9 at column 7; save the file as UTF-8)"
    ]


def test_utf8_byte_order_mark_is_accepted() -> None:
    assert parse_yaml(b"\xef\xbb\xbfa: 1\n", "f.yaml") == ({"a": 1}, [])


def test_oversized_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    assert [str(p) for p in read_yaml(path, "big.yaml")[1]] == [
        "big.yaml: larger than 4 MiB (is this the right file?)"
    ]


def test_invalid_yaml_and_control_characters_are_one_line_each() -> None:
    assert lines("a: [1, 2\n") == [
        "f.yaml: line 2: not valid YAML: did not find expected ',' or ']'"
    ]
    [problem] = lines("a: \x07bell\n")
    assert problem == "f.yaml: line 1: character U+0007 is not allowed in YAML (remove it)"
    assert lines("a: ééééé\nb: ééé\nc: 1\nd: \x1b[31m\n") == [
        "f.yaml: line 4: character U+001B is not allowed in YAML (remove it)"
    ]


def test_an_integer_too_long_to_convert_is_one_line_not_a_traceback() -> None:
    # Python refuses int() of more than 4,300 digits (sys.get_int_max_str_digits()).
    long = "9" * 5000
    _, problems = parse_yaml(f"config:\n  x:\n    - {long}\n".encode(), "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml: config.x[0]: line 3: an integer of 5,000 digits; at most 4,300 can be read "
        "(quote it if it is text)"
    ]
    _, problems = parse_yaml(f"? -{long}\n: 1\n".encode(), "f.yaml")
    assert len(problems) == 1 and "5,000 digits" in str(problems[0])
    # At the limit, quoted, or not an integer: read as they are.
    data, problems = parse_yaml(f"a: {'9' * 4300}\nb: '{long}'\nc: {long}.5\n".encode(), "f.yaml")
    assert problems == [] and data["a"] == int("9" * 4300) and data["b"] == long


def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "vendor.yaml"
    os.mkfifo(pipe)
    data, problems = read_yaml(pipe, "catalog/apps/vendor.yaml")
    assert data is None
    assert [str(p) for p in problems] == [
        "catalog/apps/vendor.yaml: not a regular file (a named pipe or a device?); remove it"
    ]
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert read_yaml(folder)[0] is None and len(read_yaml(folder)[1]) == 1


@pytest.mark.parametrize(
    "value",
    ["9" * 5000 + ":30", "!!int " + "9" * 5000, "0x" + "f" * 5000, "0x" + "f" * 4000],
)
def test_every_integer_form_too_long_to_read_is_one_line(value: str) -> None:
    # Base 60, an explicit tag and hex too: hex converts, but its decimal text could not be
    # written in a message later.
    data, problems = parse_yaml(f"a: {value}\n".encode(), "f.yaml")
    assert data is None
    assert [str(p) for p in problems] == [
        "f.yaml: line 1: not valid YAML: an integer too long to read (at most 4,300 digits)"
    ]
