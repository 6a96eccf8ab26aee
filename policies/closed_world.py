"""`closed-world`: a stack of this project declares the consent the catalogue lists and nothing
else (DESIGN §7). Every resource of a provider package other than the three `azuread` types the
components declare is refused, unless the policy config allows its type.

Which resources are a provider's: those of the package of a provider resource
(`pulumi:providers:<package>`) the stack registers, and every `azuread` type whatever the
stack registers. A program's own component types (no provider) only group resources, which
are judged themselves. For the `azuread` types that give access, the message says what they
give whom.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.catalogue import Catalogue
from components.core.naming import ASSIGNMENT_TYPE, GRANT_TYPE, SERVICE_PRINCIPAL_TYPE

from .config import ClosedWorldConfig, RuleConfig
from .property_values import known_str
from .resources import Resource
from .stack import Stack
from .violation import Violation

DECLARED = frozenset({SERVICE_PRINCIPAL_TYPE, GRANT_TYPE, ASSIGNMENT_TYPE})
PROVIDER_PREFIX = "pulumi:providers:"


@dataclass(frozen=True)
class Power:
    gives: str  # what the resource gives, to the principal named by `who`
    who: tuple[str, ...]  # properties naming the recipient, first found wins


# azuread types that give an identity access, by the token's last part.
POWERS = {
    "DirectoryRoleAssignment": Power(
        "a directory role (e.g. Global Administrator) over the whole directory",
        ("principalObjectId",),
    ),
    "DirectoryRoleMember": Power("a directory role over the whole directory", ("memberObjectId",)),
    "DirectoryRoleEligibilityScheduleRequest": Power(
        "eligibility for a directory role", ("principalId",)
    ),
    "CustomDirectoryRole": Power("a new directory role with the permissions it lists", ()),
    "ServicePrincipalPassword": Power(
        "a password for the service principal: whoever holds it signs in as the app",
        ("servicePrincipalId",),
    ),
    "ServicePrincipalCertificate": Power(
        "a certificate credential: whoever holds its key signs in as the app",
        ("servicePrincipalId",),
    ),
    "ServicePrincipalTokenSigningCertificate": Power(
        "a token signing certificate for the app's single sign-on", ("servicePrincipalId",)
    ),
    "ServicePrincipalClaimsMappingPolicyAssignment": Power(
        "a claims-mapping policy that changes the claims in the app's tokens",
        ("servicePrincipalId",),
    ),
    "ClaimsMappingPolicy": Power("a claims-mapping policy (tokens' claims)", ()),
    "ApplicationPassword": Power(
        "a password for an app registration: whoever holds it signs in as the app",
        ("applicationId", "applicationObjectId"),
    ),
    "ApplicationCertificate": Power(
        "a certificate credential for an app registration",
        ("applicationId", "applicationObjectId"),
    ),
    "ApplicationFederatedIdentityCredential": Power(
        "a federated identity credential: tokens of an outside issuer sign in as the app",
        ("applicationId", "applicationObjectId"),
    ),
    "ApplicationFlexibleFederatedIdentityCredential": Power(
        "a federated identity credential: tokens of an outside issuer sign in as the app",
        ("applicationId",),
    ),
    "Application": Power("an app registration, with whatever permissions it requests", ()),
    "ApplicationRegistration": Power("an app registration", ()),
    "ApplicationApiAccess": Power(
        "API permissions requested by an app registration", ("applicationId",)
    ),
    "ApplicationOwner": Power(
        "ownership of an app registration (owners add credentials)", ("ownerObjectId",)
    ),
    "GroupMember": Power(
        "membership of a group, with every assignment and role the group holds",
        ("memberObjectId",),
    ),
    "Group": Power("a group, with the members and roles it is given", ()),
    "AdministrativeUnitMember": Power("membership of an administrative unit", ("memberObjectId",)),
    "AdministrativeUnitRoleMember": Power(
        "a directory role scoped to an administrative unit", ("memberObjectId",)
    ),
    "AccessPackageAssignmentPolicy": Power("a way to request an access package", ()),
    "PrivilegedAccessGroupAssignmentSchedule": Power(
        "privileged membership or ownership of a group", ("principalId",)
    ),
    "PrivilegedAccessGroupEligibilitySchedule": Power(
        "eligibility for privileged membership or ownership of a group", ("principalId",)
    ),
    "ConditionalAccessPolicy": Power("a Conditional Access policy (who may sign in, how)", ()),
    "User": Power("a new user account", ()),
    "Invitation": Power("a guest user account", ()),
    "SynchronizationSecret": Power("provisioning credentials for the app", ()),
}


def _package(typ: str) -> str:
    return typ.split(":", 1)[0]


def _whom(resource: Resource, stack: Stack, power: Power) -> str:
    for key in power.who:
        value = known_str(resource.props.get(key))
        if isinstance(value, str):
            holders = stack.by_object_id(value)
            if len(holders) == 1:
                return f" to {holders[0].name} ({key} {value})"
            return f" to {key} {value}"
        if value is not None:
            return f" to a principal not known until apply ({key})"
    return ""


def closed_world(stack: Stack, _catalogue: Catalogue | None, config: RuleConfig) -> list[Violation]:
    """A violation for every resource outside the closed world."""
    assert isinstance(config, ClosedWorldConfig)
    providers = {
        r.type.removeprefix(PROVIDER_PREFIX)
        for r in stack.resources
        if r.type.startswith(PROVIDER_PREFIX)
    } | {"azuread"}
    allowed = set(config.allowedTypes)
    out = []
    for r in stack.resources:
        if r.type in DECLARED or r.type in allowed or r.type.startswith(PROVIDER_PREFIX):
            continue
        if _package(r.type) not in providers:
            continue  # a component of the program's own: its children are judged
        power = POWERS.get(r.type.rsplit(":", 1)[-1]) if _package(r.type) == "azuread" else None
        gives = (
            f"it would give {power.gives}{_whom(r, stack, power)}"
            if power is not None
            else "this project declares no such resource, and the pack cannot tell what access it gives"
        )
        out.append(
            Violation(
                f"resource {r.name} ({r.type}): {gives}; the stack may declare only enterprise "
                "apps, delegated grants and app role assignments of the catalogue (remove it, "
                f'or allow its type through review in the policy config under closed-world.allowedTypes: ["{r.type}"])',
                r.urn,
            )
        )
    return out
