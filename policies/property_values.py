"""How the pack reads a property value the engine hands it: known, not known until apply
(preview), or of the wrong shape.

The engine sends a property not known until apply as one of pulumi_policy's sentinel strings;
the pack keeps them as they are (policies/pack.py) and decides here what they mean.
"""

from __future__ import annotations

from typing import Any

# Values the engine sends for properties not known until apply (pulumi_policy's sentinels).
UNKNOWN_VALUES = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # bool
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in UNKNOWN_VALUES


class Unknown:
    """A value the engine does not know yet (preview)."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()


class Malformed(Unknown):
    """A value of the wrong shape (a string where a list belongs): as undecidable as an
    unknown, and said for what it is."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return f"<malformed: {self.what}>"


def known_str(value: Any) -> str | Unknown | None:
    """A string property: its value, None when absent or empty, UNKNOWN when not known yet."""
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, str) and value:
        return value
    return None


def claim_values(raw: Any) -> tuple[str, ...] | Unknown:
    """A grant's scopes (`claimValues`): the scope names, UNKNOWN, or what is wrong with them."""
    if type(raw) is list:  # the common case, fast: all strings and no unknown among them
        try:
            "".join(raw)
        except TypeError:
            pass  # not only strings: said below
        else:
            return tuple(raw) if UNKNOWN_VALUES.isdisjoint(raw) else UNKNOWN
    if raw is None:
        return ()
    if is_unknown(raw):
        return UNKNOWN
    if isinstance(raw, str):
        return Malformed(f"a string, not a list of scopes: {raw[:200]!r}")
    if not isinstance(raw, list | tuple):
        return Malformed(f"not a list of scopes: {str(raw)[:200]!r}")
    if any(is_unknown(s) for s in raw):
        return UNKNOWN
    odd = [s for s in raw if not isinstance(s, str)]
    if odd:
        return Malformed(f"a list holding {str(odd[0])[:200]!r}, not only scope names")
    return tuple(raw)
