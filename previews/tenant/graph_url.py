"""The base URL of Microsoft Graph for a discovery: `--graph-url`, else the environment, else
the public cloud; a national cloud by name; https only, or http to a loopback test server."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from previews.tenant.graph_errors import GraphError
from previews.tenant.graph_settings import GRAPH_URL_ENV, NATIONAL_CLOUDS, PUBLIC_GRAPH_URL

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def check_base_url(base_url: str) -> str:
    """The URL without a trailing slash; https, or http to a loopback address (tests)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise GraphError(f"graph url {base_url!r}: not an http(s) URL (e.g. {PUBLIC_GRAPH_URL})")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise GraphError(
            f"graph url {base_url!r}: plain http is allowed for loopback test servers only (use https)"
        )
    return base_url.rstrip("/")


def graph_url_from(arg: str | None, env: Mapping[str, str] | None = None) -> str:
    """--graph-url wins; then ENTRA_CONSENT_GRAPH_URL; a national cloud name is accepted too."""
    env = os.environ if env is None else env
    value = arg or env.get(GRAPH_URL_ENV) or PUBLIC_GRAPH_URL
    return check_base_url(NATIONAL_CLOUDS.get(value, value))
