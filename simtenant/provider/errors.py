"""Errors the provider reports to the engine: one readable line each."""

from __future__ import annotations


class ProviderError(Exception):
    """A failed operation; the servicer turns it into a gRPC error (status UNKNOWN) whose
    message is `str(self)`, as the real provider's diagnostics reach the program."""


class GraphError(ProviderError):
    """Microsoft Graph answered with an error status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.graph_message = message
        super().__init__(f"{status} {code}: {message}")

    def during(self, operation: str) -> ProviderError:
        """`<operation>: <status> <code>: <message>`, the form every Graph failure takes."""
        return ProviderError(f"{operation}: {self}")


def diagnostic(summary: str, detail: str = "") -> ProviderError:
    """The real provider's `tf.ErrorDiagF(err, summary)`: summary, then the error's text."""
    return ProviderError(f"{summary}: {detail}" if detail else summary)


class CheckFailures(ProviderError):
    """Arguments that fail validation, as (property, reason) pairs: the servicer returns them
    as `failures` (Check, Invoke), as the real provider's schema validation does."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        self.failures = failures
        super().__init__("; ".join(f"{reason} ({prop})" for prop, reason in failures))
