"""Entra ID's token endpoint on the simulator's root: the unsigned JWT and its claims, the
AADSTS answers, and Graph's bearer check unchanged (simtenant/graph/token.py)."""

from __future__ import annotations

import base64
import json
import re
import time
from typing import Any

import httpx
import pytest

from simtenant.graph import SimTenant
from simtenant.graph.token import bearer_claims
from tests.simtenant.graph.conftest import MAIL_APP, created, error

TENANT = "11111111-2222-3333-4444-555555555555"
PIPELINE = "51a7e27a-0000-4000-8000-0000000000b1"
CLIENT = "51a7e27a-0000-4000-8000-00000000c11e"
FORM = {
    "grant_type": "client_credentials",
    "client_id": CLIENT,
    "client_secret": "s3cret",
    "scope": "https://127.0.0.1:8443/.default",
}


def token(sim: SimTenant, directory: str = TENANT, **form: str) -> httpx.Response:
    body = {k: v for k, v in (FORM | form).items() if v != "-"}
    return httpx.post(f"{sim.origin}/{directory}/oauth2/v2.0/token", data=body)


def payload(jwt: str) -> dict[str, Any]:
    header, claims, signature = jwt.split(".")
    assert signature and "=" not in jwt  # base64url without padding, as go-azure-sdk decodes
    assert json.loads(base64.urlsafe_b64decode(header + "==="))["typ"] == "JWT"
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(claims + "==="))
    return decoded


def test_a_token_for_the_tenant(sim: SimTenant) -> None:
    answer = token(sim)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(
        "application/json"
    )
    body = answer.json()
    assert {k: body[k] for k in ("token_type", "expires_in")} == {
        "token_type": "Bearer",
        "expires_in": 3599,
    }
    claims = payload(body["access_token"])
    now = time.time()
    assert {k: claims[k] for k in ("tid", "oid", "appid", "azp", "aud", "idtyp")} == {
        "tid": TENANT,
        "oid": PIPELINE,  # no service principal for the client: the deploying identity's id
        "appid": CLIENT,
        "azp": CLIENT,
        "aud": "https://127.0.0.1:8443",
        "idtyp": "app",
    }
    assert claims["iat"] <= now < claims["exp"] <= now + 3600
    assert bearer_claims(f"Bearer {body['access_token']}") == claims
    # the token is a bearer token Graph takes, and the tenant in the path may differ in case
    graph = httpx.get(
        f"{sim.base_url}/organization", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert graph.status_code == 200
    assert token(sim, TENANT.upper()).status_code == 200
    # token requests are no Graph requests
    assert [r.path for r in sim.requests] == ["/v1.0/organization"]


def test_oid_is_the_clients_service_principal(sim: SimTenant, graph: httpx.Client) -> None:
    sp = created(graph.post("servicePrincipals", json={"appId": MAIL_APP}))
    claims = payload(token(sim, client_id=MAIL_APP.upper()).json()["access_token"])
    assert (claims["oid"], claims["appid"]) == (sp["id"], MAIL_APP.upper())


def test_another_directory_is_aadsts700016(sim: SimTenant) -> None:
    other = "99999999-8888-7777-6666-555555555555"
    answer = token(sim, other)
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"] == "unauthorized_client" and body["error_codes"] == [700016]
    assert re.fullmatch(
        rf"AADSTS700016: Application with identifier '{CLIENT}' was not found in the directory "
        rf"'{other}'\. This can happen if the application has not been installed by the "
        r"administrator of the tenant or consented to by any user in the tenant\. You may have "
        r"sent your authentication request to the wrong tenant\.\r\nTrace ID: [0-9a-f-]{36}\r\n"
        r"Correlation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ",
        body["error_description"],
    )
    assert set(body) == {
        "error",
        "error_description",
        "error_codes",
        "timestamp",
        "trace_id",
        "correlation_id",
        "error_uri",
    }
    assert error_text(token(sim, "contoso.com")).startswith("AADSTS700016")
    sim.tenant.verified_domains.append("Contoso.com")
    assert token(sim, "contoso.com").status_code == 200
    claims = payload(token(sim, "CONTOSO.COM").json()["access_token"])
    assert claims["tid"] == TENANT


def error_text(answer: httpx.Response) -> str:
    assert answer.status_code >= 400
    return str(answer.json()["error_description"])


@pytest.mark.parametrize(
    ("form", "status", "error_name", "start"),
    [
        (
            {"grant_type": "-"},
            400,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
        ),
        (
            {"client_id": ""},
            400,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
        ),
        (
            {"scope": "-"},
            400,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'scope'.",
        ),
        (
            {"client_secret": "-"},
            401,
            "invalid_client",
            "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        ),
        ({"grant_type": "password"}, 400, "unsupported_grant_type", "AADSTS70003: "),
    ],
)
def test_bad_requests(
    sim: SimTenant, form: dict[str, str], status: int, error_name: str, start: str
) -> None:
    answer = token(sim, **form)
    assert answer.status_code == status and answer.json()["error"] == error_name
    assert error_text(answer).startswith(start)


def test_an_assertion_stands_for_a_secret_and_hostile_bodies(sim: SimTenant) -> None:
    assert token(sim, client_secret="-", client_assertion="eyJ.x.y").status_code == 200
    url = f"{sim.origin}/{TENANT}/oauth2/v2.0/token"
    for raw in (b"\xff\xfe", b"&&&=", b"grant_type=client_credentials&" * 5000, b"%00%ff"):
        assert httpx.post(url, content=raw).status_code == 400
    # only POST is the token endpoint; and Graph's bearer check is unchanged
    got = httpx.get(url, headers={"Authorization": "Bearer t"})
    assert got.status_code == 404 and "access_token" not in got.text
    sim.token = "only-this"
    jwt = token(sim).json()["access_token"]
    error(
        httpx.get(f"{sim.base_url}/organization", headers={"Authorization": f"Bearer {jwt}"}), 401
    )
