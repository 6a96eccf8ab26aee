"""`checked-before-write` in process: a grant or an assignment judged with the apps its ids name
in the tenant (a tenant in memory here; tests/policies/test_tenant_directory.py reads Graph),
whatever the stack said at preview."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st

from catalog.guid import DEFAULT_APP_ROLE_ID as DEFAULT_ROLE
from policies.before_write import Step, TenantPrincipal, TenantUnavailable, checked_before_write
from policies.config import (
    CatalogueAppsConfig,
    ClosedWorldConfig,
    PrivilegedConfig,
    RuleConfig,
)
from policies.resources import Resource
from tests.policies.builder import (
    ADELE,
    CATALOGUE,
    EXCHANGE,
    EXCHANGE_OID,
    GRAPH,
    GRAPH_OID,
    MAIL,
    MAIL_OID,
    PLAIN,
    PRIVILEGED,
    ROLE,
    UNKNOWN,
    api,
    assignment,
    grant,
    sp,
)


@dataclass
class Tenant:
    """Service principals by object id; `down` makes every question fail."""

    apps: dict[str, str] = field(default_factory=dict)  # object id -> app id
    assigned: set[str] = field(default_factory=set)
    down: str | None = None
    asked: list[str] = field(default_factory=list)

    def service_principal(self, object_id: str) -> TenantPrincipal | None:
        self.asked.append(object_id)
        if self.down is not None:
            raise TenantUnavailable(self.down)
        app_id = self.apps.get(object_id)
        return None if app_id is None else TenantPrincipal(object_id, app_id, f"sp-{app_id[:8]}")

    def requires_assignment(self, object_id: str) -> bool:
        return object_id in self.assigned


TENANT = {MAIL_OID: MAIL, GRAPH_OID: GRAPH, EXCHANGE_OID: EXCHANGE}
MANDATORY: dict[str, RuleConfig] = {
    "catalogue-apps-only": CatalogueAppsConfig(),
    "catalogue-scopes-only": RuleConfig(),
    "tenant-wide-privileged-scopes": PrivilegedConfig(),
    "default-app-role": RuleConfig(),
}
MAIL_SP = sp("mail", MAIL, MAIL_OID)
GRAPH_API = api("graph", GRAPH, GRAPH_OID)


def judge(
    resource: Resource, tenant: Tenant | None = None, settings: dict[str, RuleConfig] | None = None
) -> list[str]:
    step = Step(
        resource, tenant or Tenant(dict(TENANT)), MANDATORY if settings is None else settings
    )
    return [v.message for v in checked_before_write(step, CATALOGUE, RuleConfig())]


def test_a_catalogue_grant_passes() -> None:
    assert judge(grant("mail-graph", MAIL_SP, GRAPH_API, PLAIN, user=ADELE)) == []


def test_a_client_id_that_resolves_to_another_app_is_refused() -> None:
    """At preview the grant depended on the mail app; at the write its id is Exchange's."""
    declared = grant("mail-graph", MAIL_SP, GRAPH_API, PLAIN, user=ADELE)
    swapped = Resource(
        declared.urn,
        declared.type,
        declared.name,
        {**declared.props, "servicePrincipalObjectId": EXCHANGE_OID},
    )
    (first, *_rest) = judge(swapped)
    assert first.startswith("before the write, with its ids resolved in the tenant: ")
    assert f"client app not in the catalogue (client id {EXCHANGE}" in first


def test_a_user_that_resolves_to_none_is_judged_tenant_wide() -> None:
    per_user = grant("mail-graph", MAIL_SP, GRAPH_API, [PRIVILEGED], user=ADELE)
    assert judge(per_user) == []
    tenant_wide = grant("mail-graph", MAIL_SP, GRAPH_API, [PRIVILEGED])
    (message,) = judge(tenant_wide)
    assert "all principals (tenant-wide): privileged scopes granted tenant-wide" in message
    assert PRIVILEGED in message


def test_an_object_id_the_tenant_does_not_hold_is_refused() -> None:
    ghost = sp("ghost", MAIL, "9f9f9f9f-0000-4000-8000-000000000099")
    (message,) = judge(grant("ghost-graph", ghost, GRAPH_API, PLAIN, user=ADELE))
    assert (
        "9f9f9f9f-0000-4000-8000-000000000099 is the object id of no service principal" in message
    )


def test_a_tenant_that_cannot_be_asked_refuses_the_write() -> None:
    tenant = Tenant(dict(TENANT), down="credentials: no Azure CLI login")
    found = judge(grant("mail-graph", MAIL_SP, GRAPH_API, PLAIN, user=ADELE), tenant)
    assert len(found) == 2  # both ids
    assert all(
        "could not be asked which app it is (credentials: no Azure CLI login)" in m for m in found
    )
    assert all("is not written" in m and "az login" in m for m in found)


def test_unknown_ids_at_preview_are_left_to_the_stack_rules_and_never_asked() -> None:
    tenant = Tenant(dict(TENANT))
    preview = grant(
        "mail-graph", MAIL_SP, GRAPH_API, [PRIVILEGED], servicePrincipalObjectId=UNKNOWN
    )
    assert judge(preview, tenant) == []
    assert tenant.asked == []


def test_only_mandatory_rules_apply_and_with_their_settings() -> None:
    tenant_wide = grant("mail-graph", MAIL_SP, GRAPH_API, [PRIVILEGED])
    without = {k: v for k, v in MANDATORY.items() if k != "tenant-wide-privileged-scopes"}
    assert judge(tenant_wide, settings=without) == []
    allowed = PrivilegedConfig(allowances={"m365-jira-mail": {"microsoft-graph": [PRIVILEGED]}})
    assert (
        judge(tenant_wide, settings={**MANDATORY, "tenant-wide-privileged-scopes": allowed}) == []
    )


def test_assignment_requirement_is_read_from_the_tenant_only_when_it_decides() -> None:
    lenient = PrivilegedConfig(allowWhenAssignmentRequired=True)
    settings = {**MANDATORY, "tenant-wide-privileged-scopes": lenient}
    tenant_wide = grant("mail-graph", MAIL_SP, GRAPH_API, [PRIVILEGED])
    assert len(judge(tenant_wide, settings=settings)) == 1  # the tenant says: not required
    required = Tenant(dict(TENANT), assigned={MAIL_OID})
    assert judge(tenant_wide, required, settings) == []
    # the stack's own claim (appRoleAssignmentRequired on its resource) is not believed
    claimed = sp("mail", MAIL, MAIL_OID, appRoleAssignmentRequired=True)
    assert len(judge(grant("mail-graph", claimed, GRAPH_API, [PRIVILEGED]), settings=settings)) == 1


def test_an_assignment_is_judged_by_the_app_it_resolves_to() -> None:
    assert judge(assignment("mail-user", MAIL_SP, DEFAULT_ROLE)) == []
    (message,) = judge(assignment("mail-user", MAIL_SP, ROLE))
    assert "is neither the default role" in message
    # an id that resolves to another app's service principal: whoever it names may sign in
    for other, object_id in ((GRAPH, GRAPH_OID), (EXCHANGE, EXCHANGE_OID)):
        (message,) = judge(assignment("x", sp("x", MAIL, object_id), DEFAULT_ROLE))
        assert f"of app {other}, which the catalogue does not list" in message


def test_other_types_are_not_judged() -> None:
    assert judge(MAIL_SP) == []
    assert judge(GRAPH_API) == []


IDS = st.one_of(
    st.uuids().map(str), st.sampled_from([MAIL_OID, GRAPH_OID, EXCHANGE_OID]), st.text(max_size=60)
)


@given(IDS, IDS)
def test_hostile_ids_never_pass_and_never_raise(client_id: str, api_id: str) -> None:
    hostile = Resource(
        "urn:hostile",
        grant("x", MAIL_SP, GRAPH_API, PLAIN).type,
        "hostile",
        {
            "servicePrincipalObjectId": client_id,
            "resourceServicePrincipalObjectId": api_id,
            "claimValues": PLAIN,
            "userObjectId": ADELE,
        },
    )
    found = judge(hostile)
    if (client_id, api_id) != (MAIL_OID, GRAPH_OID):
        assert found, (client_id, api_id)


ROLE_ASSIGNMENT = Resource(
    "urn:teams-global-admin",
    "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
    "teams-global-admin",
    {"roleId": "62e90394-69f5-4237-9190-012177145e10", "principalObjectId": MAIL_OID},
)


def judge_step(resource: Resource, provider: str | None, settings: dict[str, RuleConfig]) -> Step:
    return Step(resource, Tenant(dict(TENANT)), settings, provider)


def test_other_provider_resources_are_judged_by_closed_world_before_the_write() -> None:
    settings: dict[str, RuleConfig] = {**MANDATORY, "closed-world": ClosedWorldConfig()}
    step = judge_step(ROLE_ASSIGNMENT, "pulumi:providers:azuread", settings)
    assert step.judged and not step.needs_catalogue
    (violation,) = checked_before_write(step, CATALOGUE, RuleConfig())
    assert violation.message.startswith("before the write, with its ids resolved in the tenant:")
    assert "it would give a directory role (e.g. Global Administrator)" in violation.message
    allowed = ClosedWorldConfig(allowedTypes=[ROLE_ASSIGNMENT.type])
    step = judge_step(ROLE_ASSIGNMENT, "pulumi:providers:azuread", {"closed-world": allowed})
    assert checked_before_write(step, CATALOGUE, RuleConfig()) == []
    # another package's resource is a provider's too
    other = Resource("urn:owner", "azure-native:authorization:RoleAssignment", "owner", {})
    step = judge_step(other, "pulumi:providers:azure-native", settings)
    assert len(checked_before_write(step, CATALOGUE, RuleConfig())) == 1


def test_components_and_a_closed_world_not_enforced_are_not_judged() -> None:
    settings: dict[str, RuleConfig] = {**MANDATORY, "closed-world": ClosedWorldConfig()}
    assert not judge_step(ROLE_ASSIGNMENT, None, settings).judged  # no provider: a component
    assert not judge_step(ROLE_ASSIGNMENT, "pulumi:providers:azuread", MANDATORY).judged
    assert judge_step(grant("g", MAIL_SP, GRAPH_API, PLAIN), None, {}).needs_catalogue
