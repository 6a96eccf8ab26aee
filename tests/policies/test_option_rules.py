"""`governed-options`: the options that take a governed resource out of the stack's governance
(ignore_changes, an explicit provider) are refused unless the config names them."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from components.core.naming import GRANT_TYPE, SERVICE_PRINCIPAL_TYPE
from policies.config import OptionsConfig
from policies.option_rules import governed_options
from policies.resources import Resource
from tests.policies.builder import ADELE, GRAPH, GRAPH_OID, MAIL, PLAIN, api, grant, sp

DEFAULT = "urn:pulumi:dev::entra-consent::pulumi:providers:azuread::default_6_11_1"
EXPLICIT = "urn:pulumi:dev::entra-consent::pulumi:providers:azuread::elsewhere"
GRANT = dataclasses.replace(
    grant("mail-graph", sp("mail", MAIL), api("graph", GRAPH, GRAPH_OID), PLAIN, user=ADELE),
    provider=DEFAULT,
)


def messages(resource: Resource, config: OptionsConfig | None = None) -> list[str]:
    return [v.message for v in governed_options(resource, None, config or OptionsConfig())]


def test_the_default_provider_and_no_option_pass() -> None:
    assert messages(GRANT) == []
    assert messages(dataclasses.replace(GRANT, provider="")) == []  # no provider: a component


def test_ignore_changes_on_a_grant_is_refused_unless_allowed() -> None:
    ignoring = dataclasses.replace(GRANT, ignore_changes=("claimValues",))
    (message,) = messages(ignoring)
    assert message.startswith("grant mail-graph: ignore_changes on claimValues takes it out of")
    assert f'governed-options.allowedIgnoreChanges: {{"{GRANT_TYPE}": ["claimValues"]}}' in message
    allowed = OptionsConfig(allowedIgnoreChanges={GRANT_TYPE: ["claimValues"]})
    assert messages(ignoring, allowed) == []


def test_the_service_principal_owners_the_component_ignores_pass() -> None:
    owners = dataclasses.replace(sp("mail", MAIL), ignore_changes=("owners",), provider=DEFAULT)
    assert owners.type == SERVICE_PRINCIPAL_TYPE
    assert messages(owners) == []
    notes = dataclasses.replace(owners, ignore_changes=("owners", "notes"))
    (message,) = messages(notes)
    assert "ignore_changes on notes" in message and "owners" not in message.split("(")[0]


def test_an_explicit_provider_is_refused_unless_allowed() -> None:
    elsewhere = dataclasses.replace(GRANT, provider=EXPLICIT)
    (message,) = messages(elsewhere)
    assert f"written through the explicit provider {EXPLICIT}" in message
    assert messages(elsewhere, OptionsConfig(allowedProviders=[EXPLICIT])) == []


def test_a_provider_the_program_registered_is_explicit_whatever_its_name() -> None:
    """A program's own provider named `default_<version>` looks like the engine's default one
    by its URN; the pack knows it by its parent (policies/pack.py)."""
    disguised = dataclasses.replace(GRANT, provider=DEFAULT, provider_by_program=True)
    (message,) = messages(disguised)
    assert f"written through the explicit provider {DEFAULT}" in message
    assert messages(dataclasses.replace(GRANT, provider=DEFAULT)) == []


def test_other_types_are_not_governed() -> None:
    other = Resource("urn:x", "azuread:index/group:Group", "x", {}, ignore_changes=("members",))
    assert messages(dataclasses.replace(other, provider=EXPLICIT)) == []


@given(st.lists(st.text(max_size=300), min_size=1, max_size=5))
def test_hostile_ignored_names_are_refused_on_one_line(names: list[str]) -> None:
    found = messages(dataclasses.replace(GRANT, ignore_changes=tuple(names)))
    assert len(found) == 1
    assert "\n" not in found[0] and "\r" not in found[0]
