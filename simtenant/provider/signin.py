"""Signing in when the provider is configured, as terraform-provider-azuread v3.9.0 does: its
`providerConfigure` (internal/provider/provider.go lines 270-388) builds the Graph client with
`clients.ClientBuilder.Build` (internal/clients/builder.go lines 22-70), which takes an access
token up front to read the caller's object id from its `oid` claim (internal/clients/client.go
`build`, lines 119-192). So credentials Entra refuses fail the provider's Configure, and with it
every operation of the provider.

- Credentials: `azuread:clientId` / `clientSecret` / `tenantId` of the provider's
  configuration, else `ARM_CLIENT_ID` / `ARM_CLIENT_SECRET` / `ARM_TENANT_ID` (the schema's
  environment defaults). The real provider falls back to the Azure CLI without a tenant and
  secret; the simulated one signs in with client credentials always (secret "simulated" when
  none is set, the client id SIMULATED_CLIENT_ID when none is set), and with no tenant set it
  signs in to the simulated tenant itself, as an Azure CLI logged in there would.
- The token: go-azure-sdk's client-secret authorizer (sdk/auth/client_secret_authorizer.go
  `Token`, lines 66-91, and client_credentials.go `clientCredentialsToken`, lines 317-375):
  `POST <login endpoint>/<tenant>/oauth2/v2.0/token` with the form `client_id`,
  `client_secret`, `grant_type=client_credentials`, `scope=<graph endpoint>/.default`. The
  simulator serves it at its root (ENTRA_CONSENT_SIM_GRAPH without `/v1.0`).
- Failures, word for word: `building client: unable to obtain access token:
  clientCredentialsToken: received HTTP status 400 with response: <Entra's JSON>`; the bridge's
  Configure (pkg/tfbridge/provider.go lines 900-951 of bridge v3.137.0) passes the
  diagnostics through go-multierror and renames quoted Terraform config keys
  (`ReplaceConfigProperties`)."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping

import httpx

from simtenant.provider.errors import ProviderError, multierror
from simtenant.provider.graph import GRAPH_ENV, Caller, Graph

SIMULATED_CLIENT_ID = "51a7e27a-0000-4000-8000-00000000c11e"
SIMULATED_OBJECT_ID = "51a7e27a-0000-4000-8000-0000000000b1"
MISSING_GRAPH = (
    f"{GRAPH_ENV} is not set: start a simulated tenant with `python -m simtenant serve` "
    f"and set {GRAPH_ENV} to the base URL it prints (http://127.0.0.1:PORT/v1.0)"
)
# Terraform's names of the provider's settings -> Pulumi's, for ReplaceConfigProperties.
_CONFIG_NAMES = {
    "client_id": "clientId",
    "client_secret": "clientSecret",
    "tenant_id": "tenantId",
    "environment": "environment",
    "use_cli": "useCli",
    "use_msi": "useMsi",
    "use_oidc": "useOidc",
}
TOKEN_TIMEOUT_S = 60.0


class SignInFailed(ProviderError):
    """Configure failed: the bridge's error text, which every later call repeats."""


def setting(config: Mapping[str, str], name: str, env: str) -> str:
    """A provider setting: `azuread:<name>` (either form the engine sends), else `env`."""
    for key in (name, f"azuread:{name}", f"azuread:config:{name}"):
        value = config.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return os.environ.get(env, "").strip()


def _failed(reason: str) -> SignInFailed:
    text = multierror([f"building client: {reason}"])
    for tf_name, pulumi_name in _CONFIG_NAMES.items():
        text = text.replace(f'"{tf_name}"', f'"{pulumi_name}"')
    return SignInFailed(text)


def claims_of(token: str) -> dict[str, object]:
    """`claims.ParseClaims`: the JWT's payload, unverified."""
    parts = token.split(".")
    if len(parts) != 3:
        raise _failed(
            "unable to parse claims in access token: unexpected token format: does not have 3 parts"
        )
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(raw)
    except (ValueError, binascii.Error) as exc:
        raise _failed(f"unable to parse claims in access token: {exc}") from exc
    return claims if isinstance(claims, dict) else {}


def _unsigned(claims: dict[str, str]) -> str:
    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'typ': 'JWT', 'alg': 'none'})}.{part(claims)}.simulated"


def _own_tenant(base: str, http: httpx.Client) -> str:
    """The simulated tenant's id, as an Azure CLI signed in there knows it (its login state;
    the only time the stand-in reads Graph to learn who it is)."""
    resp = http.get(f"{base}/organization", headers={"Authorization": "Bearer azure-cli"})
    value = resp.json().get("value") if resp.status_code == 200 else None
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return str(value[0].get("id") or "")
    raise _failed("azure-cli could not determine tenant ID to use")


def sign_in(config: Mapping[str, str]) -> Graph:
    base = os.environ.get(GRAPH_ENV, "").strip().rstrip("/")
    if not base:
        raise ProviderError(MISSING_GRAPH)
    root = base[: -len("/v1.0")] if base.endswith("/v1.0") else base
    client_id = setting(config, "clientId", "ARM_CLIENT_ID") or SIMULATED_CLIENT_ID
    secret = setting(config, "clientSecret", "ARM_CLIENT_SECRET") or "simulated"
    http = httpx.Client(timeout=TOKEN_TIMEOUT_S)
    try:
        tenant_id = setting(config, "tenantId", "ARM_TENANT_ID") or _own_tenant(base, http)
        url = f"{root}/{tenant_id}/oauth2/v2.0/token"
        form = {
            "client_id": client_id,
            "client_secret": secret,
            "grant_type": "client_credentials",
            "scope": f"{root}/.default",
        }
        try:
            resp = http.post(url, data=form, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise _failed(
                "unable to obtain access token: clientCredentialsToken: cannot request token: "
                f'Post "{url}": {exc}'
            ) from exc
    finally:
        http.close()
    if resp.status_code == 404:
        # TEMPORARY FALLBACK, to be removed: a simulator from before the token endpoint answers
        # 404 for its path (the token endpoint itself never does). Sign in with a fixed token
        # so nothing breaks meanwhile; remove this branch once every simulated tenant serves
        # `/{tenant}/oauth2/v2.0/token` (simtenant/graph/token.py).
        token = _unsigned(
            {"tid": tenant_id, "oid": SIMULATED_OBJECT_ID, "appid": client_id, "idtyp": "app"}
        )
    elif not 200 <= resp.status_code <= 299:
        raise _failed(
            "unable to obtain access token: clientCredentialsToken: received HTTP status "
            f"{resp.status_code} with response: {resp.text}"
        )
    else:
        token = _access_token(resp)
    claims = claims_of(token)
    object_id = claims.get("oid")
    if not isinstance(object_id, str) or not object_id:
        object_id = _object_id_by_app(base, token, client_id)
    return Graph(base, token, Caller(tenant_id, client_id, object_id))


def _access_token(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError as exc:
        raise _failed(
            f"unable to obtain access token: clientCredentialsToken: cannot unmarshal response: "
            f"{exc}"
        ) from exc
    token = body.get("access_token") if isinstance(body, dict) else None
    return token if isinstance(token, str) else ""


def _object_id_by_app(base: str, token: str, client_id: str) -> str:
    """No `oid` claim: the provider lists the service principals with the client's appId
    (internal/clients/client.go lines 162-184)."""
    prefix = "attempting to discover object ID for authenticated service principal"
    graph = Graph(base, token, Caller("", client_id, ""))
    try:
        found = graph.list("servicePrincipals", {"$filter": f"appId eq '{client_id}'"})
    except ProviderError as exc:
        raise _failed(f"{prefix}: {exc}") from exc
    finally:
        graph.close()
    if len(found) != 1:
        raise _failed(f"{prefix}: unexpected number of results, expected 1, received {len(found)}")
    object_id = found[0].get("id")
    if not isinstance(object_id, str) or not object_id:
        raise _failed(f"{prefix}: returned object ID was nil")
    return object_id
