"""Drive the policy pack the way the engine does: start `policies/__main__.py`, read its port,
and speak the analyzer gRPC protocol; turn mock-runtime program runs into engine resources.

The pack asks the tenant which apps a grant's ids name before a write (checked-before-write):
each pack process here has its simulated Graph, which holds the service principals of the
resources it is asked about (as a tenant does once they are created), and nothing else."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pulumi
from google.protobuf import empty_pb2, struct_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from components.core.naming import SERVICE_PRINCIPAL_TYPE, STACK_TYPE
from simtenant.fakes.fake_tenant import FakeTenant
from simtenant.fakes.mock_runtime import ROOT, ProgramRun, TenantMocks
from simtenant.graph.server import SimTenant
from simtenant.graph.service_principals import SP_DEFAULTS

PACK_MAIN = ROOT / "policies" / "__main__.py"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown string at preview
SP_TYPE = SERVICE_PRINCIPAL_TYPE
LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}
_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.max_send_message_length", 400 * 1024 * 1024),
]


@dataclass
class EngineResource:
    """A resource as the engine holds it in the planned snapshot."""

    type: str
    name: str
    urn: str
    parent: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    custom: bool = True
    read: bool = False


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    level: str
    message: str
    urn: str

    @property
    def resource(self) -> str | None:
        return self.urn.rsplit("::", 1)[-1] if self.urn else None


def _struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(dict(values))
    return out


def stack_urn(stack: str = "dev", project: str = "entra-consent") -> str:
    return f"urn:pulumi:{stack}::{project}::{STACK_TYPE}::{project}-{stack}"


def engine_resources(run: ProgramRun, tenant: FakeTenant, preview: bool) -> list[EngineResource]:
    """The planned snapshot of a mock run: outputs from the same mocks the run used, a
    component's outputs those it registered. At preview, a managed service principal's object id
    is unknown, and so is every input fed from it. Reads are kept (marked `read`) for
    `Analyze`-level callers, but `stack_request` leaves them out as the engine does."""
    if run.error is not None:
        raise AssertionError(f"program run failed: {run.error}")
    mocks = TenantMocks(tenant)
    managed = {r.urn for r in run.registrations if r.custom and not r.read}
    root = stack_urn()
    out = [EngineResource(STACK_TYPE, "entra-consent-dev", root, custom=False)]
    for r in run.registrations:
        inputs = dict(r.inputs)
        outputs: dict[str, Any] = {}
        if r.read:
            _, outputs = mocks.new_resource(
                pulumi.runtime.MockResourceArgs(r.type, r.name, {}, None, inputs["id"], True)
            )
            inputs = {}
        elif not r.custom:
            outputs = dict(r.outputs)
        else:
            if preview:
                for key, deps in r.property_dependencies.items():
                    if key in inputs and any(d in managed for d in deps):
                        inputs[key] = UNKNOWN
            _, outputs = mocks.new_resource(
                pulumi.runtime.MockResourceArgs(r.type, r.name, dict(r.inputs), None, None, True)
            )
            outputs = {**outputs, **inputs}
            if preview and r.type == SP_TYPE:
                outputs["objectId"] = UNKNOWN
        out.append(
            EngineResource(
                type=r.type,
                name=r.name,
                urn=r.urn,
                parent=r.parent,
                inputs=inputs,
                outputs=dict(outputs),
                dependencies=list(r.dependencies),
                property_dependencies={k: list(v) for k, v in r.property_dependencies.items()},
                custom=r.custom,
                read=r.read,
            )
        )
    return out


def stack_request(resources: Iterable[EngineResource]) -> analyzer_pb2.AnalyzeStackRequest:
    """What the engine sends: registered resources only, never `.get` reads (they live apart in
    the deployment, pulumi/pulumi #18070), each with its outputs; dependencies on a read's URN
    are passed on as they are."""
    return analyzer_pb2.AnalyzeStackRequest(
        resources=[
            analyzer_pb2.AnalyzerResource(
                type=r.type,
                properties=_struct(r.outputs),
                urn=r.urn,
                name=r.name,
                options=analyzer_pb2.AnalyzerResourceOptions(parent=r.parent),
                parent=r.parent,
                dependencies=r.dependencies,
                propertyDependencies={
                    k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v)
                    for k, v in r.property_dependencies.items()
                },
            )
            for r in resources
            if not r.read
        ]
    )


def policy_config(config: Mapping[str, Any]) -> analyzer_pb2.ConfigureAnalyzerRequest:
    """A `--policy-pack-config` document as the CLI hands it over: every named policy with its
    enforcement level (mandatory unless given) and its other properties."""
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, value in config.items():
        settings = {"enforcementLevel": value} if isinstance(value, str) else dict(value)
        level = settings.pop("enforcementLevel", "mandatory")
        request.policyConfig[name].CopyFrom(
            analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level], properties=_struct(settings))
        )
    return request


def _known(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) and value and value != UNKNOWN else None


def _default_provider(resource: EngineResource) -> analyzer_pb2.AnalyzerProviderResource | None:
    """The provider the engine names with a custom resource: its package's default one."""
    if not resource.custom or resource.type.startswith("pulumi:providers:"):
        return None
    typ = f"pulumi:providers:{resource.type.split(':', 1)[0]}"
    return analyzer_pb2.AnalyzerProviderResource(
        type=typ, urn=f"urn:pulumi:dev::entra-consent::{typ}::default", name="default"
    )


class PolicyPackProcess:
    """The pack as the CLI runs it: a subprocess serving the analyzer protocol, reading its
    own simulated tenant (`tenant`) over Graph."""

    def __init__(self, main: Path = PACK_MAIN) -> None:
        self.tenant = SimTenant(token="policy-pack").start()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "ARM_"))}
        env.update(
            ENTRA_CONSENT_GRAPH_URL=self.tenant.base_url,
            ENTRA_CONSENT_GRAPH_TOKEN="policy-pack",
        )
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [sys.executable, str(main)],
            cwd=main.parent,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode().strip()
        if not line.isdigit():
            self.close()
            raise RuntimeError(f"policy pack did not print a port: {line!r}\n{self.stderr()}")
        self.channel = grpc.insecure_channel(f"127.0.0.1:{line}", options=_OPTIONS)
        grpc.channel_ready_future(self.channel).result(timeout=30)
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        info: analyzer_pb2.AnalyzerInfo = self.stub.GetAnalyzerInfo(empty_pb2.Empty())
        return info

    def configure(self, config: Mapping[str, Any]) -> None:
        """Configure as the CLI does. `checked-before-write` runs only when `config` names it:
        it repeats the stack rules' verdict on each grant with known ids, which tests of the
        other rules do not ask about (the corpus names it, as the example config does)."""
        config = {"checked-before-write": "disabled", **config}
        self.stub.Configure(policy_config(config))

    def analyze_stack(self, resources: Iterable[EngineResource]) -> list[Diagnostic]:
        return _diagnostics(self.stub.AnalyzeStack(stack_request(resources), timeout=600))

    def analyze(self, resource: EngineResource) -> list[Diagnostic]:
        request = analyzer_pb2.AnalyzeRequest(
            type=resource.type,
            properties=_struct(resource.inputs),
            urn=resource.urn,
            name=resource.name,
            options=analyzer_pb2.AnalyzerResourceOptions(parent=resource.parent),
            provider=_default_provider(resource),
        )
        # The engine files a resource policy's violations under the analyzed resource.
        return [
            d if d.urn else Diagnostic(d.policy, d.level, d.message, resource.urn)
            for d in _diagnostics(self.stub.Analyze(request, timeout=60))
        ]

    def hold(self, resources: Iterable[EngineResource]) -> None:
        """Let the tenant hold every service principal among `resources` whose object id and
        app id are known (managed ones and reads alike)."""
        with self.tenant.lock:
            sps = self.tenant.tenant.service_principals
            for r in resources:
                object_id = _known(r.outputs.get("objectId"))
                app_id = _known(r.outputs.get("clientId") or r.outputs.get("appId"))
                if r.type != SP_TYPE or object_id is None or app_id is None:
                    continue
                sp = copy.deepcopy(SP_DEFAULTS)
                sp.update(id=object_id, appId=app_id, displayName=r.name, appDisplayName=r.name)
                sps[object_id] = sp

    def analyze_all(self, resources: list[EngineResource]) -> list[Diagnostic]:
        """What one preview reports: `Analyze` per registered resource, then `AnalyzeStack`."""
        self.hold(resources)
        found: list[Diagnostic] = []
        for r in resources:
            if r.type != STACK_TYPE and not r.read:
                found.extend(self.analyze(r))
        return found + self.analyze_stack(resources)

    def close(self) -> None:
        if getattr(self, "channel", None) is not None:
            self.channel.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._stderr.close()
        self.tenant.stop()


def _diagnostics(response: analyzer_pb2.AnalyzeResponse) -> list[Diagnostic]:
    return [
        Diagnostic(d.policyName, LEVEL_NAMES[d.enforcementLevel], d.message, d.urn)
        for d in response.diagnostics
    ]
