"""`registered-ids-only`: every object id a grant or an assignment carries is that of a
registered resource it can be tied to, and agrees with the dependency it came through.

A program could otherwise point a grant at another service principal than the one the pack
judges (`object_id.apply(lambda _: other)`), or at an object id nothing in the stack names.
The API side is tied by value to a `ResourceApi` (the engine never shows the pack the read
service principal itself); each `ResourceApi` must name a catalogue (or Microsoft) API, once.
"""

from __future__ import annotations

from collections import Counter

from catalog.catalogue import Catalogue
from components.core.naming import RESOURCE_API_TYPE

from .config import RuleConfig
from .first_party import FIRST_PARTY_APP_IDS
from .property_values import known_str
from .resources import Assignment, Grant
from .stack import Stack
from .violation import Violation

FIX = (
    "take the ids from the service principals' outputs, as the EnterpriseApp component does, "
    "and never compute or copy them"
)


def registered_ids_only(stack: Stack, catalogue: Catalogue, _: RuleConfig) -> list[Violation]:
    out = []
    items: list[tuple[str, Grant | Assignment]] = [
        *(("grant", g) for g in stack.grants()),
        *(("assignment", a) for a in stack.assignments()),
    ]
    for kind, item in items:
        owner = item.client if isinstance(item, Grant) else item.app
        if (
            owner is not None
            and owner.type != RESOURCE_API_TYPE
            and item.resource.parent != owner.parent
        ):
            out.append(
                Violation(
                    f"{kind} {item.resource.name}: declared outside the component of its app's "
                    f"service principal {owner.name}, so a review of that app does not show it "
                    "(declare it in the app's EnterpriseApp component)",
                    item.resource.urn,
                )
            )
        for _key, link in item.links:
            if link.problem is not None:
                out.append(
                    Violation(
                        f"{kind} {item.resource.name}: {link.problem}; the pack cannot tell "
                        f"whom it gives access to what ({FIX})",
                        item.resource.urn,
                    )
                )
    out.extend(_resource_api_problems(stack, catalogue))
    return out


def _resource_api_problems(stack: Stack, catalogue: Catalogue) -> list[Violation]:
    apis = {api.app_id for api in catalogue.apis.values()} | FIRST_PARTY_APP_IDS
    out = []
    object_ids = Counter(
        oid
        for r in stack.resource_apis
        for oid in [known_str(r.props.get("objectId"))]
        if isinstance(oid, str)
    )
    app_ids = Counter(r.client_id for r in stack.resource_apis if isinstance(r.client_id, str))
    for r in stack.resource_apis:
        app_id, object_id = r.client_id, known_str(r.props.get("objectId"))
        problems = []
        if not isinstance(app_id, str) or app_id not in apis:
            problems.append(f"its appId {app_id!r} is no Microsoft API the catalogue knows")
        elif app_ids[app_id] > 1:
            problems.append(f"{app_ids[app_id]} ResourceApi components name app id {app_id}")
        if not isinstance(object_id, str):
            problems.append("its objectId is not a known object id")
        else:
            if object_ids[object_id] > 1:
                problems.append(
                    f"{object_ids[object_id]} ResourceApi components claim object id {object_id}"
                )
            # The read itself is among the resources when the engine refreshes (`preview
            # --refresh`): then the pairing of app id and object id can be checked.
            for sp in stack.service_principals:
                if object_id.lower() in sp.object_ids and sp.client_id != app_id:
                    problems.append(
                        f"the service principal with its object id {object_id} ({sp.name}) is "
                        f"app {sp.client_id}, not {app_id}"
                    )
        if problems:
            out.append(
                Violation(
                    f"ResourceApi {r.name}: {'; '.join(problems)} (declare one ResourceApi per "
                    "API, with the app id and object id get_service_principal returns, as "
                    "components/resource_api.py does)",
                    r.urn,
                )
            )
    return out
