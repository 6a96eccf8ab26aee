"""What the engine configured, kept when it configures the pack: each policy's settings and
enforcement level, and the moment to read the catalogue.

The engine starts and configures policy packs (`Configure`) before it runs the program, so the
catalogue read then is the one the program found: a program that rewrites the catalogue files
on disk while it runs changes nothing the pack judges by. `checked-before-write` applies other
rules' settings (the allowances of `tenant-wide-privileged-scopes`, ...) and only the rules the
config makes mandatory; pulumi_policy hands a policy its own settings only, so they are kept
here for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer


class Configured:
    """The settings and levels of the last `Configure` (None before any: every rule at its
    defaults, at the pack's level)."""

    def __init__(self) -> None:
        self.settings: dict[str, Mapping[str, Any]] | None = None
        self.levels: dict[str, EnforcementLevel] = {}

    def raw(self, policy: str) -> Mapping[str, Any]:
        return (self.settings or {}).get(policy, {})

    def enforced(self, policy: str) -> bool:
        """Whether a violation of the policy stops the update (mandatory, or remediate, which
        pulumi_policy reports as mandatory when validating)."""
        level = self.levels.get(policy, EnforcementLevel.MANDATORY)
        return level in (EnforcementLevel.MANDATORY, EnforcementLevel.REMEDIATE)


CONFIGURED = Configured()


def install(on_configure: Callable[[Configured], None]) -> None:
    """Wrap the analyzer's `Configure`: keep what it was given, then call `on_configure`."""
    original: Callable[..., Any] = _PolicyAnalyzerServicer.Configure
    if getattr(original, "_entra_consent", False):
        return

    def configure(self: Any, request: Any, context: Any) -> Any:
        result = original(self, request, context)
        settings: dict[str, Mapping[str, Any]] = {}
        levels: dict[str, EnforcementLevel] = {}
        for name in request.policyConfig:
            settings[name] = self._get_policy_config(name) or {}
            levels[name] = self._convert_enforcement_level(
                request.policyConfig[name].enforcementLevel
            )
        CONFIGURED.settings, CONFIGURED.levels = settings, levels
        on_configure(CONFIGURED)
        return result

    configure._entra_consent = True  # type: ignore[attr-defined]
    _PolicyAnalyzerServicer.Configure = configure  # type: ignore[method-assign]
