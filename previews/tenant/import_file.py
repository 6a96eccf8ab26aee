"""The `pulumi import --file` document for everything the stack will manage that already
exists: names, types and parents exactly as the components register them.

The service principals are imported too: otherwise their object ids would be unknown at
preview, and every imported grant (whose client id is a replace-on-change input) would show
as a replacement."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from catalog.strict import Strict
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    SERVICE_PRINCIPAL_TYPE,
    enterprise_app_name,
    resource_api_id,
    urn,
)
from previews.tenant.drift_report import DriftReport


class ImportResource(Strict):
    type: str
    name: str
    id: str | None = None
    parent: str | None = Field(default=None, description="A name in this file or its nameTable.")
    component: bool | None = None


class ImportDocument(Strict):
    """The JSON `pulumi import --file` reads (nameTable: names of existing parents -> URNs)."""

    model_config = ConfigDict(populate_by_name=True)

    name_table: dict[str, str] = Field(default_factory=dict, alias="nameTable")
    resources: list[ImportResource]

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True, indent=2) + "\n"


def grant_import_id(grant_id: str) -> str:
    return f"/oauth2PermissionGrants/{grant_id}"


def assignment_import_id(resource_sp_id: str, assignment_id: str) -> str:
    return f"/servicePrincipals/{resource_sp_id}/appRoleAssignedTo/{assignment_id}"


def build_import(
    report: DriftReport, project: str, stack: str, existing_components: bool = False
) -> ImportDocument:
    """Components are created by the import (`component: true`) on a first adoption; with
    `existing_components` (the stack already ran `pulumi up`) they are named by URN instead."""
    resources: list[ImportResource] = []
    name_table: dict[str, str] = {}
    for sp in report.service_principals:
        if sp.object_id is None or sp.resource is None:
            continue  # missing, or an app this stack does not enable
        app, parent = sp.app, enterprise_app_name(sp.app)
        if existing_components:
            name_table[parent] = urn(project, stack, ENTERPRISE_APP_TYPE, parent)
        else:
            resources.append(ImportResource(type=ENTERPRISE_APP_TYPE, name=parent, component=True))
        resources.append(
            ImportResource(
                type=SERVICE_PRINCIPAL_TYPE,
                name=sp.resource,
                id=resource_api_id(sp.object_id),
                parent=parent,
            )
        )
        grants = [
            ImportResource(
                type=GRANT_TYPE, name=g.resource, id=grant_import_id(g.grant_id), parent=parent
            )
            for g in report.grants
            if g.app == app and g.status in ("match", "drifted") and g.resource and g.grant_id
        ]
        assignments = [
            ImportResource(
                type=ASSIGNMENT_TYPE,
                name=a.resource,
                id=assignment_import_id(sp.object_id, a.assignment_id),
                parent=parent,
            )
            for a in report.assignments
            if a.app == app and a.status == "match" and a.resource and a.assignment_id
        ]
        resources += sorted(grants, key=lambda r: r.name) + sorted(
            assignments, key=lambda r: r.name
        )
    _check_names(resources, name_table)
    return ImportDocument(name_table=name_table, resources=resources)


def _check_names(resources: list[ImportResource], name_table: dict[str, str]) -> None:
    """`pulumi import` refuses a parent whose name is used twice in the file."""
    names = [r.name for r in resources] + list(name_table)
    parents = {r.parent for r in resources if r.parent}
    clashes = sorted(p for p in parents if names.count(p) > 1)
    if clashes:
        raise ValueError(f"import file: names used twice, so parents are ambiguous: {clashes}")
