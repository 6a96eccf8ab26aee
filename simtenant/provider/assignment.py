"""`azuread:index/appRoleAssignment:AppRoleAssignment`: an appRoleAssignment created through
the resource service principal's `appRoleAssignedTo`, as terraform-provider-azuread v3.9.0
does it (internal/services/approleassignments/app_role_assignment_resource.go). No Update: every
input forces replacement. Create retries a 404 and a 400 "Not a valid reference update" (lines
126-135) on top of go-azure-sdk's own retries, within the create's 5 minutes."""

from __future__ import annotations

from simtenant.provider import ids
from simtenant.provider import validation as v
from simtenant.provider.errors import GraphError, ProviderError, diagnostic, not_found
from simtenant.provider.graph import Graph
from simtenant.provider.props import UNKNOWN, Props, text
from simtenant.provider.resource import DiffResult, Field, Timeouts, diff_fields

TOKEN = "azuread:index/appRoleAssignment:AppRoleAssignment"
INPUTS = ("appRoleId", "principalObjectId", "resourceObjectId")
FIELDS = tuple(Field(name, replaces=True) for name in INPUTS)
_TF_NAMES = {
    "appRoleId": "app_role_id",
    "principalObjectId": "principal_object_id",
    "resourceObjectId": "resource_object_id",
}
_COMPUTED = ("principalDisplayName", "principalType", "resourceDisplayName")


def _replicating(status: int, odata: str) -> bool:
    return status == 404 or (status == 400 and "Not a valid reference update" in odata)


class AppRoleAssignment:
    token = TOKEN
    # No update: its timeout is never used.
    timeouts = Timeouts(create=300, read=300, update=300, delete=300)

    def check(self, news: Props) -> tuple[Props, list[v.Failure]]:
        failures: list[v.Failure] = []
        for key in INPUTS:
            failures += v.required(news.get(key), _TF_NAMES[key], key)
            failures += v.is_uuid(news.get(key), _TF_NAMES[key], key)
        return news, failures

    def diff(self, olds: Props, news: Props) -> DiffResult:
        return diff_fields(olds, news, FIELDS)

    def preview_create(self, news: Props) -> Props:
        out = {key: news.get(key) for key in INPUTS}
        out.update(dict.fromkeys(_COMPUTED, UNKNOWN))
        return out

    def create(self, graph: Graph, news: Props) -> tuple[str, Props]:
        resource = text(news, "resourceObjectId")
        sp_path = ids.SERVICE_PRINCIPAL.format(resource)
        try:
            graph.get(sp_path)
        except GraphError as exc:
            if not_found(exc):
                raise exc.during(
                    f"Service principal not found for resource (Object ID: {ids.quoted(resource)})",
                    "principal_object_id",
                ) from exc
            raise exc.during(
                "Could not retrieve service principal for resource (Object ID: "
                f"{ids.quoted(resource)})"
            ) from exc
        body = {
            "appRoleId": text(news, "appRoleId"),
            "principalId": text(news, "principalObjectId"),
            "resourceId": resource,
        }
        try:
            created = graph.post(f"{sp_path}/appRoleAssignedTo", body, retry=_replicating)
        except GraphError as exc:
            raise exc.during("Could not create app role assignment") from exc
        assignment_id = text(created, "id")
        if not assignment_id:
            raise diagnostic("Bad API response", "ID returned for app role assignment is nil")
        if not text(created, "resourceId"):
            raise diagnostic(
                "Bad API response", "Resource ID returned for app role assignment is nil"
            )
        resource_id = ids.ASSIGNMENT.format(text(created, "resourceId"), assignment_id)
        outputs = self.read(graph, resource_id, news)
        if outputs is None:
            label = ids.ASSIGNMENT.describe(text(created, "resourceId"), assignment_id)
            raise diagnostic(f"retrieving {label}", "not found after creation")
        return resource_id, outputs

    def read(self, graph: Graph, resource_id: str, state: Props) -> Props | None:
        found = graph.find(
            resource_id, f"retrieving {ids.ASSIGNMENT.describe(*ids.ASSIGNMENT.parse(resource_id))}"
        )
        if found is None:
            return None
        return {
            "appRoleId": text(found, "appRoleId"),
            "principalDisplayName": text(found, "principalDisplayName"),
            "principalObjectId": text(found, "principalId"),
            "principalType": text(found, "principalType"),
            "resourceDisplayName": text(found, "resourceDisplayName"),
            "resourceObjectId": text(found, "resourceId"),
        }

    def inputs_from_state(self, outputs: Props) -> Props:
        return {key: outputs.get(key) for key in INPUTS}

    def preview_update(self, olds: Props, news: Props) -> Props:
        raise ProviderError(f"{TOKEN} has no update: every change replaces it")

    def update(self, graph: Graph, resource_id: str, olds: Props, news: Props) -> Props:
        raise ProviderError(f"{TOKEN} has no update: every change replaces it")

    def delete(self, graph: Graph, resource_id: str, state: Props) -> None:
        label = ids.ASSIGNMENT.describe(*ids.ASSIGNMENT.parse(resource_id))
        try:
            graph.delete(resource_id)
        except GraphError as exc:
            # "Deleting %s: %v" with the error as detail too (line 203): it shows twice.
            raise exc.during(f"Deleting {label}: {exc}", "id") from exc
