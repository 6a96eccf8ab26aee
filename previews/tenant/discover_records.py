"""The records discovery keeps of what Graph returned, each built from one item of a listing and
checked field by field.

A field that decides the consent picture (ids, consentType, principalId, scope, tags,
appRoleAssignmentRequired, notes, principalType, userPrincipalName) and holds something Graph
never sends stops discovery with one line naming the listing, the record and the field: a grant
of unknown consentType read as tenant-wide, or tags that cannot be read as none, would make a
wrong drift report. A cosmetic field (a display name) that is not text becomes a problem in the
snapshot and is left blank."""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import Field

from catalog.strict import Strict
from previews.tenant.graph_errors import GraphError, quoted

ConsentType = Literal["AllPrincipals", "Principal"]
CONSENT_TYPES = ("AllPrincipals", "Principal")


class ServicePrincipalRecord(Strict):
    id: str
    app_id: str
    display_name: str = ""
    app_role_assignment_required: bool | None = None
    tags: list[str] = Field(default_factory=list)
    notes: str | None = None


class GrantRecord(Strict):
    id: str
    client_id: str
    resource_id: str
    consent_type: ConsentType
    principal_id: str | None = None
    scope: str = ""

    def scopes(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.scope.split())))


class AssignmentRecord(Strict):
    id: str
    resource_id: str
    principal_id: str
    principal_type: str
    app_role_id: str
    principal_display_name: str | None = None


class UserRecord(Strict):
    id: str
    user_principal_name: str


class GroupRecord(Strict):
    ref: str = Field(description="The reference as written in the stack's config.")
    id: str
    display_name: str
    user_ids: list[str] = Field(description="Transitive members that are users.")


class Fields:
    """One item of a listing (`where`: the path read; `index`: 1 for its first record), read
    field by field."""

    def __init__(
        self, where: str, index: int, item: dict[str, Any], problems: list[str] | None = None
    ) -> None:
        self.item = item
        self.problems = [] if problems is None else problems
        rid = item.get("id")
        named = f" (id {quoted(rid)})" if isinstance(rid, str) and rid else ""
        self.label = f"graph: GET {where}: record {index}{named}"

    def _is(self, key: str) -> str:
        return f"{key} is missing" if key not in self.item else f"{key} is {quoted(self.item[key])}"

    def error(self, key: str, expected: str) -> GraphError:
        return GraphError(f"{self.label}: {self._is(key)} (expected {expected})")

    def text(self, key: str, expected: str = "text") -> str:
        """Required, non-empty text."""
        value = self.item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, expected)
        return value

    def id(self, key: str = "id") -> str:
        return self.text(key, "an object id").lower()

    def optional_text(self, key: str) -> str | None:
        """Text, null or absent (None)."""
        value = self.item.get(key)
        if value is not None and not isinstance(value, str):
            raise self.error(key, "text or null")
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.item.get(key)
        if value not in choices:
            raise self.error(key, " or ".join(choices))
        return str(value)

    def flag(self, key: str) -> bool | None:
        value = self.item.get(key)
        if value is not None and not isinstance(value, bool):
            raise self.error(key, "true, false or null")
        return value

    def text_list(self, key: str) -> list[str]:
        value = self.item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, "a list of text")
        for position, entry in enumerate(value):
            if not isinstance(entry, str):
                raise GraphError(
                    f"{self.label}: {key}[{position}] is {quoted(entry)} (expected text)"
                )
        return list(value)

    def cosmetic(self, key: str) -> str | None:
        """Text shown to people only: anything else is a problem, and blank."""
        value = self.item.get(key)
        if value is None or isinstance(value, str):
            return value
        self.problems.append(f"{self.label}: {self._is(key)} (expected text); left blank")
        return None


def service_principal(f: Fields) -> ServicePrincipalRecord:
    return ServicePrincipalRecord(
        id=f.id(),
        app_id=f.id("appId"),
        display_name=f.cosmetic("displayName") or "",
        app_role_assignment_required=f.flag("appRoleAssignmentRequired"),
        tags=f.text_list("tags"),
        notes=f.optional_text("notes"),
    )


def grant(f: Fields) -> GrantRecord:
    consent = f.choice("consentType", CONSENT_TYPES)
    principal = f.optional_text("principalId")
    if consent == "Principal":
        principal = f.text("principalId", "a user's object id, for a Principal grant")
    return GrantRecord(
        id=f.text("id"),
        client_id=f.id("clientId"),
        resource_id=f.id("resourceId"),
        consent_type=cast(ConsentType, consent),
        principal_id=principal.lower() if principal else None,
        scope=f.optional_text("scope") or "",
    )


def assignment(f: Fields) -> AssignmentRecord:
    return AssignmentRecord(
        id=f.text("id"),
        resource_id=f.id("resourceId"),
        principal_id=f.id("principalId"),
        principal_type=f.text("principalType", "User, Group or ServicePrincipal"),
        app_role_id=f.id("appRoleId"),
        principal_display_name=f.cosmetic("principalDisplayName"),
    )


def user(f: Fields) -> UserRecord:
    return UserRecord(id=f.id(), user_principal_name=f.text("userPrincipalName"))
