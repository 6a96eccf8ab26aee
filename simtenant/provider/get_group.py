"""`azuread:index/getGroup:getGroup`, as the real data source reads (all through Graph beta;
internal/services/groups/group_data_source.go `groupDataSourceRead`, lines 262-500 of
terraform-provider-azuread v3.9.0): by object id, or by a display name / mail nickname filter
built WITHOUT escaping quotes (a name with an apostrophe fails with Graph's 400); for a
Microsoft 365 group (groupTypes "Unified") its four Exchange settings by a second GET
(`groupGetAdditional`, groups.go lines 50-73: a 404 is no error, any other failure is, and
Graph answers 403 to app-only credentials); members from `transitiveMembers` (every object
type, paged, no cap) when `includeTransitiveMembers`, else the direct `members`; then the
owners, any failure failing the read."""

from __future__ import annotations

from typing import Any

from simtenant.provider.errors import CheckFailures, GraphError, diagnostic, not_found
from simtenant.provider.graph import Graph, Json
from simtenant.provider.props import Props, flag, text

TOKEN = "azuread:index/getGroup:getGroup"
_ONE_OF = "`display_name,mail_nickname,object_id`"
# groupGetAdditional's $select, in its order.
_EXCHANGE = (
    "allowExternalSenders",
    "autoSubscribeNewMembers",
    "hideFromAddressLists",
    "hideFromOutlookClients",
)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _filter(prop: str, value: str, args: Props) -> str:
    out = f"{prop} eq '{value}'"  # not escaped: the real provider's behaviour
    for key in ("mailEnabled", "securityEnabled"):
        if isinstance(args.get(key), bool):
            out += f" and {key} eq {str(args[key]).lower()}"
    return out


def _by_filter(graph: Graph, prop: str, tf_name: str, value: str, args: Props) -> Json:
    query = _filter(prop, value, args)
    try:
        groups = graph.list("groups", {"$filter": query}, beta=True)
    except GraphError as exc:
        if not_found(exc):
            raise exc.during(f"No group found matching specified filter ({query})") from exc
        raise exc.during(f"Retrieving groups for filter ({query})") from exc
    if len(groups) > 1:
        raise diagnostic(
            f"More than one group found matching specified filter ({query})", attribute=tf_name
        )
    if not groups:
        raise diagnostic(f"No group found matching specified filter ({query})", attribute=tf_name)
    return groups[0]


def _by_id(graph: Graph, object_id: str, args: Props) -> Json:
    try:
        group = graph.get(f"groups/{object_id}", beta=True)
    except GraphError as exc:
        if not_found(exc):
            raise diagnostic(
                f"No group found with object ID: {_quoted(object_id)}", attribute="object_id"
            ) from exc
        raise exc.during(f"Retrieving group with object ID: {_quoted(object_id)}") from exc
    for key, tf_name in (("mailEnabled", "mail_enabled"), ("securityEnabled", "security_enabled")):
        wanted = args.get(key)
        if isinstance(wanted, bool) and (group.get(key) is True) != wanted:
            actual = "nil" if group.get(key) is None else str(group.get(key)).lower()
            raise diagnostic(
                f"Group with object ID {_quoted(object_id)} does not have the specified "
                f"{tf_name} setting (expected: {str(wanted).lower()}, actual: {actual})",
                attribute=tf_name,
            )
    return group


def _ids(graph: Graph, path: str, operation: str) -> list[str]:
    """Ids of a directoryObject collection."""
    try:
        return [str(item.get("id")) for item in graph.list(path, beta=True) if item.get("id")]
    except GraphError as exc:
        raise exc.during(operation) from exc


def _exchange_settings(graph: Graph, group: Json, object_id: str) -> Json:
    """A Microsoft 365 group's four Exchange settings ({} for any other group)."""
    types = group.get("groupTypes")
    if not isinstance(types, list) or "Unified" not in types:
        return {}
    try:
        return graph.get(f"groups/{object_id}", {"$select": ",".join(_EXCHANGE)}, beta=True)
    except GraphError as exc:
        if not_found(exc):
            return {}
        raise diagnostic(
            f"Could not retrieve group with object ID {_quoted(f'/groups/{object_id}')}",
            f"retrieving additional fields: {exc}",
        ) from exc


def get_group(graph: Graph, args: Props) -> Props:
    chosen = [k for k in ("displayName", "objectId", "mailNickname") if text(args, k)]
    if len(chosen) != 1:
        verb = "must be specified" if not chosen else "can be specified, but more were specified"
        raise CheckFailures([("displayName", f'"display_name": only one of {_ONE_OF} {verb}')])
    if chosen[0] == "displayName":
        group = _by_filter(graph, "displayName", "display_name", text(args, "displayName"), args)
    elif chosen[0] == "mailNickname":
        group = _by_filter(graph, "mailNickname", "mail_nickname", text(args, "mailNickname"), args)
    else:
        group = _by_id(graph, text(args, "objectId"), args)
    object_id = str(group.get("id") or "")
    if not object_id:
        raise diagnostic("Bad API Response", "API returned group with nil object ID")
    quoted = _quoted(f"/groups/{object_id}")
    exchange = _exchange_settings(graph, group, object_id)
    if flag(args, "includeTransitiveMembers"):
        members = _ids(
            graph,
            f"groups/{object_id}/transitiveMembers",
            f"Could not retrieve transitive group members for group with object ID: {quoted}",
        )
    else:
        members = _ids(
            graph,
            f"groups/{object_id}/members",
            f"Could not retrieve group members for group with object ID: {quoted}",
        )
    owners = _ids(
        graph,
        f"groups/{object_id}/owners",
        f"Could not retrieve group owners for group with object ID: {quoted}",
    )
    return {
        **_flatten(group),
        "autoSubscribeNewMembers": exchange.get("autoSubscribeNewMembers") is True,
        "externalSendersAllowed": exchange.get("allowExternalSenders") is True,
        "hideFromAddressLists": exchange.get("hideFromAddressLists") is True,
        "hideFromOutlookClients": exchange.get("hideFromOutlookClients") is True,
        "id": f"/groups/{object_id}",
        "members": members,
        "owners": owners,
    }


def _s(group: Json, key: str) -> str:
    value = group.get(key)
    return value if isinstance(value, str) else ""


def _list(group: Json, key: str) -> list[str]:
    value: Any = group.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _flatten(group: Json) -> Props:
    writeback = group.get("writebackConfiguration")
    writeback = writeback if isinstance(writeback, dict) else {}
    rule = group.get("membershipRule")
    dynamic = (
        [{"enabled": group.get("membershipRuleProcessingState") != "Paused", "rule": rule}]
        if isinstance(rule, str)
        else []
    )
    return {
        "assignableToRole": group.get("isAssignableToRole") is True,
        "behaviors": _list(group, "resourceBehaviorOptions"),
        "description": _s(group, "description"),
        "displayName": _s(group, "displayName"),
        "dynamicMemberships": dynamic,
        "mail": _s(group, "mail"),
        "mailEnabled": group.get("mailEnabled") is True,
        "mailNickname": _s(group, "mailNickname"),
        "objectId": _s(group, "id"),
        "onpremisesDomainName": _s(group, "onPremisesDomainName"),
        "onpremisesGroupType": _s(writeback, "onPremisesGroupType"),
        "onpremisesNetbiosName": _s(group, "onPremisesNetBiosName"),
        "onpremisesSamAccountName": _s(group, "onPremisesSamAccountName"),
        "onpremisesSecurityIdentifier": _s(group, "onPremisesSecurityIdentifier"),
        "onpremisesSyncEnabled": group.get("onPremisesSyncEnabled") is True,
        "preferredLanguage": _s(group, "preferredLanguage"),
        "provisioningOptions": _list(group, "resourceProvisioningOptions"),
        "proxyAddresses": _list(group, "proxyAddresses"),
        "securityEnabled": group.get("securityEnabled") is True,
        "theme": _s(group, "theme"),
        "types": _list(group, "groupTypes"),
        "visibility": _s(group, "visibility"),
        "writebackEnabled": writeback.get("isEnabled") is True,
    }
