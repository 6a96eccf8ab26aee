"""Which look-up failures mean "does not exist" (pure).

Only the azuread provider's own words for an absent object count (terraform-provider-azuread
v3.9.0, data sources `group`, `users`, `service_principal`). Any other failure (an expired
login, "could not find a usable credential", a 400 such as "Could not find a property ...",
throttling, a network error) stops the run: with `missing_principals: skip` it would otherwise
read as departed users and revoke their consent. The provider wraps every error of its group
listing in "No group found matching specified filter (...)", so that words count only alone.

The message reaches the program wrapped: the engine's prefixes ("invoke of T failed:
invocation of T returned an error: invoking T: ") and pulumi-terraform-bridge's go-multierror
list ("1 error occurred:\\n\\t* [attribute] summary: detail\\n\\n"). Every diagnostic in the list
must be a not-found one.
"""

from __future__ import annotations

import re

_PRINCIPAL = (
    r"No group found matching specified filter \(.*\)(?:: 404 .*)?"
    r'|No group found with object ID: ".*"'
    r"|No users found"
    r'|User with UPN ".*" was not found'
    r'|User not found with object ID: ".*"'
)
_SERVICE_PRINCIPAL = r"No service principal found(?:: no service principal found)?"
_BULLETS = re.compile(r"\d+ errors? occurred:\s*\n\t\* ", re.S)
_BULLET = re.compile(r"\n\t\* ")
_ATTRIBUTE = re.compile(r"^\[[^\]]*\] ")


def _diagnostics(message: str) -> list[str]:
    """The provider's diagnostics inside the wrapping, or the message itself."""
    found = _BULLETS.search(message)
    if found is None:
        return [message.strip()]
    return [
        _ATTRIBUTE.sub("", d.strip()) for d in _BULLET.split(message[found.end() :]) if d.strip()
    ]


def _all_match(message: str, words: str) -> bool:
    whole = re.compile(rf"(?:^|: )(?:{words})$", re.S)
    diagnostics = _diagnostics(message)
    return bool(diagnostics) and all(whole.search(d) for d in diagnostics)


def message_of(exc: BaseException) -> str:
    """An invoke error's text: a gRPC error's details (without its debug lines), else str()."""
    details = getattr(exc, "details", None)
    return str(details() if callable(details) else exc)


def principal_not_found(message: str) -> bool:
    """A user or group look-up that found nothing."""
    return _all_match(message, _PRINCIPAL)


def service_principal_not_found(message: str) -> bool:
    """No service principal has the client id: an app not in the tenant yet."""
    return _all_match(message, _SERVICE_PRINCIPAL)
