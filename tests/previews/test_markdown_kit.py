"""The Markdown kit against hostile values, judged by GitHub's own renderer (cmarkgfm): a value
in a code span, in a list item, a heading or a table cell, never changes the structure of what
is rendered around it, and shows as itself (cleaned of control characters and line breaks)."""

from __future__ import annotations

import html
import re

import cmarkgfm  # type: ignore[import-untyped]
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from catalog.text import code_text
from previews.markdown import cell, code

TAGS = re.compile(r"</?([a-z0-9]+)")
CODE = re.compile(r"<code>(.*?)</code>", re.S)
HOSTILE = [
    "`` ## Approved ``\n\n# heading",
    "x`\n\n![](https://evil.example/t.png)\n<!--",
    "<img src=x onerror=alert(1)>",
    "[click](https://evil.example) www.evil.example adele@contoso.com",
    "a | b | c",
    "\\|",
    "`",
    " ` ",
    "line\rnext\u2028third",
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "\u202egnp.exe",
    "",
    "   ",
    "```",
    "</code></li></ul><h1>x</h1>",
]
TEMPLATES = [
    "- user {0}: adds {1}\n- next item",
    "### {0}: {1}\n\nafter",
    "| who | what |\n|---|---|\n| {0} | {1} |\n\nafter",
    "Notes: {0}, then {1}.\n\nafter",
]


def render(markdown: str) -> str:
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown))


def structure(rendered: str) -> list[str]:
    return TAGS.findall(rendered)


def piece(template: str, value: str) -> str:
    in_table = template.startswith("|")
    wrap = (lambda v: cell(code(v))) if in_table else code
    return template.format(wrap(value), wrap("b"))


@pytest.mark.parametrize("template", TEMPLATES)
@given(value=st.text())
@example(value="`` ## Approved ``\n\n# heading")
def test_no_value_changes_the_structure(template: str, value: str) -> None:
    benign = render(piece(template, "a"))
    hostile = render(piece(template, value))
    assert structure(hostile) == structure(benign), (value, hostile)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("value", HOSTILE)
def test_known_attacks_change_nothing_and_show_as_text(template: str, value: str) -> None:
    hostile = render(piece(template, value))
    assert structure(hostile) == structure(render(piece(template, "a")))
    shown = html.unescape(CODE.findall(hostile)[0])
    assert shown.strip() == code_text(value).strip()
