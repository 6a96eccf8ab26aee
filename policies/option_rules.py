"""`governed-options`: the resource options that would take a service principal, grant or app
role assignment out of the stack's governance are refused, unless the policy config names them.

- `ignoreChanges` on a governed property: the stack stops setting it, so a scope widened
  outside the stack stays (a refresh and `--expect-no-changes` pass), and with `import` the
  stack adopts a wider grant than it declares. The service principal's `owners` is the one the
  project itself ignores (components/enterprise_app.py: owners added in the portal are kept).
- an explicit provider: another tenant, client or credential than the stack's, which neither
  the pack nor the comment sees. The engine names the provider it makes from the stack's
  `azuread:*` settings `default` or `default_<version>` and gives it no parent; a provider the
  program registered has one (the stack, at least), so it is explicit whatever its name
  (policies/pack.py notes them as the engine analyzes them, before what they write).

`import` and `retainOnDelete` never reach a policy pack (the engine's analyzer options carry
neither); the PR comment lists them (previews/render/).
"""

from __future__ import annotations

import json

from catalog.catalogue import Catalogue
from catalog.text import clean
from components.core.kept_fields import SERVICE_PRINCIPAL_IGNORED
from components.core.naming import (
    ASSIGNMENT_TYPE,
    GRANT_TYPE,
    SERVICE_PRINCIPAL_TYPE,
    is_default_provider,
)

from .config import OptionsConfig, RuleConfig
from .resources import Resource
from .violation import Violation

GOVERNED = {
    SERVICE_PRINCIPAL_TYPE: "service principal",
    GRANT_TYPE: "grant",
    ASSIGNMENT_TYPE: "assignment",
}
# What the project's own components ignore, by type.
OWN_IGNORED = {SERVICE_PRINCIPAL_TYPE: frozenset(SERVICE_PRINCIPAL_IGNORED)}


def governed_options(
    resource: Resource, _catalogue: Catalogue | None, config: RuleConfig
) -> list[Violation]:
    assert isinstance(config, OptionsConfig)
    what = GOVERNED.get(resource.type)
    if what is None:
        return []
    out = []
    allowed = OWN_IGNORED.get(resource.type, frozenset()) | set(
        config.allowedIgnoreChanges.get(resource.type, [])
    )
    ignored = sorted(clean(name, 80) for name in set(resource.ignore_changes) - allowed)
    if ignored:
        out.append(
            Violation(
                f"{what} {resource.name}: ignore_changes on {', '.join(ignored)} takes it out of "
                "the stack's governance: the stack stops setting it, a change made outside the "
                "stack stays, and an import adopts whatever the tenant holds (remove "
                "ignore_changes, or allow it through review in the policy config under "
                f"governed-options.allowedIgnoreChanges: {json.dumps({resource.type: ignored})})",
                resource.urn,
            )
        )
    provider = clean(resource.provider, 300)
    explicit = resource.provider_by_program or not is_default_provider(provider)
    if provider and explicit and provider not in config.allowedProviders:
        out.append(
            Violation(
                f"{what} {resource.name}: written through the explicit provider {provider}, not "
                "the one the stack's azuread settings make: another tenant, client or "
                "credential that the pack and the comment do not see (remove the provider "
                "option, or allow it through review in the policy config under "
                f'governed-options.allowedProviders: ["{provider}"])',
                resource.urn,
            )
        )
    return out
