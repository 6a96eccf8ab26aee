"""Problems found in user-edited files, reported all at once, one line each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from catalog.text import visible


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        text = (
            f"{self.file}: {self.path}: {self.message}"
            if self.path
            else f"{self.file}: {self.message}"
        )
        return visible(text)


class ConfigurationError(Exception):
    """Bad input: the catalogue or the stack settings. Carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(dict.fromkeys(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def key_path(loc: Sequence[str | int]) -> str:
    """`("features", "calendar", "users", 0)` -> `features.calendar.users[0]`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_HINTS = {
    "extra_forbidden": "unknown key (remove it or correct its spelling)",
    "missing": "required key is missing (add it)",
    "bool_type": "must be true or false",
    "string_type": "must be text",
}


def problems_from_validation(
    error: ValidationError, file: str, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = [*prefix, *(p for p in item["loc"] if not _is_union_tag(p))]
        message = _HINTS.get(item["type"])
        if message is None:
            message = str(item["msg"])
        if item["type"] not in _NO_INPUT:
            message += f" (got {_shown(item['input'])})"
        message = message.removeprefix("Value error, ")
        problems.append(Problem(file, key_path(loc), message))
    return problems


# The input is in the message already, says nothing, or is the whole document (invalid JSON).
_NO_INPUT = frozenset(
    {"value_error", "guid", "assertion_error", "extra_forbidden", "missing", "json_invalid"}
)
_SHOWN_CHARS = 80


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _is_union_tag(part: str | int) -> bool:
    # pydantic inserts the type name of union members ("str", "function-after[...]") into loc.
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "bool"})
