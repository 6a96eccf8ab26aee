"""The owners of service principals and groups in Graph's URL space (graph/owners.py holds the
rules): `GET .../{id}/owners` (a paged collection of directory objects, `$select` and `$top`
as any collection), `POST .../{id}/owners/$ref` and `DELETE .../{id}/owners/{ownerId}/$ref`
(204). Served under `/v1.0` and `/beta`, as the provider's go-azure-sdk clients call both."""

from __future__ import annotations

from simtenant.graph.replies import Call, Handler, Reply, done, listing


def _owners(call: Call, object_id: str) -> Reply:
    return listing(
        call, call.tenant.owners_of(object_id), "directoryObject", None, "directoryObjects"
    )


OWNER_ROUTES: list[tuple[str, dict[str, Handler]]] = (
    [(rf"{kind}/([^/]+)/owners", {"GET": _owners}) for kind in ("servicePrincipals", "groups")]
    + [
        (
            rf"{kind}/([^/]+)/owners/\$ref",
            {"POST": lambda c, o: done(c.tenant.add_owner(o, c.body))},
        )
        for kind in ("servicePrincipals", "groups")
    ]
    + [
        (
            rf"{kind}/([^/]+)/owners/([^/]+)/\$ref",
            {"DELETE": lambda c, o, m: done(c.tenant.remove_owner(o, m))},
        )
        for kind in ("servicePrincipals", "groups")
    ]
)
