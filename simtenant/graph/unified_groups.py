"""`GET /groups/{id}` with the Exchange settings of Microsoft 365 groups (`groupTypes:
["Unified"]`): `allowExternalSenders`, `autoSubscribeNewMembers`, `hideFromAddressLists`,
`hideFromOutlookClients`. Graph returns them only when `$select` names them, only on the
single-group GET, and only to delegated callers: an app-only token (client credentials) gets 403
`ErrorAccessDenied` "Access is denied. Check credentials and try again." for a Microsoft 365
group, whatever application permissions it holds. The code and text are Graph's answer as
terraform-provider-azuread users report it (hashicorp/terraform-provider-azuread#1866, "data
azuread_group not working with Microsoft 365 group type", and #1929, "reading a Microsoft 365
group with app-only auth always fails with 403 on Exchange-backed properties": "unexpected
status 403 (403 Forbidden) with error: ErrorAccessDenied: Access is denied. Check credentials
and try again."). The provider asks for the four settings for Unified groups only
(`internal/services/groups/groups.go` `groupGetAdditional`, lines 50-73 at v3.9.0, called from
`group_data_source.go` line 435 when `groupTypes` holds "Unified"), on `/beta`.

A delegated caller gets the settings (false: the simulator does not model them being set). A
group that is not a Microsoft 365 group answers them as null: such a group has no Exchange
mailbox behind it (Graph has been seen to answer 404 `ErrorInvalidGroup` instead in a tenant
without Exchange Online, microsoftgraph/msgraph-metadata#333, which the provider treats as "not
set"; the simulated tenant is a Microsoft 365 tenant)."""

from __future__ import annotations

from simtenant.graph import odata
from simtenant.graph.errors import GraphError
from simtenant.graph.replies import Call, Reply
from simtenant.graph.store import Obj

EXCHANGE_SETTINGS = (
    "allowExternalSenders",
    "autoSubscribeNewMembers",
    "hideFromAddressLists",
    "hideFromOutlookClients",
)


def is_unified(group: Obj) -> bool:
    return "Unified" in (group.get("groupTypes") or [])


def get_group(call: Call, group_id: str) -> Reply:
    group = call.tenant.group(group_id)
    names = odata.parse_select(call.query.get("$select"))
    # Property names in $select are matched without regard to case, as Graph matches them.
    asked = [s for s in EXCHANGE_SETTINGS if s.lower() in {n.lower() for n in names}]
    names += asked
    body = dict(group)
    if asked:
        if is_unified(group) and not call.delegated:
            raise GraphError(
                403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."
            )
        body.update({n: False if is_unified(group) else None for n in asked})
    body = {"@odata.context": call.context("groups/$entity"), **odata.select(body, names)}
    return Reply(200, body)
