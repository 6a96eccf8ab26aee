"""Where Microsoft Graph is and how much `discover` may read of it: the names, URLs and default
bounds the command line shows. No HTTP client here, so that `--help` and the offline commands
never load one."""

from __future__ import annotations

PUBLIC_GRAPH_URL = "https://graph.microsoft.com/v1.0"
# National clouds (Microsoft Graph deployments); the token authority is set separately, e.g.
# AZURE_AUTHORITY_HOST=https://login.microsoftonline.us for azure-identity.
NATIONAL_CLOUDS = {
    "public": "https://graph.microsoft.com/v1.0",
    "usgov": "https://graph.microsoft.us/v1.0",
    "usgov-dod": "https://dod-graph.microsoft.us/v1.0",
    "china": "https://microsoftgraph.chinacloudapi.cn/v1.0",
}
GRAPH_URL_ENV = "ENTRA_CONSENT_GRAPH_URL"
# A bearer token obtained elsewhere (tests, or `az account get-access-token --resource-type
# ms-graph`); when set, azure-identity is not used.
GRAPH_TOKEN_ENV = "ENTRA_CONSENT_GRAPH_TOKEN"

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_RETRIES = 6
DEFAULT_DEADLINE_S = 900.0
DEFAULT_MAX_WAIT_S = 300.0
DEFAULT_MAX_PAGES = 10_000
DEFAULT_MAX_MIB = 1024
MIB = 1 << 20
