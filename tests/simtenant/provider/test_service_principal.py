"""ServicePrincipal: `useExisting` adoption with the real provider's full PATCH, diff and
replacement rules, reads by id (refresh, `.get`, import)."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]
import pytest
from pulumi.runtime.proto import provider_pb2

from simtenant.provider.props import UNKNOWN
from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import SP

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


def test_a_new_service_principal_is_posted_then_its_description_patched(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    env.sim.reset_requests()
    rid, out = env.plugin.create(SP, _inputs(description="ours"))
    methods = [(r.method, r.path.split("/")[2]) for r in env.sim.requests if r.method != "GET"]
    assert methods == [("POST", "servicePrincipals"), ("PATCH", "servicePrincipals")]
    post = next(r for r in env.sim.requests if r.method == "POST")
    assert post.body["appId"] == APP and post.body["tags"] == [ENTERPRISE]
    assert out["description"] == "ours" and rid == f"/servicePrincipals/{out['objectId']}"


def test_preview_create_leaves_graph_alone_and_object_id_unknown(env: Env) -> None:
    env.sim.reset_requests()
    rid, out = env.plugin.create(SP, _inputs(), preview=True)
    assert rid == "" and out["objectId"] == UNKNOWN and out["clientId"] == APP
    assert env.sim.requests == []


def test_check_fills_the_schema_default_and_refuses_conflicts(env: Env) -> None:
    inputs, failures = env.plugin.check(SP, _inputs())
    assert inputs == {**_inputs(), "accountEnabled": True} and failures == []
    _, failures = env.plugin.check(SP, _inputs(tags=["x"]))
    assert failures == [("featureTags", '"featureTags": conflicts with tags')]


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
    assert caught.value.details().startswith(f"Deleting {rid}: 404")
