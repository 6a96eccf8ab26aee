"""What an enterprise app's service principal keeps from the tenant (pure).

The azuread provider writes a service principal's whole body on every create and update:
adopting one with `use_existing` re-enables it if an admin disabled it, clears its description,
login URL, SSO mode, notification addresses and alternative names, and replaces its tags by the
feature tags, and sends its SAML settings from config (NOTES-pulumi.md); `ignore_changes` does
not act on the adopting create. The stack
declares only assignment required, notes and the enterprise and hide tags, so the program
passes every other field (the SAML relay state included) as the tenant has it (read with `get_service_principal` on each run),
and the tags as the tenant's with only those two set as the stack says. A new app gets the
provider's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The service principal's own resource options (components/enterprise_app.py): it stays in the
# tenant when the stack drops it, and owners added in the portal are kept. The pack allows them
# and the comment does not list them as changes a pull request makes.
SERVICE_PRINCIPAL_RETAINED = True
SERVICE_PRINCIPAL_IGNORED = ("owners",)

ENTERPRISE_TAG = "WindowsAzureActiveDirectoryIntegratedApp"
HIDE_TAG = "HideApp"
MANAGED_TAGS = frozenset({ENTERPRISE_TAG.lower(), HIDE_TAG.lower()})


@dataclass(frozen=True)
class TenantApp:
    """The fields of an existing service principal that the stack does not manage."""

    account_enabled: bool
    description: str | None
    login_url: str | None
    preferred_single_sign_on_mode: str | None
    notification_email_addresses: tuple[str, ...]
    alternative_names: tuple[str, ...]
    tags: tuple[str, ...]
    saml_relay_state: str | None = None

    @classmethod
    def from_lookup(cls, found: Mapping[str, Any]) -> TenantApp:
        """From `get_service_principal`'s result (camelCase keys; empty strings are unset)."""

        def text(key: str) -> str | None:
            value = found.get(key)
            return value if isinstance(value, str) and value else None

        def strings(key: str) -> tuple[str, ...]:
            value = found.get(key) or []
            return tuple(v for v in value if isinstance(v, str))

        return cls(
            account_enabled=found.get("accountEnabled") is not False,
            description=text("description"),
            login_url=text("loginUrl"),
            preferred_single_sign_on_mode=text("preferredSingleSignOnMode"),
            notification_email_addresses=strings("notificationEmailAddresses"),
            alternative_names=strings("alternativeNames"),
            tags=strings("tags"),
            saml_relay_state=_relay_state(found.get("samlSingleSignOns")),
        )


def _relay_state(value: Any) -> str | None:
    """The SAML single sign-on relay state, from the data source's one-item list."""
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        state = value[0].get("relayState")
        return state if isinstance(state, str) and state else None
    return None


def tags(existing: Sequence[str], hide: bool) -> list[str]:
    """The tenant's tags in their order, the enterprise tag always and the hide tag as the
    stack says; nothing else added or removed."""
    kept = [t for t in existing if t.lower() not in MANAGED_TAGS]
    return [ENTERPRISE_TAG, *([HIDE_TAG] if hide else []), *dict.fromkeys(kept)]


def kept_fields(existing: TenantApp | None, hide: bool) -> dict[str, Any]:
    """Keyword arguments of `azuread.ServicePrincipal` for the fields the stack leaves alone."""
    if existing is None:
        return {"tags": tags((), hide)}
    return {
        "account_enabled": existing.account_enabled,
        "description": existing.description,
        "login_url": existing.login_url,
        "preferred_single_sign_on_mode": existing.preferred_single_sign_on_mode,
        "notification_email_addresses": list(existing.notification_email_addresses),
        "alternative_names": list(existing.alternative_names),
        "tags": tags(existing.tags, hide),
        **(
            {"saml_single_sign_on": {"relay_state": existing.saml_relay_state}}
            if existing.saml_relay_state
            else {}
        ),
    }
