"""What a resource of an `azuread` type the project does not declare gives, and to whom: the one
table the policy pack (`closed-world`) and the PR comment (a resource it cannot map) describe
such resources from, so that a reviewer reads "a directory role (Global Administrator) to
service principal X" rather than a count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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


# Built-in directory roles by role template id (Microsoft Entra built-in roles), the ones that
# can grant themselves or others consent or credentials; any other id is shown as it is.
DIRECTORY_ROLES = {
    "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
    "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
}
# The property naming the role, by type (last part of the type token).
ROLE_PROPERTIES = {
    "DirectoryRoleAssignment": "roleId",
    "DirectoryRoleEligibilityScheduleRequest": "roleDefinitionId",
}


def gives(resource_type: str, props: Mapping[str, object]) -> str | None:
    """What the resource gives, with the role's name where it is a well-known one."""
    power = power_of(resource_type)
    if power is None:
        return None
    role = role_name(resource_type, props)
    return f"{power.gives} (role {role})" if role else power.gives


def power_of(resource_type: str) -> Power | None:
    """What an `azuread` resource of this type gives (None for other packages and for the types
    the project declares or this table does not know)."""
    if resource_type.split(":", 1)[0] != "azuread":
        return None
    return POWERS.get(resource_type.rsplit(":", 1)[-1])


def role_name(resource_type: str, props: Mapping[str, object]) -> str | None:
    """The directory role a role assignment names, when it is a well-known one."""
    key = ROLE_PROPERTIES.get(resource_type.rsplit(":", 1)[-1])
    role = props.get(key) if key else None
    return DIRECTORY_ROLES.get(role.lower()) if isinstance(role, str) else None
