"""`discover` end to end: the simulated Microsoft Graph on 127.0.0.1 (paged, throttled, flaky), the
drift report's classification, and the import file checked against the resources the program
registers under Pulumi's mock runtime."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from components.core.naming import ENTERPRISE_APP_TYPE, RESOURCE_API_TYPE, urn
from components.core.stack_file import read_stack_config
from previews.__main__ import main as dispatch
from previews.tenant.drift_report import DriftReport
from previews.tenant.graph_client import GRAPH_TOKEN_ENV, GraphClient
from previews.tenant.import_file import ImportDocument
from simtenant.fakes.fake_tenant import FakeTenant
from simtenant.fakes.mock_runtime import ProgramRun, run_program
from simtenant.graph import Fault, SimTenant
from tests.previews.conftest import REPO
from tests.previews.tenant.discover.seeding import TOKEN, SeededTenant, seed_tenant


def main(args: list[str]) -> int:
    """`entra-consent discover ARGS`, through the dispatcher as a user runs it."""
    return dispatch(["discover", *args])


EXAMPLE_TENANT = REPO / "tests" / "tenants" / "contoso.yaml"
MAIL_APP = "e7185a25-9df9-4d05-b779-76b04bf46424"
PROJECT = "entra-consent"
STACK = "dev"
GRAPH_API = "microsoft-graph"

# (app, api, target) -> status, for the fixture tenant against Pulumi.dev.yaml.
EXPECTED_GRANTS = {
    ("jemhc", "exchange-online", "tenant"): "match",
    ("jemhc", GRAPH_API, "tenant"): "drifted",
    ("jemhc", GRAPH_API, "jira-support@contoso.com"): "missing",
    ("m365-jira-mail", GRAPH_API, "adele.vance@contoso.com"): "match",
    ("m365-jira-mail", GRAPH_API, "megan.bowen@contoso.com"): "match",
    ("m365-jira-mail", GRAPH_API, "lee.gu@contoso.com"): "drifted",
    ("m365-jira-mail", GRAPH_API, "alex.wilber@contoso.com"): "missing",
    ("m365-jira-mail", GRAPH_API, "pat.doe@contoso.com"): "unmanaged",
    ("m365-jira-mail", "00000003-0000-0ff1-ce00-000000000000", "tenant"): "unmanaged",
    ("m365-jira-teams", GRAPH_API, "tenant"): "match",
    ("m365-jira-teams", GRAPH_API, "megan.bowen@contoso.com"): "unmanaged",
    ("m365-jira-teams-jsm-portal", GRAPH_API, "tenant"): "missing",
    ("m365-jira-todo", GRAPH_API, "tenant"): "unmanaged",
}
# (app, principal) -> status. An existing assignment is named as Graph names its principal
# (principalDisplayName, the display name); a missing one as the stack's config does.
EXPECTED_ASSIGNMENTS = {
    ("jemhc", "Jira Support"): "match",
    ("m365-jira-mail", "Jira Users"): "match",
    ("m365-jira-mail", "Alex Wilber"): "match",
    ("m365-jira-mail", "adele.vance@contoso.com"): "missing",
    ("m365-jira-mail", "Pat Doe"): "unmanaged",
}
EXPECTED_SERVICE_PRINCIPALS = {
    "jemhc": "present",
    "m365-jira-mail": "drifted",
    "m365-jira-teams": "present",
    "m365-jira-teams-jsm-portal": "missing",
    "m365-jira-todo": "drifted",
}


@pytest.fixture(scope="module")
def seeded() -> SeededTenant:
    """tenant.yaml, built once; each test serves a copy (the same object ids)."""
    return seed_tenant()


@pytest.fixture
def graph(seeded: SeededTenant) -> Iterator[SimTenant]:
    with seeded.serve(page_size=2) as server:
        yield server


@pytest.fixture(scope="module")
def program(seeded: SeededTenant) -> ProgramRun:
    """The dev stack under the mock runtime, against the tenant the simulated Graph holds."""
    run = run_program(read_stack_config(REPO, STACK), seeded.mock_tenant(), stack=STACK)
    assert run.error is None, run.error
    return run


def discover(
    graph: SimTenant, out: Path, *extra: str, monkeypatch: pytest.MonkeyPatch, token: str = TOKEN
) -> int:
    monkeypatch.setenv(GRAPH_TOKEN_ENV, token)
    args = ["--stack", STACK, "--project-dir", str(REPO), "--graph-url", graph.base_url]
    return main([*args, "--out", str(out), *extra])


def read_report(out: Path) -> DriftReport:
    return DriftReport.model_validate_json((out / "drift.json").read_text("utf-8"))


def read_import(out: Path) -> ImportDocument:
    return ImportDocument.model_validate_json((out / "import.json").read_text("utf-8"))


def test_discover_classifies_grants_assignments_and_service_principals(
    graph: SimTenant,
    seeded: SeededTenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app_sp = seeded.service_principals[MAIL_APP]  # m365-jira-mail
    grants_path = f"/v1.0/servicePrincipals/{app_sp}/oauth2PermissionGrants"
    graph.faults += [
        Fault(grants_path, status=429, headers={"Retry-After": "1"}),
        Fault(grants_path, status=503, page="2"),
    ]
    code = discover(graph, tmp_path, monkeypatch=monkeypatch)
    err = capsys.readouterr().err
    assert code == 0, err
    assert graph.methods() == {"GET"}

    report = read_report(tmp_path)
    grants = {(g.app, g.api, g.user or g.target): g.status for g in report.grants}
    assert grants == EXPECTED_GRANTS
    assignments = {(a.app, a.principal_name): a.status for a in report.assignments}
    assert assignments == EXPECTED_ASSIGNMENTS
    sps = {s.app: s.status for s in report.service_principals}
    assert sps == EXPECTED_SERVICE_PRINCIPALS
    assert not report.in_sync and report.problems == []

    by_user = {g.user: g for g in report.grants if g.app == "m365-jira-mail"}
    lee = by_user["lee.gu@contoso.com"]
    assert (lee.extra_scopes, lee.fewer_scopes) == ([], ["Group.ReadWrite.All", "Place.Read.All"])
    jemhc = next(
        g for g in report.grants if (g.app, g.api, g.target) == ("jemhc", GRAPH_API, "tenant")
    )
    assert (jemhc.extra_scopes, jemhc.fewer_scopes) == (["User.Read"], [])
    assert "not in the stack's config" in by_user["pat.doe@contoso.com"].note

    # The throttled page was asked again after the server's Retry-After; the 503 page too.
    assert graph.paths().count(grants_path) >= 4  # 429, page 1, page 2 (503), page 2, page 3
    assert "throttled (429); retrying in 1 s" in err
    assert "HTTP 503; retrying" in err
    markdown = (tmp_path / "drift.md").read_text("utf-8")
    lee_id = lee.target.removeprefix("user:")
    assert (
        f"| `m365-jira-mail` | `Microsoft Graph` | `lee.gu@contoso.com` (`user:{lee_id}`) | - | "
        "`Group.ReadWrite.All` `Place.Read.All` |" in markdown
    )
    assert "pat.doe@contoso.com" in markdown


def test_every_request_is_an_authenticated_get(
    graph: SimTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert discover(graph, tmp_path, monkeypatch=monkeypatch) == 0
    assert graph.requests, "no request reached the simulated Graph"
    assert {r.method for r in graph.requests} == {"GET"}
    assert {r.authorization for r in graph.requests} == {f"Bearer {TOKEN}"}
    filters = [r.query["$filter"] for r in graph.requests if "$filter" in r.query]
    assert any(f.startswith("appId in (") for f in filters)


STACK_TYPE_PREFIX = "pulumi:pulumi:Stack$"


def engine_urn(mock_urn: str) -> str:
    """The URN the engine gives what the mock monitor registered. The mock monitor prefixes the
    stack's direct children with the stack's type; the engine leaves the root stack type out
    (pulumi/pulumi `Deployment.generateURN`), and so does `pulumi import`."""
    head, qualified, name = mock_urn.rsplit("::", 2)
    return f"{head}::{qualified.removeprefix(STACK_TYPE_PREFIX)}::{name}"


def _registered(program: ProgramRun) -> dict[str, tuple[str, str, str]]:
    return {
        engine_urn(r.urn): (r.type, r.name, engine_urn(r.parent))
        for r in program.registrations
        if not r.read
    }


def test_engine_urn_drops_the_root_stack_type_only() -> None:
    child = "urn:pulumi:dev::p::entra-consent:index:EnterpriseApp$azuread:x:Y::a-sp"
    assert engine_urn(child) == child
    top = "urn:pulumi:dev::p::pulumi:pulumi:Stack$entra-consent:index:EnterpriseApp::a"
    assert engine_urn(top) == "urn:pulumi:dev::p::entra-consent:index:EnterpriseApp::a"


def test_import_file_names_types_and_parents_are_those_the_program_registers(
    graph: SimTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, program: ProgramRun
) -> None:
    assert discover(graph, tmp_path, monkeypatch=monkeypatch) == 0
    document = read_import(tmp_path)
    report = read_report(tmp_path)
    registered = _registered(program)
    by_name = {r.name: r for r in document.resources}
    imported_urns = set()
    for resource in document.resources:
        parent = by_name[resource.parent] if resource.parent else None
        parent_urn = urn(PROJECT, STACK, parent.type, parent.name) if parent else ""
        resource_urn = urn(
            PROJECT, STACK, resource.type, resource.name, parent.type if parent else ""
        )
        assert resource_urn in registered, resource_urn
        assert registered[resource_urn][:2] == (resource.type, resource.name)
        if parent is not None:
            assert registered[resource_urn][2] == parent_urn
        else:
            assert resource.component and resource.type == ENTERPRISE_APP_TYPE
            assert registered[resource_urn][2].endswith("::pulumi:pulumi:Stack::entra-consent-dev")
        imported_urns.add(resource_urn)

    # Whatever the program registers and the import leaves out does not exist in the tenant.
    missing_names = {g.resource for g in report.grants if g.status == "missing"}
    missing_names |= {a.resource for a in report.assignments if a.status == "missing"}
    missing_apps = {s.app for s in report.service_principals if s.status == "missing"}
    for resource_urn, (typ, name, _) in registered.items():
        if resource_urn in imported_urns or typ == RESOURCE_API_TYPE:
            continue  # a ResourceApi only holds a read of the API: nothing to import
        assert name in missing_names or any(name.startswith(a) for a in missing_apps), name
    assert len(document.resources) == 17


def test_imported_resources_keep_every_replace_on_change_input(
    graph: SimTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, program: ProgramRun
) -> None:
    """So `pulumi preview` after the import shows updates only: the ids the program declares
    for each imported grant and assignment are those of the tenant object imported."""
    assert discover(graph, tmp_path, monkeypatch=monkeypatch) == 0
    snapshot = json.loads((tmp_path / "tenant.json").read_text("utf-8"))
    grants = {f"/oauth2PermissionGrants/{g['id']}": g for g in snapshot["grants"]}
    assignments = {a["id"]: a for a in snapshot["assignments"]}
    sps = {f"/servicePrincipals/{s['id']}": s for s in snapshot["service_principals"]}
    registrations = {(r.type, r.name): r for r in program.registrations if not r.read}
    checked = 0
    for resource in read_import(tmp_path).resources:
        if resource.component:
            continue
        inputs = registrations[(resource.type, resource.name)].inputs
        assert resource.id is not None
        if resource.id in grants:
            g = grants[resource.id]
            assert inputs["servicePrincipalObjectId"] == g["client_id"]
            assert inputs["resourceServicePrincipalObjectId"] == g["resource_id"]
            assert inputs.get("userObjectId") == g["principal_id"]
        elif resource.id in sps:
            assert inputs["clientId"] == sps[resource.id]["app_id"]
        else:
            a = assignments[resource.id.rsplit("/", 1)[-1]]
            assert inputs["resourceObjectId"] == a["resource_id"]
            assert inputs["principalObjectId"] == a["principal_id"]
            assert inputs["appRoleId"] == a["app_role_id"]
            assert resource.id.startswith(
                f"/servicePrincipals/{a['resource_id']}/appRoleAssignedTo/"
            )
        checked += 1
    assert checked == 13


def test_existing_stack_names_components_by_the_urns_the_program_registers(
    graph: SimTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, program: ProgramRun
) -> None:
    assert discover(graph, tmp_path, "--existing-stack", monkeypatch=monkeypatch) == 0
    document = read_import(tmp_path)
    assert not any(r.component for r in document.resources)
    components = {
        r.name: engine_urn(r.urn) for r in program.registrations if r.type == ENTERPRISE_APP_TYPE
    }
    assert document.name_table == {k: components[k] for k in document.name_table}
    assert set(document.name_table) == {
        "jemhc",
        "m365-jira-mail",
        "m365-jira-teams",
        "m365-jira-todo",
    }


def test_snapshot_compares_again_offline_with_the_same_result(
    graph: SimTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert discover(graph, tmp_path / "live", monkeypatch=monkeypatch) == 0
    served = len(graph.requests)
    snapshot = tmp_path / "live" / "tenant.json"
    assert (
        main(
            [
                "--stack",
                STACK,
                "--project-dir",
                str(REPO),
                "--snapshot",
                str(snapshot),
                "--out",
                str(tmp_path / "again"),
                "--quiet",
            ]
        )
        == 0
    )
    assert len(graph.requests) == served
    for name in ("drift.json", "drift.md", "import.json"):
        assert (tmp_path / "again" / name).read_text() == (tmp_path / "live" / name).read_text()


def test_fail_on_drift_exits_2(
    graph: SimTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert discover(graph, tmp_path, "--fail-on-drift", "--quiet", monkeypatch=monkeypatch) == 2


def _jwt(claims: dict[str, str]) -> str:
    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


def test_a_token_for_another_tenant_is_refused_before_any_request(
    graph: SimTenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = _jwt({"tid": "99999999-8888-7777-6666-555555555555"})
    code = discover(graph, tmp_path, monkeypatch=monkeypatch, token=other)
    err = capsys.readouterr().err
    assert code == 1
    assert graph.requests == []
    assert err.startswith(
        "credentials: the token is for tenant 99999999-8888-7777-6666-555555555555"
    )
    assert len(err.strip().splitlines()) == 1


def test_a_token_for_the_stacks_tenant_is_used(
    seeded: SeededTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _jwt({"tid": "11111111-2222-3333-4444-555555555555"})
    with seeded.serve(token=token) as graph:
        assert discover(graph, tmp_path, "--quiet", monkeypatch=monkeypatch, token=token) == 0
        assert graph.requests


def test_refused_credentials_are_one_line_with_what_to_do(
    graph: SimTenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = discover(graph, tmp_path, "--quiet", monkeypatch=monkeypatch, token="wrong")
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "HTTP 401 InvalidAuthenticationToken" in err and "az login" in err
    assert not (tmp_path / "drift.json").exists()


def test_bad_stack_file_lists_problems_without_contacting_graph(
    graph: SimTenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(GRAPH_TOKEN_ENV, TOKEN)
    code = main(
        [
            "--stack",
            "nosuch",
            "--project-dir",
            str(REPO),
            "--graph-url",
            graph.base_url,
            "--out",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Pulumi.nosuch.yaml: no such stack file")
    assert graph.requests == []


def test_graph_url_must_not_send_the_token_over_plain_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(GRAPH_TOKEN_ENV, TOKEN)
    args = ["--stack", STACK, "--project-dir", str(REPO), "--out", str(tmp_path)]
    assert main([*args, "--graph-url", "http://graph.example.test/v1.0"]) == 1
    assert "plain http is allowed for loopback test servers only" in capsys.readouterr().err


def test_simulated_tenant_is_the_example_tenant_the_program_runs_against(
    seeded: SeededTenant,
) -> None:
    """The program's mock-runtime tenant is what the simulated Graph holds, and that extends the
    example tenant: the same users, groups (the same users, as many other members) and APIs."""
    example = FakeTenant.from_file(EXAMPLE_TENANT)
    tenant = seeded.mock_tenant()
    assert set(example.users.values()) <= set(tenant.users.values())
    assert set(example.service_principals) <= set(tenant.service_principals)
    for name, (_, members) in example.groups.items():
        served = tenant.groups[name][1]
        assert {example.users.get(m) for m in members} == {tenant.users.get(m) for m in served}
        assert len(served) == len(members)
    assert tenant.service_principals[MAIL_APP] == seeded.service_principals[MAIL_APP]


def test_dispatcher_and_module_entry_points_run_discover(
    graph: SimTenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from previews.__main__ import main as dispatch

    monkeypatch.setenv(GRAPH_TOKEN_ENV, TOKEN)
    args = ["--stack", STACK, "--project-dir", str(REPO), "--graph-url", graph.base_url, "--quiet"]
    assert dispatch(["discover", *args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    assert (tmp_path / "a" / "drift.json").read_text() != ""
    assert read_import(tmp_path / "a") == read_import(tmp_path / "b")


def test_a_snapshot_of_another_tenant_is_refused(
    graph: SimTenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert discover(graph, tmp_path / "live", "--quiet", monkeypatch=monkeypatch) == 0
    snapshot = tmp_path / "live" / "tenant.json"
    data = json.loads(snapshot.read_text("utf-8"))
    data["tenant_id"] = "99999999-8888-7777-6666-555555555555"
    snapshot.write_text(json.dumps(data), "utf-8")
    args = ["--stack", STACK, "--project-dir", str(REPO), "--out", str(tmp_path / "again")]
    assert main([*args, "--snapshot", str(snapshot)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"{snapshot}: tenant_id: read from tenant 99999999-8888-7777-6666-555555555555, but "
        "Pulumi.dev.yaml sets azuread:tenantId 11111111-2222-3333-4444-555555555555 (discover "
        "that tenant again)\n"
    )


def test_discover_help_loads_no_http_client() -> None:
    """`--help` and the offline commands never import httpx or azure-identity: a venv without
    them could print help, and `plan` starts faster."""
    import subprocess
    import sys

    code = (
        "import sys; from previews.__main__ import main\n"
        "try:\n    main(['discover', '--help'])\nexcept SystemExit:\n    pass\n"
        "main(['plan', '--stack', 'dev'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'azure', 'pulumi')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: entra-consent discover")
    assert result.stdout.rstrip().endswith("[]")


def test_credential_failures_are_one_line_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from azure.core.exceptions import ClientAuthenticationError

    from previews.cli.discover_command import configure_parser
    from previews.cli.discover_run import run

    def no_credential() -> str:
        raise ClientAuthenticationError(
            "DefaultAzureCredential failed to retrieve a token from the included credentials.\n"
            "Attempted credentials:\n\tEnvironmentCredential: ..."
        )

    parser = argparse.ArgumentParser()
    configure_parser(parser)
    args = parser.parse_args(["--stack", STACK, "--project-dir", str(REPO), "--out", str(tmp_path)])
    assert run(args, token=no_credential) == 1
    err = capsys.readouterr().err
    assert err == (
        "credentials: DefaultAzureCredential failed to retrieve a token from the included "
        "credentials. (log in with az login, use workload identity or a managed identity, or set "
        "ENTRA_CONSENT_GRAPH_TOKEN)\n"
    )


@pytest.mark.parametrize(
    ("extra", "fault", "expected"),
    [
        (
            [],
            Fault("/oauth2PermissionGrants", status=404, page="2"),
            r"^graph: GET /v1\.0/servicePrincipals/[0-9a-f-]+/oauth2PermissionGrants: page 2 of "
            r"grants of .+ is gone \(404\) after 2 item\(s\) in 1 page\(s\): the listing is "
            r"incomplete; run discover again$",
        ),
        (["--deadline", "0"], None, r"^graph: GET /v1\.0/servicePrincipals: discovery passed"),
        (["--max-pages", "1"], None, r"has more than --max-pages 1 pages"),
        (
            ["--max-wait", "0.5"],
            Fault("/v1.0/users", status=429, headers={"Retry-After": "1"}),
            r"throttled \(429\); the next retry would wait 1 s, more than the 0\.5 s left",
        ),
    ],
    ids=["404-mid-listing", "deadline", "max-pages", "max-wait"],
)
def test_a_failed_read_is_one_line_and_writes_nothing(
    graph: SimTenant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    fault: Fault | None,
    expected: str,
) -> None:
    if fault is not None:
        graph.faults.append(fault)
    out = tmp_path / "out"
    assert discover(graph, out, "--quiet", *extra, monkeypatch=monkeypatch) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert re.search(expected, err.strip()), err
    assert not out.exists() or list(out.iterdir()) == []


def test_an_odd_record_is_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import functools

    import httpx

    from previews.cli import discover_run as command

    odd = {"id": "sp1", "appId": "e7185a25-9df9-4d05-b779-76b04bf46424", "tags": 5}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"value": [odd]}))
    monkeypatch.setattr(command, "GraphClient", functools.partial(GraphClient, transport=transport))
    monkeypatch.setenv(GRAPH_TOKEN_ENV, TOKEN)
    out = tmp_path / "out"
    args = ["--stack", STACK, "--project-dir", str(REPO), "--out", str(out), "--quiet"]
    assert main(args) == 1
    assert capsys.readouterr().err == (
        "graph: GET servicePrincipals: record 1 (id 'sp1'): tags is 5 (expected a list of text)\n"
    )
    assert not out.exists()


def test_the_bounds_are_options_with_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    helps = " ".join(capsys.readouterr().out.split())
    for option in ("--deadline SECONDS", "--max-wait SECONDS", "--max-pages N", "--max-mib MIB"):
        assert option in helps
    assert "(default 900)" in helps and "(default 300)" in helps
    with pytest.raises(SystemExit):
        main(["--stack", STACK, "--deadline", "soon"])
    assert "'soon' is not a number of seconds" in capsys.readouterr().err
