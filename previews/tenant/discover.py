"""Reading a tenant for `entra-consent discover`: the project's name, a saved snapshot, and the
checks on the credentials before any request. The command itself (arguments, files written,
exit codes) is previews/cli/discover_run.py."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from catalog.problems import ConfigurationError, Problem, problems_from_validation
from catalog.yamlfile import read_yaml
from previews.tenant.discover_tenant import TenantSnapshot
from previews.tenant.graph_client import GraphError, TokenProvider, token_tenant

DEFAULT_PROJECT = "entra-consent"


def project_name(project_dir: Path) -> str:
    path = project_dir / "Pulumi.yaml"
    if not path.exists():
        return DEFAULT_PROJECT
    data, problems = read_yaml(path, "Pulumi.yaml")
    if problems:
        raise ConfigurationError(problems)
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else DEFAULT_PROJECT


def load_snapshot(path: Path) -> TenantSnapshot:
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError([Problem(file, "", f"cannot read ({exc.strerror})")]) from None
    try:
        return TenantSnapshot.model_validate_json(raw)
    except ValidationError as exc:
        raise ConfigurationError(problems_from_validation(exc, file)) from None


def check_token_tenant(token: TokenProvider, tenant_id: str | None, file: str) -> None:
    """Refuse to read another tenant than the stack's `azuread:tenantId`."""
    if tenant_id is None:
        return
    found = token_tenant(token())
    if found is not None and found != tenant_id:
        raise GraphError(
            f"credentials: the token is for tenant {found}, but {file} sets azuread:tenantId "
            f"{tenant_id} (log in to that tenant, e.g. az login --tenant {tenant_id}, or set AZURE_TENANT_ID)"
        )


def is_credential_error(exc: Exception) -> bool:
    return any(c.__name__ == "ClientAuthenticationError" for c in type(exc).__mro__)
