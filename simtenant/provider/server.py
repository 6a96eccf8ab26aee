"""The gRPC servicer: Pulumi's ResourceProvider protocol, kept thin, doing what
pulumi-terraform-bridge v3.137.0 does around the provider (pkg/tfbridge/provider.go; line
numbers below are that file's):

- Configure signs in (signin.py); when that fails, Configure and every later call fail with its
  text, as the engine repeats a provider's configuration error to each call.
- Each operation runs under its deadline: the resource's own timeout, or the program's
  customTimeouts when the engine sends one (Create line 1352, Update 1714, Delete 1849:
  `newTimeoutOverrides`); data sources 5 minutes.
- Errors read as the bridge words them: the provider's diagnostics through go-multierror, with
  `creating <urn>: ` (an object that got its id before failing, line 1375, answered with
  ErrorResourceInitFailed and the partial state), `updating <urn>: ` (line 1753), `deleting
  <urn>: ` (line 1853), `refreshing <urn>: ` (line 1505) or `invoking <token>: ` (line 1989)
  in front; schema validation failures as check failures with no property (Check, line 1063).
- Diff and Update honour `ignoreChanges`; a refreshing Read returns the old inputs refreshed
  (bridge.py)."""

from __future__ import annotations

import threading
from typing import Any

import grpc  # type: ignore[import-untyped]
from google.protobuf import empty_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from simtenant.provider.bridge import ignored, refreshed_inputs
from simtenant.provider.catalog import FUNCTIONS, PROVIDER_VERSION, RESOURCES
from simtenant.provider.errors import (
    CheckFailures,
    DiagnosticError,
    GraphError,
    PartialFailure,
    ProviderError,
    multierror,
)
from simtenant.provider.graph import DEFAULT_TIMEOUT_S, Graph
from simtenant.provider.props import from_struct, to_struct
from simtenant.provider.resource import ResourceKind
from simtenant.provider.retry import Deadline
from simtenant.provider.schema import schema
from simtenant.provider.signin import sign_in
from simtenant.provider.unsimulated import Unsimulated
from simtenant.provider.wire import (
    InitFailed,
    bridged,
    diff_response,
    failures,
    name_of,
    reported,
    type_of,
)


def _kind(request: Any) -> ResourceKind:
    token = type_of(request)
    kind = RESOURCES.get(token)
    if kind is None and token.startswith("azuread:"):
        return Unsimulated(token)  # previewed only: see simtenant/provider/unsimulated.py
    if kind is None:
        served = ", ".join(sorted(RESOURCES))
        raise ProviderError(
            f"azuread (simulated): unknown resource type {token!r}; served: {served}"
        )
    return kind


def _deadline(timeout_s: float, requested: float = 0.0) -> Deadline:
    return Deadline.after(requested if requested > 0 else timeout_s)


class AzureadProvider(provider_pb2_grpc.ResourceProviderServicer):
    def __init__(self) -> None:
        self._graph: Graph | None = None
        self._configure_error: ProviderError | None = None
        self._lock = threading.Lock()

    def _configured(self) -> None:
        """Every call after a failed Configure fails with its error."""
        if self._configure_error is not None:
            raise self._configure_error

    @property
    def graph(self) -> Graph:
        with self._lock:
            self._configured()
            if self._graph is None:
                self._graph = sign_in({})  # not configured yet: the environment's settings
            return self._graph

    @reported
    def GetPluginInfo(self, request: Any, context: grpc.ServicerContext) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=PROVIDER_VERSION)

    @reported
    def GetSchema(
        self, request: Any, context: grpc.ServicerContext
    ) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema=schema())

    @reported
    def CheckConfig(
        self, request: Any, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    @reported
    def DiffConfig(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.DiffResponse:
        return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_NONE)

    @reported
    def Configure(
        self, request: Any, context: grpc.ServicerContext
    ) -> provider_pb2.ConfigureResponse:
        config = {k: v for k, v in from_struct(request.args).items() if isinstance(v, str)}
        config.update(dict(request.variables))
        try:
            graph = sign_in(config)
        except ProviderError as exc:
            with self._lock:
                self._configure_error = exc
            raise
        with self._lock:
            self._graph, self._configure_error = graph, None
        return provider_pb2.ConfigureResponse(
            acceptSecrets=False, supportsPreview=True, acceptResources=True, acceptOutputs=False
        )

    @reported
    def Check(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.CheckResponse:
        self._configured()
        inputs, found = _kind(request).check(from_struct(request.news))
        return provider_pb2.CheckResponse(
            inputs=to_struct(inputs), failures=failures(name_of(request), found)
        )

    @reported
    def Diff(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.DiffResponse:
        self._configured()
        olds = from_struct(request.olds)
        news = ignored(olds, from_struct(request.news), list(request.ignoreChanges))
        return diff_response(_kind(request).diff(olds, news))

    @reported
    def Create(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.CreateResponse:
        kind, news = _kind(request), from_struct(request.properties)
        self._configured()
        if request.preview:
            return provider_pb2.CreateResponse(
                id="", properties=to_struct(kind.preview_create(news))
            )
        graph = self.graph.until(_deadline(kind.timeouts.create, request.timeout))
        try:
            resource_id, outputs = kind.create(graph, news)
        except PartialFailure as exc:
            raise InitFailed(exc, f"creating {request.urn}: {bridged(exc.cause)}") from exc
        except ProviderError as exc:
            raise ProviderError(bridged(exc)) from exc
        return provider_pb2.CreateResponse(id=resource_id, properties=to_struct(outputs))

    @reported
    def Read(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.ReadResponse:
        kind = _kind(request)
        state, inputs = from_struct(request.properties), from_struct(request.inputs)
        graph = self.graph.until(_deadline(kind.timeouts.read))
        try:
            outputs = kind.read(graph, request.id, state)
        except (DiagnosticError, GraphError) as exc:
            raise ProviderError(f"refreshing {request.urn}: {bridged(exc)}") from exc
        if outputs is None:
            return provider_pb2.ReadResponse(id="")
        # A refresh (the request carries state) keeps the old inputs' keys; an import or
        # `.get` (no state) takes every input from what was read.
        read_inputs = (
            refreshed_inputs(inputs, outputs) if state else kind.inputs_from_state(outputs)
        )
        return provider_pb2.ReadResponse(
            id=request.id, properties=to_struct(outputs), inputs=to_struct(read_inputs)
        )

    @reported
    def Update(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.UpdateResponse:
        kind = _kind(request)
        self._configured()
        olds = from_struct(request.olds)
        news = ignored(olds, from_struct(request.news), list(request.ignoreChanges))
        if request.preview:
            return provider_pb2.UpdateResponse(
                properties=to_struct(kind.preview_update(olds, news))
            )
        graph = self.graph.until(_deadline(kind.timeouts.update, request.timeout))
        try:
            outputs = kind.update(graph, request.id, olds, news)
        except PartialFailure as exc:
            raise InitFailed(exc, f"updating {request.urn}: {bridged(exc.cause)}") from exc
        except ProviderError as exc:
            raise ProviderError(bridged(exc)) from exc
        return provider_pb2.UpdateResponse(properties=to_struct(outputs))

    @reported
    def Delete(self, request: Any, context: grpc.ServicerContext) -> empty_pb2.Empty:
        kind = _kind(request)
        graph = self.graph.until(_deadline(kind.timeouts.delete, request.timeout))
        try:
            kind.delete(graph, request.id, from_struct(request.properties))
        except (DiagnosticError, GraphError) as exc:
            raise ProviderError(f"deleting {request.urn}: {bridged(exc)}") from exc
        return empty_pb2.Empty()

    @reported
    def Invoke(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.InvokeResponse:
        function = FUNCTIONS.get(request.tok)
        if function is None:
            served = ", ".join(sorted(FUNCTIONS))
            raise ProviderError(
                f"azuread (simulated): unknown function {request.tok!r}; served: {served}"
            )
        args = from_struct(request.args)
        graph = self.graph.until(Deadline.after(DEFAULT_TIMEOUT_S))
        try:
            result = function(graph, args)
        except CheckFailures as exc:
            failures = [provider_pb2.CheckFailure(property=p, reason=r) for p, r in exc.failures]
            return provider_pb2.InvokeResponse(failures=failures)
        except ProviderError as exc:
            # As pulumi-terraform-bridge reports a data source's diagnostics: go-multierror's
            # bullet list, each diagnostic "[attribute] summary: detail" (the engine then adds
            # its own prefix).
            raise ProviderError(f"invoking {request.tok}: {multierror([str(exc)])}") from exc
        # The data source's state: its arguments as given, then what it read.
        return provider_pb2.InvokeResponse(**{"return": to_struct({**args, **result})})

    @reported
    def Cancel(self, request: Any, context: grpc.ServicerContext) -> empty_pb2.Empty:
        return empty_pb2.Empty()
