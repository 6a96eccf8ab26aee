"""What the simulated tenant holds, read with ordinary Graph GETs, and what it should hold per
`python -m previews plan --format json`, both in one shape: object ids turned into names
(app ids, UPNs, group names), so the two compare as plain values.

The expectation is built here from the offline plan and the tenant's users and groups alone,
independently of the planner's resolved mode: per-user scopes are the union of the user's own
and their groups' (transitive user members only), less what the tenant-wide grant of the same
app and API already gives; a user left with nothing gets no grant; groups are assigned as
groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

TOKEN = "e2e"
USER = "#microsoft.graph.user"

GrantKey = tuple[str, str, str]  # (client app id, API app id, "tenant" or a UPN)
AssignmentKey = tuple[str, str, str]  # (client app id, "user" UPN or "group" name, role id)


@dataclass
class Consent:
    service_principals: dict[str, dict[str, Any]] = field(default_factory=dict)  # by app id
    grants: dict[GrantKey, frozenset[str]] = field(default_factory=dict)
    assignments: set[AssignmentKey] = field(default_factory=set)


class GraphReader:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
        )

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **params: str) -> Any:
        response = self.http.get(path, params=params or None)
        response.raise_for_status()
        return response.json()

    def list(self, path: str, **params: str) -> Iterator[dict[str, Any]]:
        body = self.get(path, **params)
        while True:
            yield from body["value"]
            link = body.get("@odata.nextLink")
            if not link:
                return
            response = self.http.get(link)
            response.raise_for_status()
            body = response.json()

    def send(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, path, json=body)
        if response.status_code >= 400:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    # -- names ---------------------------------------------------------------------------

    def user_id(self, upn: str) -> str:
        return str(self.get(f"/users/{upn}")["id"])

    def group(self, name: str) -> dict[str, Any]:
        escaped = name.replace("'", "''")
        (group,) = self.list("/groups", **{"$filter": f"displayName eq '{escaped}'"})
        return group

    def group_user_upns(self, name: str) -> set[str]:
        group_id = self.group(name)["id"]
        members = self.list(f"/groups/{group_id}/transitiveMembers")
        return {m["userPrincipalName"].lower() for m in members if m.get("@odata.type") == USER}

    def service_principal(self, app_id: str) -> dict[str, Any] | None:
        found = list(self.list("/servicePrincipals", **{"$filter": f"appId eq '{app_id}'"}))
        return found[0] if found else None

    # -- what the tenant holds -----------------------------------------------------------

    def add_scope_behind_the_stack(self, client_app_id: str, scope: str) -> dict[str, Any]:
        """Drift: widen the client app's only grant directly in Graph, as a portal edit would.
        The grant as it was before."""
        sp = self.service_principal(client_app_id)
        assert sp is not None
        (grant,) = self.list("/oauth2PermissionGrants", **{"$filter": f"clientId eq '{sp['id']}'"})
        self.send(
            "PATCH",
            f"/oauth2PermissionGrants/{grant['id']}",
            {"scope": f"{grant['scope']} {scope}"},
        )
        return grant

    def consent(self, client_app_ids: set[str]) -> Consent:
        """The consent the tenant gives the given client apps."""
        sps = {sp["id"]: sp for sp in self.list("/servicePrincipals")}
        upns = {u["id"]: u["userPrincipalName"].lower() for u in self.list("/users")}
        groups = {g["id"]: g["displayName"] for g in self.list("/groups")}
        out = Consent()
        for sp in sps.values():
            if sp["appId"] in client_app_ids:
                out.service_principals[sp["appId"]] = sp
        for grant in self.list("/oauth2PermissionGrants"):
            client = sps[grant["clientId"]]["appId"]
            if client not in client_app_ids:
                continue
            target = (
                "tenant" if grant["consentType"] == "AllPrincipals" else upns[grant["principalId"]]
            )
            key = (client, sps[grant["resourceId"]]["appId"], target)
            assert key not in out.grants, f"two grants for {key}"
            out.grants[key] = frozenset(grant["scope"].split())
        for app_id, sp in out.service_principals.items():
            for a in self.list(f"/servicePrincipals/{sp['id']}/appRoleAssignedTo"):
                if a["principalType"] == "Group":
                    who = f"group {groups[a['principalId']]}"
                else:
                    who = f"user {upns[a['principalId']]}"
                out.assignments.add((app_id, who, a["appRoleId"]))
        return out


def expected_consent(
    plan: dict[str, Any], graph: GraphReader, api_app_ids: dict[str, str]
) -> Consent:
    """The consent `plan` (the JSON of `previews plan`) asks for, in the tenant's terms."""
    out = Consent()
    members: dict[str, set[str]] = {}
    for app in plan["apps"]:
        client = app["client_id"]
        out.service_principals[client] = {}
        for api in app["apis"]:
            tenant: frozenset[str] = frozenset()
            per_user: dict[str, set[str]] = defaultdict(set)
            for target in api["targets"]:
                scopes = {s["name"] for s in target["scopes"]}
                kind, ref = target["target"]["kind"], target["target"]["ref"]
                if kind == "tenant":
                    tenant = frozenset(scopes)
                elif kind == "user":
                    per_user[ref.lower()] |= scopes
                else:
                    if ref not in members:
                        members[ref] = graph.group_user_upns(ref)
                    for upn in members[ref]:
                        per_user[upn] |= scopes
            api_id = api_app_ids[api["api"]]
            if tenant:
                out.grants[(client, api_id, "tenant")] = tenant
            for upn, scopes in per_user.items():
                if scopes - tenant:
                    out.grants[(client, api_id, upn)] = frozenset(scopes - tenant)
        for assignment in app["assignments"]:
            principal = assignment["principal"]
            ref = principal["ref"].lower() if principal["kind"] == "user" else principal["ref"]
            out.assignments.add((client, f"{principal['kind']} {ref}", assignment["app_role_id"]))
    return out
