"""Property values on the wire: google.protobuf.Struct <-> plain dicts, and the engine's
special values (the unknown sentinel at preview, resource references, secrets).

Every other module works on plain dicts (`Props`) with camelCase keys, as the engine sends them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import json_format, struct_pb2  # type: ignore[import-untyped]

Props = dict[str, Any]

# A value the engine does not know yet (preview); outputs we cannot know are returned as it.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

_SIG_KEY = "4dabf18193072939515e22adb298388d"
_RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def from_struct(struct: struct_pb2.Struct | None) -> Props:
    """A Struct as a dict, with resource references replaced by their id (or urn) and secrets
    by their value: Configure says acceptSecrets=false, but a plain value is what we need."""
    if struct is None:
        return {}
    raw = json_format.MessageToDict(struct, preserving_proto_field_name=True)
    return {key: _plain(value) for key, value in raw.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        sig = value.get(_SIG_KEY)
        if sig == _RESOURCE_SIG:
            return value.get("id") or value.get("urn")
        if sig == _SECRET_SIG:
            return _plain(value.get("value"))
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """A dict as a Struct; None values are dropped (an absent output and a null one read the
    same in the SDK)."""
    struct = struct_pb2.Struct()
    json_format.ParseDict(_drop_none(props), struct)
    return struct


def _drop_none(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value


def is_unknown(value: Any) -> bool:
    """True when the value, or anything inside it, is not known yet."""
    if value == UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(is_unknown(v) for v in value)
    return False


def text(props: Mapping[str, Any], key: str) -> str:
    """A string property, "" when unset or null."""
    value = props.get(key)
    return value if isinstance(value, str) else ""


def flag(props: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = props.get(key)
    return value if isinstance(value, bool) else default


def strings(props: Mapping[str, Any], key: str) -> list[str]:
    """A list-of-strings property, [] when unset or null; empty items dropped."""
    value = props.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str) and item]


def unknown_outputs(names: Iterable[str]) -> Props:
    return dict.fromkeys(names, UNKNOWN)
