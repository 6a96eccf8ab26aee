"""A catalogue app whose client id is Microsoft's own (a well-known public client such as the
Azure CLI, or an app registered in Microsoft's tenant) is refused by `catalogue-apps-only`,
whatever the catalogue says, unless the policy config allows that client id."""

from __future__ import annotations

import dataclasses

from catalog.catalogue import App, Catalogue
from policies.before_write import Step, TenantPrincipal, checked_before_write
from policies.config import CatalogueAppsConfig, RuleConfig
from tests.policies.builder import (
    ADELE,
    CATALOGUE,
    GRAPH,
    GRAPH_OID,
    MAIL,
    MAIL_OID,
    PLAIN,
    api,
    grant,
    sp,
    verdicts,
)

AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"


def with_client_id(catalogue: Catalogue, app: str, client_id: str) -> Catalogue:
    """The catalogue with one app's client id changed (as a pull request could)."""
    found = catalogue.apps[app]
    entry = found.entry.model_copy(update={"client_id": client_id})
    apps = {**catalogue.apps, app: App(found.key, found.file, entry)}
    return dataclasses.replace(catalogue, apps=apps)


CLI_MAIL = with_client_id(CATALOGUE, "m365-jira-mail", AZURE_CLI)
STACK = [
    sp("mail", AZURE_CLI, MAIL_OID),
    api("graph", GRAPH, GRAPH_OID),
    grant("mail-graph", sp("mail", AZURE_CLI, MAIL_OID), api("graph", GRAPH, GRAPH_OID), PLAIN),
]


def test_a_catalogue_app_pointed_at_the_azure_cli_is_refused() -> None:
    found = [v for v in verdicts(STACK, CLI_MAIL) if v[0] == "catalogue-apps-only"]
    assert sorted(urn for _, urn, _ in found) == ["urn:mail-graph", "urn:mail-sp"]
    for _, _, message in found:
        assert "Microsoft's public client Microsoft Azure CLI" in message
        assert "catalogue-apps-only.allowMicrosoftClients" in message


def test_the_config_can_allow_one_microsoft_client() -> None:
    allowed = CatalogueAppsConfig(allowMicrosoftClients=[AZURE_CLI.upper()])
    found = verdicts(STACK, CLI_MAIL, {"catalogue-apps-only": allowed})
    assert [v for v in found if v[0] == "catalogue-apps-only"] == []


def test_the_vendors_own_client_id_passes() -> None:
    honest = [sp("mail", MAIL, MAIL_OID), api("graph", GRAPH, GRAPH_OID)]
    honest.append(grant("mail-graph", honest[0], honest[1], PLAIN, user=ADELE))
    assert [v for v in verdicts(honest) if v[0] == "catalogue-apps-only"] == []


class MicrosoftOwned:
    """A tenant in which the mail app's client id is registered in Microsoft's tenant."""

    def service_principal(self, object_id: str) -> TenantPrincipal | None:
        app = {MAIL_OID: MAIL, GRAPH_OID: GRAPH}.get(object_id)
        owner = "f8cdef31-a31e-4b4a-93e4-5f571e91255a" if object_id == MAIL_OID else None
        return None if app is None else TenantPrincipal(object_id, app, "x", owner)

    def requires_assignment(self, object_id: str) -> bool:
        return False


def test_before_the_write_an_app_registered_in_microsofts_tenant_is_refused() -> None:
    resource = grant(
        "mail-graph", sp("mail", MAIL), api("graph", GRAPH, GRAPH_OID), PLAIN, user=ADELE
    )
    step = Step(resource, MicrosoftOwned(), {"catalogue-apps-only": CatalogueAppsConfig()})
    (violation,) = checked_before_write(step, CATALOGUE, RuleConfig())
    assert (
        "an app registered in Microsoft's tenant f8cdef31-a31e-4b4a-93e4-5f571e91255a"
        in violation.message
    )
    allowed = {"catalogue-apps-only": CatalogueAppsConfig(allowMicrosoftClients=[MAIL])}
    assert (
        checked_before_write(Step(resource, MicrosoftOwned(), allowed), CATALOGUE, RuleConfig())
        == []
    )
