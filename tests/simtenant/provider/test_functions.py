"""The data sources: getUsers (returnAll paging, per-UPN look-ups, missing users), getGroup
(transitive members from beta, the unescaped display-name filter), getServicePrincipal."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]
import pytest

from tests.simtenant.provider.conftest import Env

GET_USERS = "azuread:index/getUsers:getUsers"
GET_GROUP = "azuread:index/getGroup:getGroup"
GET_GROUPS = "azuread:index/getGroups:getGroups"
GET_SP = "azuread:index/getServicePrincipal:getServicePrincipal"


def test_get_users_return_all_pages_through_everyone(tenant) -> None:  # type: ignore[no-untyped-def]
    env: Env = tenant(page_size=3)
    upns = [f"user{i}@contoso.com" for i in range(7)]
    ids = [env.seed.user(upn) for upn in upns]
    ids.append(env.seed.user("guest_fabrikam.com#EXT#@contoso.com"))
    ids.append(env.seed.user("left@contoso.com", accountEnabled=False))
    env.sim.reset_requests()

    out = env.plugin.call(GET_USERS, {"returnAll": True})

    assert out["objectIds"] == ids and len(out["userPrincipalNames"]) == 9
    assert [u["objectId"] for u in out["users"]] == ids
    assert out["users"][-1]["accountEnabled"] is False
    gets = [r for r in env.sim.requests if r.path == "/v1.0/users"]
    assert len(gets) == 3
    assert all("$filter" not in r.query and "$select" in r.query for r in gets)
    assert [r.query.get("$skiptoken", "") for r in gets] == ["", "3", "6"]


def test_get_users_by_upn_one_request_each_missing_ones(env: Env) -> None:
    adele = env.seed.user("adele.vance@contoso.com")
    alex = env.seed.user("alex.wilber@contoso.com")
    args = {
        "userPrincipalNames": [
            "alex.wilber@contoso.com",
            "gone@contoso.com",
            "adele.vance@contoso.com",
        ]
    }
    env.sim.reset_requests()
    out = env.plugin.call(GET_USERS, {**args, "ignoreMissing": True})
    assert out["objectIds"] == [alex, adele]
    assert out["userPrincipalNames"] == ["alex.wilber@contoso.com", "adele.vance@contoso.com"]
    assert len(env.sim.requests) == 3
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_USERS, args)
    assert 'User with UPN "gone@contoso.com" was not found' in caught.value.details()
    out = env.plugin.call(
        GET_USERS,
        {"objectIds": [adele, "00000000-0000-4000-8000-00000000dead"], "ignoreMissing": True},
    )
    assert out["objectIds"] == [adele]


def test_get_users_argument_rules(env: Env) -> None:
    resp = env.plugin.invoke(GET_USERS, {"returnAll": True, "ignoreMissing": True})
    assert [f.reason for f in resp.failures] == ['"return_all": conflicts with ignore_missing']
    resp = env.plugin.invoke(GET_USERS, {"returnAll": True, "objectIds": ["x"]})
    assert resp.failures and "only one of" in resp.failures[0].reason
    assert env.plugin.invoke(GET_USERS, {}).failures


def test_get_group_transitive_members_from_beta(env: Env) -> None:
    top = env.seed.group("Jira Users")
    nested = env.seed.group("Jira Admins")
    adele = env.seed.user("adele.vance@contoso.com")
    megan = env.seed.user("megan.bowen@contoso.com")
    device = env.seed.device("kiosk-1")
    env.seed.add_member(top, adele)
    env.seed.add_member(top, nested)
    env.seed.add_member(top, device)
    env.seed.add_member(nested, megan)
    env.sim.reset_requests()

    out = env.plugin.call(
        GET_GROUP, {"displayName": "Jira Users", "includeTransitiveMembers": True}
    )

    assert out["objectId"] == top and out["id"] == f"/groups/{top}"
    assert sorted(out["members"]) == sorted([adele, nested, device, megan])
    assert f"/beta/groups/{top}/transitiveMembers" in env.sim.paths()
    direct = env.plugin.call(GET_GROUP, {"objectId": top})
    assert sorted(direct["members"]) == sorted([adele, nested, device])


def test_get_group_display_name_is_not_escaped(env: Env) -> None:
    env.seed.group("O'Brien's Team")
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_GROUP, {"displayName": "O'Brien's Team"})
    message = caught.value.details()
    # As pulumi-terraform-bridge reports a data source's diagnostics (go-multierror).
    assert message.startswith(
        "invoking azuread:index/getGroup:getGroup: 1 error occurred:\n\t* "
        "Retrieving groups for filter (displayName eq 'O'Brien's Team'): unexpected status "
        "400 (400 Bad Request) with error: BadRequest: Invalid filter clause"
    )
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_GROUP, {"displayName": "Nobody"})
    assert caught.value.details() == (
        "invoking azuread:index/getGroup:getGroup: 1 error occurred:\n\t* [display_name] "
        "No group found matching specified filter (displayName eq 'Nobody')\n\n"
    )


def test_get_groups_reads_ids_and_names_only_with_quotes_escaped(env: Env) -> None:
    """The plural data source: one filter per name, quotes doubled, no member read at all,
    whatever the group's size; `ignoreMissing` leaves out what is not there."""
    big = env.seed.group("Jira Users")
    obrien = env.seed.group("O'Brien's Team")
    for i in range(5):
        env.seed.add_member(big, env.seed.user(f"user{i}@contoso.com"))
    env.sim.reset_requests()

    out = env.plugin.call(GET_GROUPS, {"displayNames": ["Jira Users", "O'Brien's Team"]})

    assert out["objectIds"] == [big, obrien]
    assert out["displayNames"] == ["Jira Users", "O'Brien's Team"]
    assert out["id"].startswith("groups#")
    assert not any("members" in path.lower() for path in env.sim.paths())
    filters = [r.query.get("$filter") for r in env.sim.requests]
    assert filters == ["displayName eq 'Jira Users'", "displayName eq 'O''Brien''s Team'"]

    out = env.plugin.call(
        GET_GROUPS, {"displayNames": ["Nobody", "Jira Users"], "ignoreMissing": True}
    )
    assert out["objectIds"] == [big]
    gone = "00000000-0000-4000-8000-00000000dead"
    out = env.plugin.call(GET_GROUPS, {"objectIds": [gone, obrien], "ignoreMissing": True})
    assert out["objectIds"] == [obrien]


def test_get_groups_without_ignore_missing_fails_as_the_provider_does(env: Env) -> None:
    env.seed.group("Jira Users")
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_GROUPS, {"displayNames": ["Jira Users", "Nobody"]})
    assert caught.value.details() == (
        "invoking azuread:index/getGroups:getGroups: 1 error occurred:\n\t* [display_names] "
        'No group found with display name: "Nobody"\n\n'
    )
    resp = env.plugin.invoke(GET_GROUPS, {"displayNames": ["a"], "objectIds": ["b"]})
    assert resp.failures and "only one of" in resp.failures[0].reason


def test_get_service_principal(env: Env) -> None:
    graph = env.seed.sp_id("00000003-0000-0000-c000-000000000000")
    out = env.plugin.call(GET_SP, {"clientId": "00000003-0000-0000-c000-000000000000"})
    assert out["objectId"] == graph and out["id"] == f"/servicePrincipals/{graph}"
    assert "User.Read" in out["oauth2PermissionScopeIds"]
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_SP, {"clientId": "aaaaaaaa-0000-4000-8000-00000000beef"})
    assert caught.value.details().endswith(
        "No service principal found: no service principal found\n\n"
    )


def _unified_group(env: Env, name: str) -> str:
    body = {
        "displayName": name,
        "mailNickname": name.lower(),
        "mailEnabled": True,
        "securityEnabled": False,
        "groupTypes": ["Unified"],
    }
    return str(env.seed.request("POST", "groups", body)["id"])


EXCHANGE = (
    "allowExternalSenders,autoSubscribeNewMembers,hideFromAddressLists,hideFromOutlookClients"
)


def test_get_group_of_a_microsoft_365_group_fails_under_app_only_credentials(env: Env) -> None:
    """The four Exchange settings read for a Unified group: Graph refuses them to app-only
    tokens, and the read fails with the provider's words (issues #1866, #1929)."""
    sales = _unified_group(env, "Sales")
    env.sim.reset_requests()
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_GROUP, {"displayName": "Sales", "includeTransitiveMembers": True})
    assert caught.value.details() == (
        "invoking azuread:index/getGroup:getGroup: 1 error occurred:\n\t* Could not retrieve "
        f'group with object ID "/groups/{sales}": retrieving additional fields: unexpected '
        "status 403 (403 Forbidden) with error: ErrorAccessDenied: Access is denied. Check "
        "credentials and try again.\n\n"
    )
    extra = env.sim.requests[-1]
    assert (extra.method, extra.path, extra.query) == (
        "GET",
        f"/beta/groups/{sales}",
        {"$select": EXCHANGE},
    )
    # A delegated caller gets them; a security group is never asked for them.
    env.seed.admin("POST", "caller", {"delegated": True})
    out = env.plugin.call(GET_GROUP, {"objectId": sales})
    assert out["types"] == ["Unified"] and out["externalSendersAllowed"] is False
    security = env.seed.group("Jira Users")
    env.sim.reset_requests()
    env.plugin.call(GET_GROUP, {"objectId": security})
    assert not [r for r in env.sim.requests if "$select" in r.query]


def test_no_request_asks_for_a_page_size(tenant) -> None:  # type: ignore[no-untyped-def]
    """terraform-provider-azuread v3.9.0 sets `$top` nowhere: Graph's default page size, and
    every page by `@odata.nextLink`."""
    env: Env = tenant(page_size=2)
    group = env.seed.group("Jira Users")
    for i in range(5):
        env.seed.add_member(group, env.seed.user(f"user{i}@contoso.com"))
    env.sim.reset_requests()
    out = env.plugin.call(GET_GROUP, {"objectId": group, "includeTransitiveMembers": True})
    assert len(out["members"]) == 5
    env.plugin.call(GET_USERS, {"returnAll": True})
    assert env.sim.requests and not [r for r in env.sim.requests if "$top" in r.query]
    pages = [r for r in env.sim.requests if r.path.endswith("/transitiveMembers")]
    assert len(pages) == 3
