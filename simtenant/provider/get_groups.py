"""`azuread:index/getGroups:getGroups`, as the real data source (v3.9.0) reads, through Graph
beta: each display name by its own `displayName eq '…'` filter, quotes escaped (unlike
`getGroup`), more than one match an error; each object id by a GET. With `ignoreMissing` a
group that is not there is left out; without it, the first one missing fails. No members are
read: the answer is object ids and display names only."""

from __future__ import annotations

import base64
import hashlib

from simtenant.provider.errors import CheckFailures, GraphError, diagnostic, not_found
from simtenant.provider.graph import Graph, Json
from simtenant.provider.props import Props, flag

TOKEN = "azuread:index/getGroups:getGroups"
_ONE_OF = "`display_name_prefix,display_names,object_ids,return_all`"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _strings(args: Props, key: str) -> list[str]:
    value = args.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _flags(args: Props) -> list[str]:
    return [
        f"{key} eq {str(args[key]).lower()}"
        for key in ("mailEnabled", "securityEnabled")
        if isinstance(args.get(key), bool)
    ]


def _by_name(graph: Graph, name: str, args: Props, ignore_missing: bool) -> Json | None:
    escaped = name.replace("'", "''")
    query = " and ".join([*_flags(args), f"displayName eq '{escaped}'"])
    try:
        found = graph.list("groups", {"$filter": query}, beta=True)
    except GraphError as exc:
        raise exc.during(
            f"No group found with display name: {_quoted(name)}", "display_names"
        ) from exc
    if len(found) > 1:
        raise diagnostic(
            f"More than one group found with display name: {_quoted(name)}",
            attribute="display_names",
        )
    if not found:
        if ignore_missing:
            return None
        raise diagnostic(
            f"No group found with display name: {_quoted(name)}", attribute="display_names"
        )
    return found[0]


def _by_id(graph: Graph, object_id: str, ignore_missing: bool) -> Json | None:
    try:
        return graph.get(f"groups/{object_id}", beta=True)
    except GraphError as exc:
        if not_found(exc):
            if ignore_missing:
                return None
            # ErrorDiagPathF(err, ...): the 404 shows as its detail (groups_data_source.go 195)
            raise exc.during(
                f"No group found with object ID: {_quoted(object_id)}", "object_id"
            ) from exc
        raise exc.during(
            f"Retrieving group with object ID: {_quoted(object_id)}", "object_id"
        ) from exc


def get_groups(graph: Graph, args: Props) -> Props:
    names, ids = _strings(args, "displayNames"), _strings(args, "objectIds")
    chosen = [k for k in ("displayNames", "objectIds") if args.get(k)]
    if flag(args, "returnAll") or args.get("displayNamePrefix"):
        raise CheckFailures([("returnAll", "not simulated: name the groups or their object ids")])
    if len(chosen) != 1:
        verb = "must be specified" if not chosen else "can be specified, but more were specified"
        raise CheckFailures([("displayNames", f'"display_names": only one of {_ONE_OF} {verb}')])
    ignore_missing = flag(args, "ignoreMissing")
    if names:
        groups = [_by_name(graph, name, args, ignore_missing) for name in names]
    else:
        groups = [_by_id(graph, object_id, ignore_missing) for object_id in ids]
    found = [g for g in groups if g is not None]
    expected = len(names or ids)
    if not ignore_missing and len(found) != expected:
        raise diagnostic(
            "Unexpected number of groups returned", f"expected: {expected}, actual: {len(found)}"
        )
    object_ids, display_names = [], []
    for group in found:
        if not isinstance(group.get("id"), str):
            raise diagnostic("Bad API response", "group ID was nil")
        if not isinstance(group.get("displayName"), str):
            raise diagnostic("Bad API response", "displayName was nil")
        object_ids.append(str(group["id"]))
        display_names.append(str(group["displayName"]))
    digest = hashlib.sha1("-".join(display_names).encode(), usedforsecurity=False).digest()
    return {
        "id": "groups#" + base64.urlsafe_b64encode(digest).decode(),
        "objectIds": object_ids,
        "displayNames": display_names,
        "displayNamePrefix": "",
        "ignoreMissing": ignore_missing,
        "returnAll": False,
        **{k: args[k] for k in ("mailEnabled", "securityEnabled") if isinstance(args.get(k), bool)},
    }
