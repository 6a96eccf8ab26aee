"""The resources of a stack as the pack sees them: plain values (no Pulumi import) with the
properties the rules read, and the grants and assignments read from them (`stack.py` reads
them and ties them to their service principals)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from components.core.naming import RESOURCE_API_TYPE

from .property_values import Unknown, known_str

TENANT = "all principals (tenant-wide)"


@dataclass(slots=True)
class Resource:
    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    dependencies: Sequence[str] = ()
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)
    parent: str = ""
    ignore_changes: Sequence[str] = ()  # its `ignoreChanges` resource option
    provider: str = ""  # the URN of the provider resource that writes it ("" for a component)
    # That provider was registered by the program (it has a parent), whatever its name: the
    # engine's default providers have none.
    provider_by_program: bool = False

    @property
    def client_id(self) -> str | Unknown | None:
        """The app id this service principal (or `ResourceApi`) stands for."""
        value = known_str(self.props.get("appId" if self.type == RESOURCE_API_TYPE else "clientId"))
        return value.lower() if isinstance(value, str) else value

    @property
    def object_ids(self) -> set[str]:
        """Object ids this service principal answers to (known values only)."""
        out = set()
        object_id = known_str(self.props.get("objectId"))
        if isinstance(object_id, str):
            out.add(object_id.lower())
        resource_id = known_str(self.props.get("id"))
        if isinstance(resource_id, str):
            out.add(resource_id.rsplit("/", 1)[-1].lower())
        return out


@dataclass(frozen=True, slots=True)
class Link:
    """Where a grant's or an assignment's object id property leads: the registered service
    principal (or `ResourceApi`) it names, or why it cannot be tied to one."""

    target: Resource | None
    problem: str | None = None


@dataclass(slots=True)
class Grant:
    resource: Resource
    client: Resource | None
    api: Resource | None
    scopes: tuple[str, ...] | Unknown
    user: str | Unknown | None  # None: tenant-wide
    links: tuple[tuple[str, Link], ...] = ()

    @property
    def tenant_wide(self) -> bool:
        """Tenant-wide, or may be: a user not known at preview can resolve to none at apply,
        which makes the grant tenant-wide, so the rules judge it as the worst it could be."""
        return self.user is None or isinstance(self.user, Unknown)

    @property
    def target(self) -> str:
        if self.user is None:
            return TENANT
        if isinstance(self.user, Unknown):
            return "a user not known until apply (may be tenant-wide)"
        return f"user {self.user}"


@dataclass(slots=True)
class Assignment:
    resource: Resource
    app: Resource | None
    role: str | Unknown | None
    principal: str | Unknown | None
    links: tuple[tuple[str, Link], ...] = ()
