"""The shipped catalogue: it loads, and the seed features have exactly the seed's scope sets."""

from __future__ import annotations

import pytest

from catalog.catalogue import Catalogue

GRAPH = "microsoft-graph"
EXCHANGE = "exchange-online"
BASE = {"openid", "profile", "offline_access", "User.Read", "email"}

# Written out from the PowerShell comments of shared/seeds/000_d904a43772d02987.txt ("# Email
# @(...)" and so on), base scopes included. The seed's table marks optional scopes for Meetings
# (rooms) and Calendar (rooms, Teams channel calendars, groups): Calendar's PowerShell list
# includes them, Meetings' does not. Required = the PowerShell list minus the optional ones.
SEED_SCOPES: dict[str, set[str]] = {
    "email": {
        "openid", "profile", "offline_access", "User.Read", "email",
        "Mail.ReadWrite.Shared", "Mail.Send.Shared", "People.Read", "User.ReadBasic.All",
    },
    "meetings": {
        "openid", "profile", "offline_access", "User.Read", "email",
        "Calendars.ReadWrite.Shared", "OnlineMeetings.ReadWrite", "User.ReadBasic.All",
    },
    "calendar": {
        "openid", "profile", "offline_access", "User.Read", "email",
        "Calendars.ReadWrite", "Calendars.ReadWrite.Shared", "OnlineMeetings.ReadWrite",
        "People.Read", "User.ReadBasic.All", "Place.Read.All", "Group.ReadWrite.All",
        "Team.ReadBasic.All",
    },
    "todo": {
        "openid", "profile", "offline_access", "User.Read", "email",
        "Tasks.Read", "Tasks.ReadWrite", "Tasks.ReadWrite.Shared",
    },
    "teams": {
        "openid", "profile", "offline_access", "User.Read", "email",
        "Channel.ReadBasic.All", "ChannelMessage.Send", "Chat.ReadWrite", "Team.ReadBasic.All",
        "User.ReadBasic.All",
    },
    "teams-jsm-portal": {"openid", "profile", "offline_access", "User.Read", "email"},
}  # fmt: skip
SEED_OPTIONAL: dict[str, set[str]] = {
    "meetings": {"Place.Read.All"},
    "calendar": {"Place.Read.All", "Group.ReadWrite.All", "Team.ReadBasic.All"},
}
SEED_CLIENT_IDS = {
    "email": "e7185a25-9df9-4d05-b779-76b04bf46424",
    "meetings": "e7185a25-9df9-4d05-b779-76b04bf46424",
    "calendar": "e7185a25-9df9-4d05-b779-76b04bf46424",
    "todo": "32d752a1-8945-4600-97c9-73ed32c3627a",
    "teams": "89d5ca9f-d63b-4885-bd30-6e7433c1540c",
    "teams-jsm-portal": "a47ed889-74d6-4acf-b5c8-b1172696eb70",
}
JEMHC_CLIENT_ID = "08b9fc2c-f6b8-4da0-8d4d-c065edfa949b"


def test_shipped_catalogue_has_the_seed_features_and_apis(catalogue: Catalogue) -> None:
    assert set(catalogue.features) == {*SEED_SCOPES, "jemhc-graph", "jemhc-ews"}
    assert catalogue.apis[GRAPH].app_id == "00000003-0000-0000-c000-000000000000"
    assert catalogue.apis[EXCHANGE].app_id == "00000002-0000-0ff1-ce00-000000000000"


@pytest.mark.parametrize("key", sorted(SEED_SCOPES))
def test_seed_feature_has_the_seed_scope_set(catalogue: Catalogue, key: str) -> None:
    feature = catalogue.features[key]
    assert set(feature.entry.grants) == {GRAPH}
    grant = feature.entry.grants[GRAPH]
    optional = SEED_OPTIONAL.get(key, set())
    assert set(grant.required) == SEED_SCOPES[key] - optional
    assert set(grant.optional) == optional
    assert set(grant.required) >= BASE
    assert len(grant.required) == len(set(grant.required))
    assert catalogue.apps[feature.app].client_id == SEED_CLIENT_IDS[key]
    assert feature.entry.consent_modes == ["tenant", "principals"]
    assert feature.entry.verified


def test_features_sharing_a_client_id_share_one_app(catalogue: Catalogue) -> None:
    apps = {key: catalogue.features[key].app for key in ("email", "meetings", "calendar")}
    assert len(set(apps.values())) == 1
    client_ids = [app.client_id for app in catalogue.apps.values()]
    assert len(client_ids) == len(set(client_ids))


def test_jemhc_features_are_unverified_and_ews_is_tenant_only(catalogue: Catalogue) -> None:
    graph, ews = catalogue.features["jemhc-graph"], catalogue.features["jemhc-ews"]
    assert catalogue.apps[graph.app].client_id == JEMHC_CLIENT_ID
    assert ews.app == graph.app
    assert not graph.entry.verified
    assert not ews.entry.verified
    assert ews.entry.consent_modes == ["tenant"]
    assert ews.entry.grants[EXCHANGE].required == ["EWS.AccessAsUser.All"]
    assert "principals" in graph.entry.consent_modes


def test_every_scope_is_published_by_its_api(catalogue: Catalogue) -> None:
    for feature in catalogue.features.values():
        for api, grant in feature.entry.grants.items():
            assert set(grant.required) | set(grant.optional) <= set(catalogue.apis[api].scopes)


def test_exchange_ews_scope_is_exchange_not_graph(catalogue: Catalogue) -> None:
    # Same value, different scopes: Exchange Online's id differs from Graph's.
    exchange = catalogue.apis[EXCHANGE].scopes["EWS.AccessAsUser.All"]
    assert exchange.id == "3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5"
    assert exchange.admin_consent_required
    assert catalogue.apis[GRAPH].scopes["EWS.AccessAsUser.All"].id != exchange.id


def test_graph_snapshot_matches_microsoft_ids(catalogue: Catalogue) -> None:
    scopes = catalogue.apis[GRAPH].scopes
    assert scopes["openid"].id == "37f7f235-527c-4136-accd-4a02d197296e"
    assert not scopes["openid"].admin_consent_required
    assert scopes["Place.Read.All"].id == "cb8f45a0-5c2e-4ea1-b803-84b870a7d7ec"
    assert scopes["Place.Read.All"].admin_consent_required
