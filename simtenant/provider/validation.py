"""The schema's validation, as Check reports it: terraform-plugin-sdk v2 (Pulumi's fork,
v2.0.0-20260318212141-5525259d096b) runs each attribute's ValidateFunc and turns its errors
into diagnostics with the attribute's path (helper/schema/schema.go `Schema.validateFunc` lines
611-640; required and conflicting arguments, `schemaMap.validate` lines 1825-1945; list sizes,
`validateList` lines 2065-2150), and the bridge words each as a check failure
(`bridge.check_reason`). The validators' own words:

- `validation.IsUUID` (helper/validation/uuid.go lines 13-25, go-uuid's `ParseUUID`: 36
  characters, dashes at 8, 13, 18, 23, hex digits elsewhere): `expected "client_id" to be a
  valid UUID, got x`.
- `validation.StringIsNotEmpty`, `StringLenBetween`, `StringInSlice` (helper/validation/
  strings.go lines 17-28, 74-88, 135-152).
- terraform-provider-azuread's `IsHttpOrHttpsUrl` (internal/helpers/tf/validation/uri.go lines
  18-20 and `IsUriFunc` lines 60-106): not empty, parses as a URL, has a host, scheme http or
  https.

Values not known yet (preview) are not validated (`c.IsComputed`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from simtenant.provider.props import is_unknown

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")


@dataclass(frozen=True)
class Failure:
    summary: str
    detail: str = ""
    path: str = ""  # the property path the bridge names: `clientId`, `owners[0]`


Check = Callable[[Any, str, str], list["Failure"]]


def _known_text(value: Any) -> str | None:
    return value if isinstance(value, str) and not is_unknown(value) else None


def is_uuid(value: Any, key: str, path: str) -> list[Failure]:
    text = _known_text(value)
    if text is None or _UUID.match(text):
        return []
    return [Failure(f'expected "{key}" to be a valid UUID, got {text}', path=path)]


def not_empty(value: Any, key: str, path: str) -> list[Failure]:
    if value != "":
        return []
    return [Failure(f'expected "{key}" to not be an empty string, got ', path=path)]


def each(check: Check, value: Any, key: str, path: str) -> list[Failure]:
    """`check` on each element of a list or set, as the SDK validates a set's elements:
    `owners.0` in the message, `owners[0]` as the path."""
    items = value if isinstance(value, list) else []
    out: list[Failure] = []
    for i, item in enumerate(items):
        out += check(item, f"{key}.{i}", f"{path}[{i}]")
    return out


def length_between(value: Any, low: int, high: int, key: str, path: str) -> list[Failure]:
    text = _known_text(value)
    if text is None or low <= len(text.encode()) <= high:
        return []
    return [
        Failure(
            f"expected length of {key} to be in the range ({low} - {high}), got {text}", path=path
        )
    ]


def in_slice(value: Any, valid: Sequence[str], key: str, path: str) -> list[Failure]:
    text = _known_text(value)
    if text is None or text in valid:
        return []
    quoted = " ".join(f'"{v}"' for v in valid)
    return [Failure(f"expected {key} to be one of [{quoted}], got {text}", path=path)]


def http_url(value: Any, key: str, path: str) -> list[Failure]:
    text = _known_text(value)
    if text is None:
        return []
    reason = _url_problem(text)
    return [Failure(reason.format(key=f'"{key}"'), path=path)] if reason else []


def _url_problem(text: str) -> str | None:
    if text == "":
        return "URI must not be empty for {key}"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text) or _BAD_ESCAPE.search(text):
        return "URI is in an invalid format for {key}"  # Go's url.Parse refuses these
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - a malformed port fails to parse, as in Go
    except ValueError:
        return "URI is in an invalid format for {key}"
    if text.startswith(":"):
        return "URI is in an invalid format for {key}"  # Go: missing protocol scheme
    if not parts.netloc:
        return "URI has no host for {key}"
    if parts.scheme.lower() not in ("http", "https"):
        return "unexpected URI scheme for {key}, expected one of: http, https"
    return None


def required(value: Any, key: str, path: str) -> list[Failure]:
    if value is not None:
        return []
    return [
        Failure(
            "Missing required argument",
            f'The argument "{key}" is required, but no definition was found.',
            path,
        )
    ]


def conflicts(key: str, other: str, path: str) -> Failure:
    return Failure("Conflicting configuration arguments", f'"{key}": conflicts with {other}', path)


def min_items(value: Any, least: int, key: str, path: str) -> list[Failure]:
    if is_unknown(value) or not isinstance(value, list) or len(value) >= least:
        return []
    return [
        Failure(
            "Not enough list items",
            f"Attribute {key} requires {least} item minimum, but config has only "
            f"{len(value)} declared.",
            path,
        )
    ]
