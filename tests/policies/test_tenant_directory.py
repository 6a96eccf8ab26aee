"""The pack's reader of the tenant (checked-before-write) against the simulated Graph: GET only,
a 404 asked again while Entra ID replicates, what cannot be read is `TenantUnavailable` (a
refusal, never a pass), and only what cannot change is kept."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest

from policies.before_write import TenantPrincipal, TenantUnavailable
from policies.tenant_directory import GraphDirectory
from simtenant.graph.server import SimTenant
from simtenant.graph.service_principals import SP_DEFAULTS

TOKEN = "pack-token"
SP_ID = "5e5e5e5e-0000-4000-8000-0000000000ee"
APP_ID = "e7185a25-9df9-4d05-b779-76b04bf46424"


@pytest.fixture
def sim() -> Iterator[SimTenant]:
    with SimTenant(token=TOKEN) as tenant:
        yield tenant


def hold(sim: SimTenant, object_id: str = SP_ID, **props: object) -> None:
    sp = copy.deepcopy(SP_DEFAULTS)
    sp.update({"id": object_id, "appId": APP_ID, "displayName": "Microsoft 365 for Jira: Email"})
    sp.update(props)
    with sim.lock:
        sim.tenant.service_principals[object_id] = sp


def reader(sim: SimTenant, **kwargs: object) -> GraphDirectory:
    return GraphDirectory(sim.base_url, lambda: TOKEN, **kwargs)  # type: ignore[arg-type]


def test_reads_the_app_of_an_object_id_once_with_get_only(sim: SimTenant) -> None:
    hold(sim)
    tenant = reader(sim)
    found = tenant.service_principal(SP_ID.upper())
    assert found == TenantPrincipal(SP_ID, APP_ID, "Microsoft 365 for Jira: Email")
    assert tenant.service_principal(SP_ID) == found
    assert sim.methods() == {"GET"}
    assert len([p for p in sim.paths() if SP_ID in p]) == 1  # an app id never changes: kept


def test_whether_assignment_is_required_is_read_every_time(sim: SimTenant) -> None:
    hold(sim, appRoleAssignmentRequired=True)
    tenant = reader(sim)
    assert tenant.requires_assignment(SP_ID) is True
    with sim.lock:
        sim.tenant.service_principals[SP_ID]["appRoleAssignmentRequired"] = False
    assert tenant.requires_assignment(SP_ID) is False


def test_a_new_service_principal_is_asked_for_again_while_it_replicates(sim: SimTenant) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            hold(sim)  # replicated after the third wait

    tenant = reader(sim, sleep=sleep)
    found = tenant.service_principal(SP_ID)
    assert found is not None and found.app_id == APP_ID
    assert waits == [1.0, 2.0, 4.0]


def test_an_object_id_nothing_holds_is_none_after_the_replication_time(sim: SimTenant) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    tenant = reader(sim, replication_s=20.0, sleep=sleep, clock=lambda: now[0])
    assert tenant.service_principal(SP_ID) is None
    assert now[0] <= 20.0
    assert len(sim.paths()) == 5  # at 0, 1, 3, 7 and 15 s


def test_an_id_that_is_no_guid_is_never_sent(sim: SimTenant) -> None:
    tenant = reader(sim)
    for hostile in ("../users", "5e5e5e5e-0000-4000-8000-0000000000ee/owners", "", "x" * 5000):
        assert tenant.service_principal(hostile) is None
        assert tenant.requires_assignment(hostile) is False
    assert sim.paths() == []


def test_a_refused_token_is_unavailable_not_absent(sim: SimTenant) -> None:
    hold(sim)
    tenant = GraphDirectory(sim.base_url, lambda: "someone-else's")
    with pytest.raises(TenantUnavailable, match="401"):
        tenant.service_principal(SP_ID)


def test_a_credential_that_cannot_sign_in_is_unavailable_and_not_tried_again(
    sim: SimTenant,
) -> None:
    tried: list[int] = []

    def token() -> str:
        tried.append(1)
        raise RuntimeError("DefaultAzureCredential failed to retrieve a token\nmore lines")

    tenant = GraphDirectory(sim.base_url, token)
    for _ in range(3):
        with pytest.raises(TenantUnavailable, match=r"^credentials: DefaultAzureCredential fail"):
            tenant.service_principal(SP_ID)
    assert tried == [1]


def test_an_answer_without_an_app_id_is_unavailable(sim: SimTenant) -> None:
    hold(sim, appId="not-a-guid")
    with pytest.raises(TenantUnavailable, match="without an app id"):
        reader(sim).service_principal(SP_ID)
