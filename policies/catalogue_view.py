"""Who a stack's service principals are, per the catalogue: the client app and the API of a
grant or an assignment, as the rules name them in their messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.catalogue import App, Catalogue
from catalog.models import ApiFile

from .property_values import Unknown
from .resources import Grant, Resource


@dataclass(frozen=True)
class Client:
    sp: Resource | None
    client_id: str | Unknown | None
    app: App | None

    def __str__(self) -> str:
        if self.sp is None:
            return "client app unknown (its service principal cannot be determined)"
        if isinstance(self.client_id, Unknown):
            return (
                f"client app of service principal {self.sp.name} (client id not known until apply)"
            )
        if self.client_id is None:
            return f"client app of service principal {self.sp.name} (no client id)"
        if self.app is None:
            return f"client app not in the catalogue (client id {self.client_id}, service principal {self.sp.name})"
        return f"client app {self.app.key} (client id {self.client_id})"

    @property
    def identity(self) -> str | None:
        if isinstance(self.client_id, str):
            return self.client_id
        return self.sp.urn if self.sp is not None else None


@dataclass(frozen=True)
class Api:
    sp: Resource | None
    app_id: str | Unknown | None
    api: ApiFile | None

    @property
    def determined(self) -> bool:
        return isinstance(self.app_id, str)

    def __str__(self) -> str:
        if self.api is not None:
            return f"API {self.api.key} ({self.api.display_name})"
        if isinstance(self.app_id, str):
            return f"API with app id {self.app_id} (not in the catalogue)"
        where = f" (service principal {self.sp.name})" if self.sp is not None else ""
        return f"an API that cannot be determined{where}"

    @property
    def identity(self) -> str | None:
        if isinstance(self.app_id, str):
            return self.app_id
        return self.sp.urn if self.sp is not None else None


def client_of(catalogue: Catalogue, sp: Resource | None) -> Client:
    if sp is None:
        return Client(None, None, None)
    client_id = sp.client_id
    app = catalogue.app_by_client_id(client_id) if isinstance(client_id, str) else None
    return Client(sp, client_id, app)


def api_of(catalogue: Catalogue, sp: Resource | None) -> Api:
    if sp is None:
        return Api(None, None, None)
    app_id = sp.client_id
    api = catalogue.api_by_app_id(app_id) if isinstance(app_id, str) else None
    return Api(sp, app_id, api)


class View:
    """Who each service principal is, per the catalogue; memoized for one rule run."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._clients: dict[str, Client] = {}
        self._apis: dict[str, Api] = {}
        self._listed: dict[tuple[str, str], frozenset[str]] = {}

    def client(self, sp: Resource | None) -> Client:
        if sp is None:
            return client_of(self.catalogue, None)
        found = self._clients.get(sp.urn)
        if found is None:
            found = self._clients[sp.urn] = client_of(self.catalogue, sp)
        return found

    def api(self, sp: Resource | None) -> Api:
        if sp is None:
            return api_of(self.catalogue, None)
        found = self._apis.get(sp.urn)
        if found is None:
            found = self._apis[sp.urn] = api_of(self.catalogue, sp)
        return found

    def listed(self, app: str, api: str) -> frozenset[str]:
        found = self._listed.get((app, api))
        if found is None:
            found = self._listed[(app, api)] = self.catalogue.listed_scopes(app, api)
        return found


def grant_text(grant: Grant, client: Client, api: Api) -> str:
    return f"grant {grant.resource.name}: {client}, {api}, target {grant.target}"


def scopes_text(scopes: Iterable[str]) -> str:
    return ", ".join(repr(s) if s != "".join(s.split()) or not s else s for s in sorted(scopes))
