"""Service principal owners as terraform-provider-azuread v3.9.0 keeps them: optional, not
computed. Read puts Graph's owners into state (adoption too), a program that sets none sees them
as a change, and the next update removes them, unless `ignoreChanges` names them."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]
import pytest
from pulumi.runtime.proto import provider_pb2

from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import SP

APP = "aaaaaaaa-1111-4000-8000-000000000001"
REF = "https://graph.microsoft.com/v1.0/directoryObjects/"


def _inputs(**extra: object) -> dict[str, object]:
    return {
        "clientId": APP,
        "useExisting": True,
        "featureTags": [{"enterprise": True}],
        **extra,
    }


def _adopted(env: Env) -> tuple[str, str, str, dict[str, object]]:
    """An app an admin owns, adopted with `useExisting`."""
    env.seed.application(APP, "Vendor App")
    sp_id = env.seed.service_principal(APP)
    adele = env.seed.user("adele.vance@contoso.com")
    env.seed.add_owner(sp_id, adele)
    env.sim.reset_requests()
    rid, out = env.plugin.create(SP, _inputs())
    return sp_id, adele, rid, out


def test_adoption_reads_the_owners_into_state_and_leaves_them(env: Env) -> None:
    sp_id, adele, _, out = _adopted(env)
    assert out["owners"] == [adele]
    assert not [r for r in env.sim.requests if "owners/" in r.path]  # nothing added or removed
    assert env.seed.owners(sp_id) == [adele]


def test_a_second_up_removes_the_owners_the_program_does_not_set(env: Env) -> None:
    """The product bug this must show: config without owners against state with owners is a
    change, and the update removes every owner not in config."""
    sp_id, adele, rid, out = _adopted(env)
    diff = env.plugin.diff(SP, rid, out, _inputs())
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.diffs) == ["owners"] and not diff.replaces
    assert {k: v.kind for k, v in diff.detailedDiff.items()} == {
        "owners[0]": provider_pb2.PropertyDiff.DELETE
    }
    env.sim.reset_requests()
    updated = env.plugin.update(SP, rid, out, _inputs())
    calls = [
        (r.method, r.path) for r in env.sim.requests if r.method != "GET" or "owners" in r.path
    ]
    assert calls == [
        ("PATCH", f"/v1.0/servicePrincipals/{sp_id}"),
        ("GET", f"/v1.0/servicePrincipals/{sp_id}/owners"),
        ("DELETE", f"/v1.0/servicePrincipals/{sp_id}/owners/{adele}/$ref"),
        ("GET", f"/v1.0/servicePrincipals/{sp_id}/owners"),  # Read
    ]
    assert updated["owners"] == [] and env.seed.owners(sp_id) == []


def test_ignore_changes_on_owners_keeps_them(env: Env) -> None:
    sp_id, adele, rid, out = _adopted(env)
    diff = env.plugin.diff(SP, rid, out, _inputs(), ignore=("owners",))
    assert diff.changes == provider_pb2.DiffResponse.DIFF_NONE and not diff.diffs
    # Another change still updates, and the update leaves the owners alone.
    diff = env.plugin.diff(SP, rid, out, _inputs(notes="n"), ignore=("owners",))
    assert list(diff.diffs) == ["notes"]
    env.sim.reset_requests()
    updated = env.plugin.update(SP, rid, out, _inputs(notes="n"), ignore=("owners",))
    assert not [r for r in env.sim.requests if "owners/" in r.path or r.method == "POST"]
    assert updated["owners"] == [adele] and updated["notes"] == "n"
    assert env.seed.owners(sp_id) == [adele]


def test_changed_owners_are_added_and_removed(env: Env) -> None:
    sp_id, adele, rid, out = _adopted(env)
    megan = env.seed.user("megan.bowen@contoso.com")
    env.sim.reset_requests()
    updated = env.plugin.update(SP, rid, out, _inputs(owners=[megan]))
    writes = [
        (r.method, r.path, r.body) for r in env.sim.requests if r.method in ("POST", "DELETE")
    ]
    assert writes == [
        ("POST", f"/v1.0/servicePrincipals/{sp_id}/owners/$ref", {"@odata.id": REF + megan}),
        ("DELETE", f"/v1.0/servicePrincipals/{sp_id}/owners/{adele}/$ref", None),
    ]
    assert updated["owners"] == [megan] and env.seed.owners(sp_id) == [megan]
    # Unchanged owners: no owner request at all.
    env.sim.reset_requests()
    env.plugin.update(SP, rid, updated, _inputs(owners=[megan], notes="x"))
    assert not [r for r in env.sim.requests if "owners" in r.path and r.method != "GET"]
    assert sum("owners" in r.path for r in env.sim.requests) == 1  # Read's listing only


def test_owners_are_validated_not_refused(env: Env) -> None:
    _, failures = env.plugin.check(SP, _inputs(owners=["aaaaaaaa-0000-4000-8000-000000000001"]))
    assert failures == []
    _, failures = env.plugin.check(
        SP, _inputs(owners=["aaaaaaaa-0000-4000-8000-000000000001", "me"])
    )
    assert failures == [
        ("", "expected \"owners.1\" to be a valid UUID, got me. Examine values at 'r.owners[1]'.")
    ]


def test_get_group_lists_its_owners_and_fails_when_it_cannot(env: Env) -> None:
    group = env.seed.group("Jira Users")
    adele = env.seed.user("adele.vance@contoso.com")
    ref = {"@odata.id": REF + adele}
    env.seed.request("POST", f"groups/{group}/owners/$ref", ref)
    out = env.plugin.call("azuread:index/getGroup:getGroup", {"objectId": group})
    assert out["owners"] == [adele]
    assert f"/beta/groups/{group}/owners" in env.sim.paths()
    env.seed.fault(f"/groups/{group}/owners", 403)
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call("azuread:index/getGroup:getGroup", {"objectId": group})
    assert caught.value.details() == (
        "invoking azuread:index/getGroup:getGroup: 1 error occurred:\n\t* Could not retrieve "
        f'group owners for group with object ID: "/groups/{group}": unexpected status 403 '
        "(403 Forbidden) with error: Authorization_RequestDenied: Insufficient privileges to "
        "complete the operation.\n\n"
    )
