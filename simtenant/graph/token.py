"""Entra ID's token endpoint for the client-credentials flow, on the simulator's root:
`POST /{tenant}/oauth2/v2.0/token` with a form body (`grant_type=client_credentials`,
`client_id`, `client_secret` or `client_assertion`, `scope`), as go-azure-sdk's client-secret
and OIDC authorizers call it (`<loginEndpoint>/<tenant>/oauth2/v2.0/token`).

- `{tenant}` is the simulated tenant's id or one of its verified domains: 200
  `{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": JWT}`.
  The JWT is unsigned (`header.payload.signature`, base64url without padding, a placeholder
  signature): claims `aud` (the scope without `/.default`), `iss`, `iat`, `nbf`, `exp`, `tid`,
  `oid`, `sub`, `appid`, `azp`, `idtyp: app`, `roles: []`, `ver: 1.0`. go-azure-sdk only decodes
  the payload (`sdk/claims.ParseClaims`: three parts, base64url without padding), and the
  provider takes its caller's object id from `oid`. `oid` is the object id of the service
  principal whose appId is `client_id` when the tenant has one, else the deploying identity's
  fixed id (simtenant/provider/get_client_config.py's).
- Another tenant: 400 `unauthorized_client`, AADSTS700016 "Application with identifier
  '{client_id}' was not found in the directory '{tenant}'. This can happen if the application
  has not been installed by the administrator of the tenant or consented to by any user in the
  tenant. You may have sent your authentication request to the wrong tenant." then "\\r\\nTrace
  ID: …\\r\\nCorrelation ID: …\\r\\nTimestamp: …", with `error_codes: [700016]`, `timestamp`,
  `trace_id`, `correlation_id`, `error_uri` (Entra's wording as users quote it, e.g.
  MicrosoftDocs/azure-docs#21690, and the fields of its JSON error answers).
- A missing `grant_type`, `client_id` or `scope`: 400 `invalid_request` AADSTS900144 "The
  request body must contain the following parameter: '{name}'."; no secret nor assertion: 401
  `invalid_client` AADSTS7000218 "The request body must contain the following parameter:
  'client_assertion' or 'client_secret'."; another grant type: 400 `unsupported_grant_type`
  AADSTS70003 (that wording unverified).

The secret is not checked, and Graph's own bearer check is unchanged (any non-empty token, or
the one `SimTenant(token=...)` names). `bearer_claims` reads a bearer token's payload back."""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from simtenant.graph.replies import Reply
from simtenant.graph.tenant import Tenant

PIPELINE_OBJECT_ID = "51a7e27a-0000-4000-8000-0000000000b1"
LIFETIME_S = 3599
SIGNATURE = "c2ltdGVuYW50LXVuc2lnbmVk"  # base64url of "simtenant-unsigned"


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def make_token(tenant_id: str, client_id: str, object_id: str, audience: str) -> str:
    now = int(time.time())
    header = {"typ": "JWT", "alg": "none", "kid": "simtenant"}
    issuer = f"https://sts.windows.net/{tenant_id}/"
    claims = {
        "aud": audience,
        "iss": issuer,
        "iat": now,
        "nbf": now,
        "exp": now + LIFETIME_S,
        "appid": client_id,
        "azp": client_id,
        "appidacr": "1",
        "idp": issuer,
        "idtyp": "app",
        "oid": object_id,
        "sub": object_id,
        "tid": tenant_id,
        "roles": [],
        "ver": "1.0",
    }
    return f"{_b64(header)}.{_b64(claims)}.{SIGNATURE}"


def bearer_claims(authorization: str) -> dict[str, Any]:
    """The payload of a JWT bearer token, unverified; {} for any other token."""
    _, _, token = authorization.partition(" ")
    parts = token.strip().split(".")
    if len(parts) != 3:
        return {}
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(raw)
    except (ValueError, binascii.Error, RecursionError):
        return {}
    return claims if isinstance(claims, dict) else {}


def caller_app(authorization: str) -> str:
    """The calling application: the token's `appid` (v1) or `azp` (v2), else one app."""
    claims = bearer_claims(authorization)
    for name in ("appid", "azp"):
        if isinstance(claims.get(name), str) and claims[name]:
            return str(claims[name]).lower()
    return "app"


def _error(status: int, error: str, code: int, text: str) -> Reply:
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
    return Reply(
        status,
        {
            "error": error,
            "error_description": f"AADSTS{code}: {text}\r\nTrace ID: {trace}\r\n"
            f"Correlation ID: {correlation}\r\nTimestamp: {stamp}",
            "error_codes": [code],
            "timestamp": stamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": f"https://login.microsoftonline.com/error?code={code}",
        },
    )


def token_reply(tenant: Tenant, directory: str, raw: bytes) -> Reply:
    """The answer to `POST /{directory}/oauth2/v2.0/token` with the form body `raw`."""
    form = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
    for name in ("grant_type", "client_id", "scope"):
        if not form.get(name):
            return _error(
                400,
                "invalid_request",
                900144,
                f"The request body must contain the following parameter: '{name}'.",
            )
    if form["grant_type"] != "client_credentials":
        return _error(
            400,
            "unsupported_grant_type",
            70003,
            f"The app requested an unsupported grant type '{form['grant_type']}'.",
        )
    if not form.get("client_secret") and not form.get("client_assertion"):
        return _error(
            401,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or "
            "'client_secret'.",
        )
    client_id = form["client_id"]
    names = {tenant.tenant_id.lower(), *(d.lower() for d in tenant.verified_domains)}
    if directory.lower() not in names:
        return _error(
            400,
            "unauthorized_client",
            700016,
            f"Application with identifier '{client_id}' was not found in the directory "
            f"'{directory}'. This can happen if the application has not been installed by the "
            "administrator of the tenant or consented to by any user in the tenant. You may "
            "have sent your authentication request to the wrong tenant.",
        )
    object_id = next(
        (s["id"] for s in tenant.service_principals.values() if s["appId"] == client_id.lower()),
        PIPELINE_OBJECT_ID,
    )
    audience = form["scope"].split()[0].removesuffix("/.default")
    access = make_token(tenant.tenant_id, client_id, object_id, audience)
    body = {
        "token_type": "Bearer",
        "expires_in": LIFETIME_S,
        "ext_expires_in": LIFETIME_S,
        "access_token": access,
    }
    return Reply(200, body)
