"""File formats of the catalogue (`catalog/apis/*.yaml`, `catalog/apps/*.yaml`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from catalog.guid import Guid
from catalog.strict import StrictTypes

ConsentMode = Literal["tenant", "principals"]
# Microsoft's privilege levels run 1-5; from this level on a scope counts as high-privilege: the
# pack's default threshold for tenant-wide grants, and what the preview flags.
HIGH_PRIVILEGE_LEVEL = 4
NonEmptyStr = Annotated[str, Field(min_length=1)]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class ApiScope(StrictTypes):
    id: Guid
    admin_consent_required: bool
    privilege_level: Annotated[int, Field(ge=1, le=5)] | None = Field(
        default=None, description="Microsoft's privilege level 1-5; null where none is published."
    )


class ApiFile(StrictTypes):
    """One resource API (`catalog/apis/<key>.yaml`)."""

    key: Key
    display_name: NonEmptyStr
    app_id: Guid
    source: NonEmptyStr
    scopes: dict[NonEmptyStr, ApiScope] = Field(description="Delegated scopes by value.")
    previous_keys: list[Key] = Field(
        default_factory=list,
        description=(
            "Keys this entry had before a rename: resources named after them are carried over "
            "(Pulumi aliases), not deleted and created again."
        ),
    )


class AppRole(StrictTypes):
    id: Guid
    display_name: NonEmptyStr
    description: str | None = None


class AppEntry(StrictTypes):
    """One enterprise application (one client id)."""

    display_name: NonEmptyStr
    client_id: Guid
    publisher: str | None = None
    source: str | None = None
    app_roles: dict[Key, AppRole] = Field(
        default_factory=dict,
        description="Roles the vendor publishes; without any, assignments use the default role.",
    )
    previous_keys: list[Key] = Field(
        default_factory=list,
        description=(
            "Keys this entry had before a rename: resources named after them are carried over "
            "(Pulumi aliases), not deleted and created again."
        ),
    )


class GrantEntry(StrictTypes):
    required: list[NonEmptyStr] = Field(default_factory=list)
    optional: list[NonEmptyStr] = Field(default_factory=list)


class FeatureEntry(StrictTypes):
    app: Key
    description: NonEmptyStr
    source: NonEmptyStr
    consent_modes: Annotated[list[ConsentMode], Field(min_length=1)]
    grants: dict[Key, GrantEntry] = Field(description="Scopes per resource API key.")
    verified: bool = Field(
        default=True,
        description="False when the vendor does not publish this scope set and it was inferred.",
    )
    notes: str | None = None


class AppsFile(StrictTypes):
    """One vendor product (`catalog/apps/<vendor>.yaml`)."""

    vendor: NonEmptyStr
    apps: dict[Key, AppEntry]
    features: dict[Key, FeatureEntry]
