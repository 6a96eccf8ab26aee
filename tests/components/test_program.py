"""The whole program (`__main__.py`) under Pulumi's mock runtime, against fake tenants: what the
engine would be asked to register, read and invoke."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest

from catalog.catalogue import Catalogue
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GET_CLIENT_CONFIG,
    GET_GROUP,
    GET_SERVICE_PRINCIPAL,
    GET_USERS,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
)
from components.core.stack_file import read_stack_config
from simtenant.fakes.fake_tenant import FakeTenant, fake_id
from simtenant.fakes.mock_runtime import ROOT, ProgramRun, Registration, run_program

STACKS = ROOT / "tests" / "stacks"
CONTOSO = ROOT / "tests" / "tenants" / "contoso.yaml"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000"
GRAPH_SP = fake_id("sp", GRAPH_APP_ID)
EXCHANGE_SP = fake_id("sp", EXCHANGE_APP_ID)
INVOKE = "azuread:index/{0}:{0}"
GET_SP = GET_SERVICE_PRINCIPAL
GET_CLIENT = GET_CLIENT_CONFIG


def uid(upn: str) -> str:
    return fake_id("user", upn)


def stack_config(stack: str) -> dict[str, Any]:
    return read_stack_config(ROOT if stack == "dev" else STACKS, stack)


def run_stack(stack: str, tenant: FakeTenant | None = None, **kwargs: Any) -> ProgramRun:
    return run_program(
        stack_config(stack), tenant or FakeTenant.from_file(CONTOSO), stack=stack, **kwargs
    )


def by_name(run: ProgramRun, typ: str) -> dict[str, Registration]:
    return {r.name: r for r in run.of_type(typ)}


def scopes(catalogue: Catalogue, *features: str, optional: tuple[str, ...] = ()) -> list[str]:
    out: set[str] = set()
    for key in features:
        out |= catalogue.features[key].scopes("microsoft-graph", optional)
    return sorted(out)


def large_tenant(members: int) -> FakeTenant:
    """`members` users in group "All Jira Users", plus a device and a nested group as members."""
    users = {uid(f"user{i}@contoso.com"): f"user{i}@contoso.com" for i in range(members)}
    extra = [fake_id("device", "kiosk"), fake_id("group", "Nested")]
    return FakeTenant(
        users={**users, uid("outsider@contoso.com"): "outsider@contoso.com"},
        groups={"All Jira Users": (fake_id("group", "All Jira Users"), [*users, *extra])},
        service_principals={GRAPH_APP_ID: GRAPH_SP, EXCHANGE_APP_ID: EXCHANGE_SP},
    )


def assert_well_formed(run: ProgramRun) -> None:
    """Invariants of every successful run."""
    assert run.error is None, run.logs
    components = {r.urn: r for r in run.of_type(ENTERPRISE_APP_TYPE)}
    sps = by_name(run, SERVICE_PRINCIPAL_TYPE)
    # Every enterprise app SP: adopted if it exists, kept in the tenant when dropped from config.
    for sp in sps.values():
        assert sp.retain_on_delete, sp.name
        assert sp.inputs["useExisting"] is True
        assert sp.inputs["clientId"] not in (GRAPH_APP_ID, EXCHANGE_APP_ID)
        assert sp.parent in components
        assert sp.name == f"{components[sp.parent].name}-sp"
    # Resource APIs are only read, at the ids the tenant has.
    reads = run.reads()
    assert {r.type for r in reads} <= {SERVICE_PRINCIPAL_TYPE}
    assert {r.inputs["id"] for r in reads} <= {
        f"/servicePrincipals/{GRAPH_SP}",
        f"/servicePrincipals/{EXCHANGE_SP}",
    }
    read_urns = {r.urn: r for r in reads}
    for grant in run.of_type(GRANT_TYPE):
        parent = components[grant.parent]  # a grant's parent is its EnterpriseApp
        sp = sps[f"{parent.name}-sp"]
        assert grant.name.startswith(f"{parent.name}-")
        assert grant.delete_before_replace
        assert not grant.retain_on_delete
        assert grant.property_dependencies["servicePrincipalObjectId"] == [sp.urn]
        (api_urn,) = grant.property_dependencies["resourceServicePrincipalObjectId"]
        assert api_urn in read_urns
        assert grant.inputs["claimValues"] == sorted(grant.inputs["claimValues"])
        assert grant.inputs["claimValues"]
        if grant.name.endswith("-tenant"):
            assert "userObjectId" not in grant.inputs
        else:
            assert grant.name.endswith(f"-user-{grant.inputs['userObjectId']}")
    for assignment in run.of_type(ASSIGNMENT_TYPE):
        parent = components[assignment.parent]
        assert assignment.property_dependencies["resourceObjectId"] == [
            sps[f"{parent.name}-sp"].urn
        ]
        assert assignment.inputs["appRoleId"] == "00000000-0000-0000-0000-000000000000"
    assert run.messages("error") == []


# --- the example stack, Pulumi.dev.yaml -----------------------------------------------------


@pytest.fixture(scope="module")
def dev() -> ProgramRun:
    return run_stack("dev")


def test_dev_declares_one_component_per_app(dev: ProgramRun) -> None:
    assert_well_formed(dev)
    assert sorted(r.name for r in dev.of_type(ENTERPRISE_APP_TYPE)) == [
        "jemhc",
        "m365-jira-mail",
        "m365-jira-teams",
        "m365-jira-teams-jsm-portal",
        "m365-jira-todo",
    ]
    assert all(
        not r.custom and r.parent.endswith("pulumi:pulumi:Stack::entra-consent-dev")
        for r in dev.of_type(ENTERPRISE_APP_TYPE)
    )
    assert sorted(r.inputs["id"] for r in dev.reads()) == sorted(
        [f"/servicePrincipals/{GRAPH_SP}", f"/servicePrincipals/{EXCHANGE_SP}"]
    )


def test_dev_service_principal_inputs(dev: ProgramRun) -> None:
    sps = by_name(dev, SERVICE_PRINCIPAL_TYPE)
    mail, todo, teams = (
        sps["m365-jira-mail-sp"],
        sps["m365-jira-todo-sp"],
        sps["m365-jira-teams-sp"],
    )
    assert mail.inputs == {
        "clientId": "e7185a25-9df9-4d05-b779-76b04bf46424",
        "useExisting": True,
        "appRoleAssignmentRequired": True,
        # Not in the tenant yet: the provider's defaults, and the enterprise tag.
        "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
        "notes": "Approved in CHG-1234",
    }
    assert todo.inputs["tags"] == ["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"]
    assert todo.inputs["notes"] == "Created for review only; no consent yet"
    assert todo.inputs["appRoleAssignmentRequired"] is False
    assert "notes" not in teams.inputs
    assert set(sps) == {
        f"{app}-sp"
        for app in (
            "jemhc",
            "m365-jira-mail",
            "m365-jira-teams",
            "m365-jira-teams-jsm-portal",
            "m365-jira-todo",
        )
    }


def test_dev_grants(dev: ProgramRun, catalogue: Catalogue) -> None:
    grants = by_name(dev, GRANT_TYPE)
    claims = {name: g.inputs["claimValues"] for name, g in grants.items()}
    group = ["megan.bowen@contoso.com", "lee.gu@contoso.com", "adele.vance@contoso.com"]
    everything_mail = scopes(
        catalogue,
        "email",
        "meetings",
        "calendar",
        optional=("Place.Read.All", "Group.ReadWrite.All", "Team.ReadBasic.All"),
    )
    expected = {
        "m365-jira-teams-microsoft-graph-tenant": scopes(catalogue, "teams"),
        "m365-jira-teams-jsm-portal-microsoft-graph-tenant": scopes(catalogue, "teams-jsm-portal"),
        # alex is named by email only; the group's members (adele also by name) get all three.
        f"m365-jira-mail-microsoft-graph-user-{uid('alex.wilber@contoso.com')}": scopes(
            catalogue, "email"
        ),
        **{f"m365-jira-mail-microsoft-graph-user-{uid(u)}": everything_mail for u in group},
        # JEMHC: EWS tenant-wide brings the base scopes tenant-wide, so the per-user Graph
        # grant leaves them out.
        "jemhc-exchange-online-tenant": ["EWS.AccessAsUser.All"],
        "jemhc-microsoft-graph-tenant": ["email", "offline_access", "openid", "profile"],
        f"jemhc-microsoft-graph-user-{uid('jira-support@contoso.com')}": [
            "Mail.ReadWrite",
            "Mail.Send",
            "User.Read",
        ],
    }
    assert claims == expected
    for name, grant in grants.items():
        api_sp = EXCHANGE_SP if "-exchange-online-" in name else GRAPH_SP
        assert grant.inputs["resourceServicePrincipalObjectId"] == api_sp
        app = name.split("-microsoft-graph-")[0].split("-exchange-online-")[0]
        assert grant.inputs["servicePrincipalObjectId"] == fake_id(
            "sp", by_name(dev, SERVICE_PRINCIPAL_TYPE)[f"{app}-sp"].inputs["clientId"]
        )
        if "-user-" in name:
            assert grant.inputs["userObjectId"] == name.rsplit("-user-", 1)[1]
        else:
            assert "userObjectId" not in grant.inputs


def test_dev_assignments_name_groups_as_groups(dev: ProgramRun) -> None:
    assignments = by_name(dev, ASSIGNMENT_TYPE)
    jira_users = fake_id("group", "Jira Users")
    assert {name: a.inputs["principalObjectId"] for name, a in assignments.items()} == {
        f"m365-jira-mail-assign-group-{jira_users}": jira_users,
        f"m365-jira-mail-assign-user-{uid('alex.wilber@contoso.com')}": uid(
            "alex.wilber@contoso.com"
        ),
        f"m365-jira-mail-assign-user-{uid('adele.vance@contoso.com')}": uid(
            "adele.vance@contoso.com"
        ),
        f"jemhc-assign-user-{uid('jira-support@contoso.com')}": uid("jira-support@contoso.com"),
    }


def test_dev_no_managed_first_party_service_principal(dev: ProgramRun) -> None:
    managed = [r for r in dev.registrations if r.type == SERVICE_PRINCIPAL_TYPE and not r.read]
    assert {r.inputs["clientId"] for r in managed}.isdisjoint({GRAPH_APP_ID, EXCHANGE_APP_ID})
    assert all(r.name.startswith("api-") for r in dev.reads())


def test_dev_resource_apis_are_registered_with_their_identity(dev: ProgramRun) -> None:
    """The engine gives a policy pack registered resources only, never reads: each read API
    sits under a ResourceApi component whose outputs say which API it is."""
    apis = {r.urn: r for r in dev.of_type(RESOURCE_API_TYPE)}
    assert {r.name: r.outputs for r in apis.values()} == {
        "api-microsoft-graph": {
            "api": "microsoft-graph",
            "appId": GRAPH_APP_ID,
            "objectId": GRAPH_SP,
        },
        "api-exchange-online": {
            "api": "exchange-online",
            "appId": EXCHANGE_APP_ID,
            "objectId": EXCHANGE_SP,
        },
    }
    for read in dev.reads():
        assert apis[read.parent].name == read.name
        assert read.inputs["id"] == f"/servicePrincipals/{apis[read.parent].outputs['objectId']}"


def test_dev_invokes_are_batched(dev: ProgramRun) -> None:
    # Two resource APIs and the five enterprise apps (what the tenant has of each).
    assert dict(dev.invokes) == {GET_CLIENT: 1, GET_USERS: 1, GET_GROUP: 1, GET_SP: 2 + 5}
    (users_args,) = [a for t, a in dev.invoke_args if t == GET_USERS]
    assert users_args.get("returnAll") is True  # groups must be split into users and others
    (group_args,) = [a for t, a in dev.invoke_args if t == GET_GROUP]
    assert group_args == {"displayName": "Jira Users", "includeTransitiveMembers": True}


def test_dev_exports_a_summary_per_app(dev: ProgramRun, catalogue: Catalogue) -> None:
    apps = dev.outputs["apps"]
    assert sorted(apps) == [
        "jemhc",
        "m365-jira-mail",
        "m365-jira-teams",
        "m365-jira-teams-jsm-portal",
        "m365-jira-todo",
    ]
    teams = apps["m365-jira-teams"]
    assert teams == {
        "client_id": "89d5ca9f-d63b-4885-bd30-6e7433c1540c",
        "features": ["teams"],
        "grants": {"microsoft-graph": {"tenant": scopes(catalogue, "teams"), "users": []}},
        "assignments": {"users": 0, "groups": 0},
        "service_principal_object_id": fake_id("sp", "89d5ca9f-d63b-4885-bd30-6e7433c1540c"),
    }
    mail = apps["m365-jira-mail"]
    assert mail["features"] == ["calendar", "email", "meetings"]
    assert sorted(u["count"] for u in mail["grants"]["microsoft-graph"]["users"]) == [1, 3]
    assert mail["assignments"] == {"users": 2, "groups": 1}
    assert apps["m365-jira-todo"]["grants"] == {}
    assert apps["jemhc"]["grants"]["exchange-online"] == {
        "tenant": ["EWS.AccessAsUser.All"],
        "users": [],
    }


def test_dev_update_run_matches_preview(dev: ProgramRun) -> None:
    up = run_stack("dev", preview=False)
    assert_well_formed(up)

    # Registration order depends on the event loop; the set of resources must not.
    def key(r: Registration) -> tuple[str, str, bool]:
        return (r.type, r.name, r.read)

    assert sorted(map(key, up.registrations)) == sorted(map(key, dev.registrations))
    previewed = {key(r): r.inputs for r in dev.registrations}
    assert all(r.inputs == previewed[key(r)] for r in up.registrations)
    assert up.outputs == dev.outputs


# --- further stacks -------------------------------------------------------------------------


def test_tenant_only_stack(catalogue: Catalogue) -> None:
    run = run_stack("tenant-only")
    assert_well_formed(run)
    # No users or groups: no principal look-ups at all.
    assert dict(run.invokes) == {GET_CLIENT: 1, GET_SP: 2 + 3}  # the APIs, and each app
    assert {name: g.inputs["claimValues"] for name, g in by_name(run, GRANT_TYPE).items()} == {
        "m365-jira-teams-microsoft-graph-tenant": scopes(catalogue, "teams"),
        "m365-jira-mail-microsoft-graph-tenant": scopes(
            catalogue, "calendar", "email", optional=("Place.Read.All",)
        ),
        "jemhc-exchange-online-tenant": ["EWS.AccessAsUser.All"],
        "jemhc-microsoft-graph-tenant": ["email", "offline_access", "openid", "profile"],
    }
    assert run.of_type(ASSIGNMENT_TYPE) == []
    teams = by_name(run, SERVICE_PRINCIPAL_TYPE)["m365-jira-teams-sp"]
    assert teams.inputs["tags"] == ["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"]
    assert teams.inputs["notes"] == "Tenant-wide since CHG-42"


def test_large_group_stack(catalogue: Catalogue) -> None:
    run = run_stack("large-group", large_tenant(5))
    assert_well_formed(run)
    grants = by_name(run, GRANT_TYPE)
    per_user = {n: g for n, g in grants.items() if "-user-" in n}
    # Group members only: the device, the nested group and the outsider get nothing.
    assert {g.inputs["userObjectId"] for g in per_user.values()} == {
        uid(f"user{i}@contoso.com") for i in range(5)
    }
    calendar_only = sorted(
        set(
            scopes(
                catalogue,
                "calendar",
                optional=("Place.Read.All", "Group.ReadWrite.All", "Team.ReadBasic.All"),
            )
        )
        - set(scopes(catalogue, "email"))
    )
    assert {tuple(g.inputs["claimValues"]) for g in per_user.values()} == {tuple(calendar_only)}
    assert grants["m365-jira-mail-microsoft-graph-tenant"].inputs["claimValues"] == scopes(
        catalogue, "email"
    )
    # One assignment, for the group.
    group_id = fake_id("group", "All Jira Users")
    assert list(by_name(run, ASSIGNMENT_TYPE)) == [f"m365-jira-mail-assign-group-{group_id}"]
    assert run.outputs["apps"]["m365-jira-mail"]["grants"]["microsoft-graph"]["users"] == [
        {"scopes": calendar_only, "count": 5}
    ]


def test_invoke_count_does_not_grow_with_users() -> None:
    small, large = (
        run_stack("large-group", large_tenant(5)),
        run_stack("large-group", large_tenant(500)),
    )
    assert_well_formed(large)
    assert len(large.of_type(GRANT_TYPE)) == 501
    assert len(small.of_type(GRANT_TYPE)) == 6
    assert (
        small.invokes
        == large.invokes
        == {
            GET_CLIENT: 1,
            GET_USERS: 1,
            GET_GROUP: 1,
            GET_SP: 1 + 1,
        }
    )


# --- bad input through the program ------------------------------------------------------------


def assert_nothing_declared(run: ProgramRun, problems: list[str]) -> None:
    assert isinstance(run.error, pulumi.RunError)
    assert (
        str(run.error)
        == f"{len(problems)} configuration problem(s) listed above; nothing was declared"
    )
    assert run.registrations == []
    assert run.messages("error") == problems
    assert "apps" not in run.outputs


def test_bad_settings_fail_before_anything_is_declared() -> None:
    config = stack_config("dev")
    features = config["entra-consent:features"]
    features["jemhc-ews"] = {"consent": "principals", "users": ["adele.vance@contoso.com"]}
    features["todo"] = {"consent": "none", "groups": ["Jira Users"]}
    features["meetings"]["optional_scopes"] = ["Place.Read.All", "Group.ReadWrite.All"]
    features["chat"] = {"consent": "tenant"}
    run = run_program(config, FakeTenant.from_file(CONTOSO), stack="dev")
    assert_nothing_declared(
        run,
        [
            "Pulumi.dev.yaml: entra-consent:features.meetings.optional_scopes[1]: 'Group.ReadWrite.All' is not an optional scope of meetings (optional: Place.Read.All)",
            "Pulumi.dev.yaml: entra-consent:features.todo: users/groups given with consent 'none' have nothing to do (remove them or use principals)",
            "Pulumi.dev.yaml: entra-consent:features.jemhc-ews.consent: 'principals' is not allowed for jemhc-ews (use tenant)",
            "Pulumi.dev.yaml: entra-consent:features.chat: unknown feature (known: calendar, email, jemhc-ews, jemhc-graph, meetings, teams, teams-jsm-portal, todo)",
        ],
    )
    assert run.invokes == {}  # not even a look-up


def test_signed_in_to_another_tenant_declares_nothing_and_looks_nothing_up() -> None:
    tenant = FakeTenant.from_file(CONTOSO)
    tenant.tenant_id = "99999999-8888-7777-6666-555555555555"
    run = run_program(stack_config("dev"), tenant, stack="dev")
    assert_nothing_declared(
        run,
        [
            "Pulumi.dev.yaml: azuread:tenantId: this stack is for tenant "
            "11111111-2222-3333-4444-555555555555, but the azuread provider is signed in to "
            "tenant 99999999-8888-7777-6666-555555555555 (sign in to the stack's tenant, e.g. "
            "az login --tenant 11111111-2222-3333-4444-555555555555; the program runs only in the "
            "tenant the stack names)"
        ],
    )
    assert run.invokes == {GET_CLIENT: 1}  # no look-up in the wrong tenant


def test_a_stack_without_its_tenant_declares_nothing() -> None:
    config = stack_config("dev")
    del config["azuread:tenantId"]
    run = run_program(
        {k: v for k, v in config.items()},
        FakeTenant.from_file(CONTOSO),
        stack="dev",
        tenant_id=None,
    )
    assert_nothing_declared(
        run,
        [
            "Pulumi.dev.yaml: azuread:tenantId: required key is missing (name the tenant this "
            "stack is for: pulumi config set azuread:tenantId <tenant id>; the program refuses "
            "to run signed in to any other)"
        ],
    )


def test_schema_problems_fail_before_anything_is_declared() -> None:
    config = stack_config("dev")
    config["azuread:tenantId"] = "contoso.onmicrosoft.com"
    config["entra-consent:missing_principal"] = "skip"
    run = run_program(config, FakeTenant.from_file(CONTOSO), stack="dev")
    assert_nothing_declared(
        run,
        [
            "Pulumi.dev.yaml: azuread:tenantId: malformed GUID 'contoso.onmicrosoft.com' (write it as 8-4-4-4-12 hexadecimal digits)",
            "Pulumi.dev.yaml: entra-consent:missing_principal: unknown key (remove it or correct its spelling)",
        ],
    )


def test_the_front_door_settings_stop_the_program_until_it_applies_them() -> None:
    """`pulumi up` would leave the tenant's consent rules as they are: it says so and declares
    nothing, rather than pass (docs/user-consent.md)."""
    config = {**stack_config("dev"), "entra-consent:user_consent": "catalogue"}
    run = run_program(config, FakeTenant.from_file(CONTOSO), stack="dev")
    assert_nothing_declared(
        run,
        [
            "Pulumi.dev.yaml: entra-consent:user_consent: not applied by this version yet: "
            "`pulumi up` would leave the tenant's consent rules as they are (`entra-consent "
            "plan` shows what it will set; set it to unmanaged, or remove it, to deploy the "
            "rest; docs/user-consent.md)"
        ],
    )


# Catalogue files are named relative to the project folder, so the path opens from there.
def test_bad_catalogue_fails_before_anything_is_declared() -> None:
    config = {
        **stack_config("dev"),
        "entra-consent:catalog": "tests/catalog/bad/duplicate-client-id",
    }
    run = run_program(config, FakeTenant.from_file(CONTOSO), stack="dev")
    assert_nothing_declared(
        run,
        [
            "tests/catalog/bad/duplicate-client-id/apps/vendor.yaml: apps.demo-again.client_id: client id already listed as app 'demo' in tests/catalog/bad/duplicate-client-id/apps/vendor.yaml (one entry per enterprise app; list its features under that app)",
        ],
    )


# In the order reported: features by key, users before groups.
MISSING = [
    ("teams.users[0]", "user 'departed@contoso.com'"),
    ("todo.users[1]", "user 'departed@contoso.com'"),
    ("todo.groups[1]", "group 'Former Jira Users'"),
]


def test_missing_principals_fail() -> None:
    run = run_stack("missing-fail")
    hint = "fix or remove it, or set entra-consent:missing_principals: skip"
    assert_nothing_declared(
        run,
        [
            f"Pulumi.missing-fail.yaml: entra-consent:features.{path}: {what} not found in the tenant ({hint})"
            for path, what in MISSING
        ],
    )


def test_missing_principals_skip() -> None:
    run = run_stack("missing-skip")
    assert_well_formed(run)
    hint = "skipped, as entra-consent:missing_principals is skip"
    assert run.messages("warning") == [
        f"Pulumi.missing-skip.yaml: entra-consent:features.{path}: {what} not found in the tenant ({hint})"
        for path, what in MISSING
    ]
    # The others are still declared: adele and the Jira Users members get To Do.
    members = ["megan.bowen@contoso.com", "lee.gu@contoso.com", "adele.vance@contoso.com"]
    grants = by_name(run, GRANT_TYPE)
    assert sorted(grants) == sorted(
        f"m365-jira-todo-microsoft-graph-user-{uid(u)}" for u in members
    )
    assert sorted(by_name(run, ASSIGNMENT_TYPE)) == sorted(
        [
            f"m365-jira-todo-assign-user-{uid('adele.vance@contoso.com')}",
            f"m365-jira-todo-assign-group-{fake_id('group', 'Jira Users')}",
        ]
    )
    # Teams named only the departed user: its service principal stays, with nothing else.
    assert "m365-jira-teams-sp" in by_name(run, SERVICE_PRINCIPAL_TYPE)
    assert run.outputs["apps"]["m365-jira-teams"]["grants"] == {}


def test_project_dir_is_the_repository() -> None:
    assert (ROOT / "__main__.py").is_file()
    assert Path(__file__).resolve().is_relative_to(ROOT)


def test_users_only_are_looked_up_by_upn_in_one_invoke() -> None:
    config = {
        "entra-consent:missing_principals": "skip",
        "entra-consent:features": {
            "jemhc-graph": {
                "consent": "principals",
                "users": ["Jira-Support@contoso.com", "departed@contoso.com", "lee.gu@contoso.com"],
            }
        },
    }
    run = run_program(config, FakeTenant.from_file(CONTOSO), stack="users")
    assert_well_formed(run)
    assert [(t, a) for t, a in run.invoke_args if t == GET_USERS] == [
        (
            GET_USERS,
            {
                "userPrincipalNames": [
                    "departed@contoso.com",
                    "jira-support@contoso.com",
                    "lee.gu@contoso.com",
                ],
                "ignoreMissing": True,
            },
        )
    ]
    assert sorted(g.inputs["userObjectId"] for g in run.of_type(GRANT_TYPE)) == sorted(
        [uid("jira-support@contoso.com"), uid("lee.gu@contoso.com")]
    )
    assert run.messages("warning") == [
        "Pulumi.users.yaml: entra-consent:features.jemhc-graph.users[1]: user 'departed@contoso.com' not found in the tenant (skipped, as entra-consent:missing_principals is skip)"
    ]


def test_users_and_groups_named_by_object_id() -> None:
    group, alex = fake_id("group", "Jira Users"), uid("alex.wilber@contoso.com")
    config = {
        "entra-consent:features": {
            "todo": {"consent": "principals", "groups": [group], "users": [alex.upper()]}
        }
    }
    run = run_program(config, FakeTenant.from_file(CONTOSO), stack="ids")
    assert_well_formed(run)
    assert (GET_GROUP, {"objectId": group, "includeTransitiveMembers": True}) in run.invoke_args
    members = ["megan.bowen@contoso.com", "lee.gu@contoso.com", "adele.vance@contoso.com"]
    assert sorted(g.inputs["userObjectId"] for g in run.of_type(GRANT_TYPE)) == sorted(
        [alex, *(uid(m) for m in members)]
    )
    assert sorted(a.inputs["principalObjectId"] for a in run.of_type(ASSIGNMENT_TYPE)) == sorted(
        [group, alex]
    )


# --- what the real provider shows that the stand-in once hid ---------------------------------


def test_a_microsoft_365_group_under_per_user_consent_is_one_line_per_use() -> None:
    tenant = FakeTenant.from_file(CONTOSO)
    tenant.m365_groups.add("Jira Users")
    run = run_stack("dev", tenant)
    why = (
        "group 'Jira Users' is a Microsoft 365 group: per-user consent reads its members with "
        "the azuread provider's get_group, which also asks for its Exchange settings, and Graph "
        "refuses those to app-only credentials (403) (use consent: assigned for {f}, which "
        "reads the group without them, or name a security group)"
    )
    assert_nothing_declared(
        run,
        [
            f"Pulumi.dev.yaml: entra-consent:features.{feature}.groups[0]: {why.format(f=feature)}"
            for feature in ("calendar", "email", "meetings")
        ],
    )


def test_a_microsoft_365_group_only_assigned_is_read_without_get_group() -> None:
    tenant = FakeTenant.from_file(CONTOSO)
    tenant.m365_groups.add("Jira Users")
    config = stack_config("dev")
    for feature in ("calendar", "email", "meetings"):
        config["entra-consent:features"][feature] = {
            "consent": "assigned",
            "groups": ["Jira Users"],
        }
    run = run_program(config, tenant, stack="dev")
    assert run.error is None
    assert run.messages("error") == []


def test_credentials_of_another_directory_are_one_line_and_nothing_is_declared() -> None:
    tenant = FakeTenant.from_file(CONTOSO)
    tenant.sign_in_error = (
        "building client: unable to obtain access token: clientCredentialsAuthorizer: "
        "running Azure CLI: 400 Bad Request: AADSTS700016: Application with identifier "
        "'51a7e27a-0000-4000-8000-00000000c11e' was not found in the directory 'Fabrikam'. "
        "This can happen if the application has not been installed by the administrator."
    )
    run = run_stack("dev", tenant)
    assert_nothing_declared(
        run,
        [
            "Pulumi.dev.yaml: azuread:tenantId: the azuread provider could not sign in to tenant "
            "11111111-2222-3333-4444-555555555555: AADSTS700016: Application with identifier "
            "'51a7e27a-0000-4000-8000-00000000c11e' was not found in the directory 'Fabrikam'. "
            "(use credentials of an app registered or consented in this tenant; AADSTS700016 "
            "means the credentials belong to another directory)"
        ],
    )


def test_adopted_service_principals_leave_their_owners_alone() -> None:
    # The provider reads owners into state and would remove those not in config (owners is
    # optional, not computed); the e2e layer checks the tenant keeps them.
    run = run_stack("dev")
    sps = by_name(run, SERVICE_PRINCIPAL_TYPE)
    assert sps
    for sp in sps.values():
        assert "owners" not in sp.inputs
        assert sp.ignore_changes == ("owners",)
