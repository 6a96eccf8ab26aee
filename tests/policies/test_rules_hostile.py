"""Every rule of the pack, in process, on stacks a program could send that the corpus does not:
ids in upper case (Graph's GUIDs are case-insensitive, so `00000003-...-C000-...` is Microsoft
Graph), empty strings where an id or a scope belongs (absent, never a value), grants tied to
their service principals by object id alone (no property dependencies), and a catalogue that
declares app roles.

Each test here kills mutants of policies/ that survived the corpus (`make mutate`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from catalog.catalogue import Catalogue
from catalog.guid import DEFAULT_APP_ROLE_ID
from policies.config import PrivilegedConfig
from policies.resources import Resource
from tests.policies.builder import (
    ADELE,
    CATALOGUE,
    EXCHANGE,
    GRAPH,
    GRAPH_OID,
    MAIL,
    MAIL_OID,
    PLAIN,
    PRIVILEGED,
    ROLE,
    ROLE_CATALOGUE,
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

Case = Callable[[str], str]


# --- upper-case ids ------------------------------------------------------------------------


def _graph() -> Resource:
    return api("microsoft-graph", GRAPH, GRAPH_OID)


def first_party_sp(case: Case) -> tuple[list[Resource], set[tuple[str, str]]]:
    """A managed service principal of Microsoft Graph: refused as first-party, not as an app
    the catalogue does not list."""
    return [sp("graph", case(GRAPH))], {("no-first-party-service-principals", "urn:graph-sp")}


def exchange_sp(case: Case) -> tuple[list[Resource], set[tuple[str, str]]]:
    return [sp("exo", case(EXCHANGE))], {("no-first-party-service-principals", "urn:exo-sp")}


def same_user_twice(case: Case) -> tuple[list[Resource], set[tuple[str, str]]]:
    """Two grants for one user, the second naming the user in another case."""
    mail, graph = sp("mail", MAIL), _graph()
    return [
        mail,
        graph,
        grant("g1", mail, graph, PLAIN, user=ADELE),
        grant("g2", mail, graph, ["email"], user=case(ADELE)),
    ], {("one-grant-per-target", "urn:g1")}


def same_client_twice(case: Case) -> tuple[list[Resource], set[tuple[str, str]]]:
    """Two service principals of one client id in two cases, a tenant-wide grant through each."""
    first, second, graph = sp("mail", MAIL), sp("mail2", case(MAIL), TODO_OID), _graph()
    return [
        first,
        second,
        graph,
        grant("g1", first, graph, PLAIN),
        grant("g2", second, graph, ["email"]),
    ], {("one-grant-per-target", "urn:g1")}


def resource_api_app_id(case: Case) -> tuple[list[Resource], set[tuple[str, str]]]:
    """The ResourceApi of Microsoft Graph by an upper-case app id, seen with its read service
    principal on refresh: the same API, nothing to report."""
    mail, graph = sp("mail", MAIL), api("microsoft-graph", case(GRAPH), GRAPH_OID)
    read = sp("graph-read", GRAPH, GRAPH_OID)
    read = dataclasses.replace(read, parent="urn:api-microsoft-graph")
    return [mail, graph, read, grant("g", mail, graph, PLAIN)], {
        ("no-first-party-service-principals", "urn:graph-read-sp"),
    }


def declared_role(case: Case) -> tuple[list[Resource], set[tuple[str, str]]]:
    mail = sp("mail", MAIL)
    return [mail, assignment("a", mail, case(ROLE))], set()


def object_ids(case: Case) -> tuple[list[Resource], set[tuple[str, str]]]:
    """Object ids in one case on the service principals and another on the grant, tied by
    dependency and by value alone: one and the same principal either way."""
    mail = sp("mail", case(MAIL), case(MAIL_OID))
    graph = api("microsoft-graph", GRAPH, case(GRAPH_OID))
    return [
        mail,
        graph,
        grant("linked", mail, graph, PLAIN, user=ADELE, servicePrincipalObjectId=MAIL_OID),
        grant(
            "by-value", mail, graph, PLAIN, link=False, resourceServicePrincipalObjectId=GRAPH_OID
        ),
    ], set()


SCENARIOS = {
    "first-party-service-principal": first_party_sp,
    "exchange-service-principal": exchange_sp,
    "same-user-twice": same_user_twice,
    "same-client-twice": same_client_twice,
    "resource-api-app-id": resource_api_app_id,
    "declared-app-role": declared_role,
    "object-ids": object_ids,
}


@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_upper_case_ids_are_the_same_ids(
    scenario: Callable[[Case], tuple[list[Resource], set[tuple[str, str]]]],
) -> None:
    lower_resources, expected = scenario(str.lower)
    upper_resources, again = scenario(str.upper)
    assert again == expected
    lower = verdicts(lower_resources, ROLE_CATALOGUE)
    upper = verdicts(upper_resources, ROLE_CATALOGUE)
    assert rules_and_urns(lower) == expected, lower
    assert rules_and_urns(upper) == expected, upper
    # the same words, ids shown in lower case whichever case the program wrote
    assert [m for *_, m in upper] == [m for *_, m in lower]


def test_an_allowance_by_client_id_matches_an_upper_case_client_id() -> None:
    mail, graph = sp("mail", MAIL.upper()), _graph()
    stack = [mail, graph, grant("g", mail, graph, [PRIVILEGED])]
    allow = PrivilegedConfig(allowances={MAIL: {"microsoft-graph": [PRIVILEGED]}})
    assert verdicts(stack) == [
        (
            "tenant-wide-privileged-scopes",
            "urn:g",
            "grant g: client app m365-jira-mail (client id e7185a25-9df9-4d05-b779-76b04bf46424), "
            "API microsoft-graph (Microsoft Graph), target all principals (tenant-wide): "
            "privileged scopes granted tenant-wide (admin consent required, privilege level 4 or "
            "more, or unknown): Group.ReadWrite.All (grant them per user instead, or allow them "
            "through review in the policy config under allowances.m365-jira-mail.microsoft-graph)",
        )
    ]
    assert verdicts(stack, configs={"tenant-wide-privileged-scopes": allow}) == []


# --- empty strings ---------------------------------------------------------------------------


def test_empty_user_is_tenant_wide() -> None:
    """`userObjectId: ""` grants nobody in particular: Graph reads it as absent (AllPrincipals),
    so a privileged scope in it is tenant-wide."""
    mail, graph = sp("mail", MAIL), _graph()
    found = verdicts([mail, graph, grant("g", mail, graph, [PRIVILEGED], user="")])
    assert rules_and_urns(found) == {("tenant-wide-privileged-scopes", "urn:g")}
    assert "target all principals (tenant-wide)" in found[0][2]
    # two such grants are two grants for the tenant
    found = verdicts(
        [
            mail,
            graph,
            grant("g1", mail, graph, PLAIN, user=""),
            grant("g2", mail, graph, ["email"]),
        ]
    )
    assert rules_and_urns(found) == {("one-grant-per-target", "urn:g1")}


def _empty(key: str) -> list[Resource]:
    """A compliant stack (an app, its grant and assignment, the API) with `key` set to ""."""
    mail, graph = sp("mail", MAIL), _graph()
    g, a = grant("g", mail, graph, PLAIN, user=ADELE), assignment("a", mail, DEFAULT_APP_ROLE_ID)
    out = []
    for r in (mail, graph, g, a):
        if key in r.props:
            r = dataclasses.replace(r, props={**r.props, key: ""})
        out.append(r)
    return out


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param(
            "clientId",
            [
                ("catalogue-apps-only", "urn:g", "mail-sp (no client id), API microsoft-graph"),
                ("catalogue-apps-only", "urn:mail-sp", "mail-sp (no client id); it has no grants"),
                ("catalogue-scopes-only", "urn:g", "openid; the catalogue lists no scopes for it"),
            ],
            id="clientId",
        ),
        pytest.param(
            "appId",
            [("registered-ids-only", "urn:api-microsoft-graph", "its appId None is no Microsoft")],
            id="appId",
        ),
        pytest.param(
            "objectId",
            [
                ("catalogue-apps-only", "urn:g", "client app unknown (its service principal"),
                ("catalogue-scopes-only", "urn:g", "an API that cannot be determined, target"),
                ("registered-ids-only", "urn:a", "but mail-sp, which it depends on, has no object"),
                ("registered-ids-only", "urn:api-microsoft-graph", "objectId is not a known"),
                ("registered-ids-only", "urn:g", "but api-microsoft-graph, which it depends on,"),
                ("registered-ids-only", "urn:g", "but mail-sp, which it depends on, has no object"),
            ],
            id="objectId",
        ),
        pytest.param(
            "servicePrincipalObjectId",
            [
                ("catalogue-apps-only", "urn:g", "client app unknown (its service principal"),
                ("catalogue-scopes-only", "urn:g", "client app unknown (its service principal"),
                ("registered-ids-only", "urn:g", "servicePrincipalObjectId is empty; the pack"),
            ],
            id="servicePrincipalObjectId",
        ),
        pytest.param(
            "resourceServicePrincipalObjectId",
            [("registered-ids-only", "urn:g", "resourceServicePrincipalObjectId is empty")],
            id="resourceServicePrincipalObjectId",
        ),
        pytest.param(
            "resourceObjectId",
            [("registered-ids-only", "urn:a", "resourceObjectId is empty")],
            id="resourceObjectId",
        ),
        pytest.param(
            "appRoleId",
            [
                (
                    "default-app-role",
                    "urn:a",
                    "principal 0f0f0f0f-aaaa-4bbb-8ccc-0000000000ad: app role missing is neither",
                )
            ],
            id="appRoleId",
        ),
        pytest.param(
            "claimValues",
            [("catalogue-scopes-only", "urn:g", "are a string, not a list of scopes: ''")],
            id="claimValues",
        ),
        pytest.param("principalObjectId", [], id="principalObjectId"),
        pytest.param("userObjectId", [], id="userObjectId"),
    ],
)
def test_every_rule_reads_an_empty_string_as_absent(
    key: str, expected: list[tuple[str, str, str]]
) -> None:
    found = verdicts(_empty(key))
    assert [(rule, urn) for rule, urn, _ in found] == [(rule, urn) for rule, urn, _ in expected]
    for (_, _, message), (_, _, words) in zip(found, expected, strict=True):
        assert words in message, message


def test_an_empty_scope_is_no_scope() -> None:
    mail, graph = sp("mail", MAIL), _graph()
    found = verdicts([mail, graph, grant("g", mail, graph, ["User.Read", ""], user=ADELE)])
    ((rule, urn, message),) = found
    assert (rule, urn) == ("catalogue-scopes-only", "urn:g")
    assert "scopes not in the catalogue: ''; a scope name with spaces is several scopes" in message


# --- the object-id fallback ----------------------------------------------------------------


def test_a_grant_without_dependencies_is_tied_by_object_id() -> None:
    """No property dependencies (a program that passes plain strings): the grant's object ids
    still lead to the registered service principal and API, so the rules judge it for what it
    is, and a value that leads nowhere, or to two, is reported."""
    mail, todo, graph = sp("mail", MAIL), sp("todo", TODO, TODO_OID), _graph()
    found = verdicts([mail, graph, grant("g", mail, graph, ["Mail.Send"], user=ADELE, link=False)])
    assert rules_and_urns(found) == {("catalogue-scopes-only", "urn:g")}
    assert "client app m365-jira-mail (client id e7185a25" in found[0][2]
    assert "API microsoft-graph (Microsoft Graph)" in found[0][2]

    nowhere = grant("g", mail, graph, PLAIN, link=False, servicePrincipalObjectId=ADELE)
    found = verdicts([mail, graph, nowhere])
    assert ("registered-ids-only", "urn:g") in rules_and_urns(found)
    assert any("the object id of no service principal or API" in m for *_, m in found)

    twice = sp("mail2", MAIL, MAIL_OID)
    found = verdicts([mail, twice, graph, grant("g", mail, graph, PLAIN, link=False)])
    assert any(
        "which several registered resources claim (mail-sp, mail2-sp)" in m for *_, m in found
    )
    # and the unrelated app beside it changes nothing
    assert verdicts([mail, todo, graph, grant("g", mail, graph, PLAIN, link=False)]) == []


def test_an_unknown_object_id_without_dependencies_cannot_be_tied() -> None:
    mail, graph = sp("mail", MAIL), _graph()
    found = verdicts(
        [mail, graph, grant("g", mail, graph, PLAIN, link=False, servicePrincipalObjectId=UNKNOWN)]
    )
    assert ("registered-ids-only", "urn:g") in rules_and_urns(found)
    assert any(
        "is not known until apply and depends on no registered service" in m for *_, m in found
    )


# --- a catalogue that declares app roles ---------------------------------------------------


@pytest.mark.parametrize(
    ("role", "catalogue", "refused"),
    [
        pytest.param(ROLE, ROLE_CATALOGUE, False, id="declared"),
        pytest.param(DEFAULT_APP_ROLE_ID, ROLE_CATALOGUE, False, id="default"),
        pytest.param(ROLE, CATALOGUE, True, id="declared-elsewhere"),
        pytest.param("6f6f6f6f-0000-4000-8000-000000000000", ROLE_CATALOGUE, True, id="made-up"),
    ],
)
def test_default_app_role_accepts_the_roles_the_catalogue_declares(
    role: str, catalogue: Catalogue, refused: bool
) -> None:
    mail, todo = sp("mail", MAIL), sp("todo", TODO, TODO_OID)
    found = verdicts([mail, todo, assignment("a", mail, role)], catalogue)
    assert rules_and_urns(found) == ({("default-app-role", "urn:a")} if refused else set())
    # the role of one app is no role of another
    found = verdicts([mail, todo, assignment("b", todo, ROLE)], catalogue)
    assert rules_and_urns(found) == {("default-app-role", "urn:b")}
