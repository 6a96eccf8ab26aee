"""The Graph requests of `azuread_service_principal`, in terraform-provider-azuread v3.9.0's
order and with its diagnostics (internal/services/serviceprincipals/
service_principal_resource.go; line numbers below are that file's at v3.9.0):

- create, after the appId look-up: POST with `owners@odata.bind` = the caller plus up to 19
  configured owners, retried on Graph's replication answers (lines 435-487); the description
  PATCH (lines 501-510); any further owners added (512-517); the caller removed as owner unless
  configured (519-525);
- update: the whole PATCH (548-563); when the owners changed, the current owners listed, the
  missing ones added and every one not configured removed (565-596);
- read: the object, its `samlMetadataUrl` from beta, its owners (601-690);
- delete: DELETE, then waiting until five reads in a row find it gone (692-722)."""

from __future__ import annotations

import re
import time

from simtenant.provider import ids
from simtenant.provider.errors import DiagnosticError, GraphError, diagnostic, not_found
from simtenant.provider.graph import Graph, Json
from simtenant.provider.props import Props
from simtenant.provider.retry import BACKOFF_SCALE
from simtenant.provider.service_principal_state import flatten

# `client.Client.BaseUri` + `stable.NewDirectoryObjectID(id).ID()`: the provider names owners by
# Graph's own URL (the simulator reads the id at the end of any URL).
DIRECTORY_OBJECTS = "https://graph.microsoft.com/v1.0/directoryObjects/"
_INVALID_APP_ID = (
    "The appId '.+' of the service principal does not reference a valid application object"
)
_APP_IN_OTHER_TENANT = (
    "When using this permission, the backing application of the service principal being "
    "created must in the local tenant"
)
# consistency.WaitForDeletion (internal/helpers/consistency/consistency.go lines 17-46): five
# reads in a row that find nothing, at least 5 s apart (scaled as the retry backoff is).
DELETION_READS = 5
DELETION_POLL_S = 5.0


def path(object_id: str) -> str:
    return ids.SERVICE_PRINCIPAL.format(object_id)


def label(object_id: str) -> str:
    return ids.SERVICE_PRINCIPAL.describe(object_id)


def _create_retry(status: int, odata: str) -> bool:
    """The create's RetryFunc (lines 470-482): the application not replicated yet."""
    if status == 400:
        return re.search(_INVALID_APP_ID, odata) is not None
    if status == 403:
        return re.search(_APP_IN_OTHER_TENANT, odata) is not None
    return False


def post(graph: Graph, body: Json, owners: list[str]) -> tuple[str, list[str]]:
    """POST the new service principal with the caller and up to 19 configured owners bound;
    its object id and the configured owners left to add."""
    caller = graph.caller.object_id
    others = [o for o in owners if o.lower() != caller.lower()]
    bound = [DIRECTORY_OBJECTS + caller] + [DIRECTORY_OBJECTS + o for o in others[:19]]
    try:
        created = graph.post(
            "servicePrincipals", {**body, "owners@odata.bind": bound}, retry=_create_retry
        )
    except GraphError as exc:
        raise exc.during("Could not create service principal") from exc
    object_id = created.get("id")
    if not isinstance(object_id, str) or not object_id:
        raise diagnostic("Bad API response", "Object ID returned for service principal is nil")
    return object_id, others[19:]


def after_post(
    graph: Graph, object_id: str, description: str, extra: list[str], owners: list[str]
) -> None:
    """What follows the POST: the real description, further owners, the caller's removal."""
    try:
        graph.patch(path(object_id), {"description": description or None})
    except GraphError as exc:
        if not_found(exc):
            raise exc.during(
                "Timed out whilst waiting for new service principal to be replicated in Azure AD"
            ) from exc
        raise exc.during("Failed to patch service principal after creating") from exc
    for owner in extra:
        add_owner(graph, object_id, owner)
    caller = graph.caller.object_id
    if not any(o.lower() == caller.lower() for o in owners):
        try:
            graph.delete(f"{path(object_id)}/owners/{caller}/$ref")
        except GraphError as exc:
            raise exc.during(f"Could not remove initial owner from {label(object_id)}") from exc


def add_owner(graph: Graph, object_id: str, owner: str) -> None:
    try:
        graph.post(f"{path(object_id)}/owners/$ref", {"@odata.id": DIRECTORY_OBJECTS + owner})
    except GraphError as exc:
        raise exc.during(f"Could not add owners to {label(object_id)}") from exc


def sync_owners(graph: Graph, object_id: str, desired: list[str]) -> None:
    """Update with changed owners: add what is missing, remove what is not configured
    (`tf.Difference`, case-sensitive)."""
    try:
        existing = [str(o.get("id")) for o in graph.list(f"{path(object_id)}/owners")]
    except GraphError as exc:
        raise exc.during(
            "Could not retrieve owners for service principal with object ID: "
            f"{ids.quoted(path(object_id))}"
        ) from exc
    for owner in [o for o in desired if o not in existing]:
        add_owner(graph, object_id, owner)
    for owner in [o for o in existing if o not in desired]:
        try:
            graph.delete(f"{path(object_id)}/owners/{owner}/$ref")
        except GraphError as exc:
            # Upstream's words for a failed removal too (line 593).
            raise exc.during(f"Could not add owners to {label(object_id)}") from exc


def read(graph: Graph, object_id: str) -> Props | None:
    """The three GETs of Read; None when the object is gone."""
    sp = graph.find(path(object_id), f"Retrieving {label(object_id)}")
    if sp is None:
        return None
    try:
        beta = graph.get(path(object_id), {"$select": "samlMetadataUrl"}, beta=True)
    except GraphError as exc:
        raise exc.during(f"Retrieving {label(object_id)} (beta API)") from exc
    url = beta.get("samlMetadataUrl")
    outputs = flatten(sp, saml_metadata_url=url if isinstance(url, str) else "")
    try:
        owners = graph.list(f"{path(object_id)}/owners")
    except GraphError as exc:
        raise exc.during(f"Could not retrieve owners for {label(object_id)}", "owners") from exc
    outputs["owners"] = [str(o.get("id") or "") for o in owners]
    return outputs


def delete(graph: Graph, object_id: str, use_existing: bool) -> None:
    try:
        graph.delete(path(object_id))
    except GraphError as exc:
        if use_existing:
            return
        raise exc.during(f"Deleting {label(object_id)}", "id") from exc
    if use_existing:
        return
    gone = 0
    while gone < DELETION_READS:
        if graph.deadline.left() <= DELETION_POLL_S * BACKOFF_SCALE:
            raise diagnostic(
                f"Waiting for deletion of {label(object_id)}",
                "timeout while waiting for state to become 'Deleted' (last state: 'Waiting')",
            )
        try:
            graph.get(path(object_id))
            gone = 0
        except GraphError as exc:
            if not not_found(exc):
                raise _waiting(object_id, exc) from exc
            gone += 1
        if gone < DELETION_READS:
            time.sleep(DELETION_POLL_S * BACKOFF_SCALE)


def _waiting(object_id: str, exc: GraphError) -> DiagnosticError:
    return diagnostic(f"Waiting for deletion of {label(object_id)}", f"retrieving resource: {exc}")
