"""Run the whole program (`__main__.py`) under Pulumi's mock runtime against a fake tenant,
recording what the engine would see: register requests (with options), invokes and logs."""

from __future__ import annotations

import json
import logging
import runpy
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.settings import ROOT as ROOT_RESOURCE
from pulumi.runtime.settings import get_root_resource

from components.core.naming import (
    GET_CLIENT_CONFIG,
    GET_GROUP,
    GET_GROUPS,
    GET_SERVICE_PRINCIPAL,
    GET_USERS,
    SERVICE_PRINCIPAL_TYPE,
)
from simtenant.fakes.fake_tenant import EXAMPLE_TENANT_ID, FakeTenant, fake_id

ROOT = Path(__file__).resolve().parents[2]


def _bridged(token: str, diagnostic: str) -> str:
    """A data source's error as pulumi-terraform-bridge and the engine hand it to the SDK."""
    return (
        f"invoke of {token} failed: invocation of {token} returned an error: invoking {token}: "
        f"1 error occurred:\n\t* {diagnostic}\n\n"
    )


class NotFound(grpc.RpcError):  # type: ignore[misc]
    """A data source that finds nothing. The engine hands a provider's invoke error to the SDK as
    a gRPC error, which the SDK turns into an exception the program can catch (a plain exception
    raised by `Mocks.call` would instead fail the whole run, unlike the real engine)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.UNKNOWN

    def details(self) -> str:
        return self.message


class TenantMocks(pulumi.runtime.Mocks):
    def __init__(self, tenant: FakeTenant) -> None:
        self.tenant = tenant
        self.invokes: Counter[str] = Counter()
        self.invoke_args: list[tuple[str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = dict(args.inputs)
        if args.typ == SERVICE_PRINCIPAL_TYPE:
            if args.resource_id:  # a read (`.get`)
                object_id = args.resource_id.rsplit("/", 1)[-1]
                app_id = next(
                    (a for a, o in self.tenant.service_principals.items() if o == object_id), ""
                )
                return args.resource_id, {"objectId": object_id, "clientId": app_id}
            object_id = self.tenant.service_principals.get(
                inputs["clientId"], fake_id("sp", inputs["clientId"])
            )
            return f"/servicePrincipals/{object_id}", {**inputs, "objectId": object_id}
        return fake_id(args.typ, args.name), inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        self.invokes[args.token] += 1
        self.invoke_args.append((args.token, dict(args.args)))
        a = args.args
        if self.tenant.sign_in_error is not None:
            raise NotFound(_bridged(args.token, self.tenant.sign_in_error))
        if args.token == GET_USERS:
            if a.get("returnAll"):
                found = list(self.tenant.users.items())
            else:
                wanted = {u.lower() for u in a.get("userPrincipalNames", [])}
                wanted |= {i.lower() for i in a.get("objectIds", [])}
                found = [(o, u) for o, u in self.tenant.users.items() if {u.lower(), o} & wanted]
                if len(found) < len(wanted) and not a.get("ignoreMissing"):
                    raise NotFound(_bridged(args.token, 'User with UPN "?" was not found'))
            return {
                "objectIds": [o for o, _ in found],
                "userPrincipalNames": [u for _, u in found],
                "users": [{"objectId": o, "userPrincipalName": u} for o, u in found],
            }, []
        if args.token == GET_GROUP:
            for name, (object_id, members) in self.tenant.groups.items():
                matches = a.get("displayName") == name or a.get("objectId") == object_id
                if matches and name in self.tenant.m365_groups:
                    # groupGetAdditional's 403 under app-only credentials, as the provider says it.
                    raise NotFound(
                        _bridged(
                            args.token,
                            f'Could not retrieve group with object ID "{object_id}": retrieving '
                            "additional fields: unexpected status 403 (403 Forbidden) with error: "
                            "ErrorAccessDenied: Access is denied. Check credentials and try again.",
                        )
                    )
                if matches:
                    return {"objectId": object_id, "displayName": name, "members": members}, []
            # The provider's own words for a group that does not exist.
            if "objectId" in a:
                absent = f'[object_id] No group found with object ID: "{a["objectId"]}"'
            else:
                absent = f"[display_name] No group found matching specified filter (displayName eq '{a.get('displayName')}')"
            raise NotFound(_bridged(args.token, absent))
        if args.token == GET_GROUPS:
            # As the data source with ignoreMissing: found groups only, in the order asked.
            names, ids = a.get("displayNames") or [], a.get("objectIds") or []
            hits = [
                (object_id, name)
                for wanted in (names or ids)
                for name, (object_id, _) in self.tenant.groups.items()
                if wanted.lower() in (name.lower(), object_id)
            ]
            return {"objectIds": [o for o, _ in hits], "displayNames": [n for _, n in hits]}, []
        if args.token == GET_CLIENT_CONFIG:
            return {"tenantId": self.tenant.tenant_id, "clientId": "", "objectId": ""}, []
        if args.token == GET_SERVICE_PRINCIPAL:
            sp_id = self.tenant.service_principals.get(a.get("clientId", ""))
            if sp_id is None:
                raise NotFound(
                    _bridged(args.token, "No service principal found: no service principal found")
                )
            return {"objectId": sp_id, "clientId": a["clientId"]}, []
        raise NotImplementedError(args.token)


@dataclass
class Registration:
    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    retain_on_delete: bool
    delete_before_replace: bool
    read: bool = False
    ignore_changes: tuple[str, ...] = ()
    outputs: dict[str, Any] = field(default_factory=dict)  # a component's register_outputs


class RecordingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    urn=response.urn,
                    parent=request.parent,
                    custom=request.custom,
                    inputs=_plain(request.object),
                    dependencies=list(request.dependencies),
                    property_dependencies={
                        k: list(v.urns) for k, v in request.propertyDependencies.items()
                    },
                    retain_on_delete=request.retainOnDelete,
                    delete_before_replace=request.deleteBeforeReplace,
                    ignore_changes=tuple(request.ignoreChanges),
                )
            )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        for registration in self.registrations:
            if registration.urn == request.urn:
                registration.outputs = _plain(request.outputs)
        return super().RegisterResourceOutputs(request)

    def ReadResource(self, request: Any) -> Any:
        response = super().ReadResource(request)
        self.registrations.append(
            Registration(
                type=request.type,
                name=request.name,
                urn=response.urn,
                parent=request.parent,
                custom=True,
                inputs={"id": request.id},
                dependencies=list(request.dependencies),
                property_dependencies={},
                retain_on_delete=False,
                delete_before_replace=False,
                read=True,
            )
        )
        return response


def _plain(struct: Any) -> dict[str, Any]:
    pulumi_mocks._ensure_event_loop()  # type: ignore[attr-defined,unused-ignore]
    return dict(rpc.deserialize_properties(struct))


class _Logs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelname.lower(), record.getMessage()))


@dataclass
class ProgramRun:
    registrations: list[Registration]
    invokes: Counter[str]
    invoke_args: list[tuple[str, dict[str, Any]]]
    logs: list[tuple[str, str]]
    outputs: dict[str, Any]
    error: BaseException | None

    def of_type(self, typ: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == typ and not r.read]

    def reads(self) -> list[Registration]:
        return [r for r in self.registrations if r.read]

    def messages(self, level: str) -> list[str]:
        return [m for lvl, m in self.logs if lvl == level]


def runtime_config(stack_config: dict[str, Any]) -> dict[str, str]:
    """Config as the language host hands it to the program: structured values as JSON."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in stack_config.items()}


def run_program(
    stack_config: dict[str, Any],
    tenant: FakeTenant,
    stack: str = "dev",
    preview: bool = True,
    project_dir: Path = ROOT,
    tenant_id: str | None = EXAMPLE_TENANT_ID,
) -> ProgramRun:
    """`tenant_id`: the stack's `azuread:tenantId` when its config names none (None: none)."""
    mocks = TenantMocks(tenant)
    monitor = RecordingMonitor(mocks)
    logger = logging.getLogger(f"entra-consent-mock-{uuid.uuid4()}")
    logger.propagate = False
    handler = _Logs()
    logger.addHandler(handler)
    # A fresh root stack per run: `set_mocks` keeps an existing one, and with it the previous
    # run's exports (a failed run would report another run's outputs).
    ROOT_RESOURCE.set(None)
    pulumi.runtime.set_mocks(
        mocks, project="entra-consent", stack=stack, preview=preview, logger=logger, monitor=monitor
    )
    # Every stack names its tenant; tests that are not about it leave it to this default.
    config = {**({"azuread:tenantId": tenant_id} if tenant_id else {}), **stack_config}
    pulumi.runtime.set_all_config(runtime_config(config))
    error: list[BaseException] = []
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test
    def program() -> Any:
        try:
            runpy.run_path(str(project_dir / "__main__.py"), run_name="__main__")
        except Exception as exc:
            error.append(exc)
        # Stack exports, resolved (under mocks the root stack never registers them).
        root = get_root_resource()
        exported = pulumi.Output.from_input(dict(getattr(root, "outputs", {})))
        return exported.apply(outputs.update)

    program()
    return ProgramRun(
        registrations=monitor.registrations,
        invokes=mocks.invokes,
        invoke_args=mocks.invoke_args,
        logs=handler.records,
        outputs=outputs,
        error=error[0] if error else None,
    )
