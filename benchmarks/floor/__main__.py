"""The SDK floor: a minimal Pulumi program registering `bench:count` bare azuread grants (plain
string inputs, no component, no look-ups). Run by the benchmark harness the way the program's
`__main__.py` is run, so both pay the same per-resource cost of the SDK."""

import pulumi
import pulumi_azuread as azuread

count = pulumi.Config("bench").require_int("count")
for i in range(count):
    azuread.ServicePrincipalDelegatedPermissionGrant(
        f"grant-{i}",
        service_principal_object_id="00000000-0000-4000-8000-000000000001",
        resource_service_principal_object_id="00000000-0000-4000-8000-000000000002",
        claim_values=["Mail.ReadWrite.Shared", "Mail.Send.Shared"],
        user_object_id=f"{i:08x}-a000-4000-8000-000000000000",
    )
