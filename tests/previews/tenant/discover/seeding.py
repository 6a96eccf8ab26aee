"""Discovery's test tenants, built in the simulated tenant (simtenant.graph) with ordinary Graph
requests, from a compact description (tenant.yaml, or the same shape as a dict):

    seed: ../../../../simtenant/seeds/contoso.yaml   # optional: a seed file replayed first
    users: [pat.doe@contoso.com]                 # more users
    devices: [KIOSK-02]                          # more devices, by display name
    groups:                                      # more groups (a list: names may repeat)
      - {name: Twins, members: [user@x, "device:KIOSK-02", "group:Other"]}
    applications: {appId: display name}          # apps the simulator does not know
    service_principals: [appId, ...]             # created unless they exist
    service_principal_settings: {appId: {...}}   # more properties of the POST
    grants: [{client: appId, api: appId, user: UPN (optional), scope: "..."}]
    assignments: [{app: appId, principal: UPN | "group:<name>", role: id (optional)}]

Other keys are ignored (tenant.yaml keeps a YAML anchor in one). New service principals carry
the enterprise-app tag, as the portal's consent leaves them.
Object ids are the simulator's (random), read back into `SeededTenant`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simtenant.fakes.fake_tenant import FakeTenant
from simtenant.graph import GraphSession, SimTenant, load_seed, replay

TOKEN = "fake-graph-token"
TENANT_FILE = Path(__file__).resolve().parent / "tenant.yaml"
ENTERPRISE_TAG = "WindowsAzureActiveDirectoryIntegratedApp"
DEFAULT_ROLE = "00000000-0000-0000-0000-000000000000"


@dataclass
class SeededTenant:
    state: dict[str, Any]  # for SimTenant(state=...): every test starts from the same ids
    users: dict[str, str]  # lower-case UPN -> object id
    groups: dict[str, list[str]]  # display name -> object ids (names may repeat)
    members: dict[str, list[str]]  # group id -> transitive member ids
    service_principals: dict[str, str]  # appId -> object id

    def group(self, name: str) -> str:
        (group_id,) = self.groups[name]
        return group_id

    def mock_tenant(self) -> FakeTenant:
        """The same tenant for the program under Pulumi's mock runtime."""
        return FakeTenant(
            users={oid: upn for upn, oid in self.users.items()},
            groups={name: (ids[0], self.members[ids[0]]) for name, ids in self.groups.items()},
            service_principals=dict(self.service_principals),
        )

    def serve(self, *, page_size: int = 100, token: str | None = TOKEN) -> SimTenant:
        return SimTenant(
            state=self.state, token=token, page_size=page_size, max_page_size=page_size
        )


def _post(graph: GraphSession, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = graph.call("POST", path, body)
    return answer


def _ref(object_id: str) -> dict[str, str]:
    return {"@odata.id": f"https://graph.microsoft.com/v1.0/directoryObjects/{object_id}"}


def _build(graph: GraphSession, spec: dict[str, Any], folder: Path) -> None:
    if spec.get("seed"):
        replay(graph, load_seed((folder / spec["seed"]).resolve()))
    for upn in spec.get("users") or []:
        name = upn.split("@")[0].replace(".", " ").title()  # pat.doe@ -> Pat Doe
        _post(graph, "users", {"displayName": name, "userPrincipalName": upn})
    devices = {
        name: _post(graph, "devices", {"displayName": name, "deviceId": name})["id"]
        for name in spec.get("devices") or []
    }
    users = {u["userPrincipalName"].lower(): u["id"] for u in graph.get_all("users")}
    groups = {g["displayName"]: g["id"] for g in graph.get_all("groups")}

    def principal(ref: str) -> str:
        kind, _, name = ref.rpartition(":")
        return str({"device": devices, "group": groups}[kind][name] if kind else users[ref.lower()])

    for entry in spec.get("groups") or []:
        nickname = "".join(c for c in entry["name"] if c.isalnum()) or "group"
        body = {"displayName": entry["name"], "mailNickname": nickname}
        made = _post(graph, "groups", {**body, "mailEnabled": False, "securityEnabled": True})
        groups.setdefault(entry["name"], made["id"])
        for member in entry.get("members") or []:
            graph.call("POST", f"groups/{made['id']}/members/$ref", _ref(principal(member)))
    for app_id, name in (spec.get("applications") or {}).items():
        _post(graph, "/_sim/applications", {"appId": app_id, "displayName": name})
    sps = {s["appId"]: s["id"] for s in graph.get_all("servicePrincipals")}
    settings = spec.get("service_principal_settings") or {}
    for app_id in spec.get("service_principals") or []:
        if app_id not in sps:
            body = {"appId": app_id, "tags": [ENTERPRISE_TAG], **settings.get(app_id, {})}
            sps[app_id] = _post(graph, "servicePrincipals", body)["id"]
    for g in spec.get("grants") or []:
        body = {"clientId": sps[g["client"]], "resourceId": sps[g["api"]], "scope": g["scope"]}
        if g.get("user"):
            body.update(consentType="Principal", principalId=users[g["user"].lower()])
        else:
            body.update(consentType="AllPrincipals")
        _post(graph, "oauth2PermissionGrants", body)
    for a in spec.get("assignments") or []:
        resource = sps[a["app"]]
        body = {
            "principalId": principal(a["principal"]),
            "resourceId": resource,
            "appRoleId": a.get("role", DEFAULT_ROLE),
        }
        _post(graph, f"servicePrincipals/{resource}/appRoleAssignedTo", body)


def seed_tenant(spec: Path | dict[str, Any] = TENANT_FILE) -> SeededTenant:
    """Build the tenant in a fresh simulated tenant; its state and the ids it was given."""
    folder = spec.parent if isinstance(spec, Path) else TENANT_FILE.parent
    raw = yaml.safe_load(spec.read_text("utf-8")) if isinstance(spec, Path) else spec
    with SimTenant(token=TOKEN) as sim, GraphSession(sim.base_url, TOKEN) as graph:
        _build(graph, raw, folder)
        groups: dict[str, list[str]] = {}
        members: dict[str, list[str]] = {}
        for g in graph.get_all("groups"):
            groups.setdefault(g["displayName"], []).append(g["id"])
            transitive = graph.get_all(f"groups/{g['id']}/transitiveMembers")
            members[g["id"]] = [m["id"] for m in transitive]
        return SeededTenant(
            state=sim.state(),
            users={u["userPrincipalName"].lower(): u["id"] for u in graph.get_all("users")},
            groups=groups,
            members=members,
            service_principals={s["appId"]: s["id"] for s in graph.get_all("servicePrincipals")},
        )
