"""`azuread:index/getGroup:getGroup`, as the real data source reads (all through Graph beta):
by object id, or by a display name / mail nickname filter built WITHOUT escaping quotes (a
name with an apostrophe fails with Graph's 400); members from `transitiveMembers` (every object
type, paged, no cap) when `includeTransitiveMembers`, else the direct `members`."""

from __future__ import annotations

from typing import Any

from simtenant.provider.errors import CheckFailures, GraphError, diagnostic
from simtenant.provider.graph import Graph, Json, not_found
from simtenant.provider.props import Props, flag, text

TOKEN = "azuread:index/getGroup:getGroup"
_ONE_OF = "`display_name,mail_nickname,object_id`"


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
        raise diagnostic(f"More than one group found matching specified filter ({query})")
    if not groups:
        raise diagnostic(f"[{tf_name}] No group found matching specified filter ({query})")
    return groups[0]


def _by_id(graph: Graph, object_id: str, args: Props) -> Json:
    try:
        group = graph.get(f"groups/{object_id}", beta=True)
    except GraphError as exc:
        if not_found(exc):
            raise diagnostic(
                f"[object_id] No group found with object ID: {_quoted(object_id)}"
            ) from exc
        raise exc.during(f"Retrieving group with object ID: {_quoted(object_id)}") from exc
    for key, tf_name in (("mailEnabled", "mail_enabled"), ("securityEnabled", "security_enabled")):
        wanted = args.get(key)
        if isinstance(wanted, bool) and (group.get(key) is True) != wanted:
            actual = "nil" if group.get(key) is None else str(group.get(key)).lower()
            raise diagnostic(
                f"Group with object ID {_quoted(object_id)} does not have the specified "
                f"{tf_name} setting (expected: {str(wanted).lower()}, actual: {actual})"
            )
    return group


def _ids(graph: Graph, path: str, operation: str, *, missing_ok: bool = False) -> list[str]:
    """Ids of a directoryObject collection. `missing_ok`: a 404 is an empty list."""
    try:
        return [str(item.get("id")) for item in graph.list(path, beta=True) if item.get("id")]
    except GraphError as exc:
        if missing_ok and not_found(exc):
            return []
        raise exc.during(operation) from exc


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
    # missing_ok: the group was just read, so a 404 means a tenant without the `owners`
    # relationship (the simulated one); the real provider would fail there.
    owners = _ids(
        graph,
        f"groups/{object_id}/owners",
        f"Could not retrieve group owners for group with object ID: {quoted}",
        missing_ok=True,
    )
    return {**_flatten(group), "id": f"/groups/{object_id}", "members": members, "owners": owners}


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
        "autoSubscribeNewMembers": False,
        "behaviors": _list(group, "resourceBehaviorOptions"),
        "description": _s(group, "description"),
        "displayName": _s(group, "displayName"),
        "dynamicMemberships": dynamic,
        "externalSendersAllowed": False,
        "hideFromAddressLists": False,
        "hideFromOutlookClients": False,
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
