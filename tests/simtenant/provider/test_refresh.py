"""Read on refresh returns the old inputs with refreshed values, as the bridge's
ExtractInputsFromOutputs does with isRefresh: only the keys the old inputs hold (a key the state
lacks is dropped), a list no longer than before, position by position; an import or `.get`
(no state) takes every input from what was read."""

from __future__ import annotations

from tests.simtenant.provider.conftest import Env
from tests.simtenant.provider.harness import GRANT, SP

APP = "aaaaaaaa-6666-4000-8000-000000000001"
GRAPH_APP = "00000003-0000-0000-c000-000000000000"


def test_a_refresh_keeps_the_old_input_keys_with_new_values(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    sp_id = env.seed.service_principal(APP)
    inputs = {
        "clientId": APP,
        "useExisting": True,
        "notes": "ours",
        "featureTags": [{"enterprise": True}],
        "bogus": "not a property",
    }
    rid, out = env.plugin.create(SP, {k: v for k, v in inputs.items() if k != "bogus"})
    # Changed behind the stack's back: notes, tags, a description and an owner.
    adele = env.seed.user("adele.vance@contoso.com")
    env.seed.add_owner(sp_id, adele)
    env.seed.request(
        "PATCH",
        f"servicePrincipals/{sp_id}",
        {"notes": "admin", "description": "admin", "tags": ["HideApp"]},
    )
    rid2, props, refreshed = env.plugin.read(SP, rid, out, inputs)
    assert rid2 == rid and props["owners"] == [adele] and props["description"] == "admin"
    assert refreshed == {
        "clientId": APP,
        "useExisting": True,
        "notes": "admin",
        # The block keeps only the keys the old inputs gave it.
        "featureTags": [{"enterprise": False}],
    }


def test_lists_keep_their_old_length_position_by_position(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    client = env.seed.service_principal(APP)
    resource = env.seed.sp_id(GRAPH_APP)
    inputs = {
        "servicePrincipalObjectId": client,
        "resourceServicePrincipalObjectId": resource,
        "claimValues": ["User.Read", "Mail.Read"],
    }
    rid, out = env.plugin.create(GRANT, inputs)
    grant_id = rid.rsplit("/", 1)[1]
    env.seed.request("PATCH", f"oauth2PermissionGrants/{grant_id}", {"scope": "Files.Read"})
    _, props, refreshed = env.plugin.read(GRANT, rid, out, inputs)
    assert props["claimValues"] == ["Files.Read"]
    assert refreshed["claimValues"] == ["Files.Read"]
    env.seed.request(
        "PATCH", f"oauth2PermissionGrants/{grant_id}", {"scope": "A.Read B.Read C.Read"}
    )
    _, props, refreshed = env.plugin.read(GRANT, rid, props, inputs)
    assert props["claimValues"] == ["A.Read", "B.Read", "C.Read"]
    assert refreshed["claimValues"] == ["A.Read", "B.Read"]  # no longer than the old inputs


def test_an_import_takes_every_input_from_the_object(env: Env) -> None:
    env.seed.application(APP, "Vendor App")
    sp_id = env.seed.service_principal(APP, notes="from the portal")
    adele = env.seed.user("adele.vance@contoso.com")
    env.seed.add_owner(sp_id, adele)
    _, _, inputs = env.plugin.read(SP, f"/servicePrincipals/{sp_id}")
    assert inputs["notes"] == "from the portal" and inputs["owners"] == [adele]
