"""URNs both ways (components/core/naming.py): built as the engine builds them, read back."""

from __future__ import annotations

import pytest

from components.core.naming import (
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    is_default_provider,
    provider_urn,
    split_urn,
    urn,
    urn_stack,
)

DEFAULT = "urn:pulumi:dev::entra-consent::pulumi:providers:azuread::default_6_11_1"
EXPLICIT = "urn:pulumi:dev::entra-consent::pulumi:providers:azuread::elsewhere"


@pytest.mark.parametrize(
    ("urn", "expected"),
    [
        ("urn:pulumi:dev::proj::a:b:C::name", ("a:b:C", "name")),
        ("urn:pulumi:dev::proj::parent:x:P$a:b:C::name", ("a:b:C", "name")),
        ("urn:pulumi:dev::proj::a:b:C::name::with::colons", ("a:b:C", "name::with::colons")),
        ("urn:pulumi:dev::proj", ("", "urn:pulumi:dev::proj")),
        ("not a urn", ("", "not a urn")),
    ],
)
def test_split_urn(urn: str, expected: tuple[str, str]) -> None:
    assert split_urn(urn) == expected


def test_a_built_urn_reads_back() -> None:
    built = urn("proj", "dev", GRANT_TYPE, "app-api-tenant", ENTERPRISE_APP_TYPE)
    assert split_urn(built) == (GRANT_TYPE, "app-api-tenant")
    assert urn_stack(built) == "dev"
    assert urn_stack("not a urn") is None


def test_only_top_level_providers_named_as_the_engine_names_them_are_default() -> None:
    assert is_default_provider(DEFAULT)
    assert is_default_provider("urn:pulumi:dev::p::pulumi:providers:azuread::default")
    for other in (
        EXPLICIT,
        "urn:pulumi:dev::p::entra-consent:index:EnterpriseApp$pulumi:providers:azuread::default",
        "urn:pulumi:dev::p::pulumi:providers:azuread::default-evil",
        "urn:pulumi:dev::p::pulumi:providers:azuread::defaults",
        "default_6_11_1",
    ):
        assert not is_default_provider(other), other


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (f"{DEFAULT}::b6e0aa4b-90cb-4070-b7e6-6ab7401bb3be", DEFAULT),
        (f"{EXPLICIT}::04da6b54-80e4-46f7-96ec-b56ff0331ba9", EXPLICIT),
        (DEFAULT, DEFAULT),  # no id: the URN as it is
        ("not a reference", "not a reference"),
    ],
)
def test_a_provider_reference_without_its_id(reference: str, expected: str) -> None:
    assert provider_urn(reference) == expected
