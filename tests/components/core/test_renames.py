"""Aliases for renamed catalogue keys: every name a resource had under an old app or API key."""

from __future__ import annotations

from components.core.naming import Renames, grant_name
from components.core.target import Target

USER = Target("user", "a1a1a1a1-0000-4000-8000-000000000001")
TENANT = Target("tenant", "")


def test_no_renames_no_aliases() -> None:
    renames = Renames()
    assert renames.grant("jemhc", "microsoft-graph", TENANT) == []
    assert renames.enterprise_app("jemhc") == renames.service_principal("jemhc") == []


def test_a_renamed_app_and_api_alias_every_old_combination() -> None:
    renames = Renames(apps={"jemhc-cloud": ["jemhc"]}, apis={"exchange": ["exchange-online"]})
    assert renames.enterprise_app("jemhc-cloud") == ["jemhc"]
    assert renames.service_principal("jemhc-cloud") == ["jemhc-sp"]
    assert renames.grant("jemhc-cloud", "exchange", USER) == sorted(
        grant_name(app, api, USER)
        for app, api in [
            ("jemhc", "exchange"),
            ("jemhc", "exchange-online"),
            ("jemhc-cloud", "exchange-online"),
        ]
    )
    assert renames.assignment("jemhc-cloud", USER) == [f"jemhc-assign-user-{USER.ref}"]
    assert renames.resource_api("exchange") == ["api-exchange-online"]
