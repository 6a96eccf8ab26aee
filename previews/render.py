"""Preview digest text -> consent diff -> Markdown, in one call (the render command and its
benchmark run exactly this)."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.catalogue import Catalogue
from previews.consent_diff import ConsentDiff, consent_diff
from previews.digest import PolicyEvent, parse_digest
from previews.render_markdown import DEFAULT_BUDGET, render_markdown, stack_of


@dataclass(frozen=True)
class Rendered:
    diff: ConsentDiff
    markdown: str


def render_digest(
    text: str,
    catalogue: Catalogue,
    events: Iterable[PolicyEvent] = (),
    *,
    file: str = "preview.json",
    budget: int = DEFAULT_BUDGET,
) -> Rendered:
    # A large digest is hundreds of thousands of small objects and no reference cycles: the
    # cyclic collector would re-scan them all several times (measured: about half the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        digest = parse_digest(text, file)
        diff = consent_diff(digest, catalogue, events)
        stack = stack_of(step.urn for step in digest.steps or ())
        return Rendered(diff, render_markdown(diff, catalogue, stack=stack, budget=budget))
    finally:
        if enabled:
            gc.enable()
