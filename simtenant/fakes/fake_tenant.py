"""A fake tenant for Pulumi's mock runtime: users, groups and service principals with ids
derived from their names, so that every run of a test sees the same ids."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

NS = uuid.UUID("6f1c8f3e-0d3b-4a8f-9a53-3c2d6f0b7a11")


EXAMPLE_TENANT_ID = "11111111-2222-3333-4444-555555555555"  # Pulumi.dev.yaml's azuread:tenantId


def fake_id(*parts: str) -> str:
    return str(uuid.uuid5(NS, "/".join(parts)))


@dataclass
class FakeTenant:
    """users: object id -> UPN; groups: display name -> (object id, transitive member ids);
    service_principals: appId -> object id of the tenant's existing service principals;
    m365_groups: display names of groups that are Microsoft 365 (Unified) groups, which the
    provider's `get_group` cannot read under app-only credentials; sign_in_error: the provider
    cannot sign in, and every invoke fails with this text (as Entra's refusal reaches it)."""

    users: dict[str, str] = field(default_factory=dict)
    groups: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    service_principals: dict[str, str] = field(default_factory=dict)
    tenant_id: str = EXAMPLE_TENANT_ID  # the tenant the provider is signed in to
    m365_groups: set[str] = field(default_factory=set)
    sign_in_error: str | None = None

    @classmethod
    def from_file(cls, path: Path) -> FakeTenant:
        import yaml

        data = yaml.safe_load(path.read_text("utf-8"))
        users = {fake_id("user", upn): upn for upn in data.get("users", [])}
        by_upn = {upn.lower(): oid for oid, upn in users.items()}
        groups = {}
        for name, members in (data.get("groups") or {}).items():
            ids = [by_upn.get(str(m).lower(), str(m)) for m in members]
            groups[name] = (fake_id("group", name), ids)
        sps = {app_id: fake_id("sp", app_id) for app_id in data.get("service_principals", [])}
        return cls(users=users, groups=groups, service_principals=sps)
