"""Drift classification and the import document, for all tenants built from the plan: every
planned grant is matched, drifted or missing exactly as the tenant was made, every grant the
plan lacks is unmanaged, and only existing managed objects are imported."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.catalogue import Catalogue
from components.core.naming import GRANT_TYPE, grant_name
from components.core.planner import ConsentPlan, plan_consent
from components.core.settings import StackSettings
from components.core.stack_file import load_stack, read_stack_config
from previews.tenant.discover_tenant import (
    AssignmentRecord,
    GrantRecord,
    GroupRecord,
    ServicePrincipalRecord,
    TenantSnapshot,
    UserRecord,
)
from previews.tenant.drift import compare
from previews.tenant.drift_markdown import render
from previews.tenant.import_file import ImportDocument, ImportResource, _check_names, build_import
from simtenant.fakes.fake_tenant import FakeTenant, fake_id
from tests.previews.conftest import REPO

FILE = "Pulumi.dev.yaml"
CONTOSO = FakeTenant.from_file(REPO / "tests" / "tenants" / "contoso.yaml")
OUTSIDERS = [fake_id("user", f"outsider{i}@contoso.com") for i in range(3)]
FOREIGN_SCOPE = "Sites.Read.All"  # published by Graph, listed by no feature of the dev stack


@pytest.fixture(scope="module")
def stack() -> tuple[Catalogue, StackSettings]:
    return load_stack(read_stack_config(REPO, "dev"), REPO, FILE)


def base_snapshot(catalogue: Catalogue) -> TenantSnapshot:
    ids = {*CONTOSO.users}
    sps = [
        ServicePrincipalRecord(id=fake_id("sp", a), app_id=a, display_name=a, tags=[])
        for a in [*(x.client_id for x in catalogue.apps.values())]
        + [x.app_id for x in catalogue.apis.values()]
    ]
    users = [UserRecord(id=o, user_principal_name=u) for o, u in CONTOSO.users.items()]
    users += [UserRecord(id=o, user_principal_name=f"{o}@x") for o in OUTSIDERS]
    groups = [
        GroupRecord(ref=name, id=gid, display_name=name, user_ids=[m for m in members if m in ids])
        for name, (gid, members) in CONTOSO.groups.items()
    ]
    return TenantSnapshot(
        graph_url="http://127.0.0.1/v1.0",
        read_at="2026-01-01T00:00:00+00:00",
        service_principals=sps,
        grants=[],
        assignments=[],
        users=users,
        groups=groups,
    )


def sp_of(catalogue: Catalogue, app: str) -> str:
    return fake_id("sp", catalogue.apps[app].client_id)


def api_sp(catalogue: Catalogue, api: str) -> str:
    return fake_id("sp", catalogue.apis[api].app_id)


def the_plan(catalogue: Catalogue, settings: StackSettings) -> ConsentPlan:
    return plan_consent(catalogue, settings, base_snapshot(catalogue).principals())


CHOICES = st.sampled_from(["absent", "exact", "extra", "fewer"])


@given(data=st.data())
def test_classification_follows_how_the_tenant_was_made(
    stack: tuple[Catalogue, StackSettings], data: st.DataObject
) -> None:
    catalogue, settings = stack
    plan = the_plan(catalogue, settings)
    made: dict[str, str] = {}
    grants: list[GrantRecord] = []
    for index, g in enumerate(plan.grants):
        choice = data.draw(CHOICES, label=f"{g.app}/{g.api}/{g.target}")
        name = grant_name(g.app, g.api, g.target)
        made[name] = choice
        if choice == "absent":
            continue
        scopes = list(g.scopes)
        if choice == "extra":
            scopes.append(FOREIGN_SCOPE)
        if choice == "fewer":
            scopes = scopes[1:]
        grants.append(
            GrantRecord(
                id=f"g{index}",
                client_id=sp_of(catalogue, g.app),
                resource_id=api_sp(catalogue, g.api),
                consent_type="AllPrincipals" if g.target.kind == "tenant" else "Principal",
                principal_id=g.target.ref or None,
                scope="  " + " ".join(reversed(scopes)) + " ",
            )
        )
    outsiders = data.draw(st.lists(st.sampled_from(OUTSIDERS), unique=True), label="outsiders")
    for user in outsiders:
        grants.append(
            GrantRecord(
                id=f"o-{user}",
                client_id=sp_of(catalogue, "m365-jira-mail"),
                resource_id=api_sp(catalogue, "microsoft-graph"),
                consent_type="Principal",
                principal_id=user,
                scope="openid",
            )
        )
    present = data.draw(
        st.lists(st.sampled_from(range(len(plan.assignments))), unique=True), label="assignments"
    )
    assignments = [
        AssignmentRecord(
            id=f"a{i}",
            resource_id=sp_of(catalogue, plan.assignments[i].app),
            principal_id=plan.assignments[i].principal.ref,
            principal_type=plan.assignments[i].principal.kind.capitalize(),
            app_role_id=plan.assignments[i].app_role_id,
        )
        for i in present
    ]
    snapshot = base_snapshot(catalogue).model_copy(
        update={"grants": grants, "assignments": assignments}
    )
    report = compare(catalogue, settings, snapshot, "dev", FILE)

    expected = {"absent": "missing", "exact": "match", "extra": "drifted", "fewer": "drifted"}
    managed = {g.resource: g for g in report.grants if g.status != "unmanaged"}
    assert {k: v.status for k, v in managed.items()} == {k: expected[v] for k, v in made.items()}
    for name, choice in made.items():
        entry = managed[name]
        assert entry.extra_scopes == ([FOREIGN_SCOPE] if choice == "extra" else [])
        assert entry.fewer_scopes == ([entry.planned_scopes[0]] if choice == "fewer" else [])
    unmanaged = [g for g in report.grants if g.status == "unmanaged"]
    assert sorted(g.target for g in unmanaged) == sorted(f"user:{u}" for u in outsiders)
    assert all(g.note == "user is not in the stack's config" for g in unmanaged)
    statuses = sorted(a.status for a in report.assignments)
    assert statuses == sorted(
        ["match"] * len(present) + ["missing"] * (len(plan.assignments) - len(present))
    )
    assert report.in_sync == (
        all(v == "exact" for v in made.values())
        and not outsiders
        and len(present) == len(plan.assignments)
        and all(s.status in ("present", "not_in_stack") for s in report.service_principals)
    )

    document = build_import(report, "entra-consent", "dev")
    imported = {r.name for r in document.resources if r.type == GRANT_TYPE}
    assert imported == {n for n, c in made.items() if c != "absent"}
    assert sum(1 for r in document.resources if r.component) == len(plan.apps)
    assert render(report).startswith("# Consent drift: stack `dev`")


def test_missing_principals_and_api_service_principals_are_problems(
    stack: tuple[Catalogue, StackSettings],
) -> None:
    catalogue, settings = stack
    snapshot = base_snapshot(catalogue)
    exchange = catalogue.apis["exchange-online"].app_id
    snapshot = snapshot.model_copy(
        update={
            "users": [
                u for u in snapshot.users if u.user_principal_name != "alex.wilber@contoso.com"
            ],
            "service_principals": [s for s in snapshot.service_principals if s.app_id != exchange],
        }
    )
    report = compare(catalogue, settings, snapshot, "dev", FILE)
    assert report.problems == [
        "Pulumi.dev.yaml: entra-consent:features.email.users[0]: user 'alex.wilber@contoso.com' not "
        "found in the tenant (fix or remove it, or set entra-consent:missing_principals: skip)",
        "Pulumi.dev.yaml: entra-consent:missing_principals: is fail, so `pulumi preview` stops on "
        "the principals above (fix them first)",
        f"tenant: Office 365 Exchange Online (appId {exchange}) has no service principal, so the "
        "program's look-up fails (ask an administrator to provision it)",
    ]
    assert "## Problems" in render(report)


def test_service_principal_settings_drift_is_reported(
    stack: tuple[Catalogue, StackSettings],
) -> None:
    catalogue, settings = stack
    report = compare(catalogue, settings, base_snapshot(catalogue), "dev", FILE)
    mail = next(s for s in report.service_principals if s.app == "m365-jira-mail")
    assert mail.status == "drifted"
    assert {d.setting: (d.planned, d.tenant) for d in mail.differences} == {
        "app_role_assignment_required": (True, None),
        "enterprise tag": (True, False),
        "notes": ("Approved in CHG-1234", None),
    }


def test_import_refuses_ambiguous_parent_names() -> None:
    resources = [
        ImportResource(type="t:a:A", name="x", component=True),
        ImportResource(type="t:b:B", name="x", id="1"),
        ImportResource(type="t:c:C", name="y", id="2", parent="x"),
    ]
    with pytest.raises(ValueError, match="names used twice"):
        _check_names(resources, {})


def test_import_document_json_uses_pulumis_keys(stack: tuple[Catalogue, StackSettings]) -> None:
    catalogue, settings = stack
    report = compare(catalogue, settings, base_snapshot(catalogue), "dev", FILE)
    text = build_import(report, "entra-consent", "dev", existing_components=True).to_json()
    assert '"nameTable"' in text and '"component"' not in text and "null" not in text
    document = ImportDocument.model_validate_json(text)
    assert (
        document.name_table["jemhc"]
        == "urn:pulumi:dev::entra-consent::entra-consent:index:EnterpriseApp::jemhc"
    )
