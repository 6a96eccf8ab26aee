"""Preview digest text -> consent diff -> Markdown, in one call (the render command, the
pull-request comment and the benchmark run exactly this)."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.catalogue import Catalogue
from previews.render.consent_changes import ConsentDiff
from previews.render.consent_diff import consent_diff
from previews.render.digest import PolicyEvent, parse_digest
from previews.render.render_markdown import DEFAULT_BUDGET, render_markdown, stack_of


@dataclass(frozen=True)
class Rendered:
    diff: ConsentDiff
    markdown: str

    @property
    def failed(self) -> bool:
        """The engine reported an error: the preview did not complete."""
        return self.diff.failed

    @property
    def not_understood(self) -> int:
        """Steps whose operation the renderer does not know."""
        return len(self.diff.not_understood)

    @property
    def mandatory(self) -> int:
        """Mandatory policy violations in the event log (0 without one)."""
        return self.diff.mandatory

    @property
    def policy_checked(self) -> bool:
        """An event log was given: the policy pack's verdict is known."""
        return self.diff.policy_checked


def render_digest(
    text: str,
    catalogue: Catalogue,
    events: Iterable[PolicyEvent] | None = None,
    *,
    file: str = "preview.json",
    budget: int = DEFAULT_BUDGET,
) -> Rendered:
    """`events` None: no event log ("policy violations: not checked"); an empty list: an event
    log without violations. Raises ConfigurationError on a digest that does not parse."""
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
