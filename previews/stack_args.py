"""Command-line arguments naming a stack, shared by the subcommands that read one."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="folder holding Pulumi.yaml and the stack files (default: current folder)",
    )
