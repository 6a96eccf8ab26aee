"""Command-line arguments shared by the subcommands: the stack they read, and the size budget
(`--max-bytes`) of what they print."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    add_project_dir_argument(parser)


def add_project_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="folder holding Pulumi.yaml and the stack files (default: current folder)",
    )


def byte_budget(minimum: int) -> Callable[[str], int]:
    """A `--max-bytes` type: a whole number of bytes, at least `minimum` (room for the
    headline and the truncation note)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is too small (give at least {minimum})")
        return value

    return parse
