"""The rules as plain functions, for all inputs (hypothesis): the verdict on a grant's scopes is
exactly the catalogue difference, whatever the order, and preview unknowns never hide it."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from catalog.catalogue import Catalogue, load_catalogue
from components.core.naming import GRANT_TYPE, RESOURCE_API_TYPE, SERVICE_PRINCIPAL_TYPE
from policies.catalogue_rules import catalogue_scopes_only
from policies.config import PrivilegedConfig, RuleConfig
from policies.grant_rules import one_grant_per_target, tenant_wide_privileged_scopes
from policies.resources import Resource
from policies.stack import Stack
from tests.conftest import ROOT

CATALOGUE: Catalogue = load_catalogue(ROOT / "catalog")
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
APPS = sorted(CATALOGUE.apps)
APIS = sorted(CATALOGUE.apis)
SCOPES = sorted({s for api in CATALOGUE.apis.values() for s in list(api.scopes)[:200]})
SCOPES += ["EWS.AccessAsUser.All", "Made.Up.All"]


def _stack(app: str, api: str, scopes: list[str], user: str | None, preview: bool) -> Stack:
    client_id = CATALOGUE.apps[app].client_id
    app_id = CATALOGUE.apis[api].app_id
    sp = Resource(
        "urn:sp",
        SERVICE_PRINCIPAL_TYPE,
        f"{app}-sp",
        {
            "clientId": client_id,
            "objectId": UNKNOWN if preview else "11111111-0000-0000-0000-0000000000aa",
        },
    )
    # The engine sends no reads: the API is known from its ResourceApi component, by value.
    read = Resource(
        "urn:api",
        RESOURCE_API_TYPE,
        f"api-{api}",
        {"appId": app_id, "objectId": "22222222-0000-0000-0000-0000000000bb"},
    )
    props = {
        "servicePrincipalObjectId": UNKNOWN if preview else "11111111-0000-0000-0000-0000000000aa",
        "resourceServicePrincipalObjectId": "22222222-0000-0000-0000-0000000000bb",
        "claimValues": scopes,
    }
    if user is not None:
        props["userObjectId"] = user
    grant = Resource(
        "urn:grant",
        GRANT_TYPE,
        "grant",
        props,
        ["urn:sp"],
        {"servicePrincipalObjectId": ["urn:sp"]},
    )
    return Stack([grant, read, sp])


def _flagged(message: str) -> set[str]:
    found = re.search(r"scopes not in the catalogue: (.*?) \(", message)
    assert found is not None, message
    return set(found.group(1).split(", "))


@given(
    app=st.sampled_from(APPS),
    api=st.sampled_from(APIS),
    scopes=st.lists(st.sampled_from(SCOPES), max_size=8),
    user=st.none() | st.just("33333333-0000-0000-0000-0000000000cc"),
    preview=st.booleans(),
)
def test_scope_verdict_is_the_catalogue_difference(
    app: str, api: str, scopes: list[str], user: str | None, preview: bool
) -> None:
    found = catalogue_scopes_only(_stack(app, api, scopes, user, preview), CATALOGUE, RuleConfig())
    extra = set(scopes) - CATALOGUE.listed_scopes(app, api)
    if not extra:
        assert found == []
    else:
        (violation,) = found
        assert _flagged(violation.message) == extra
        assert f"client app {app} (client id {CATALOGUE.apps[app].client_id})" in violation.message
        assert violation.urn == "urn:grant"


@given(
    app=st.sampled_from(APPS),
    scopes=st.lists(st.sampled_from(SCOPES), max_size=8),
    order=st.permutations([0, 1, 2]),
)
def test_order_of_resources_changes_nothing(app: str, scopes: list[str], order: list[int]) -> None:
    stack = _stack(app, "microsoft-graph", scopes, None, False)
    shuffled = Stack([stack.resources[i] for i in order])
    for rule, config in (
        (catalogue_scopes_only, RuleConfig()),
        (tenant_wide_privileged_scopes, PrivilegedConfig()),
        (one_grant_per_target, RuleConfig()),
    ):
        assert rule(stack, CATALOGUE, config) == rule(shuffled, CATALOGUE, config)


@given(scopes=st.lists(st.sampled_from(SCOPES), min_size=1, max_size=8))
def test_allowance_removes_exactly_the_allowed_scopes(scopes: list[str]) -> None:
    stack = _stack("jemhc", "microsoft-graph", scopes, None, False)
    strict = tenant_wide_privileged_scopes(stack, CATALOGUE, PrivilegedConfig())
    allow = PrivilegedConfig(allowances={"jemhc": {"microsoft-graph": scopes[:1]}})
    relaxed = tenant_wide_privileged_scopes(stack, CATALOGUE, allow)
    assert len(relaxed) <= len(strict)
    for violation in relaxed:
        assert f"or unknown): {scopes[0]} (" not in violation.message
        assert f"or unknown): {scopes[0]}, " not in violation.message
