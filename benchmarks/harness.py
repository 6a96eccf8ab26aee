"""A lean mock-runtime harness: Pulumi's own `MockMonitor`, mocks that answer from a synthetic
tenant, and counters. Unlike simtenant/fakes/mock_runtime.py it does not deserialize and keep each
register request, so what is timed is the program and the SDK, not the recording.

Both the program and the SDK floor run on this same harness.
"""

from __future__ import annotations

import json
import runpy
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from benchmarks.synthetic import (
    GRAPH_APP_ID,
    MAIL_CLIENT_ID,
    TENANT_ID,
    SyntheticTenant,
    upn,
    user_id,
)
from components.core.naming import GET_CLIENT_CONFIG, GET_GROUP, GET_SERVICE_PRINCIPAL, GET_USERS
from components.core.naming import SERVICE_PRINCIPAL_TYPE as SERVICE_PRINCIPAL

ROOT = Path(__file__).resolve().parents[1]
FLOOR_PROGRAM = Path(__file__).resolve().parent / "floor" / "__main__.py"
SHAPED_FLOOR_PROGRAM = Path(__file__).resolve().parent / "floor_shaped" / "__main__.py"


def _user_record(index: int) -> dict[str, Any]:
    """A user as the provider's `get_users` returns it (every attribute it sets)."""
    name = upn(index)
    return {
        "accountEnabled": True,
        "displayName": f"User {index:06d}",
        "employeeId": f"E{index:06d}",
        "mail": name,
        "mailNickname": name.split("@", 1)[0],
        "objectId": user_id(index),
        "onpremisesImmutableId": "",
        "onpremisesSamAccountName": "",
        "onpremisesUserPrincipalName": "",
        "usageLocation": "GB",
        "userPrincipalName": name,
    }


class TenantNotFound(Exception):
    pass


class BenchMocks(pulumi.runtime.Mocks):
    """Answers invokes from the synthetic tenant; counts them."""

    def __init__(self, tenant: SyntheticTenant | None) -> None:
        self.tenant = tenant
        self.invokes: Counter[str] = Counter()

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if args.typ == SERVICE_PRINCIPAL:
            if args.resource_id:  # a read (`.get`)
                object_id = args.resource_id.rsplit("/", 1)[-1]
                return args.resource_id, {"objectId": object_id}
            client_id = args.inputs["clientId"]
            object_id = self._tenant().service_principal_id(client_id)
            return f"/servicePrincipals/{object_id}", {**args.inputs, "objectId": object_id}
        return f"{args.name}-id", args.inputs

    def _tenant(self) -> SyntheticTenant:
        if self.tenant is None:
            raise TenantNotFound("no tenant in this run")
        return self.tenant

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        self.invokes[args.token] += 1
        tenant = self._tenant()
        a = args.args
        if args.token == GET_USERS:
            if a.get("returnAll"):
                indices: list[int] = list(tenant.user_indices())
            else:
                by_ref = {upn(i).lower(): i for i in tenant.user_indices()}
                by_ref.update({user_id(i): i for i in tenant.user_indices()})
                wanted = [*a.get("userPrincipalNames", []), *a.get("objectIds", [])]
                indices = [by_ref[r.lower()] for r in wanted if r.lower() in by_ref]
            users = [_user_record(i) for i in indices]
            return {
                "objectIds": [u["objectId"] for u in users],
                "userPrincipalNames": [u["userPrincipalName"] for u in users],
                "mailNicknames": [u["mailNickname"] for u in users],
                "mails": [u["mail"] for u in users],
                "employeeIds": [u["employeeId"] for u in users],
                "users": users,
            }, []
        if args.token == GET_GROUP:
            for group in tenant.groups.values():
                if a.get("displayName") == group.name or a.get("objectId") == group.object_id:
                    return {
                        "objectId": group.object_id,
                        "displayName": group.name,
                        "members": group.members(),
                    }, []
            raise TenantNotFound(f"No group found matching specified filter: {a}")
        if args.token == GET_CLIENT_CONFIG:
            return {"tenantId": TENANT_ID, "clientId": "", "objectId": ""}, []
        if args.token == GET_SERVICE_PRINCIPAL:
            client_id = a["clientId"]
            return {"objectId": tenant.service_principal_id(client_id), "clientId": client_id}, []
        raise NotImplementedError(args.token)


class CountingMonitor(pulumi_mocks.MockMonitor):
    """Pulumi's mock monitor, counting registrations by type (reads apart) and invokes.

    Invoke responses can be prepared before the clock starts (`prepare`): in a real run the
    provider, not the program, builds and encodes them, so only decoding them is the program's.
    An invoke that was not prepared is answered by the mocks at call time, and counted as live.
    """

    def __init__(self, mocks: BenchMocks) -> None:
        super().__init__(mocks)
        self.bench_mocks = mocks
        self.registered: Counter[str] = Counter()
        self.read: Counter[str] = Counter()
        self.prepared: dict[str, Any] = {}
        self.live_invokes = 0

    @staticmethod
    def _key(token: str, args: dict[str, Any]) -> str:
        return json.dumps([token, args], sort_keys=True)

    def prepare(self, token: str, args: dict[str, Any]) -> None:
        result, _ = self.bench_mocks.call(pulumi.runtime.MockCallArgs(token, args, ""))
        self.bench_mocks.invokes[token] -= 1  # preparing is not an invoke by the program
        struct = _sync_await(rpc.serialize_properties(result, {}))
        self.prepared[self._key(token, args)] = resource_pb2.ResourceInvokeResponse(
            **{"return": struct}
        )

    def Invoke(self, request: Any) -> Any:
        args = rpc.deserialize_properties(request.args)
        response = self.prepared.pop(self._key(request.tok, args), None)
        if response is None:
            self.live_invokes += 1
            return super().Invoke(request)
        self.bench_mocks.invokes[request.tok] += 1
        return response

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            self.registered[request.type] += 1
        return super().RegisterResource(request)

    def ReadResource(self, request: Any) -> Any:
        self.read[request.type] += 1
        return super().ReadResource(request)


@dataclass
class RunCounts:
    registered: dict[str, int]
    read: dict[str, int]
    invokes: dict[str, int]
    live_invokes: int
    error: str | None

    @property
    def resources(self) -> int:
        return sum(self.registered.values()) + sum(self.read.values())


class MockRun:
    """One program run under the mock runtime in preview mode: `prepare()` sets everything up
    (untimed), `run()` runs the program file as Pulumi's language host does (`runpy`)."""

    def __init__(
        self,
        program: Path,
        config: dict[str, Any],
        tenant: SyntheticTenant | None = None,
        stack: str = "bench",
    ) -> None:
        self.program = program
        self.config = config
        self.tenant = tenant
        self.stack = stack
        self.mocks = BenchMocks(tenant)
        self.monitor = CountingMonitor(self.mocks)

    def prepare(self) -> None:
        pulumi.runtime.set_mocks(
            self.mocks,
            project="entra-consent",
            stack=self.stack,
            preview=True,
            monitor=self.monitor,
        )
        pulumi.runtime.set_all_config(
            {k: v if isinstance(v, str) else json.dumps(v) for k, v in self.config.items()}
        )
        if self.tenant is not None:
            _ensure_event_loop()
            for token, args in expected_invokes(self.tenant):
                self.monitor.prepare(token, args)

    def run(self) -> RunCounts:
        errors: list[str] = []

        @pulumi.runtime.test
        def program() -> None:
            try:
                runpy.run_path(str(self.program), run_name="__main__")
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

        try:
            program()
        except Exception as exc:  # failures of registrations surface here
            errors.append(f"{type(exc).__name__}: {exc}")
        return RunCounts(
            registered=dict(self.monitor.registered),
            read=dict(self.monitor.read),
            invokes={k: v for k, v in self.mocks.invokes.items() if v},
            live_invokes=self.monitor.live_invokes,
            error=errors[0] if errors else None,
        )


def expected_invokes(tenant: SyntheticTenant) -> list[tuple[str, dict[str, Any]]]:
    """The invokes the program is expected to make, with their arguments as the SDK sends them."""
    calls: list[tuple[str, dict[str, Any]]] = [(GET_CLIENT_CONFIG, {})]
    calls.append((GET_USERS, {"returnAll": True}))
    calls += [
        (GET_GROUP, {"displayName": name, "includeTransitiveMembers": True})
        for name in tenant.groups
    ]
    calls.append((GET_SERVICE_PRINCIPAL, {"clientId": GRAPH_APP_ID}))
    calls.append((GET_SERVICE_PRINCIPAL, {"clientId": MAIL_CLIENT_ID}))  # the enterprise app
    return calls


def program_run(config: dict[str, Any], tenant: SyntheticTenant) -> MockRun:
    return MockRun(ROOT / "__main__.py", config, tenant)


def floor_run(count: int) -> MockRun:
    """The SDK floor: `benchmarks/floor/__main__.py` registering `count` bare azuread grants."""
    return MockRun(FLOOR_PROGRAM, {"bench:count": str(count)})


def shaped_floor_run(count: int) -> MockRun:
    """`benchmarks/floor_shaped/__main__.py`: `count` resources in the program's shape."""
    return MockRun(SHAPED_FLOOR_PROGRAM, {"bench:count": str(count)}, SyntheticTenant(1))
