"""The servicer's wire work: results and errors as the engine receives them from
pulumi-terraform-bridge v3.137.0 (pkg/tfbridge/provider.go): diagnostics through go-multierror,
schema failures as check failures with no property (`NewCheckFailure`, check_failures.go lines
187-216), a detailed diff against the prior state, and `initializationError` (provider.go line
2070) for an object that got its id before its operation failed."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import grpc  # type: ignore[import-untyped]
from google.protobuf import any_pb2  # type: ignore[import-untyped]
from google.rpc import status_pb2  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2

from simtenant.provider.bridge import check_reason
from simtenant.provider.errors import (
    DiagnosticError,
    GraphError,
    PartialFailure,
    ProviderError,
    multierror,
)
from simtenant.provider.props import to_struct
from simtenant.provider.resource import DiffResult
from simtenant.provider.validation import Failure

R = TypeVar("R")
Handler = Callable[[Any, Any, grpc.ServicerContext], R]


class _Status(NamedTuple):
    """A `grpc.Status` with rich details (what grpcio-status's `rpc_status.to_status` makes)."""

    code: Any
    details: str
    trailing_metadata: tuple[tuple[str, bytes], ...]


def bridged(exc: ProviderError) -> str:
    """A provider diagnostic as the bridge's error text; other errors as they are."""
    if isinstance(exc, DiagnosticError | GraphError):
        return multierror([str(exc)])
    return str(exc)


def reported(method: Handler[R]) -> Handler[R]:
    """ProviderError -> gRPC UNKNOWN with its message; anything else likewise, with the
    traceback on stderr."""

    @functools.wraps(method)
    def wrapper(self: Any, request: Any, context: grpc.ServicerContext) -> R:
        try:
            return method(self, request, context)
        except InitFailed as exc:
            context.abort_with_status(exc.status)
        except ProviderError as exc:
            context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            context.abort(grpc.StatusCode.UNKNOWN, f"azuread (simulated): internal error: {exc!r}")
        raise AssertionError("unreachable")  # context.abort raises

    return wrapper


def type_of(request: Any) -> str:
    """The resource type token: the request's `type`, else the last part of its URN's type."""
    typ = getattr(request, "type", "")
    if typ:
        return str(typ)
    parts = str(request.urn).split("::")
    return parts[2].split("$")[-1] if len(parts) > 3 else ""


def name_of(request: Any) -> str:
    return str(getattr(request, "name", "") or str(request.urn).split("::")[-1])


def failures(name: str, failures: list[Failure]) -> list[provider_pb2.CheckFailure]:
    return [
        provider_pb2.CheckFailure(
            property="", reason=check_reason(name, f.summary, f.detail, f.path)
        )
        for f in failures
    ]


def diff_response(result: DiffResult) -> provider_pb2.DiffResponse:
    kinds = provider_pb2.PropertyDiff.Kind
    return provider_pb2.DiffResponse(
        changes=provider_pb2.DiffResponse.DIFF_SOME
        if result.changes
        else provider_pb2.DiffResponse.DIFF_NONE,
        diffs=sorted(result.changes),
        replaces=sorted(result.replaces),
        stables=result.stables,
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


class InitFailed(Exception):
    """The bridge's `initializationError`: the error, with the id and partial state as
    ErrorResourceInitFailed details, so the engine keeps the object in its state."""

    def __init__(self, exc: PartialFailure, reason: str) -> None:
        super().__init__(reason)
        detail = any_pb2.Any()
        detail.Pack(
            provider_pb2.ErrorResourceInitFailed(
                id=exc.resource_id, properties=to_struct(exc.outputs), reasons=[reason]
            )
        )
        rich = status_pb2.Status(
            code=grpc.StatusCode.UNKNOWN.value[0], message=reason, details=[detail]
        )
        self.status = _Status(
            grpc.StatusCode.UNKNOWN,
            reason,
            (("grpc-status-details-bin", rich.SerializeToString()),),
        )
