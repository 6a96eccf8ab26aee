"""The pack's rules in process, case by case where the corpus has one case or none: what each
`azuread` type outside the closed world gives whom, APIs that are not the catalogue's or
cannot be told, identities of clients and APIs not known until apply, the privilege threshold
at its edge, `allowWhenAssignmentRequired`, `ResourceApi` components that disagree, and every
rule going on past a first finding. Each test here kills mutants of policies/ that survived
the corpus (`make mutate`)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from policies.config import ClosedWorldConfig, PrivilegedConfig
from policies.resources import Resource
from tests.policies.builder import (
    ADELE,
    EXCHANGE,
    GRAPH,
    GRAPH_OID,
    MAIL,
    MAIL_OID,
    PLAIN,
    PRIVILEGED,
    TODO,
    TODO_OID,
    UNKNOWN,
    api,
    assignment,
    grant,
    rules_and_urns,
    sp,
    verdicts,
)

SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000"  # first-party, not in the catalogue
MADE_UP_API = "5a5a5a5a-0000-4000-8000-000000000001"


def messages(found: list[tuple[str, str, str]], rule: str) -> list[str]:
    return [m for r, _, m in found if r == rule]


# --- closed-world ----------------------------------------------------------------------------

# Every azuread type the rule explains: its token's last part, the start of what it gives and
# the properties that name whom (first found wins).
POWERS = [
    ("DirectoryRoleAssignment", "a directory role (e.g. Global Administra", ["principalObjectId"]),
    ("DirectoryRoleMember", "a directory role over the whole director", ["memberObjectId"]),
    (
        "DirectoryRoleEligibilityScheduleRequest",
        "eligibility for a directory role",
        ["principalId"],
    ),
    ("CustomDirectoryRole", "a new directory role with the permission", []),
    (
        "ServicePrincipalPassword",
        "a password for the service principal: wh",
        ["servicePrincipalId"],
    ),
    (
        "ServicePrincipalCertificate",
        "a certificate credential: whoever holds ",
        ["servicePrincipalId"],
    ),
    (
        "ServicePrincipalTokenSigningCertificate",
        "a token signing certificate for the app'",
        ["servicePrincipalId"],
    ),
    (
        "ServicePrincipalClaimsMappingPolicyAssignment",
        "a claims-mapping policy that changes the",
        ["servicePrincipalId"],
    ),
    ("ClaimsMappingPolicy", "a claims-mapping policy (tokens' claims)", []),
    (
        "ApplicationPassword",
        "a password for an app registration: whoe",
        ["applicationId", "applicationObjectId"],
    ),
    (
        "ApplicationCertificate",
        "a certificate credential for an app regi",
        ["applicationId", "applicationObjectId"],
    ),
    (
        "ApplicationFederatedIdentityCredential",
        "a federated identity credential: tokens ",
        ["applicationId", "applicationObjectId"],
    ),
    (
        "ApplicationFlexibleFederatedIdentityCredential",
        "a federated identity credential: tokens ",
        ["applicationId"],
    ),
    ("Application", "an app registration, with whatever permi", []),
    ("ApplicationRegistration", "an app registration;", []),
    ("ApplicationApiAccess", "API permissions requested by an app regi", ["applicationId"]),
    ("ApplicationOwner", "ownership of an app registration (owners", ["ownerObjectId"]),
    ("GroupMember", "membership of a group, with every assign", ["memberObjectId"]),
    ("Group", "a group, with the members and roles it i", []),
    ("AdministrativeUnitMember", "membership of an administrative unit", ["memberObjectId"]),
    (
        "AdministrativeUnitRoleMember",
        "a directory role scoped to an administra",
        ["memberObjectId"],
    ),
    ("AccessPackageAssignmentPolicy", "a way to request an access package", []),
    (
        "PrivilegedAccessGroupAssignmentSchedule",
        "privileged membership or ownership of a ",
        ["principalId"],
    ),
    (
        "PrivilegedAccessGroupEligibilitySchedule",
        "eligibility for privileged membership or",
        ["principalId"],
    ),
    ("ConditionalAccessPolicy", "a Conditional Access policy (who may sig", []),
    ("User", "a new user account", []),
    ("Invitation", "a guest user account", []),
    ("SynchronizationSecret", "provisioning credentials for the app", []),
]


def azuread(name: str, **props: Any) -> Resource:
    token = f"azuread:index/{name[0].lower()}{name[1:]}:{name}"
    return Resource(f"urn:{name}", token, name.lower(), props)


def closed_world_message(resource: Resource, *more: Resource) -> str:
    found = verdicts([sp("mail", MAIL), *more, resource])
    (message,) = messages(found, "closed-world")
    return message


@pytest.mark.parametrize(("name", "gives", "who"), POWERS, ids=[p[0] for p in POWERS])
def test_closed_world_says_what_each_azuread_type_gives(
    name: str, gives: str, who: list[str]
) -> None:
    message = closed_world_message(azuread(name))
    assert message.startswith(f"resource {name.lower()} (azuread:index/")
    assert f"): it would give {gives}" in message
    for key in who:  # each property that names the recipient, alone
        message = closed_world_message(azuread(name, **{key: MAIL_OID.upper()}))
        assert f" to mail-sp ({key} {MAIL_OID.upper()}); the stack may" in message


def test_closed_world_names_the_recipient_as_far_as_it_is_known() -> None:
    unknown = closed_world_message(azuread("GroupMember", memberObjectId=UNKNOWN))
    assert "with every assignment and role the group holds to a principal not known until " in (
        unknown
    )
    assert "apply (memberObjectId); the stack may" in unknown
    nobody = closed_world_message(azuread("GroupMember", memberObjectId=ADELE))
    assert f"the group holds to memberObjectId {ADELE}; the stack may" in nobody
    empty = closed_world_message(azuread("GroupMember", memberObjectId=""))
    assert "the group holds; the stack may" in empty
    # the first property that holds a value wins
    both = azuread("ApplicationPassword", applicationId="", applicationObjectId=MAIL_OID)
    assert f"to mail-sp (applicationObjectId {MAIL_OID})" in closed_world_message(both)
    # two registered resources with the object id: no guess which
    twice = sp("mail2", MAIL, MAIL_OID)
    shared = closed_world_message(azuread("GroupMember", memberObjectId=MAIL_OID), twice)
    assert f"the group holds to memberObjectId {MAIL_OID}; the stack may" in shared


def test_closed_world_types_of_other_packages_and_components() -> None:
    provider = Resource("urn:prov", "pulumi:providers:random", "prov", {})
    other = Resource("urn:pet", "random:index/randomPet:RandomPet", "pet", {})
    mine = Resource("urn:comp", "entra-consent:index:Anything", "comp", {})
    unlisted = Resource("urn:x", "azuread:index/somethingNew:SomethingNew", "x", {})
    found = verdicts([provider, other, mine, unlisted, sp("mail", MAIL)])
    assert rules_and_urns(found) == {("closed-world", "urn:pet"), ("closed-world", "urn:x")}
    assert "the pack cannot tell what access it gives" in messages(found, "closed-world")[1]
    allowed = ClosedWorldConfig(allowedTypes=["random:index/randomPet:RandomPet"])
    found = verdicts([provider, other, mine, sp("mail", MAIL)], configs={"closed-world": allowed})
    assert found == []


# --- catalogue-scopes-only and catalogue-apps-only --------------------------------------------


def test_an_api_outside_the_catalogue_is_named_by_its_app_id() -> None:
    mail, other = sp("mail", MAIL), api("made-up", MADE_UP_API, GRAPH_OID)
    found = verdicts([mail, other, grant("g", mail, other, ["User.Read"], user=ADELE)])
    (scopes,) = messages(found, "catalogue-scopes-only")
    assert f"API with app id {MADE_UP_API} (not in the catalogue), target user {ADELE}" in scopes
    assert scopes.endswith(
        "scopes not in the catalogue: User.Read; the catalogue lists no scopes on that API "
        "(add them to the app's feature in catalog/apps/ through review, or remove them from "
        "the stack)"
    )
    # tenant-wide: nothing the API publishes is known, so every scope counts as privileged
    found = verdicts([mail, other, grant("g", mail, other, ["User.Read"])])
    (privileged,) = messages(found, "tenant-wide-privileged-scopes")
    assert "or unknown): User.Read (grant them per user instead" in privileged
    assert "under an allowance (only possible once the API can be determined)" in privileged


def test_an_api_not_known_until_apply_is_checked_against_every_api() -> None:
    mail, later = sp("mail", MAIL), api("later", UNKNOWN, GRAPH_OID)
    found = verdicts([mail, later, grant("g", mail, later, ["EWS.AccessAsUser.All", "Made.Up"])])
    (scopes,) = messages(found, "catalogue-scopes-only")
    assert "an API that cannot be determined (service principal api-later)" in scopes
    assert "scopes not in the catalogue: EWS.AccessAsUser.All, Made.Up; the API cannot be" in (
        scopes
    )
    (privileged,) = messages(found, "tenant-wide-privileged-scopes")
    assert "or unknown): EWS.AccessAsUser.All, Made.Up (grant" in privileged


def test_every_grant_is_judged_after_one_that_cannot_be() -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    bad = grant("z-bad", mail, graph, ["Made.Up"], user=ADELE)
    for first in (
        grant("a-malformed", mail, graph, "User.Read", user=TODO_OID),
        grant("a-unknown", mail, graph, UNKNOWN, user=TODO_OID),
    ):
        found = verdicts([mail, graph, first, bad])
        assert [u for r, u, _ in found if r == "catalogue-scopes-only"] == [first.urn, bad.urn]


def test_catalogue_apps_only_goes_on_past_an_api_and_a_listed_app() -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    exo, stranger = sp("exo", EXCHANGE, GRAPH_OID), sp("stranger", MADE_UP_API, TODO_OID)
    found = verdicts(
        [
            exo,
            mail,
            stranger,
            graph,
            grant("g1", mail, graph, PLAIN, user=ADELE),
            grant("g2", stranger, graph, PLAIN, user=ADELE),
        ]
    )
    assert [u for r, u, _ in found if r == "catalogue-apps-only"] == ["urn:g2", "urn:stranger-sp"]


# --- tenant-wide-privileged-scopes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "scopes", "flagged"),
    [
        (3, ["Mail.ReadWrite.Shared"], "Mail.ReadWrite.Shared"),  # level 3, no admin consent
        (4, ["Mail.ReadWrite.Shared"], None),
        (1, ["openid", "email"], None),  # no published level: 0, not privileged
        (1, ["User.Read"], "User.Read"),  # level 2
    ],
)
def test_the_privilege_threshold_counts_from_its_level(
    threshold: int, scopes: list[str], flagged: str | None
) -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    config = PrivilegedConfig(privilegeThreshold=threshold)
    found = verdicts(
        [mail, graph, grant("g", mail, graph, scopes)],
        configs={"tenant-wide-privileged-scopes": config},
    )
    privileged = messages(found, "tenant-wide-privileged-scopes")
    if flagged is None:
        assert privileged == []
    else:
        (message,) = privileged
        assert f"privilege level {threshold} or more, or unknown): {flagged} (grant" in message


@pytest.mark.parametrize(
    ("user", "flagged"), [(None, True), (UNKNOWN, True), ("", True), (ADELE, False)]
)
def test_a_user_not_known_until_apply_is_judged_as_tenant_wide(user: Any, flagged: bool) -> None:
    """Reproduced on the real CLI: a user from `new_resource.id.apply(lambda _: None)` is
    unknown at preview and none at apply, which makes the grant tenant-wide."""
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    found = verdicts([mail, graph, grant("g", mail, graph, [PRIVILEGED], user=user)])
    privileged = messages(found, "tenant-wide-privileged-scopes")
    assert bool(privileged) is flagged
    if user is UNKNOWN:
        (message,) = privileged
        assert "target a user not known until apply (may be tenant-wide)" in message


@pytest.mark.parametrize(
    ("required", "allow", "passes"),
    [
        (True, True, True),
        (True, False, False),
        (False, True, False),
        ("true", True, False),  # a string is no `true`
        (UNKNOWN, True, False),  # not known until apply: not yet `true`
        (None, True, False),
    ],
)
def test_allow_when_assignment_required(required: Any, allow: bool, passes: bool) -> None:
    props = {} if required is None else {"appRoleAssignmentRequired": required}
    mail, graph = sp("mail", MAIL, **props), api("microsoft-graph", GRAPH, GRAPH_OID)
    todo = sp("todo", TODO, TODO_OID)
    config = PrivilegedConfig(allowWhenAssignmentRequired=allow)
    stack = [
        mail,
        todo,
        graph,
        grant("a-mail", mail, graph, [PRIVILEGED]),
        grant("b-todo", todo, graph, [PRIVILEGED]),
    ]
    found = verdicts(stack, configs={"tenant-wide-privileged-scopes": config})
    flagged = [u for r, u, _ in found if r == "tenant-wide-privileged-scopes"]
    # the grant of the app that does not require assignment is judged all the same
    assert flagged == (["urn:b-todo"] if passes else ["urn:a-mail", "urn:b-todo"])
    # a grant without a client (unlinked) cannot require assignment
    unlinked = grant("c", mail, graph, [PRIVILEGED], link=False, servicePrincipalObjectId=ADELE)
    found = verdicts([mail, graph, unlinked], configs={"tenant-wide-privileged-scopes": config})
    assert ("tenant-wide-privileged-scopes", "urn:c") in rules_and_urns(found)


# --- one-grant-per-target -------------------------------------------------------------------


def test_grants_through_one_service_principal_are_one_client_even_before_apply() -> None:
    """At preview the client id may not be known: the service principal itself is the client,
    and an API not known yet is its ResourceApi."""
    early = sp("early", UNKNOWN)
    later = api("later", UNKNOWN, GRAPH_OID)
    found = verdicts(
        [early, later, grant("g1", early, later, PLAIN), grant("g2", early, later, ["email"])]
    )
    (message,) = messages(found, "one-grant-per-target")
    assert "2 grants for the same client, API and target (g1, g2) with scopes User.Read, " in (
        message
    )
    assert "email, openid" in message


def test_grants_whose_client_cannot_be_told_are_not_compared() -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    found = verdicts(
        [
            mail,
            graph,
            grant("g1", mail, graph, PLAIN, link=False, servicePrincipalObjectId=ADELE),
            grant("g2", mail, graph, PLAIN, link=False, servicePrincipalObjectId=ADELE),
        ]
    )
    assert "one-grant-per-target" not in {r for r, _, _ in found}
    # nor a user not known until apply
    found = verdicts(
        [
            mail,
            graph,
            grant("g1", mail, graph, PLAIN, user=UNKNOWN),
            grant("g2", mail, graph, PLAIN, user=UNKNOWN),
        ]
    )
    assert "one-grant-per-target" not in {r for r, _, _ in found}


def test_one_grant_per_target_goes_on_past_grants_it_cannot_compare_and_single_ones() -> None:
    mail, todo, graph = sp("mail", MAIL), sp("todo", TODO, TODO_OID), api("g", GRAPH, GRAPH_OID)
    found = verdicts(
        [
            mail,
            todo,
            graph,
            grant("a-unknown", mail, graph, PLAIN, user=UNKNOWN),
            grant("b-single", todo, graph, PLAIN),
            grant("c-first", mail, graph, PLAIN, user=ADELE),
            grant("d-second", mail, graph, ["email"], user=ADELE),
        ]
    )
    assert [u for r, u, _ in found if r == "one-grant-per-target"] == ["urn:c-first"]


# --- default-app-role ------------------------------------------------------------------------


def test_default_app_role_goes_on_past_a_good_assignment() -> None:
    mail = sp("mail", MAIL)
    good = assignment("a-good", mail, "00000000-0000-0000-0000-000000000000")
    bad = assignment("b-bad", mail, MADE_UP_API)
    unknown = assignment("c-unknown", mail, UNKNOWN, principal=UNKNOWN)
    found = verdicts([mail, good, bad, unknown])
    assert [u for r, u, _ in found if r == "default-app-role"] == ["urn:b-bad", "urn:c-unknown"]
    last = messages(found, "default-app-role")[1]
    assert "principal a principal not known until apply: app role not known until apply" in last


# --- registered-ids-only -------------------------------------------------------------------


def test_grants_and_assignments_outside_their_component_say_which() -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    g = dataclasses.replace(grant("g", mail, graph, PLAIN, user=ADELE), parent="urn:elsewhere")
    a = dataclasses.replace(
        assignment("a", mail, "00000000-0000-0000-0000-000000000000"), parent=""
    )
    found = verdicts([mail, graph, g, a])
    assert messages(found, "registered-ids-only") == [
        "assignment a: declared outside the component of its app's service principal mail-sp, so "
        "a review of that app does not show it (declare it in the app's EnterpriseApp component)",
        "grant g: declared outside the component of its app's service principal mail-sp, so a "
        "review of that app does not show it (declare it in the app's EnterpriseApp component)",
    ]


@pytest.mark.parametrize("app_id", [SHAREPOINT, GRAPH, EXCHANGE])
def test_a_resource_api_of_any_microsoft_api_is_accepted(app_id: str) -> None:
    assert verdicts([api("x", app_id, GRAPH_OID)]) == []


def test_resource_apis_that_name_one_api_or_one_object_twice() -> None:
    found = verdicts([api("one", GRAPH, GRAPH_OID), api("two", GRAPH.upper(), TODO_OID)])
    assert messages(found, "registered-ids-only") == [
        f"ResourceApi api-one: 2 ResourceApi components name app id {GRAPH} (declare one "
        "ResourceApi per API, with the app id and object id get_service_principal returns, as "
        "components/resource_api.py does)",
        f"ResourceApi api-two: 2 ResourceApi components name app id {GRAPH} (declare one "
        "ResourceApi per API, with the app id and object id get_service_principal returns, as "
        "components/resource_api.py does)",
    ]
    found = verdicts([api("one", GRAPH, GRAPH_OID), api("two", EXCHANGE, GRAPH_OID)])
    assert [m.split(" (declare")[0] for m in messages(found, "registered-ids-only")] == [
        f"ResourceApi api-one: 2 ResourceApi components claim object id {GRAPH_OID}",
        f"ResourceApi api-two: 2 ResourceApi components claim object id {GRAPH_OID}",
    ]


@pytest.mark.parametrize("case", [str.lower, str.upper])
def test_a_resource_api_seen_with_its_read_on_refresh_must_agree(case: Any) -> None:
    """`preview --refresh` hands the pack the read service principal too: its client id must be
    the ResourceApi's app id, whatever the case of the object id."""
    read = dataclasses.replace(sp("read", EXCHANGE, GRAPH_OID), parent="urn:api-microsoft-graph")
    found = verdicts([api("microsoft-graph", GRAPH, case(GRAPH_OID)), read])
    (message,) = messages(found, "registered-ids-only")
    assert (
        f"ResourceApi api-microsoft-graph: the service principal with its object id "
        f"{case(GRAPH_OID)} (read-sp) is app {EXCHANGE}, not {GRAPH}"
    ) in message


def test_privileged_scopes_are_judged_past_grants_that_pass() -> None:
    mail, todo, graph = sp("mail", MAIL), sp("todo", TODO, TODO_OID), api("g", GRAPH, GRAPH_OID)
    found = verdicts(
        [
            mail,
            todo,
            graph,
            grant("a-per-user", mail, graph, [PRIVILEGED], user=ADELE),
            grant("b-unknown", mail, graph, UNKNOWN),
            grant("c-plain", todo, graph, ["openid"]),
            grant("d-privileged", mail, graph, [PRIVILEGED]),
        ]
    )
    assert [u for r, u, _ in found if r == "tenant-wide-privileged-scopes"] == ["urn:d-privileged"]
