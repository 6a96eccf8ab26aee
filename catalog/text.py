"""Foreign text (stack files, the catalogue, Microsoft Graph, the Pulumi engine) made safe to
show: on one line, and hiding nothing from the reader. Every package shows foreign text
through this module, which alone holds the character rules.

Which function for what:

- `visible(text)`: a problem line about a value. Nothing is removed: each hidden character is
  written as an escape (`\\u202e`), so the reader sees what the file holds and can fix it.
- `one_line(text)`: a message for a terminal or a CI log built from text a server controls.
  Terminal escapes and bidi marks are removed, controls and line breaks become spaces, runs of
  spaces one space, the ends are trimmed. `clean(value, limit)` also cuts it to `limit`.
- `code_text(value)`: a value in a Markdown code span. Terminal escapes, control and
  zero-width characters are removed, each line break or tab becomes one space, other spacing is
  kept: the span shows the value as it is.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode categories nobody sees: control, format (zero-width, bidi), line and paragraph
# separators, lone surrogates.
HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
# Bidirectional formatting, with which a value could reorder the line it is shown in: the Arabic
# letter mark, LRM and RLM, embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069).
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# ANSI/VT escape sequences as far as a terminal would read them: CSI (ESC [ or the 8-bit CSI
# U+009B, parameters, final byte), OSC (ESC ] ... BEL or ESC \), ESC and the next character; an
# unterminated sequence up to the end of the text.
TERMINAL_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]?|\x1b.?",
    re.S,
)
# The complete ANSI/VT escape sequences only: CSI with its final byte, OSC, ESC and a byte of
# @ to _ (what `code_text` removes whole; of any other, the controls go and the rest stays).
COMPLETE_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]"
)
# Line breaks of any kind, and tabs: one space each in a code span (a value never starts a line).
LINE_BREAKS = re.compile(r"\r\n|[\r\n\t\v\f\x85\u2028\u2029]")
# What a code span loses: control characters (C0, DEL, C1), zero-width and bidi formatting
# (U+200B-U+200F, U+202A-U+202E, U+2060-U+2069, U+FEFF).
CONTROL_AND_ZERO_WIDTH = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_SPACES = re.compile(r"\s+")

LIMIT = 300
ELLIPSIS = "…"


def is_hidden(char: str) -> bool:
    """`char` is one nobody sees (its category is in HIDDEN)."""
    return unicodedata.category(char) in HIDDEN


def first_hidden(text: str) -> str | None:
    """The first character of `text` that nobody sees, if any."""
    return next((ch for ch in text if is_hidden(ch)), None)


def visible(text: str) -> str:
    """The text on one line with nothing hidden: control, format (zero-width, bidi) and line
    separator characters written as escapes, so a value from a file can neither break a
    problem's line nor disguise it."""
    return "".join(ch.encode("unicode_escape").decode() if is_hidden(ch) else ch for ch in text)


def _in_one_line(char: str) -> str:
    if char in BIDI:
        return ""
    category = unicodedata.category(char)
    if char.isspace() or category == "Cc":
        return " "  # newlines, tabs, other controls: a space, so words stay apart
    if category == "Cs":
        return "\ufffd"  # a lone surrogate, which stderr cannot write
    return char


def one_line(text: str) -> str:
    """`text` on one line, without terminal escapes, control characters or bidi marks; spaces
    collapsed, ends trimmed."""
    text = TERMINAL_ESCAPES.sub("", text)
    return _SPACES.sub(" ", "".join(_in_one_line(c) for c in text)).strip()


def clean(value: object, limit: int = LIMIT) -> str:
    """`value` as `one_line` of at most `limit` characters, a longer one cut with an ellipsis."""
    text = one_line(value if isinstance(value, str) else str(value))
    if len(text) > limit:
        return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    return text


def code_text(value: object) -> str:
    """The value as one line for a Markdown code span: terminal escapes, control and zero-width
    characters removed, line breaks and tabs as spaces, other spacing kept."""
    text = COMPLETE_ESCAPES.sub("", str(value))
    return CONTROL_AND_ZERO_WIDTH.sub("", LINE_BREAKS.sub(" ", text))
