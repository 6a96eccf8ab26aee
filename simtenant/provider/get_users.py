"""`azuread:index/getUsers:getUsers`, as the real data source reads: `returnAll` is one list
with `$select` only (no filter: guests and disabled users included) paged by
`@odata.nextLink`; by UPN, mail nickname, mail or employee id one filtered request each; by
object id one GET each. `objectIds` and `userPrincipalNames` are filled in pairs."""

from __future__ import annotations

import base64
import hashlib

from simtenant.provider.errors import CheckFailures, GraphError, diagnostic, not_found
from simtenant.provider.graph import Graph, Json
from simtenant.provider.props import Props, flag, strings

TOKEN = "azuread:index/getUsers:getUsers"
_SELECT = ",".join(
    (
        "accountEnabled",
        "displayName",
        "employeeId",
        "id",
        "mail",
        "mailNickname",
        "onPremisesImmutableId",
        "onPremisesSamAccountName",
        "onPremisesUserPrincipalName",
        "usageLocation",
        "userPrincipalName",
        "userType",
    )
)
# Argument -> (Terraform name, Graph property filtered on, wording of its not-found error).
_LISTS = {
    "objectIds": ("object_ids", "", ""),
    "userPrincipalNames": (
        "user_principal_names",
        "userPrincipalName",
        "User with UPN {!r} was not found",
    ),
    "mailNicknames": ("mail_nicknames", "mailNickname", "no user(s) found with email alias: {!r}"),
    "mails": ("mails", "mail", "User not found with mail address: {!r}"),
    "employeeIds": ("employee_ids", "employeeId", "User not found with employee ID: {!r}"),
}
_FINDING = {
    "userPrincipalNames": "Finding user with UPN: {!r}",
    "mailNicknames": "Finding user with email alias: {!r}",
    "mails": "Finding user with mail address: {!r}",
    "employeeIds": "Finding user with employee ID: {!r}",
}
_MORE_THAN_ONE = {
    "userPrincipalNames": "More than one user found with UPN: {!r}",
    "mails": "More than one user found with mail address: {!r}",
    "employeeIds": "More than one user found with employee ID: {!r}",
}
_ONE_OF = "`employee_ids,mail_nicknames,mails,object_ids,return_all,user_principal_names`"


def _quoted(value: str) -> str:
    """Go's %q for the plain strings used here."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _validate(args: Props) -> str | None:
    """The argument in use (None for returnAll); CheckFailures as the schema's rules say."""
    given = [key for key in _LISTS if strings(args, key)]
    return_all = flag(args, "returnAll")
    chosen = [*given, *(["returnAll"] if return_all else [])]
    if not chosen:
        raise CheckFailures([("returnAll", f'"return_all": one of {_ONE_OF} must be specified')])
    if len(chosen) > 1:
        names = ",".join(sorted(_LISTS[k][0] if k in _LISTS else "return_all" for k in chosen))
        raise CheckFailures(
            [
                (
                    chosen[0],
                    f'"{chosen[0]}": only one of {_ONE_OF} can be specified, but `{names}` were specified.',
                )
            ]
        )
    if return_all and args.get("ignoreMissing") is not None:
        raise CheckFailures([("returnAll", '"return_all": conflicts with ignore_missing')])
    return given[0] if given else None


def get_users(graph: Graph, args: Props) -> Props:
    key = _validate(args)
    ignore_missing = flag(args, "ignoreMissing")
    select = {"$select": _SELECT}
    found: list[Json] = []
    expected = 0
    if key is None:
        try:
            found = graph.list("users", select)
        except GraphError as exc:
            raise exc.during("Could not retrieve users") from exc
        if not found:
            raise diagnostic("No users found", attribute="return_all")
    else:
        values = strings(args, key)
        expected = len(values)
        for value in values:
            found.extend(_find(graph, key, value, ignore_missing))
    if key is not None and not ignore_missing and len(found) < expected:
        raise diagnostic(
            "Unexpected number of users returned",
            f"expected at least: {expected}, actual: {len(found)}",
        )
    return _result(found)


def _find(graph: Graph, key: str, value: str, ignore_missing: bool) -> list[Json]:
    if key == "objectIds":
        try:
            return [graph.get(f"users/{value}", {"$select": _SELECT})]
        except GraphError as exc:
            if not_found(exc):
                if ignore_missing:
                    return []
                raise diagnostic(
                    f"User not found with object ID: {_quoted(value)}", attribute="object_id"
                ) from exc
            raise exc.during(f"Retrieving user with object ID: {_quoted(value)}") from exc
    _, prop, missing = _LISTS[key]
    escaped = value.replace("'", "''")
    try:
        users = graph.list("users", {"$filter": f"{prop} eq '{escaped}'", "$select": _SELECT})
    except GraphError as exc:
        raise exc.during(_FINDING[key].replace("{!r}", _quoted(value))) from exc
    attribute = _LISTS[key][0]
    if len(users) > 1 and key in _MORE_THAN_ONE:
        raise diagnostic(_MORE_THAN_ONE[key].replace("{!r}", _quoted(value)), attribute=attribute)
    if not users:
        if ignore_missing:
            return []
        raise diagnostic(missing.replace("{!r}", _quoted(value)), attribute=attribute)
    return users if key == "mailNicknames" else users[:1]


def _text(user: Json, key: str) -> str:
    value = user.get(key)
    return value if isinstance(value, str) else ""


def _result(found: list[Json]) -> Props:
    upns: list[str] = []
    users: list[Props] = []
    for user in found:
        if not _text(user, "id") or not _text(user, "userPrincipalName"):
            raise diagnostic(
                "Bad API Response", "API returned user with nil object ID or userPrincipalName"
            )
        upns.append(_text(user, "userPrincipalName"))
        users.append(
            {
                "accountEnabled": user.get("accountEnabled") is True,
                "displayName": _text(user, "displayName"),
                "employeeId": _text(user, "employeeId"),
                "mail": _text(user, "mail"),
                "mailNickname": _text(user, "mailNickname"),
                "objectId": _text(user, "id"),
                "onpremisesImmutableId": _text(user, "onPremisesImmutableId"),
                "onpremisesSamAccountName": _text(user, "onPremisesSamAccountName"),
                "onpremisesUserPrincipalName": _text(user, "onPremisesUserPrincipalName"),
                "usageLocation": _text(user, "usageLocation"),
                "userPrincipalName": _text(user, "userPrincipalName"),
            }
        )
    digest = hashlib.sha1("/".join(upns).encode()).digest()  # the real provider's id
    return {
        "id": "users#" + base64.urlsafe_b64encode(digest).decode(),
        "objectIds": [u["objectId"] for u in users],
        "userPrincipalNames": upns,
        # The real provider appends these only when Graph sent the property (even null).
        "mailNicknames": [_text(u, "mailNickname") for u in found if "mailNickname" in u],
        "mails": [_text(u, "mail") for u in found if "mail" in u],
        "employeeIds": [_text(u, "employeeId") for u in found if "employeeId" in u],
        "users": users,
    }
