"""The policy pack run by the real engine (`--policy-pack` with the example config): the example
stack passes; program variants that grant beyond the catalogue are refused, at preview and at
`pulumi up`, and nothing of theirs reaches the tenant."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.fingerprint import FINGERPRINT_ENV, fingerprint
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
        ("ignore_changes_grant.py", "governed-options", "ignore_changes on claimValues"),
        ("explicit_provider.py", "governed-options", "teams-graph-elsewhere"),
        (  # the violation itself: the grant's name is in the step list whatever the pack says
            "provider_named_default.py",
            "governed-options",
            "written through the explicit provider "
            "urn:pulumi:dev::entra-consent::pulumi:providers:azuread::default_9_9_9",
        ),
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


def _grants(tenant: TenantProcess) -> list[dict[str, object]]:
    return list(tenant.graph.list("/oauth2PermissionGrants"))


@pytest.mark.parametrize(
    ("program", "resource", "said"),
    [
        (
            "client_swapped_at_update.py",
            "teams-graph-swapped-at-update",
            "client app not in the catalogue (client id 00000002-0000-0ff1-ce00-000000000000",
        ),
        (
            "tenant_wide_at_update.py",
            "mail-graph-everyone-at-update",
            "privileged scopes granted tenant-wide",
        ),
    ],
)
def test_what_the_update_declares_unlike_its_preview_is_refused_before_it_is_written(
    workspace: Workspace, tenant: TenantProcess, program: str, resource: str, said: str
) -> None:
    """The program branches on `is_dry_run()`: its preview passes every rule, and the update
    declares something else. Stack rules run only after an update; checked-before-write asks
    the tenant before the step and stops it."""
    workspace.write_program(PROGRAMS / program)
    preview = workspace.preview()
    assert resource in preview.stdout and "mandatory" not in preview.stdout.lower(), str(preview)
    up = workspace.up(check=False)
    assert up.code != 0, str(up)
    assert "checked-before-write" in up.stdout and said in up.stdout, str(up)
    exchange = tenant.graph.service_principal("00000002-0000-0ff1-ce00-000000000000")
    mail = tenant.graph.service_principal("e7185a25-9df9-4d05-b779-76b04bf46424")
    assert exchange is not None and mail is not None
    written = _grants(tenant)
    assert [g for g in written if g["clientId"] == exchange["id"]] == []
    everyone = [
        g for g in written if g["clientId"] == mail["id"] and g["consentType"] == "AllPrincipals"
    ]
    assert everyone == [], everyone


def test_a_catalogue_rewritten_by_the_program_is_not_what_the_pack_judges_by(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """The pack reads its catalogue when the engine configures it, before the program runs:
    a program that rewrites the catalogue on disk while it runs is judged by the original."""
    workspace.write_program(PROGRAMS / "catalogue_swapped.py")
    catalogue = workspace.project / "catalog" / "apps" / "microsoft-365-for-jira.yaml"
    original = catalogue.read_text("utf-8")
    state = tenant.base_url.replace("/v1.0", "/_sim/state")
    before = tenant.graph.http.get(state).json()
    for command in (workspace.preview, workspace.up):
        catalogue.write_text(original, "utf-8")  # each CI job starts from a fresh checkout
        result = command(check=False)
        assert result.code != 0, str(result)
        assert "Files.ReadWrite.All" in catalogue.read_text("utf-8")  # the program ran
        assert "catalogue-scopes-only" in result.stdout, str(result)
        assert "scopes not in the catalogue: Files.ReadWrite.All" in result.stdout, str(result)
    assert tenant.graph.http.get(state).json() == before


def test_a_resource_outside_the_closed_world_declared_only_at_the_update_is_never_written(
    workspace: Workspace,
) -> None:
    """The stand-in provider fails any attempt to write a directory role ("not simulated"):
    the pack must stop the step before the provider is asked."""
    workspace.write_program(PROGRAMS / "directory_role_at_update.py")
    preview = workspace.preview()
    assert "teams-global-admin-at-update" not in preview.stdout, str(preview)
    up = workspace.up(check=False)
    assert up.code != 0, str(up)
    assert "checked-before-write" in up.stdout, str(up)
    assert "it would give a directory role (e.g. Global Administrator)" in up.stdout, str(up)
    assert "not simulated" not in up.stdout + up.stderr, str(up)


def test_a_catalogue_rewritten_during_the_preview_does_not_judge_the_update(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    """The preview and the update of one `pulumi up` configure the pack anew, so a catalogue
    the program rewrote during the preview would judge the update. With the fingerprint the CI
    scripts take before any pulumi command (ci_pin_catalogue), the pack judges by nothing else;
    without it (the second run) the update writes the scope, which is what the pin stops."""
    workspace.write_program(PROGRAMS / "catalogue_swapped_for_the_update.py")
    catalogue = workspace.project / "catalog" / "apps" / "microsoft-365-for-jira.yaml"
    original = catalogue.read_text("utf-8")
    teams_app = "89d5ca9f-d63b-4885-bd30-6e7433c1540c"

    def teams_scopes() -> set[str]:
        teams = tenant.graph.service_principal(teams_app)
        grants = [g for g in _grants(tenant) if teams is not None and g["clientId"] == teams["id"]]
        return {s for g in grants for s in str(g["scope"]).split()}

    workspace.env[FINGERPRINT_ENV] = fingerprint(workspace.project / "catalog")
    pinned = workspace.up(check=False)
    assert pinned.code != 0, str(pinned)
    assert "not the catalogue this job pinned" in pinned.stdout, str(pinned)
    assert "Files.ReadWrite.All" not in teams_scopes()

    del workspace.env[FINGERPRINT_ENV]
    catalogue.write_text(original, "utf-8")
    unpinned = workspace.up(check=False)
    assert unpinned.code == 0, str(unpinned)
    assert "Files.ReadWrite.All" in teams_scopes()
