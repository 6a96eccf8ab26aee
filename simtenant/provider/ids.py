"""Resource ids as the real provider writes and parses them (go-azure-sdk's resourceids):
`/servicePrincipals/{id}`, `/oauth2PermissionGrants/{id}` and
`/servicePrincipals/{resourceId}/appRoleAssignedTo/{assignmentId}`. Anything else is refused
with the parser's message, folded onto one line."""

from __future__ import annotations

from dataclasses import dataclass

from simtenant.provider.errors import ProviderError


@dataclass(frozen=True)
class IdShape:
    """Segments alternate between literals and named values, as in go-azure-sdk."""

    name: str  # e.g. "ServicePrincipal": the parser names the id type in its errors
    segments: tuple[str, ...]  # literals, and `{name}` for values
    title: str = ""  # `String()`: "Service Principal (Service Principal: \"…\")"
    components: tuple[str, ...] = ()  # the title of each value, in order

    def describe(self, *values: str) -> str:
        """The id's `String()`, as diagnostics print it (`%s`): its title, then each value
        named and quoted, one per line."""
        parts = [f"{c}: {quoted(v)}" for c, v in zip(self.components, values, strict=True)]
        return f"{self.title} ({chr(10).join(parts)})"

    def format(self, *values: str) -> str:
        out, it = [], iter(values)
        for segment in self.segments:
            out.append(next(it) if segment.startswith("{") else segment)
        return "/" + "/".join(out)

    def parse(self, raw: str) -> tuple[str, ...]:
        expected = "/" + "/".join(s.strip("{}") for s in self.segments)
        parts = raw.strip("/").split("/") if raw.strip("/") else []
        prefix = f'parsing "{raw}": parsing the {self.name} ID'
        if len(parts) != len(self.segments):
            raise ProviderError(
                f"{prefix}: the number of segments didn't match; expected a {self.name} ID "
                f"that matched (containing {len(self.segments)} segments): {expected}"
            )
        values: list[str] = []
        for position, (segment, part) in enumerate(zip(self.segments, parts, strict=True)):
            if segment.startswith("{"):
                ok = bool(part)
                values.append(part)
            else:
                ok = part == segment
            if not ok:
                raise ProviderError(
                    f"{prefix}: the segment at position {position} didn't match; expected a "
                    f"{self.name} ID that matched: {expected}"
                )
        return tuple(values)


def quoted(value: str) -> str:
    """Go's `%q` for the plain text ids and names are."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# `String()` of go-azure-sdk's microsoft-graph common-types/stable ids (id_serviceprincipal.go,
# id_oauth2permissiongrant.go, id_serviceprincipalidapproleassignedto.go).
SERVICE_PRINCIPAL = IdShape(
    "ServicePrincipal",
    ("servicePrincipals", "{servicePrincipalId}"),
    "Service Principal",
    ("Service Principal",),
)
GRANT = IdShape(
    "OAuth2PermissionGrant",
    ("oauth2PermissionGrants", "{oAuth2PermissionGrantId}"),
    "O Auth 2 Permission Grant",
    ("O Auth 2 Permission Grant",),
)
ASSIGNMENT = IdShape(
    "ServicePrincipalIdAppRoleAssignedTo",
    ("servicePrincipals", "{servicePrincipalId}", "appRoleAssignedTo", "{appRoleAssignmentId}"),
    "Service Principal Id App Role Assigned To",
    ("Service Principal", "App Role Assignment"),
)
