"""Credentials for the Graph client: a bearer token from the environment, or azure-identity's
DefaultAzureCredential (Azure CLI, OIDC workload identity, managed identity, ...)."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from previews.tenant.graph_settings import GRAPH_TOKEN_ENV

_REFRESH_MARGIN_S = 300


class TokenProvider(Protocol):
    def __call__(self) -> str: ...


@dataclass
class StaticToken:
    token: str

    def __call__(self) -> str:
        return self.token


@dataclass
class AzureIdentityToken:
    """DefaultAzureCredential (environment / workload identity OIDC / managed identity / Azure
    CLI / ...), cached until five minutes before expiry: some credentials (Azure CLI) do not
    cache, and a large tenant takes hundreds of requests."""

    scope: str
    _credential: Any = None
    _token: str = ""
    _expires_on: float = 0.0

    def __call__(self) -> str:
        if self._token and time.time() < self._expires_on - _REFRESH_MARGIN_S:
            return self._token
        if self._credential is None:
            from azure.identity import DefaultAzureCredential  # slow import: only when used

            # azure-identity logs every credential it tried (15 lines) as a warning before it
            # raises; the command prints one line with what to do instead. AZURE_LOG_LEVEL
            # still shows them when wanted.
            if not os.environ.get("AZURE_LOG_LEVEL"):
                logging.getLogger("azure.identity").setLevel(logging.CRITICAL)
            self._credential = DefaultAzureCredential(exclude_interactive_browser_credential=True)
        access = self._credential.get_token(self.scope)
        self._token, self._expires_on = access.token, float(access.expires_on)
        return self._token


def token_scope(base_url: str) -> str:
    """`https://graph.microsoft.us/v1.0` -> `https://graph.microsoft.us/.default`."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/.default"


def default_token_provider(base_url: str, env: Mapping[str, str] | None = None) -> TokenProvider:
    env = os.environ if env is None else env
    token = env.get(GRAPH_TOKEN_ENV, "").strip()
    if token:
        return StaticToken(token)
    return AzureIdentityToken(token_scope(base_url))


def token_tenant(token: str) -> str | None:
    """The `tid` claim of a JWT access token (not verified: Graph verifies it; this only
    catches a credential logged in to another tenant). None when the token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError, RecursionError):
        return None
    tid = claims.get("tid") if isinstance(claims, dict) else None
    return tid.lower() if isinstance(tid, str) else None
