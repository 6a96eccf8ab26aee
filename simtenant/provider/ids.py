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


SERVICE_PRINCIPAL = IdShape("ServicePrincipal", ("servicePrincipals", "{servicePrincipalId}"))
GRANT = IdShape("OAuth2PermissionGrant", ("oauth2PermissionGrants", "{oAuth2PermissionGrantId}"))
ASSIGNMENT = IdShape(
    "ServicePrincipalIdAppRoleAssignedTo",
    ("servicePrincipals", "{servicePrincipalId}", "appRoleAssignedTo", "{appRoleAssignmentId}"),
)
