"""The policy pack run by the real engine (`--policy-pack` with the example config): the example
stack passes; program variants that grant beyond the catalogue are refused, at preview and at
`pulumi up`, and nothing of theirs reaches the tenant."""

from __future__ import annotations

from pathlib import Path

import pytest

from simtenant.workspace import Workspace
from tests.e2e.conftest import TenantProcess

pytestmark = pytest.mark.e2e

PROGRAMS = Path(__file__).resolve().parent / "programs"


def test_the_example_stack_passes_the_pack(workspace: Workspace) -> None:
    result = workspace.preview()
    assert "entra-consent@v" in result.stdout
    assert "mandatory" not in result.stdout.lower()


@pytest.mark.parametrize(
    ("program", "policy", "resource"),
    [
        ("unlisted_scope.py", "catalogue-scopes-only", "extra-teams-mail-send"),
        ("second_grant.py", "one-grant-per-target", "second-teams-graph-tenant"),
        ("managed_graph.py", "no-first-party-service-principals", "managed-graph"),
        ("spoofed_client.py", "registered-ids-only", "teams-spoofed-exchange"),
        ("directory_role.py", "closed-world", "teams-global-admin"),
        ("secret_scopes.py", "catalogue-scopes-only", "teams-secret-scopes"),
        ("outside_component.py", "registered-ids-only", "stray-teams-grant"),
        ("unknown_user.py", "tenant-wide-privileged-scopes", "mail-graph-user-later"),
    ],
)
def test_variants_beyond_the_catalogue_are_refused(
    workspace: Workspace, tenant: TenantProcess, program: str, policy: str, resource: str
) -> None:
    workspace.write_program(PROGRAMS / program)
    preview = workspace.preview(check=False)
    assert preview.code != 0, str(preview)
    assert policy in preview.stdout, str(preview)
    assert resource in preview.stdout, str(preview)
    assert "mandatory" in preview.stdout, str(preview)
    state = tenant.base_url.replace("/v1.0", "/_sim/state")
    before = tenant.graph.http.get(state).json()
    up = workspace.up(check=False)
    assert up.code != 0, str(up)
    assert policy in up.stdout, str(up)
    # The engine checks policy before it changes anything: the whole tenant is as it was.
    assert tenant.graph.http.get(state).json() == before
