"""The gRPC servicer: Pulumi's ResourceProvider protocol, kept thin. It converts Structs,
finds the resource kind or function by token and turns `ProviderError`s into gRPC errors
(status UNKNOWN), which the engine and the program report as they would the real provider's."""

from __future__ import annotations

import functools
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import grpc  # type: ignore[import-untyped]
from google.protobuf import empty_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

from simtenant.provider.catalog import FUNCTIONS, PROVIDER_VERSION, RESOURCES
from simtenant.provider.errors import CheckFailures, ProviderError
from simtenant.provider.graph import Graph
from simtenant.provider.props import Props, from_struct, to_struct
from simtenant.provider.resource import DiffResult, ResourceKind
from simtenant.provider.schema import schema
from simtenant.provider.unsimulated import Unsimulated

R = TypeVar("R")
Handler = Callable[[Any, Any, grpc.ServicerContext], R]


def _reported(method: Handler[R]) -> Handler[R]:
    """ProviderError -> gRPC UNKNOWN with its one-line message; anything else likewise, with
    the traceback on stderr."""

    @functools.wraps(method)
    def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> R:
        try:
            return method(self, request, context)
        except ProviderError as exc:
            context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            context.abort(grpc.StatusCode.UNKNOWN, f"azuread (simulated): internal error: {exc!r}")
        raise AssertionError("unreachable")  # context.abort raises

    return wrapper


def _type_of(request: Any) -> str:
    """The resource type token: the request's `type`, else the last part of its URN's type."""
    typ = getattr(request, "type", "")
    if typ:
        return str(typ)
    parts = str(request.urn).split("::")
    return parts[2].split("$")[-1] if len(parts) > 3 else ""


def _kind(request: Any) -> ResourceKind:
    token = _type_of(request)
    kind = RESOURCES.get(token)
    if kind is None and token.startswith("azuread:"):
        return Unsimulated(token)  # previewed only: see simtenant/provider/unsimulated.py
    if kind is None:
        served = ", ".join(sorted(RESOURCES))
        raise ProviderError(
            f"azuread (simulated): unknown resource type {token!r}; served: {served}"
        )
    return kind


def _failures(pairs: list[tuple[str, str]]) -> list[provider_pb2.CheckFailure]:
    return [provider_pb2.CheckFailure(property=prop, reason=reason) for prop, reason in pairs]


def _diff_response(result: DiffResult) -> provider_pb2.DiffResponse:
    kinds = provider_pb2.PropertyDiff.Kind
    return provider_pb2.DiffResponse(
        changes=provider_pb2.DiffResponse.DIFF_SOME
        if result.changes
        else provider_pb2.DiffResponse.DIFF_NONE,
        diffs=result.changes,
        replaces=result.replaces,
        deleteBeforeReplace=False,
        detailedDiff={
            # inputDiff false: the diff is against the prior state (outputs), as the bridge's,
            # so the engine shows old values from the outputs (drift a refresh found included);
            # set elements are compared as inputs (their old values are in the old inputs).
            key: provider_pb2.PropertyDiff(kind=kinds.Value(kind), inputDiff="[" in key)
            for key, kind in result.detailed.items()
        },
        hasDetailedDiff=True,
    )


class AzureadProvider(provider_pb2_grpc.ResourceProviderServicer):
    def __init__(self) -> None:
        self._graph: Graph | None = None
        self._lock = threading.Lock()

    @property
    def graph(self) -> Graph:
        with self._lock:
            if self._graph is None:
                self._graph = Graph.from_env()  # fails with how to set it when unset
            return self._graph

    @_reported
    def GetPluginInfo(self, request: Any, context: grpc.ServicerContext) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=PROVIDER_VERSION)

    @_reported
    def GetSchema(
        self, request: Any, context: grpc.ServicerContext
    ) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema=schema())

    @_reported
    def CheckConfig(
        self, request: Any, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    @_reported
    def DiffConfig(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.DiffResponse:
        return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_NONE)

    @_reported
    def Configure(
        self, request: Any, context: grpc.ServicerContext
    ) -> provider_pb2.ConfigureResponse:
        _ = self.graph
        return provider_pb2.ConfigureResponse(
            acceptSecrets=False, supportsPreview=True, acceptResources=True, acceptOutputs=False
        )

    @_reported
    def Check(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.CheckResponse:
        inputs, failures = _kind(request).check(from_struct(request.news))
        return provider_pb2.CheckResponse(inputs=to_struct(inputs), failures=_failures(failures))

    @_reported
    def Diff(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.DiffResponse:
        result = _kind(request).diff(from_struct(request.olds), from_struct(request.news))
        return _diff_response(result)

    @_reported
    def Create(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.CreateResponse:
        kind, news = _kind(request), from_struct(request.properties)
        if request.preview:
            return provider_pb2.CreateResponse(
                id="", properties=to_struct(kind.preview_create(news))
            )
        resource_id, outputs = kind.create(self.graph, news)
        return provider_pb2.CreateResponse(id=resource_id, properties=to_struct(outputs))

    @_reported
    def Read(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.ReadResponse:
        kind = _kind(request)
        state, inputs = from_struct(request.properties), from_struct(request.inputs)
        outputs = kind.read(self.graph, request.id, state)
        if outputs is None:
            return provider_pb2.ReadResponse(id="")
        read_inputs: Props = inputs or kind.inputs_from_state(outputs)
        return provider_pb2.ReadResponse(
            id=request.id, properties=to_struct(outputs), inputs=to_struct(read_inputs)
        )

    @_reported
    def Update(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.UpdateResponse:
        kind = _kind(request)
        olds, news = from_struct(request.olds), from_struct(request.news)
        if request.preview:
            outputs = kind.preview_update(olds, news)
        else:
            outputs = kind.update(self.graph, request.id, olds, news)
        return provider_pb2.UpdateResponse(properties=to_struct(outputs))

    @_reported
    def Delete(self, request: Any, context: grpc.ServicerContext) -> empty_pb2.Empty:
        _kind(request).delete(self.graph, request.id, from_struct(request.properties))
        return empty_pb2.Empty()

    @_reported
    def Invoke(self, request: Any, context: grpc.ServicerContext) -> provider_pb2.InvokeResponse:
        function = FUNCTIONS.get(request.tok)
        if function is None:
            served = ", ".join(sorted(FUNCTIONS))
            raise ProviderError(
                f"azuread (simulated): unknown function {request.tok!r}; served: {served}"
            )
        args = from_struct(request.args)
        try:
            result = function(self.graph, args)
        except CheckFailures as exc:
            return provider_pb2.InvokeResponse(failures=_failures(exc.failures))
        except ProviderError as exc:
            # As pulumi-terraform-bridge reports a data source's diagnostics: go-multierror's
            # bullet list, each diagnostic "summary: detail", "[attribute] " in front where the
            # diagnostic names one (the engine then adds its own prefix).
            raise ProviderError(
                f"invoking {request.tok}: 1 error occurred:\n\t* {exc}\n\n"
            ) from exc
        # The data source's state: its arguments as given, then what it read.
        return provider_pb2.InvokeResponse(**{"return": to_struct({**args, **result})})

    @_reported
    def Cancel(self, request: Any, context: grpc.ServicerContext) -> empty_pb2.Empty:
        return empty_pb2.Empty()
