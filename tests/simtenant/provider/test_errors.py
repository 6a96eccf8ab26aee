"""Graph failures as the provider reports them: go-azure-sdk's text ("unexpected status 404 (404
Not Found) with error: Code: message") under each diagnostic's summary, the bridge's
go-multierror list and its per-operation prefix; a create that fails after the object got its
id keeps the object (ErrorResourceInitFailed with the id)."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]
import pytest
from google.rpc import status_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2

from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import ASSIGNMENT, CALLER, SP, urn

APP = "aaaaaaaa-7777-4000-8000-000000000001"
GET_SP = "azuread:index/getServicePrincipal:getServicePrincipal"
DENIED = (
    "unexpected status 403 (403 Forbidden) with error: Authorization_RequestDenied: "
    "Insufficient privileges to complete the operation."
)


def test_a_data_source_names_the_missing_object_by_its_id(env: Env) -> None:
    gone = "aaaaaaaa-7777-4000-8000-00000000dead"
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.call(GET_SP, {"objectId": gone})
    assert caught.value.details() == (
        "invoking azuread:index/getServicePrincipal:getServicePrincipal: 1 error occurred:\n"
        f'\t* [object_id] Service Principal (Service Principal: "{gone}") was not found\n\n'
    )


def test_a_refresh_that_graph_refuses(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    rid, out = env.plugin.create(SP, {"clientId": APP})
    sp_id = out["objectId"]
    env.seed.fault(f"/servicePrincipals/{sp_id}/owners", 403)
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.read(SP, rid, out, {"clientId": APP})
    assert caught.value.details() == (
        f"refreshing {urn(SP, 'r')}: 1 error occurred:\n\t* [owners] Could not retrieve "
        f'owners for Service Principal (Service Principal: "{sp_id}"): {DENIED}\n\n'
    )


def test_an_assignment_delete_says_the_error_twice(env: Env) -> None:
    """`tf.ErrorDiagPathF(err, "id", "Deleting %s: %v", id, err)`: in summary and detail."""
    env.seed.application(APP, "Vendor App")
    resource = env.seed.service_principal(APP)
    user = env.seed.user("alex.wilber@contoso.com")
    inputs = {
        "appRoleId": "00000000-0000-0000-0000-000000000000",
        "principalObjectId": user,
        "resourceObjectId": resource,
    }
    rid, out = env.plugin.create(ASSIGNMENT, inputs)
    env.seed.fault("/appRoleAssignedTo/" + rid.rsplit("/", 1)[1], 403, method="DELETE")
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.delete(ASSIGNMENT, rid, out)
    assignment = rid.rsplit("/", 1)[1]
    label = (
        f'Service Principal Id App Role Assigned To (Service Principal: "{resource}"\n'
        f'App Role Assignment: "{assignment}")'
    )
    assert caught.value.details() == (
        f"deleting {urn(ASSIGNMENT, 'r')}: 1 error occurred:\n\t* [id] Deleting {label}: "
        f"{DENIED}: {DENIED}\n\n"
    )


def test_a_create_failing_after_the_post_keeps_the_object(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    env.seed.fault(f"/owners/{CALLER}/$ref", 403, method="DELETE")
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(SP, {"clientId": APP})
    sp_id = next(s["id"] for s in env.sim.state()["servicePrincipals"] if s["appId"] == APP.lower())
    reason = (
        f"creating {urn(SP, 'r')}: 1 error occurred:\n\t* Could not remove initial owner from "
        f'Service Principal (Service Principal: "{sp_id}"): {DENIED}\n\n'
    )
    assert caught.value.details() == reason
    trailers = dict(caught.value.trailing_metadata())
    rich = status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
    detail = provider_pb2.ErrorResourceInitFailed()
    assert rich.details[0].Unpack(detail)
    assert detail.id == f"/servicePrincipals/{sp_id}" and list(detail.reasons) == [reason]
    assert detail.properties["objectId"] == sp_id
