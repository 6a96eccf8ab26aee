"""The stack every engine benchmark applies: feature `email` for one group, in a workspace of
its own against a simulated tenant (simtenant/workspace.py)."""

from __future__ import annotations

from pathlib import Path

from simtenant.graph.server import WRITES
from simtenant.workspace import Workspace

__all__ = ["TENANT_ID", "WRITES", "email_workspace"]

TENANT_ID = "11111111-2222-3333-4444-555555555555"


def email_workspace(
    root: Path, pulumi: Path, graph_url: str, consent: str, group: str
) -> Workspace:
    ws = Workspace(root, pulumi, graph_url)
    ws.write_stack_config(
        {
            "azuread:tenantId": TENANT_ID,
            "entra-consent:features": {"email": {"consent": consent, "groups": [group]}},
        }
    )
    return ws
