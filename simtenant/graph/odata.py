"""The OData query options the simulated Graph honours: `$filter` (eq, ne, in, startswith,
joined by and/or, parentheses), `$select` and `$top`, with Graph's errors for bad filters and
page sizes.

String comparisons are case-insensitive, as directory queries are. A string literal is quoted
with single quotes, a quote inside doubled (`'O''Brien'`); a lone quote inside a literal ends
it early, so the rest is a syntax error (400 BadRequest "Invalid filter clause"), which is what
Graph answers to the azuread provider's unescaped display-name filter."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from simtenant.graph.errors import GraphError, bad_request

# Values per `in (...)`: Graph caps a directory filter's OR clauses at 15.
IN_LIMIT = 15
MAX_TOP = 999

Item = Mapping[str, Any]
Predicate = Callable[[Item], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<punct>[(),])"
    r"|(?P<word>[A-Za-z_@][A-Za-z0-9_./@:-]*)|(?P<number>-?\d+(?:\.\d+)?))"
)
_KEYWORDS = {"true": True, "false": False, "null": None}


def quote(value: str) -> str:
    """An OData string literal: single quotes, inner quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


class _Parser:
    def __init__(self, text: str, fields: Collection[str] | None, resource: str) -> None:
        self.text = text
        self.fields = fields
        self.resource = resource
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise self.error(pos)
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind), match.start(kind)))
            pos = match.end()
        self.index = 0

    def error(self, pos: int | None = None) -> GraphError:
        if pos is None:
            pos = self.tokens[self.index][2] if self.index < len(self.tokens) else len(self.text)
        return bad_request(
            f"Invalid filter clause: syntax error at position {pos} in '{self.text}'.",
            code="BadRequest",
        )

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            raise self.error()
        self.index += 1
        return token[1]

    def at_punct(self, char: str) -> bool:
        token = self.peek()
        return token is not None and token[:2] == ("punct", char)

    def at_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() in words

    def parse(self) -> Predicate:
        predicate = self.or_expr()
        if self.peek() is not None:
            raise self.error()
        return predicate

    def or_expr(self) -> Predicate:
        parts = [self.and_expr()]
        while self.at_word("or"):
            self.index += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else lambda item: any(p(item) for p in parts)

    def and_expr(self) -> Predicate:
        parts = [self.term()]
        while self.at_word("and"):
            self.index += 1
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else lambda item: all(p(item) for p in parts)

    def term(self) -> Predicate:
        if self.at_punct("("):
            self.index += 1
            inner = self.or_expr()
            self.take("punct", ")")
            return inner
        if self.at_word("startswith"):
            self.index += 1
            self.take("punct", "(")
            prop = self.prop()
            self.take("punct", ",")
            prefix = self.literal()
            self.take("punct", ")")
            if not isinstance(prefix, str):
                raise self.error()
            return lambda item: _text(item.get(prop)).startswith(prefix.lower())
        prop = self.prop()
        if self.at_word("eq", "ne"):
            negate = self.take("word").lower() == "ne"
            value = self.literal()
            return lambda item: _equal(item.get(prop), value) != negate
        if self.at_word("in"):
            self.index += 1
            self.take("punct", "(")
            values = [self.literal()]
            while self.at_punct(","):
                self.index += 1
                values.append(self.literal())
            self.take("punct", ")")
            if len(values) > IN_LIMIT:
                raise bad_request(
                    "Too many child clauses specified in search filter expression containing "
                    f"'OR' operators: {len(values)}. Max allowed: {IN_LIMIT}.",
                    code="Request_UnsupportedQuery",
                )
            return lambda item: any(_equal(item.get(prop), v) for v in values)
        raise self.error()

    def prop(self) -> str:
        token = self.peek()
        if token is None or token[0] != "word" or token[1].lower() in _KEYWORDS:
            raise self.error()
        self.index += 1
        if self.fields is not None and token[1] not in self.fields:
            raise bad_request(
                "Unsupported or invalid query filter clause specified for property "
                f"'{token[1]}' of resource '{self.resource}'.",
                code="Request_UnsupportedQuery",
            )
        return token[1]

    def literal(self) -> Any:
        token = self.peek()
        if token is None:
            raise self.error()
        kind, value, _ = token
        self.index += 1
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "number":
            return float(value) if "." in value else int(value)
        if kind == "word" and value.lower() in _KEYWORDS:
            return _KEYWORDS[value.lower()]
        self.index -= 1
        raise self.error()


def _text(value: Any) -> str:
    return "" if value is None else str(value).lower()


def _equal(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, str) and isinstance(actual, str):
        return actual.lower() == wanted.lower()
    if isinstance(actual, list):  # collection properties: any member equal
        return any(_equal(a, wanted) for a in actual)
    return bool(actual == wanted and type(actual) is type(wanted))


def parse_filter(
    text: str, fields: Collection[str] | None = None, resource: str = "directoryObject"
) -> Predicate:
    """`fields`: the properties the collection can filter on (None: any)."""
    return _Parser(text, fields, resource).parse()


def parse_select(text: str | None) -> list[str]:
    """The names of `$select`. Names the simulator does not know are ignored rather than
    refused (Graph answers 400 for a name not on the type, but the simulator models only part
    of each type, and clients such as the azuread provider select many properties)."""
    if text is None:
        return []
    return [n.strip() for n in text.split(",") if n.strip()]


def select(item: Item, names: list[str]) -> dict[str, Any]:
    """Only the selected properties, plus `id` and annotations (`@odata.type`)."""
    if not names:
        return dict(item)
    return {k: v for k, v in item.items() if k in names or k == "id" or k.startswith("@odata.")}


def parse_top(text: str | None) -> int | None:
    """`$top`: 1 to 999, else 400 `Request_UnsupportedQuery` "Invalid page size specified:
    '1000'. Must be between 1 and 999 inclusive." (Graph's answer as the steampipe azuread
    plugin quotes it: "unexpected status 400 with OData error: Request_UnsupportedQuery: Invalid
    page size specified: '1000'. Must be between 1 and 999 inclusive."). A value that is no
    whole number gets the same answer, quoting it (Graph's own wording for that case is
    unverified)."""
    if text is None:
        return None
    top = int(text) if re.fullmatch(r"[0-9]{1,6}", text) else -1
    if not 1 <= top <= MAX_TOP:
        raise bad_request(
            f"Invalid page size specified: '{text}'. Must be between 1 and {MAX_TOP} inclusive.",
            code="Request_UnsupportedQuery",
        )
    return top
