"""The look-up invokes the program makes for each user look-up path (under the mock runtime)."""

from __future__ import annotations

from pathlib import Path

from components.core.naming import GET_USERS, GRANT_TYPE
from simtenant.fakes.fake_tenant import FakeTenant, fake_id
from simtenant.fakes.mock_runtime import ROOT, run_program

CONTOSO = FakeTenant.from_file(Path(ROOT, "tests", "tenants", "contoso.yaml"))


def _uid(upn: str) -> str:
    return fake_id("user", upn)


def _get_users_args(users: list[str]) -> tuple[list[dict[str, object]], set[str]]:
    config = {"entra-consent:features": {"todo": {"consent": "principals", "users": users}}}
    run = run_program(config, CONTOSO, stack="lookups")
    assert run.error is None, run.logs
    grants = {r.inputs["userObjectId"] for r in run.of_type(GRANT_TYPE)}
    return [args for token, args in run.invoke_args if token == GET_USERS], grants


def test_users_named_by_object_id_are_looked_up_by_object_id() -> None:
    ids = [_uid("alex.wilber@contoso.com"), _uid("lee.gu@contoso.com").upper()]
    calls, grants = _get_users_args(ids)
    assert calls == [{"objectIds": sorted(i.lower() for i in ids), "ignoreMissing": True}]
    assert grants == {i.lower() for i in ids}


def test_users_named_by_upn_are_looked_up_by_upn() -> None:
    calls, grants = _get_users_args(["Alex.Wilber@contoso.com"])
    assert calls == [{"userPrincipalNames": ["alex.wilber@contoso.com"], "ignoreMissing": True}]
    assert grants == {_uid("alex.wilber@contoso.com")}


def test_a_mix_of_upns_and_object_ids_takes_one_list_of_all_users() -> None:
    calls, grants = _get_users_args(["alex.wilber@contoso.com", _uid("lee.gu@contoso.com")])
    assert calls == [{"returnAll": True}]
    assert grants == {_uid("alex.wilber@contoso.com"), _uid("lee.gu@contoso.com")}
