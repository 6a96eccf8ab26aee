"""The executable as the engine sees it: the port alone on stdout, plugin info, a quiet exit
on SIGTERM, and a one-line error saying how to point it at a simulated tenant."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]
import pytest
from google.protobuf import empty_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2

from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import Plugin


def test_plugin_info_schema_and_quiet_exit(env: Env) -> None:
    info = env.plugin.stub.GetPluginInfo(empty_pb2.Empty())
    assert info.version == "6.11.1"
    schema = env.plugin.stub.GetSchema(provider_pb2.GetSchemaRequest()).schema
    assert '"name": "azuread"' in schema and "servicePrincipal:ServicePrincipal" in schema
    code, err = env.plugin.close()
    assert code == 0
    assert "Traceback" not in err


def test_configure_without_graph_url_says_how_to_set_it() -> None:
    plugin = Plugin(None)
    try:
        with pytest.raises(grpc.RpcError) as caught:
            plugin.configure()
        message = caught.value.details()
        assert "ENTRA_CONSENT_SIM_GRAPH" in message and "python -m simtenant serve" in message
        assert "\n" not in message
    finally:
        plugin.close()


def test_unknown_resource_type_and_function_are_named(env: Env) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.check("random:index/randomId:RandomId", {})
    assert "unknown resource type 'random:index/randomId:RandomId'" in caught.value.details()
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.invoke("azuread:index/getUser:getUser", {})
    assert "unknown function 'azuread:index/getUser:getUser'" in caught.value.details()


def test_other_azuread_types_preview_as_creates_and_are_never_applied(env: Env) -> None:
    """Program variants declare them so the policy pack can refuse them on a real preview."""
    typ = "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment"
    inputs, failures = env.plugin.check(typ, {"roleId": "r", "principalObjectId": "p"})
    assert (inputs, failures) == ({"roleId": "r", "principalObjectId": "p"}, [])
    with pytest.raises(grpc.RpcError) as caught:
        env.plugin.create(typ, inputs)
    assert f"{typ} is not simulated; only previews of it are" in caught.value.details()
