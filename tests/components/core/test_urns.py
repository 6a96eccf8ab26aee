"""URNs both ways (components/core/naming.py): built as the engine builds them, read back."""

from __future__ import annotations

import pytest

from components.core.naming import ENTERPRISE_APP_TYPE, GRANT_TYPE, split_urn, urn, urn_stack


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
