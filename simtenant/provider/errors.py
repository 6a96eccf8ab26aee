"""Errors as the real provider words them, from the Graph answer up to the engine.

- Graph's error answer, as go-azure-sdk's client turns it into a Go error
  (`sdk/client/client.go`, `Client.Execute`, lines 527-578 of sdk v0.20260212.1143955):
  `unexpected status 404 (404 Not Found) with error: Request_ResourceNotFound: <message>`, the
  OData error read as `odata.Error.String()` (`sdk/odata/errors.go` lines 105-119: code, message
  and a non-empty inner error joined by ": "); `... with response: <body>` when the body holds
  no OData error; `... received with no body` when it is empty. `GraphError`.
- A diagnostic of terraform-provider-azuread v3.9.0 (`internal/helpers/tf/errors.go`,
  `ErrorDiagF`/`ErrorDiagPathF`): a summary, the error's text as detail, and an attribute path
  the bridge writes in front (`pkg/tfshim/diagnostics/error.go`, `ValidationError.Error`:
  `[attr] summary: detail`). `Diagnostic`, `diagnostic()`.
- The bridge then joins a call's error diagnostics with go-multierror (`multierror()`; the
  servicer adds what each RPC puts in front)."""

from __future__ import annotations

import http
import json
import re
from dataclasses import dataclass
from typing import Any

from simtenant.provider.props import Props


class ProviderError(Exception):
    """A failed operation; the servicer sends `str(self)` as the gRPC error's message."""


@dataclass(frozen=True)
class Diagnostic:
    summary: str
    detail: str = ""
    attribute: str = ""  # the top-level Terraform attribute the diagnostic names, if any

    def __str__(self) -> str:
        text = f"{self.summary}: {self.detail}" if self.detail else self.summary
        return f"[{self.attribute}] {text}" if self.attribute else text


class DiagnosticError(ProviderError):
    """An operation that ended with one of the provider's error diagnostics."""

    def __init__(self, diag: Diagnostic) -> None:
        self.diagnostic = diag
        super().__init__(str(diag))


def diagnostic(summary: str, detail: str = "", attribute: str = "") -> DiagnosticError:
    return DiagnosticError(Diagnostic(summary, detail, attribute))


def multierror(errors: list[str]) -> str:
    """go-multierror's ListFormatFunc, which the bridge's errors go through."""
    if len(errors) == 1:
        return f"1 error occurred:\n\t* {errors[0]}\n\n"
    points = "\n\t".join(f"* {e}" for e in errors)
    return f"{len(errors)} errors occurred:\n\t{points}\n\n"


def odata_error_text(error: Any) -> str:
    """`odata.Error.String()`: code, message (a string, or an object's `value`) and the inner
    error's own text, the non-empty ones joined by ": "."""
    if not isinstance(error, dict):
        return ""
    parts: list[str] = []
    if isinstance(error.get("code"), str):
        parts.append(error["code"])
    message = error.get("message")
    if isinstance(message, dict):
        message = message.get("value")
    if isinstance(message, str):
        parts.append(message)
    inner = odata_error_text(error.get("innerError"))
    if inner:
        parts.append(inner)
    return ": ".join(parts)


class GraphError(ProviderError):
    """A Graph request that failed: an unexpected status (`from_response`), or no answer in
    time or at all (status 0, Go's `url.Error` text)."""

    def __init__(
        self, text: str, status: int = 0, odata: str = "", code: str = "", message: str = ""
    ) -> None:
        self.status = status
        self.odata = odata  # odata.Error.String(); "" when the answer holds no OData error
        self.code = code
        self.graph_message = message
        super().__init__(text)

    @classmethod
    def from_response(cls, status: int, reason: str, body: bytes, content_type: str) -> GraphError:
        parsed: Any = None
        if content_type.lower().startswith("application/json"):
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
        error = parsed.get("error") if isinstance(parsed, dict) else None
        odata, code, message = "", "", ""
        if isinstance(error, dict):
            odata = odata_error_text(error)
            code = error["code"] if isinstance(error.get("code"), str) else ""
            raw = error.get("message")
            raw = raw.get("value") if isinstance(raw, dict) else raw
            message = raw if isinstance(raw, str) else ""
        label = _status_label(status, reason)
        if odata:
            text = f"unexpected status {label} with error: {odata}"
        elif body:
            text = f"unexpected status {label} with response: {body.decode('utf-8', 'replace')}"
        else:
            text = f"unexpected status {label} received with no body"
        return cls(text, status, odata, code, message)

    def matches(self, pattern: str) -> bool:
        """`odata.Error.Match`: the regular expression found in the OData error's text."""
        return bool(self.odata) and re.search(pattern, self.odata) is not None

    def during(self, summary: str, attribute: str = "") -> DiagnosticError:
        """`tf.ErrorDiagF(err, summary)` (with `attribute`: `tf.ErrorDiagPathF`)."""
        return diagnostic(summary, str(self), attribute)


def _status_label(status: int, reason: str) -> str:
    """`404 (404 Not Found)`: Go's `resp.Status` (the status line's code and reason) in
    brackets, else the standard text for the code."""
    if reason:
        return f"{status} ({status} {reason})"
    try:
        return f"{status} ({http.HTTPStatus(status).phrase})"
    except ValueError:
        return str(status)


def not_found(exc: GraphError) -> bool:
    """`response.WasNotFound`."""
    return exc.status == 404


class CheckFailures(ProviderError):
    """Arguments that fail validation, as (property, reason) pairs: the servicer returns them
    as `failures` (Check, Invoke), as the bridge returns the schema's validation errors."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        self.failures = failures
        super().__init__("; ".join(reason for _, reason in failures))


class PartialFailure(ProviderError):
    """A create or update that failed after the object got its id: Terraform keeps the
    partial state, and the bridge answers with the id, that state and the reason
    (`initializationError`, pkg/tfbridge/provider.go line 2070 of bridge v3.137.0)."""

    def __init__(self, resource_id: str, outputs: Props, cause: ProviderError) -> None:
        self.resource_id = resource_id
        self.outputs = outputs
        self.cause = cause
        super().__init__(str(cause))
