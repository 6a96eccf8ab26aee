"""What an enterprise app keeps from the tenant: every field the stack does not declare, and
every tag but the two the stack manages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from components.core.kept_fields import ENTERPRISE_TAG, HIDE_TAG, TenantApp, kept_fields, tags

TAG = st.sampled_from(
    [
        ENTERPRISE_TAG,
        HIDE_TAG,
        "hideapp",
        "WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1",
        "Owner:IT",
    ]
) | st.text(min_size=1, max_size=20)


@given(existing=st.lists(TAG, max_size=8), hide=st.booleans())
def test_tags_keep_the_tenants_and_set_only_the_two_managed(
    existing: list[str], hide: bool
) -> None:
    result = tags(existing, hide)
    managed = {ENTERPRISE_TAG.lower(), HIDE_TAG.lower()}
    assert result[0] == ENTERPRISE_TAG
    assert (HIDE_TAG in result) is hide
    assert [t for t in result if t.lower() not in managed] == list(
        dict.fromkeys(t for t in existing if t.lower() not in managed)
    )
    assert len(result) == len(set(result))


def test_an_admin_disabled_app_stays_as_the_admin_left_it() -> None:
    found = {
        "accountEnabled": False,
        "description": "Kept by IT",
        "loginUrl": "https://jira.example.com/login",
        "preferredSingleSignOnMode": "saml",
        "notificationEmailAddresses": ["it@contoso.com"],
        "alternativeNames": ["jira"],
        "tags": ["WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1", "Owner:IT", HIDE_TAG],
        "samlSingleSignOns": [{"relayState": "https://jira.example.com/sso"}],
    }
    assert kept_fields(TenantApp.from_lookup(found), hide=False) == {
        "account_enabled": False,
        "description": "Kept by IT",
        "login_url": "https://jira.example.com/login",
        "preferred_single_sign_on_mode": "saml",
        "notification_email_addresses": ["it@contoso.com"],
        "alternative_names": ["jira"],
        "tags": [
            ENTERPRISE_TAG,
            "WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1",
            "Owner:IT",
        ],
        "saml_single_sign_on": {"relay_state": "https://jira.example.com/sso"},
    }


def test_empty_tenant_values_stay_empty_and_a_new_app_gets_defaults() -> None:
    found = {"accountEnabled": True, "description": "", "loginUrl": "", "tags": []}
    kept = kept_fields(TenantApp.from_lookup(found), hide=True)
    assert kept["description"] is None and kept["login_url"] is None
    assert kept["account_enabled"] is True
    assert kept["tags"] == [ENTERPRISE_TAG, HIDE_TAG]
    assert kept_fields(None, hide=False) == {"tags": [ENTERPRISE_TAG]}
