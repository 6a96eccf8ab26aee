"""Which look-up failures mean "does not exist": the provider's own words only, however the
bridge and the engine wrap them."""

from __future__ import annotations

import pytest

from components.core.naming import GET_GROUP, GET_SERVICE_PRINCIPAL, GET_USERS
from components.lookup_errors import principal_not_found, service_principal_not_found

ENGINE = "invoke of {t} failed: invocation of {t} returned an error: invoking {t}: "
GROUP = ENGINE.format(t=GET_GROUP)
SP = ENGINE.format(t=GET_SERVICE_PRINCIPAL)


def bridged(prefix: str, *diagnostics: str) -> str:
    """As pulumi-terraform-bridge lists a data source's diagnostics (go-multierror)."""
    count = f"{len(diagnostics)} error{'s' if len(diagnostics) > 1 else ''} occurred:"
    return prefix + count + "".join(f"\n\t* {d}" for d in diagnostics) + "\n\n"


@pytest.mark.parametrize(
    "message",
    [
        "No users found",
        "No group found matching specified filter (displayName eq 'Jira Users')",
        'invoking azuread:index/getGroup:getGroup: No group found with object ID: "9c9c"',
        'User with UPN "gone@contoso.com" was not found',
        bridged(
            GROUP, "[display_name] No group found matching specified filter (displayName eq 'Gone')"
        ),
        bridged(GROUP, '[object_id] No group found with object ID: "9c9c"'),
        bridged(ENGINE.format(t=GET_USERS), "No users found"),
    ],
)
def test_the_providers_not_found_words_mean_missing(message: str) -> None:
    assert principal_not_found(message)


@pytest.mark.parametrize(
    "message",
    [
        "Could not retrieve users: 400 BadRequest: Could not find a property named 'employeeId'",
        "DefaultAzureCredential failed: could not find a usable credential",
        "AzureCLICredential: Please run 'az login' (token not found)",
        "No group found matching specified filter (displayName eq 'X'): 503 ServiceUnavailable: busy",
        "Retrieving groups for filter (displayName eq 'X'): 401 InvalidAuthenticationToken: expired",
        "dial tcp 127.0.0.1:443: connect: connection refused (host not found)",
        bridged(
            GROUP,
            "[display_name] No group found matching specified filter (displayName eq 'X'): "
            "unexpected status 429 with OData error: TooManyRequests",
        ),
        bridged(
            GROUP, "No group found matching specified filter (x)", "building client: no credential"
        ),
        bridged(
            GROUP, "unable to build authorizer: could not find a usable credential (not found)"
        ),
    ],
)
def test_other_failures_that_mention_not_found_stop_the_run(message: str) -> None:
    assert not principal_not_found(message)


@pytest.mark.parametrize(
    ("message", "missing"),
    [
        (bridged(SP, "No service principal found: no service principal found"), True),
        (SP + "No service principal found", True),
        (bridged(SP, "Listing service principals for filter \"appId eq 'x'\": 401 expired"), False),
        (bridged(SP, "No service principal found: 503 ServiceUnavailable"), False),
    ],
)
def test_an_app_not_in_the_tenant_yet_is_told_apart_from_a_failure(
    message: str, missing: bool
) -> None:
    assert service_principal_not_found(message) is missing
