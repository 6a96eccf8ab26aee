"""The pack's view of the stack (policies/resources.py) on every shape a property can take:
the engine's unknown sentinels, scopes that are not a list of names, object ids in a resource
id, values that are no object id, grants depending on several service principals. Each test
here kills mutants of the resource model that survived the corpus (`make mutate`)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from components.core.naming import GRANT_TYPE, SERVICE_PRINCIPAL_TYPE
from policies.property_values import (
    UNKNOWN,
    Malformed,
    Unknown,
    claim_values,
    is_unknown,
    known_str,
)
from policies.resources import Grant, Resource
from policies.stack import Stack
from tests.policies.builder import (
    ADELE,
    GRAPH,
    GRAPH_OID,
    MAIL,
    MAIL_OID,
    PLAIN,
    TODO,
    TODO_OID,
    api,
    grant,
    rules_and_urns,
    sp,
    verdicts,
)

# What pulumi_policy sends for a property not known until apply, per type.
SENTINELS = {
    "bool": "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "number": "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "string": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "array": "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "asset": "030794c1-ac77-496b-92df-f27374a8bd58",
    "archive": "e48ece36-62e2-4504-bad9-02848725956a",
    "object": "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
}


@pytest.mark.parametrize("sentinel", SENTINELS.values(), ids=SENTINELS.keys())
def test_every_unknown_sentinel_is_unknown(sentinel: str) -> None:
    assert is_unknown(sentinel)
    assert known_str(sentinel) is UNKNOWN
    assert claim_values(sentinel) is UNKNOWN
    assert claim_values(["User.Read", sentinel]) is UNKNOWN


def test_known_strings() -> None:
    assert known_str("x") == "x"
    for absent in ("", None, 5, True, ["x"], {"a": 1}):
        assert known_str(absent) is None
    assert not is_unknown(5)
    assert repr(UNKNOWN) == "<unknown>"
    assert repr(Malformed("a string")) == "<malformed: a string>"
    assert isinstance(Malformed("x"), Unknown)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ()),
        ([], ()),
        (["User.Read", "openid"], ("User.Read", "openid")),
        (("User.Read", "openid"), ("User.Read", "openid")),
        (("User.Read", SENTINELS["string"]), UNKNOWN),
        (["User.Read", 5, SENTINELS["string"]], UNKNOWN),
        ("User.Read", "<malformed: a string, not a list of scopes: 'User.Read'>"),
        ({"User.Read": True}, "<malformed: not a list of scopes: \"{'User.Read': True}\">"),
        (5, "<malformed: not a list of scopes: '5'>"),
        (["User.Read", 5], "<malformed: a list holding '5', not only scope names>"),
        (("User.Read", None), "<malformed: a list holding 'None', not only scope names>"),
        ("x" * 300, f"<malformed: a string, not a list of scopes: '{'x' * 200}'>"),
    ],
)
def test_claim_values_of_every_shape(raw: Any, expected: Any) -> None:
    found = claim_values(raw)
    if isinstance(expected, str):
        assert repr(found) == expected
    else:
        assert found == expected


def test_a_grant_without_scopes_passes_the_scope_rules() -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    plain = grant("g", mail, graph, None, user=ADELE)
    del plain.props["claimValues"]  # type: ignore[attr-defined]
    assert verdicts([mail, graph, plain]) == []


def test_object_ids_come_from_the_resource_id_too() -> None:
    """A read service principal has its object id as the last part of its id, in any case."""
    for resource_id in (f"/servicePrincipals/{MAIL_OID.upper()}", MAIL_OID.upper()):
        read = Resource("urn:sp", SERVICE_PRINCIPAL_TYPE, "sp", {})
        read = dataclasses.replace(read, props={"clientId": MAIL, "id": resource_id})
        assert read.object_ids == {MAIL_OID}
        assert Stack([read]).by_object_id(MAIL_OID.upper()) == [read]
    both = sp("mail", MAIL, MAIL_OID, id=f"/servicePrincipals/{TODO_OID}")
    assert both.object_ids == {MAIL_OID, TODO_OID}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "is empty"),
        ("", "is empty"),
        (5, "is not an object id: 5"),
        ([MAIL_OID], f"is not an object id: ['{MAIL_OID}']"),
        (["x" * 300], "is not an object id: ['" + "x" * 180),  # cut at 200 characters
    ],
)
@pytest.mark.parametrize("linked", [True, False])
def test_a_value_that_is_no_object_id(value: Any, shown: str, linked: bool) -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    g = grant("g", mail, graph, PLAIN, user=ADELE, link=linked)
    props = {k: v for k, v in g.props.items() if k != "servicePrincipalObjectId"}
    if value is not None:
        props["servicePrincipalObjectId"] = value
    found = verdicts([mail, graph, dataclasses.replace(g, props=props)])
    problems = [m for r, _, m in found if r == "registered-ids-only"]
    assert problems == [
        f"grant g: servicePrincipalObjectId {shown}; the pack cannot tell whom it gives access "
        "to what (take the ids from the service principals' outputs, as the EnterpriseApp "
        "component does, and never compute or copy them)"
    ]


def test_a_grant_depending_on_two_service_principals_is_tied_to_neither() -> None:
    mail, todo, graph = sp("mail", MAIL), sp("todo", TODO, TODO_OID), api("g", GRAPH, GRAPH_OID)
    g = grant("g", mail, graph, PLAIN, user=ADELE)
    deps = {**g.property_dependencies, "servicePrincipalObjectId": [mail.urn, todo.urn]}
    found = verdicts([mail, todo, graph, dataclasses.replace(g, property_dependencies=deps)])
    assert any(
        "servicePrincipalObjectId depends on several service principals (mail-sp, todo-sp)" in m
        for r, _, m in found
        if r == "registered-ids-only"
    )
    (grant_read,) = Stack(
        [mail, todo, graph, dataclasses.replace(g, property_dependencies=deps)]
    ).grants()
    assert grant_read.client is None


@pytest.mark.parametrize("case", [str.lower, str.upper])
def test_a_grant_value_in_any_case_matches_its_dependency(case: Any) -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    g = grant(
        "g",
        mail,
        graph,
        PLAIN,
        user=ADELE,
        servicePrincipalObjectId=case(MAIL_OID),
        resourceServicePrincipalObjectId=case(GRAPH_OID),
    )
    assert verdicts([mail, graph, g]) == []
    other = grant("g", mail, graph, PLAIN, user=ADELE, servicePrincipalObjectId=case(TODO_OID))
    assert rules_and_urns(verdicts([mail, graph, other])) >= {("registered-ids-only", "urn:g")}


def test_the_target_of_a_grant_reads_as_it_is_known() -> None:
    mail, graph = sp("mail", MAIL), api("microsoft-graph", GRAPH, GRAPH_OID)
    for user, target in (
        (None, "all principals (tenant-wide)"),
        (SENTINELS["string"], "a user not known until apply (may be tenant-wide)"),
        (ADELE.upper(), f"user {ADELE}"),
    ):
        found = verdicts([mail, graph, grant("g", mail, graph, ["Made.Up"], user=user)])
        (message,) = [m for r, _, m in found if r == "catalogue-scopes-only"]
        assert f"target {target}: scopes not in the catalogue: Made.Up" in message
    stack = Stack([mail, graph, grant("g", mail, graph, PLAIN, user=SENTINELS["string"])])
    (read,) = stack.grants()
    # Not known until apply: it may resolve to none, which is tenant-wide.
    assert isinstance(read, Grant) and read.user is UNKNOWN and read.tenant_wide
    assert stack.resources[2].type == GRANT_TYPE
