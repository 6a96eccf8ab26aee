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

Two other failures get a line of their own instead of a traceback: a provider that cannot sign
in (terraform-provider-azuread builds its Graph client, and so takes its token, when it is
configured: `internal/clients/builder.go`, "unable to build authorizer" / "building client"), and
a Microsoft 365 group, whose read also asks for four Exchange settings that Graph refuses to
app-only credentials (`internal/services/groups/group_data_source.go`, groupGetAdditional:
"Could not retrieve group with object ID ...: retrieving additional fields: ... 403 ...").
"""

from __future__ import annotations

import re

_PRINCIPAL = (
    r"No group found matching specified filter \(.*\)(?:: (?:unexpected status )?404 .*)?"
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


# Entra's first sentence: up to a full stop that ends it (a domain's dots do not).
_AADSTS = re.compile(r'AADSTS\d+:.*?(?:\.(?=\s|"|\\|$)|(?=["\n\\])|$)')
_SIGN_IN = re.compile(
    r"unable to build authorizer|building client:|obtain(?:ing)? (?:an )?access token|AADSTS\d+"
)
_M365_GROUP = re.compile(
    r'Could not retrieve group with object ID "[^"]*": retrieving additional fields:'
    r"[^\n]*(?:status 403|403 Forbidden)"  # within one diagnostic, never across two
)


def sign_in_failure(message: str) -> str | None:
    """The reason the provider could not sign in, None when the failure is something else:
    Entra's own sentence when it gave one (AADSTS700016 for another directory's credentials),
    else the provider's first diagnostic."""
    if not _SIGN_IN.search(message):
        return None
    entra = _AADSTS.search(message)
    if entra is not None:
        return entra.group(0).strip()
    first = _diagnostics(message)[0].splitlines()
    return first[0].strip() if first else "sign-in failed"


def m365_group_unreadable(message: str) -> bool:
    """`get_group` failed on a Microsoft 365 group's Exchange settings (403 to app-only
    credentials, terraform-provider-azuread issues #1866 and #1929)."""
    return bool(_M365_GROUP.search(message))
