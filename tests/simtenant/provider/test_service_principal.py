"""ServicePrincipal: `useExisting` adoption with the real provider's full PATCH, diff and
replacement rules, reads by id (refresh, `.get`, import)."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]
import pytest
from pulumi.runtime.proto import provider_pb2

from simtenant.provider.props import UNKNOWN
from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import CALLER, SP, urn

APP = "aaaaaaaa-1111-4000-8000-000000000001"
OTHER_APP = "aaaaaaaa-1111-4000-8000-000000000002"
ENTERPRISE = "WindowsAzureActiveDirectoryIntegratedApp"


def _inputs(**extra: object) -> dict[str, object]:
    return {
        "clientId": APP,
        "useExisting": True,
        "appRoleAssignmentRequired": False,
        "featureTags": [{"enterprise": True, "hide": False}],
        **extra,
    }


def test_adopting_a_disabled_service_principal_patches_it_whole(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    sp_id = env.seed.service_principal(
        APP, accountEnabled=False, description="set by an admin", tags=["Custom", "HideApp"]
    )
    env.sim.reset_requests()

    rid, out = env.plugin.create(SP, _inputs(notes="CHG-1"))

    assert rid == f"/servicePrincipals/{sp_id}"
    patches = [r for r in env.sim.requests if r.method == "PATCH"]
    assert [r.path for r in patches] == [f"/v1.0/servicePrincipals/{sp_id}"]
    assert patches[0].body == {
        "accountEnabled": True,
        "alternativeNames": [],
        "appRoleAssignmentRequired": False,
        "description": None,
        "loginUrl": None,
        "notes": "CHG-1",
        "notificationEmailAddresses": [],
        "preferredSingleSignOnMode": None,
        "samlSingleSignOnSettings": {},
        "tags": [ENTERPRISE],
    }
    assert not [r for r in env.sim.requests if r.method == "POST"]
    assert out["objectId"] == sp_id and out["accountEnabled"] is True
    assert out["description"] == "" and out["tags"] == [ENTERPRISE]
    assert out["featureTags"] == [
        {"customSingleSignOn": False, "enterprise": True, "gallery": False, "hide": False}
    ]


def test_an_existing_service_principal_without_use_existing_fails(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    sp_id = env.seed.service_principal(APP)
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(SP, _inputs(useExisting=False))
    assert f'A resource with the ID "{sp_id}" already exists' in caught.value.details()


def test_a_new_service_principal_is_created_as_the_provider_does(env: Env) -> None:
    """List by appId; POST binding the caller as owner; the description PATCH; the caller
    removed as owner; then Read's three GETs (v1.0, beta samlMetadataUrl, owners)."""
    env.seed.application(APP, "Vendor App")
    env.sim.reset_requests()
    rid, out = env.plugin.create(SP, _inputs(description="ours", useExisting=False))
    sp_id = out["objectId"]
    calls = [(r.method, r.path, r.query.get("$select", "")) for r in env.sim.requests]
    assert calls == [
        ("GET", "/v1.0/servicePrincipals", ""),
        ("POST", "/v1.0/servicePrincipals", ""),
        ("PATCH", f"/v1.0/servicePrincipals/{sp_id}", ""),
        ("DELETE", f"/v1.0/servicePrincipals/{sp_id}/owners/{CALLER}/$ref", ""),
        ("GET", f"/v1.0/servicePrincipals/{sp_id}", ""),
        ("GET", f"/beta/servicePrincipals/{sp_id}", "samlMetadataUrl"),
        ("GET", f"/v1.0/servicePrincipals/{sp_id}/owners", ""),
    ]
    post = env.sim.requests[1]
    assert post.body["appId"] == APP and post.body["tags"] == [ENTERPRISE]
    assert post.body["owners@odata.bind"] == [
        f"https://graph.microsoft.com/v1.0/directoryObjects/{CALLER}"
    ]
    assert post.body["description"].startswith("TERRAFORM_UPDATE_")
    assert env.sim.requests[2].body == {"description": "ours"}
    assert out["description"] == "ours" and rid == f"/servicePrincipals/{sp_id}"
    assert out["owners"] == [] and env.seed.owners(sp_id) == []
    assert out["samlMetadataUrl"] == ""


def test_a_caller_listed_in_owners_stays_owner(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    adele = env.seed.user("adele.vance@contoso.com")
    env.sim.reset_requests()
    _, out = env.plugin.create(SP, _inputs(useExisting=False, owners=[adele, CALLER]))
    post = next(r for r in env.sim.requests if r.method == "POST")
    assert post.body["owners@odata.bind"] == [
        f"https://graph.microsoft.com/v1.0/directoryObjects/{CALLER}",
        f"https://graph.microsoft.com/v1.0/directoryObjects/{adele}",
    ]
    assert not [r for r in env.sim.requests if r.method == "DELETE"]
    assert sorted(out["owners"]) == sorted([adele, CALLER])


def test_a_duplicate_service_principal_is_graphs_409(env: Env) -> None:
    """Graph's 409 when one appeared between the look-up and the POST (here: the look-up is
    answered empty), as the provider reports it."""
    env.seed.application(APP, "Vendor App")
    env.seed.fault(
        "/servicePrincipals",
        409,
        method="POST",
        code="Request_MultipleObjectsWithSameKeyValue",
        message=(
            "The service principal cannot be created, updated, or restored because the "
            f"service principal name {APP} is already in use."
        ),
    )
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(SP, _inputs(useExisting=False))
    assert caught.value.details() == (
        "1 error occurred:\n\t* Could not create service principal: unexpected status 409 "
        "(409 Conflict) with error: Request_MultipleObjectsWithSameKeyValue: The service "
        "principal cannot be created, updated, or restored because the service principal "
        f"name {APP} is already in use.\n\n"
    )


def test_preview_create_leaves_graph_alone_and_object_id_unknown(env: Env) -> None:
    env.sim.reset_requests()
    rid, out = env.plugin.create(SP, _inputs(), preview=True)
    assert rid == "" and out["objectId"] == UNKNOWN and out["clientId"] == APP
    assert env.sim.requests == []


def test_check_fills_the_schema_default_and_refuses_conflicts(env: Env) -> None:
    inputs, failures = env.plugin.check(SP, _inputs())
    assert inputs == {**_inputs(), "accountEnabled": True} and failures == []
    _, failures = env.plugin.check(SP, _inputs(tags=["x"]))
    # Each side of the conflict reports it (its ConflictsWith), as the bridge words it.
    assert failures == [
        (
            "",
            'Conflicting configuration arguments. "feature_tags": conflicts with tags. '
            "Examine values at 'r.featureTags'.",
        ),
        (
            "",
            'Conflicting configuration arguments. "tags": conflicts with feature_tags. '
            "Examine values at 'r.tags'.",
        ),
    ]


def test_drift_shows_against_the_prior_state(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    rid, olds = env.plugin.create(SP, _inputs())
    drifted = {**olds, "accountEnabled": False, "description": "admin"}
    resp = env.plugin.diff(SP, rid, drifted, {**_inputs(), "accountEnabled": True})
    assert sorted(resp.diffs) == ["accountEnabled", "description"]
    kinds = {k: v.kind for k, v in resp.detailedDiff.items()}
    assert kinds == {
        "accountEnabled": provider_pb2.PropertyDiff.UPDATE,
        "description": provider_pb2.PropertyDiff.DELETE,
    }


def test_client_id_change_replaces_other_changes_update_in_place(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    rid, olds = env.plugin.create(SP, _inputs())
    same = env.plugin.diff(SP, rid, olds, _inputs())
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE
    moved = env.plugin.diff(SP, rid, olds, _inputs(clientId=OTHER_APP))
    assert list(moved.replaces) == ["clientId"]
    noted = env.plugin.diff(
        SP, rid, olds, _inputs(notes="n", featureTags=[{"enterprise": True, "hide": True}])
    )
    assert sorted(noted.diffs) == ["featureTags", "notes"] and not noted.replaces


def test_update_takes_prior_tags_unless_feature_tags_changed(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    rid, olds = env.plugin.create(SP, _inputs())
    out = env.plugin.update(SP, rid, olds, _inputs(notes="later"))
    assert out["notes"] == "later" and out["tags"] == [ENTERPRISE]
    out = env.plugin.update(SP, rid, out, _inputs(featureTags=[{"enterprise": True, "hide": True}]))
    assert out["tags"] == [ENTERPRISE, "HideApp"]


def test_read_by_id_for_get_and_import_and_gone(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    sp_id = env.seed.service_principal(APP, tags=[ENTERPRISE], notes="from the portal")
    rid, props, inputs = env.plugin.read(SP, f"/servicePrincipals/{sp_id}")
    assert rid == f"/servicePrincipals/{sp_id}" and props["objectId"] == sp_id
    assert inputs == {
        "clientId": APP,
        "accountEnabled": True,
        "appRoleAssignmentRequired": False,
        "featureTags": [
            {"customSingleSignOn": False, "enterprise": True, "gallery": False, "hide": False}
        ],
        "notes": "from the portal",
    }
    # The imported inputs diff clean against the state they came from.
    assert env.plugin.diff(SP, rid, props, inputs).changes == provider_pb2.DiffResponse.DIFF_NONE
    env.seed.request("DELETE", f"servicePrincipals/{sp_id}")
    assert env.plugin.read(SP, rid, props)[0] == ""


def test_read_refuses_a_bare_object_id(env: Env) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.read(SP, "3f1d2c4b-0000-4000-8000-000000000000")
    assert "expected a ServicePrincipal ID" in caught.value.details()
    assert "/servicePrincipals/servicePrincipalId" in caught.value.details()


def test_delete_with_use_existing_ignores_failure(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    rid, out = env.plugin.create(SP, _inputs())
    env.plugin.delete(SP, rid, out)
    env.plugin.delete(SP, rid, out)  # already gone: ignored with useExisting
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.delete(SP, rid, {**out, "useExisting": False})
    sp_id = out["objectId"]
    assert caught.value.details() == (
        f"deleting {urn(SP, 'r')}: 1 error occurred:\n\t* [id] Deleting Service Principal "
        f'(Service Principal: "{sp_id}"): unexpected status 404 (404 Not Found) with error: '
        f"Request_ResourceNotFound: Resource '{sp_id}' does not exist or one of its queried "
        "reference-property objects are not present.\n\n"
    )


def test_delete_waits_until_five_reads_find_it_gone(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    rid, out = env.plugin.create(SP, _inputs(useExisting=False))
    env.sim.reset_requests()
    env.plugin.delete(SP, rid, out)
    assert [(r.method, r.path) for r in env.sim.requests] == [
        ("DELETE", rid.replace("/servicePrincipals", "/v1.0/servicePrincipals"))
    ] + [("GET", f"/v1.0{rid}")] * 5
