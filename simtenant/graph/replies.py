"""Graph's answers: the reply of a handler, and collections answered with `$filter`,
`$select`, `$top` and `@odata.nextLink` paging (the next link keeps the query). A page holds
the server's default page size, or `$top` items when given (1 to 999: directory collections
let `$top` raise the page size past the default, up to 999). A test that wants small pages
whatever `$top` asks sets `SimTenant(max_page_size=N)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from simtenant.graph import odata
from simtenant.graph.errors import bad_request
from simtenant.graph.store import Obj
from simtenant.graph.tenant import Tenant


@dataclass
class Reply:
    status: int
    body: Any = None  # None: no body (204)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    tenant: Tenant
    method: str
    version: str
    path: str  # as requested, e.g. /v1.0/users
    query: dict[str, str]
    body: Obj
    origin: str  # http://127.0.0.1:N
    page_size: int  # the default page size: `$top` may ask for fewer or more (up to 999)
    delegated: bool = False  # a signed-in user's token; else app-only (client credentials)
    max_page_size: int = odata.MAX_TOP  # the most a page holds, whatever `$top` says

    def context(self, fragment: str) -> str:
        return f"{self.origin}/{self.version}/$metadata#{fragment}"


Handler = Callable[..., Reply]


def listing(
    call: Call, items: list[Obj], type_name: str, fields: frozenset[str] | None, context: str
) -> Reply:
    """One page of a collection; the next page's link keeps the query."""
    query = call.query
    if "$filter" in query:
        keep = odata.parse_filter(query["$filter"], fields, type_name[0].upper() + type_name[1:])
        items = [i for i in items if keep(i)]
    names = odata.parse_select(query.get("$select"))
    top = odata.parse_top(query.get("$top"))
    size = min(top or call.page_size, call.max_page_size)
    token = query.get("$skiptoken", "0")
    if not token.isdigit():
        raise bad_request("Invalid skip token.", code="Request_BadRequest")
    start = int(token)
    page = items[start : start + size]
    if names:
        context = f"{context}({','.join(names)})"
    body: Obj = {"@odata.context": call.context(context)}
    if start + size < len(items):
        rest = {k: v for k, v in query.items() if k != "$skiptoken"}
        rest["$skiptoken"] = str(start + size)
        body["@odata.nextLink"] = f"{call.origin}{call.path}?{urlencode(rest)}"
    body["value"] = [odata.select(i, names) for i in page]
    return Reply(200, body)


def entity(call: Call, obj: Obj, context: str) -> Reply:
    names = odata.parse_select(call.query.get("$select"))
    body = {"@odata.context": call.context(f"{context}/$entity"), **odata.select(obj, names)}
    return Reply(200, body)


def created(call: Call, obj: Obj, context: str) -> Reply:
    return Reply(201, {"@odata.context": call.context(f"{context}/$entity"), **obj})


def done(_: object) -> Reply:
    """204 No Content, after a write that returns nothing."""
    return Reply(204)
