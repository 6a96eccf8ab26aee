"""Variant of __main__.py: the example stack plus Microsoft Graph's service principal as a
managed resource (deleting it would break every app in the tenant). The policy pack must refuse
it."""

from pathlib import Path

import pulumi_azuread as azuread

from components.program import declare_stack

declare_stack(Path(__file__).resolve().parent)
azuread.ServicePrincipal(
    "managed-graph", client_id="00000003-0000-0000-c000-000000000000", use_existing=True
)
