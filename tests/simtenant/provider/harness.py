"""Drives the simulated azuread plugin as the engine does: starts
`simtenant/bin/pulumi-resource-azuread` as a subprocess against an in-process simulated
tenant, reads the port from its first stdout line and speaks the provider gRPC protocol."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import httpx
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from simtenant.provider.get_client_config import SIMULATED_CLIENT_ID, SIMULATED_OBJECT_ID
from simtenant.provider.props import Props, from_struct, to_struct

ROOT = Path(__file__).resolve().parents[3]
EXECUTABLE = ROOT / "simtenant" / "bin" / "pulumi-resource-azuread"

SP = "azuread:index/servicePrincipal:ServicePrincipal"
GRANT = "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant"
ASSIGNMENT = "azuread:index/appRoleAssignment:AppRoleAssignment"
TENANT = "11111111-2222-3333-4444-555555555555"  # SimTenant's default tenant id
CALLER = SIMULATED_OBJECT_ID


def urn(typ: str, name: str) -> str:
    return f"urn:pulumi:dev::entra-consent::{typ}::{name}"


class Plugin:
    """The plugin process and a stub connected to it; every call takes and returns dicts."""

    def __init__(self, graph_url: str | None, **environ: str) -> None:
        env = {
            k: v
            for k, v in os.environ.items()
            if k != "ENTRA_CONSENT_SIM_GRAPH" and not k.startswith("ARM_")
        }
        env.update(environ)
        if graph_url is not None:
            env["ENTRA_CONSENT_SIM_GRAPH"] = graph_url
        self.process = subprocess.Popen(
            [str(EXECUTABLE), "127.0.0.1:1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.strip().isdigit():
            self.process.kill()
            raise AssertionError(f"no port on stdout: {line!r} {self.process.stderr.read()!r}")  # type: ignore[union-attr]
        self.port = int(line)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def close(self) -> tuple[int, str]:
        """Stops the plugin as the engine does; its exit code and stderr."""
        self.channel.close()
        self.process.terminate()
        _, err = self.process.communicate(timeout=10)
        return self.process.returncode, err

    def configure(self, tenant_id: str | None = TENANT, **args: str) -> Any:
        """Configure as the engine does: `azuread:tenantId` (None: not set) and any other
        settings (`clientId=...`) as the provider's arguments."""
        variables = {} if tenant_id is None else {"azuread:config:tenantId": tenant_id}
        given = {**({"tenantId": tenant_id} if tenant_id else {}), **args}
        return self.stub.Configure(
            provider_pb2.ConfigureRequest(
                variables=variables,
                args=to_struct(given),
                acceptSecrets=True,
                acceptResources=True,
            )
        )

    def check(
        self, typ: str, news: Props, olds: Props | None = None
    ) -> tuple[Props, list[tuple[str, str]]]:
        resp = self.stub.Check(
            provider_pb2.CheckRequest(
                urn=urn(typ, "r"),
                type=typ,
                name="r",
                olds=to_struct(olds or {}),
                news=to_struct(news),
            )
        )
        return from_struct(resp.inputs), [(f.property, f.reason) for f in resp.failures]

    def diff(
        self, typ: str, rid: str, olds: Props, news: Props, ignore: tuple[str, ...] = ()
    ) -> Any:
        return self.stub.Diff(
            provider_pb2.DiffRequest(
                id=rid,
                urn=urn(typ, "r"),
                type=typ,
                name="r",
                olds=to_struct(olds),
                news=to_struct(news),
                ignoreChanges=list(ignore),
            )
        )

    def create(
        self, typ: str, props: Props, preview: bool = False, timeout: float = 0
    ) -> tuple[str, Props]:
        resp = self.stub.Create(
            provider_pb2.CreateRequest(
                urn=urn(typ, "r"),
                type=typ,
                name="r",
                properties=to_struct(props),
                preview=preview,
                timeout=timeout,
            )
        )
        return resp.id, from_struct(resp.properties)

    def read(
        self, typ: str, rid: str, props: Props | None = None, inputs: Props | None = None
    ) -> tuple[str, Props, Props]:
        resp = self.stub.Read(
            provider_pb2.ReadRequest(
                id=rid,
                urn=urn(typ, "r"),
                type=typ,
                name="r",
                properties=to_struct(props or {}),
                inputs=to_struct(inputs or {}),
            )
        )
        return resp.id, from_struct(resp.properties), from_struct(resp.inputs)

    def update(
        self,
        typ: str,
        rid: str,
        olds: Props,
        news: Props,
        preview: bool = False,
        ignore: tuple[str, ...] = (),
    ) -> Props:
        resp = self.stub.Update(
            provider_pb2.UpdateRequest(
                id=rid,
                urn=urn(typ, "r"),
                type=typ,
                name="r",
                olds=to_struct(olds),
                news=to_struct(news),
                preview=preview,
                ignoreChanges=list(ignore),
            )
        )
        return from_struct(resp.properties)

    def delete(self, typ: str, rid: str, props: Props) -> None:
        self.stub.Delete(
            provider_pb2.DeleteRequest(
                id=rid, urn=urn(typ, "r"), type=typ, name="r", properties=to_struct(props)
            )
        )

    def invoke(self, tok: str, args: Props) -> Any:
        return self.stub.Invoke(provider_pb2.InvokeRequest(tok=tok, args=to_struct(args)))

    def call(self, tok: str, args: Props) -> Props:
        resp = self.invoke(tok, args)
        assert not resp.failures, [(f.property, f.reason) for f in resp.failures]
        return from_struct(getattr(resp, "return"))


class Seeder:
    """Ordinary Graph requests (and the simulator's own /_sim/applications) to set a tenant up."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.origin = base_url.rsplit("/", 1)[0]
        self.http = httpx.Client(headers={"Authorization": "Bearer seed"}, timeout=30)

    def request(self, method: str, path: str, body: Props | None = None) -> Props:
        resp = self.http.request(method, f"{self.base}/{path.lstrip('/')}", json=body)
        assert resp.status_code < 300, (method, path, resp.status_code, resp.text)
        return resp.json() if resp.content else {}

    def admin(self, method: str, name: str, body: Props | None = None) -> Props:
        """The simulator's own `/_sim/<name>` endpoints."""
        resp = self.http.request(method, f"{self.origin}/_sim/{name}", json=body)
        assert resp.status_code < 300, (method, name, resp.status_code, resp.text)
        return resp.json() if resp.content else {}

    def fault(self, path: str, status: int, **extra: Any) -> None:
        self.admin("POST", "faults", {"path": path, "status": status, **extra})

    def deployer(self) -> str:
        """The deploying identity: the app the plugin signs in as (SIMULATED_CLIENT_ID) and its
        service principal, with the fixed object id (CALLER) its token names."""
        self.application(SIMULATED_CLIENT_ID, "entra-consent pipeline")
        self.admin("POST", "next-ids", {"ids": [CALLER]})
        return self.service_principal(SIMULATED_CLIENT_ID)

    def owners(self, sp_id: str) -> list[str]:
        found = self.request("GET", f"servicePrincipals/{sp_id}/owners")["value"]
        return [str(o["id"]) for o in found]

    def add_owner(self, sp_id: str, owner_id: str) -> None:
        ref = {"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{owner_id}"}
        self.request("POST", f"servicePrincipals/{sp_id}/owners/$ref", ref)

    def application(self, app_id: str, name: str, **extra: Any) -> None:
        resp = self.http.post(
            f"{self.origin}/_sim/applications", json={"appId": app_id, "displayName": name, **extra}
        )
        assert resp.status_code < 300, resp.text

    def user(self, upn: str, **extra: Any) -> str:
        body = {
            "displayName": upn.split("@")[0],
            "userPrincipalName": upn,
            "accountEnabled": True,
            **extra,
        }
        return str(self.request("POST", "users", body)["id"])

    def group(self, name: str) -> str:
        body = {
            "displayName": name,
            "mailNickname": name.replace(" ", "").replace("'", ""),
            "mailEnabled": False,
            "securityEnabled": True,
        }
        return str(self.request("POST", "groups", body)["id"])

    def device(self, name: str) -> str:
        return str(self.request("POST", "devices", {"displayName": name, "deviceId": name})["id"])

    def add_member(self, group_id: str, member_id: str) -> None:
        ref = {"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{member_id}"}
        self.request("POST", f"groups/{group_id}/members/$ref", ref)

    def service_principal(self, app_id: str, **extra: Any) -> str:
        return str(self.request("POST", "servicePrincipals", {"appId": app_id, **extra})["id"])

    def sp_id(self, app_id: str) -> str:
        found = self.request("GET", f"servicePrincipals?$filter=appId eq '{app_id}'")["value"]
        return str(found[0]["id"])
