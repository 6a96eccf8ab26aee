"""The schema's validation at Check, with terraform-plugin-sdk's and the provider's own words as
the bridge reports them (no property; "Examine values at '<name>.<path>'."), and the SAML
block's diff suppression."""

from __future__ import annotations

from pulumi.runtime.proto import provider_pb2

from simtenant.provider.props import UNKNOWN
from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import ASSIGNMENT, SP

APP = "aaaaaaaa-5555-4000-8000-000000000001"
ID = "aaaaaaaa-5555-4000-8000-000000000002"


def _reasons(env: Env, typ: str, inputs: dict[str, object]) -> list[str]:
    _, failures = env.plugin.check(typ, inputs)
    assert all(prop == "" for prop, _ in failures)
    return [reason for _, reason in failures]


def test_uuids(env: Env) -> None:
    assert _reasons(env, SP, {"clientId": "vendor-app"}) == [
        "expected \"client_id\" to be a valid UUID, got vendor-app. Examine values at 'r.clientId'."
    ]
    assert _reasons(env, SP, {"clientId": APP.upper()}) == []
    assert _reasons(env, SP, {"clientId": UNKNOWN}) == []
    reasons = _reasons(
        env, ASSIGNMENT, {"appRoleId": "default", "principalObjectId": ID, "resourceObjectId": "x"}
    )
    assert reasons == [
        'expected "app_role_id" to be a valid UUID, got default. Examine values at '
        "'r.appRoleId'.",
        'expected "resource_object_id" to be a valid UUID, got x. Examine values at '
        "'r.resourceObjectId'.",
    ]
    assert _reasons(env, ASSIGNMENT, {"appRoleId": ID, "principalObjectId": ID}) == [
        'Missing required argument. The argument "resource_object_id" is required, but no '
        "definition was found.. Examine values at 'r.resourceObjectId'."
    ]


def test_login_url_must_be_an_http_url(env: Env) -> None:
    def reasons(url: str) -> list[str]:
        return _reasons(env, SP, {"clientId": APP, "loginUrl": url})

    assert reasons("https://sso.example.com/login?x=1") == []
    assert reasons("HTTP://sso.example.com") == []
    where = " Examine values at 'r.loginUrl'."
    assert reasons("ftp://sso.example.com") == [
        f'unexpected URI scheme for "login_url", expected one of: http, https.{where}'
    ]
    assert reasons("sso.example.com/login") == [f'URI has no host for "login_url".{where}']
    assert reasons("") == [f'URI must not be empty for "login_url".{where}']
    assert reasons("https://sso.example.com/%zz") == [
        f'URI is in an invalid format for "login_url".{where}'
    ]


def test_single_sign_on_mode_and_lengths(env: Env) -> None:
    for mode in ("", "saml", "oidc", "password", "notSupported"):
        assert _reasons(env, SP, {"clientId": APP, "preferredSingleSignOnMode": mode}) == []
    assert _reasons(env, SP, {"clientId": APP, "preferredSingleSignOnMode": "SAML"}) == [
        'expected preferred_single_sign_on_mode to be one of ["" "notSupported" "oidc" '
        '"password" "saml"], got SAML. Examine values at \'r.preferredSingleSignOnMode\'.'
    ]
    assert _reasons(env, SP, {"clientId": APP, "notes": "n" * 1024}) == []
    assert _reasons(env, SP, {"clientId": APP, "notes": "n" * 1025}) == [
        f"expected length of notes to be in the range (0 - 1024), got {'n' * 1025}. Examine "
        "values at 'r.notes'."
    ]
    assert _reasons(env, SP, {"clientId": APP, "samlSingleSignOn": {"relayState": ""}}) == [
        'expected "saml_single_sign_on.0.relay_state" to not be an empty string, got . '
        "Examine values at 'r.samlSingleSignOn.relayState'."
    ]


def test_saml_block_diffs_as_the_provider_suppresses_it(env: Env) -> None:
    """A block in state without a relay state and none in config: no change; a relay state in
    state and none in config, or any other difference: a change."""
    base = {"clientId": APP, "useExisting": True}
    olds = {**base, "accountEnabled": True}

    def changes(old: object, new: object) -> dict[str, int]:
        state = {**olds, "samlSingleSignOn": old} if old is not None else olds
        news = {**base, "samlSingleSignOn": new} if new is not None else base
        resp = env.plugin.diff(SP, "/servicePrincipals/x", state, news)
        return {k: v.kind for k, v in resp.detailedDiff.items()}

    kinds = provider_pb2.PropertyDiff
    assert changes({"relayState": ""}, None) == {}
    assert changes({"relayState": "/home"}, None) == {"samlSingleSignOn": kinds.DELETE}
    assert changes(None, {"relayState": "/home"}) == {"samlSingleSignOn": kinds.ADD}
    assert changes(None, {}) == {"samlSingleSignOn": kinds.ADD}
    assert changes({"relayState": "/a"}, {"relayState": "/b"}) == {"samlSingleSignOn": kinds.UPDATE}
    assert changes({"relayState": "/a"}, {"relayState": "/a"}) == {}


def test_saml_block_in_state_follows_graph(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    _, out = env.plugin.create(SP, {"clientId": APP, "samlSingleSignOn": {"relayState": "/home"}})
    assert out["samlSingleSignOn"] == {"relayState": "/home"}
    env.seed.application(ID, "Other App")
    sp_id = env.seed.service_principal(ID)
    _, props, _ = env.plugin.read(SP, f"/servicePrincipals/{sp_id}")
    assert "samlSingleSignOn" not in props  # Graph holds no SAML settings for it
