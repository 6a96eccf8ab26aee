"""Signing in at Configure, as terraform-provider-azuread builds its client: a client-credentials
token from the simulator's token endpoint for the configured tenant, its `oid` as the caller;
credentials of another directory fail Configure and every later call with the provider's words;
`getClientConfig` answers the configured tenant without asking Graph."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs

import grpc  # type: ignore[import-untyped]
import pytest

from simtenant.graph.token import bearer_claims
from simtenant.provider.get_client_config import SIMULATED_CLIENT_ID, SIMULATED_OBJECT_ID
from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import CALLER, GRANT, SP, TENANT, Plugin

GET_CLIENT_CONFIG = "azuread:index/getClientConfig:getClientConfig"
OTHER_TENANT = "99999999-8888-7777-6666-555555555555"


def test_client_config_is_the_configured_tenant_and_the_tokens_caller(env: Env) -> None:
    env.sim.reset_requests()
    out = env.plugin.call(GET_CLIENT_CONFIG, {})
    assert out == {
        "id": f"{TENANT}-{SIMULATED_CLIENT_ID}-{CALLER}",
        "tenantId": TENANT,
        "clientId": SIMULATED_CLIENT_ID,
        "objectId": CALLER,
    }
    assert env.sim.requests == []  # never asks Graph


def test_graph_calls_carry_the_token_from_configure(env: Env) -> None:
    env.seed.user("adele.vance@contoso.com")
    env.sim.reset_requests()
    env.plugin.call("azuread:index/getUsers:getUsers", {"returnAll": True})
    claims = bearer_claims(env.sim.requests[0].authorization)
    assert claims["tid"] == TENANT and claims["oid"] == CALLER
    assert claims["appid"] == SIMULATED_CLIENT_ID


def test_client_id_and_tenant_from_config_or_environment(tenant: Any) -> None:
    env: Env = tenant(configure=False)
    app = "aaaaaaaa-4444-4000-8000-000000000001"
    env.seed.application(app, "Other Pipeline")
    sp_id = env.seed.service_principal(app)
    env.plugin.configure(clientId=app)
    out = env.plugin.call(GET_CLIENT_CONFIG, {})
    assert (out["clientId"], out["objectId"]) == (app, sp_id)  # the oid of its token

    plugin = Plugin(env.sim.base_url, ARM_TENANT_ID=TENANT.upper(), ARM_CLIENT_ID=app)
    try:
        plugin.configure(tenant_id=None)
        out = plugin.call(GET_CLIENT_CONFIG, {})
        assert (out["tenantId"], out["clientId"]) == (TENANT.upper(), app)
    finally:
        plugin.close()


def test_without_a_tenant_it_signs_in_to_the_simulated_one(tenant: Any) -> None:
    env: Env = tenant(configure=False)
    env.plugin.configure(tenant_id=None)
    assert env.plugin.call(GET_CLIENT_CONFIG, {})["tenantId"] == TENANT


def test_another_directory_fails_configure_and_every_call(tenant: Any) -> None:
    env: Env = tenant(configure=False)
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.configure(tenant_id=OTHER_TENANT)
    message = caught.value.details()
    prefix = (
        "1 error occurred:\n\t* building client: unable to obtain access token: "
        "clientCredentialsToken: received HTTP status 400 with response: "
    )
    assert message.startswith(prefix) and message.endswith("\n\n")
    entra = json.loads(message[len(prefix) : -2])
    assert entra["error"] == "unauthorized_client"
    assert entra["error_description"].startswith(
        f"AADSTS700016: Application with identifier '{SIMULATED_CLIENT_ID}' was not found in "
        f"the directory '{OTHER_TENANT}'."
    )
    for call in (
        lambda: env.plugin.invoke(GET_CLIENT_CONFIG, {}),
        lambda: env.plugin.check(SP, {"clientId": SIMULATED_CLIENT_ID}),
        lambda: env.plugin.create(GRANT, {}),
        lambda: env.plugin.read(SP, f"/servicePrincipals/{CALLER}"),
    ):
        with pytest.raises(grpc.RpcError) as again:
            call()
        assert again.value.details() == message


class _OldSimulator(BaseHTTPRequestHandler):
    """A simulator from before the token endpoint: 404 for it, an empty Graph otherwise."""

    seen: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        self.seen.append((self.path, {k: v[-1] for k, v in parse_qs(raw).items()}))
        self._reply(404, {"error": {"code": "Request_ResourceNotFound", "message": "No."}})


@pytest.fixture
def old_simulator() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OldSimulator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_token_request_and_the_temporary_fallback(old_simulator: str) -> None:
    """The form go-azure-sdk's client-secret authorizer posts; a simulator without the
    endpoint (404) still gets a fixed token. Remove the fallback half of this test with the
    fallback itself (simtenant/provider/signin.py)."""
    _OldSimulator.seen.clear()
    plugin = Plugin(f"{old_simulator}/v1.0", ARM_CLIENT_SECRET="s3cret")
    try:
        plugin.configure()
        assert _OldSimulator.seen == [
            (
                f"/{TENANT}/oauth2/v2.0/token",
                {
                    "client_id": SIMULATED_CLIENT_ID,
                    "client_secret": "s3cret",
                    "grant_type": "client_credentials",
                    "scope": f"{old_simulator}/.default",
                },
            )
        ]
        out = plugin.call(GET_CLIENT_CONFIG, {})
        assert (out["tenantId"], out["objectId"]) == (TENANT, SIMULATED_OBJECT_ID)
    finally:
        plugin.close()
