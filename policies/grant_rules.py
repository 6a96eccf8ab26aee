"""The rules on how a stack's grants are made (DESIGN §7): `tenant-wide-privileged-scopes` and
`one-grant-per-target`."""

from __future__ import annotations

from collections import defaultdict

from catalog.catalogue import Catalogue
from catalog.models import ApiFile

from .catalogue_view import View, grant_text, scopes_text
from .config import PrivilegedConfig, RuleConfig
from .property_values import Unknown
from .resources import Grant, Resource
from .stack import Stack
from .violation import Violation

# --- tenant-wide-privileged-scopes -------------------------------------------------------------


def _privileged(scope: str, apis: list[ApiFile], threshold: int) -> bool:
    known = [api.scopes[scope] for api in apis if scope in api.scopes]
    if not known:
        return True  # no published metadata: treat as privileged
    return any(s.admin_consent_required or (s.privilege_level or 0) >= threshold for s in known)


def _requires_assignment(client: Resource | None) -> bool:
    """The client's service principal, as this stack declares it, lets only assigned users and
    groups sign in (a known `true`, not an unknown)."""
    return client is not None and client.props.get("appRoleAssignmentRequired") is True


def tenant_wide_privileged_scopes(
    stack: Stack, catalogue: Catalogue, config: RuleConfig
) -> list[Violation]:
    assert isinstance(config, PrivilegedConfig)
    out = []
    view = View(catalogue)
    for grant in stack.grants():
        if not grant.tenant_wide or isinstance(grant.scopes, Unknown):
            continue
        if config.allowWhenAssignmentRequired and _requires_assignment(grant.client):
            continue
        client = view.client(grant.client)
        api = view.api(grant.api)
        if api.api is not None:
            apis = [api.api]
            client_key = client.app.key if client.app is not None else None
            client_id = client.client_id if isinstance(client.client_id, str) else None
            allowed = config.allowed(client_key, client_id, api.api.key)
        else:
            apis = [] if api.determined else list(catalogue.apis.values())
            allowed = frozenset()
        privileged = {s for s in grant.scopes if _privileged(s, apis, config.privilegeThreshold)}
        offending = privileged - allowed
        if not offending:
            continue
        allowance = (
            f"allowances.{client.app.key if client.app else client.identity}.{api.api.key}"
            if api.api is not None
            else "an allowance (only possible once the API can be determined)"
        )
        out.append(
            Violation(
                f"{grant_text(grant, client, api)}: privileged scopes granted tenant-wide "
                f"(admin consent required, privilege level {config.privilegeThreshold} or more, "
                f"or unknown): {scopes_text(offending)} (grant them per user instead, or allow them "
                f"through review in the policy config under {allowance})",
                grant.resource.urn,
            )
        )
    return out


# --- one-grant-per-target ----------------------------------------------------------------------


def one_grant_per_target(stack: Stack, catalogue: Catalogue, _: RuleConfig) -> list[Violation]:
    groups: dict[tuple[str, str, str], list[Grant]] = defaultdict(list)
    view = View(catalogue)
    for grant in stack.grants():
        client_key = view.client(grant.client).identity
        api_key = view.api(grant.api).identity
        if client_key is None or api_key is None or isinstance(grant.user, Unknown):
            continue  # cannot be compared; other rules report what is unknown
        groups[(client_key, api_key, grant.user or "")].append(grant)
    out = []
    for grants in groups.values():
        if len(grants) < 2:
            continue
        first = grants[0]
        client = view.client(first.client)
        api = view.api(first.api)
        names = ", ".join(g.resource.name for g in grants)
        scopes = sorted({s for g in grants if not isinstance(g.scopes, Unknown) for s in g.scopes})
        out.append(
            Violation(
                f"{grant_text(first, client, api)}: {len(grants)} grants for the same client, "
                f"API and target ({names}) with scopes {scopes_text(scopes)}; Entra ID keeps one "
                "grant per target and refuses the second (merge them into one grant, or remove "
                "the extra ones from the stack)",
                first.resource.urn,
            )
        )
    return out
