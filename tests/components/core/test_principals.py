"""Which user look-up a stack gets (`user_lookup`): by name or by object id for a few users named
one way, else one paged list of every user."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.core.principals import UPN_LOOKUP_LIMIT, UserLookup, user_lookup
from components.core.settings import StackSettings, settings_from_config

TENANT = "11111111-2222-3333-4444-555555555555"

IDS = [f"{i:08x}-1111-4222-8333-{i:012x}" for i in range(3)]


def _lookup(features: dict[str, Any]) -> UserLookup:
    return user_lookup(_settings(features))


def _settings(features: dict[str, Any]) -> StackSettings:
    config = {"azuread:tenantId": TENANT, "entra-consent:features": features}
    return settings_from_config(config, "Pulumi.t.yaml")


def _principals(users: list[str] | None = None, groups: list[str] | None = None) -> dict[str, Any]:
    feature: dict[str, Any] = {"consent": "principals"}
    if users:
        feature["users"] = users
    if groups:
        feature["groups"] = groups
    return feature


@pytest.mark.parametrize(
    ("features", "mode"),
    [
        ({"teams": {"consent": "tenant"}}, "none"),
        ({"email": _principals(["a@x.example", "B@x.example"])}, "upns"),
        ({"email": _principals(IDS)}, "ids"),
        ({"email": _principals(["a@x.example", IDS[0]])}, "all"),
        ({"email": _principals(groups=["Sales"])}, "all"),
        ({"email": _principals(["a@x.example"], ["Sales"])}, "all"),
        ({"email": _principals([f"u{i}@x.example" for i in range(UPN_LOOKUP_LIMIT)])}, "upns"),
        ({"email": _principals([f"u{i}@x.example" for i in range(UPN_LOOKUP_LIMIT + 1)])}, "all"),
    ],
    ids=[
        "no-principals",
        "few-upns",
        "few-object-ids",
        "upns-and-object-ids-mixed",
        "a-group",
        "users-and-a-group",
        "upns-at-the-limit",
        "upns-over-the-limit",
    ],
)
def test_lookup_mode(features: dict[str, Any], mode: str) -> None:
    assert _lookup(features).mode == mode


def test_references_are_lower_cased_deduplicated_and_merged_across_features() -> None:
    lookup = _lookup(
        {
            "email": _principals(["B@x.example", "a@x.example"]),
            "meetings": _principals(["b@X.example"]),
        }
    )
    assert lookup == UserLookup("upns", upns=("a@x.example", "b@x.example"))


def test_object_ids_are_looked_up_lower_case() -> None:
    lookup = _lookup({"email": _principals([IDS[1].upper(), IDS[0]])})
    assert lookup == UserLookup("ids", ids=(IDS[0], IDS[1]))


_upn = st.from_regex(r"[a-z]{1,6}@[a-z]{1,4}\.example", fullmatch=True)
_id = st.integers(0, 2**32).map(lambda i: f"{i:08x}-1111-4222-8333-{i:012x}")


@given(
    users=st.lists(st.one_of(_upn, _id), unique_by=str.lower, max_size=2 * UPN_LOOKUP_LIMIT),
    groups=st.lists(st.sampled_from(["Sales", "Support", "Engineering"]), unique=True),
)
def test_every_user_is_covered_and_single_requests_stay_bounded(
    users: list[str], groups: list[str]
) -> None:
    lookup = _lookup({"email": _principals(users, groups)})
    # Looking users up one at a time never costs more than the limit in Graph requests...
    assert len(lookup.upns) + len(lookup.ids) <= UPN_LOOKUP_LIMIT
    # ...and whatever the path, every named user is looked up.
    if lookup.mode in ("upns", "ids"):
        assert set(lookup.upns) | set(lookup.ids) == {u.lower() for u in users}
    else:
        assert lookup.mode == "all" or (lookup.mode == "none" and not users and not groups)
