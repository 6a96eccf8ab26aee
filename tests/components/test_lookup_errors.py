"""Which look-up failures mean "does not exist": the provider's own words only, however the
bridge and the engine wrap them."""

from __future__ import annotations

import pytest

from components.core.naming import GET_CLIENT_CONFIG, GET_GROUP, GET_SERVICE_PRINCIPAL, GET_USERS
from components.lookup_errors import (
    m365_group_unreadable,
    principal_not_found,
    service_principal_not_found,
    sign_in_failure,
)

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


# go-azure-sdk's own wording (sdk/client/client.go), as the real provider prints Graph's answers.
GO_SDK_404 = (
    "unexpected status 404 (404 Not Found) with error: Request_ResourceNotFound: Resource "
    "'9c9c' does not exist or one of its queried reference-property objects are not present."
)


@pytest.mark.parametrize(
    ("message", "missing"),
    [
        (bridged(GROUP, f'[object_id] No group found with object ID: "9c9c": {GO_SDK_404}'), False),
        (bridged(GROUP, '[object_id] No group found with object ID: "9c9c"'), True),
        (bridged(GROUP, f"No group found matching specified filter (x): {GO_SDK_404}"), True),
        (bridged(GROUP, f'Retrieving group with object ID: "9c9c": {GO_SDK_404}'), False),
        (
            bridged(
                GROUP,
                "No group found matching specified filter (displayName eq 'X'): unexpected "
                "status 503 (503 Service Unavailable) with error: ServiceUnavailable: busy",
            ),
            False,
        ),
        (bridged(ENGINE.format(t=GET_USERS), 'User not found with object ID: "9c9c"'), True),
    ],
)
def test_the_go_sdk_error_format_is_classified_as_the_stand_ins(
    message: str, missing: bool
) -> None:
    # The provider's not-found words count as missing, with go-azure-sdk's 404 after them
    # where upstream adds it (a filtered listing answered 404); any other status, or Graph's
    # 404 under another summary, is a failure of the request and stops the run.
    assert principal_not_found(message) is missing


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            bridged(
                ENGINE.format(t=GET_CLIENT_CONFIG),
                "building client: unable to obtain access token: clientCredentialsAuthorizer: "
                "400 Bad Request: AADSTS700016: Application with identifier 'abc' was not found "
                "in the directory 'Fabrikam'. This can happen if the application has not been "
                "installed.\nTrace ID: 1",
            ),
            "AADSTS700016: Application with identifier 'abc' was not found in the directory "
            "'Fabrikam'.",
        ),
        (
            bridged(
                ENGINE.format(t=GET_CLIENT_CONFIG),
                "unable to build authorizer: could not configure AzureCli Authorizer: az not found",
            ),
            "unable to build authorizer: could not configure AzureCli Authorizer: az not found",
        ),
        (
            bridged(
                ENGINE.format(t=GET_CLIENT_CONFIG),
                "building client: unable to obtain access token: clientCredentialsToken: "
                'received HTTP status 400 with response: {"error":"unauthorized_client",'
                '"error_description":"AADSTS700016: Application with identifier \'abc\' was '
                "not found in the directory 'contoso.onmicrosoft.com'. This can happen\"}",
            ),
            "AADSTS700016: Application with identifier 'abc' was not found in the directory "
            "'contoso.onmicrosoft.com'.",
        ),
        (bridged(ENGINE.format(t=GET_CLIENT_CONFIG), "503 ServiceUnavailable: busy"), None),
        ("No users found", None),
    ],
)
def test_a_provider_that_cannot_sign_in_is_told_in_one_line(
    message: str, reason: str | None
) -> None:
    assert sign_in_failure(message) == reason


@pytest.mark.parametrize(
    ("message", "m365"),
    [
        (
            bridged(
                GROUP,
                'Could not retrieve group with object ID "9c9c": retrieving additional fields: '
                "unexpected status 403 (403 Forbidden) with error: ErrorAccessDenied: Access is "
                "denied. Check credentials and try again.",
            ),
            True,
        ),
        (
            bridged(
                GROUP,
                'Could not retrieve group with object ID "9c9c": retrieving additional fields: '
                "unexpected status 503 (503 Service Unavailable) with error: busy",
            ),
            False,
        ),
        (bridged(GROUP, '[object_id] No group found with object ID: "9c9c"'), False),
    ],
)
def test_a_microsoft_365_group_refused_its_exchange_settings_is_recognised(
    message: str, m365: bool
) -> None:
    assert m365_group_unreadable(message) is m365
