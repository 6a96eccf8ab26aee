"""`python -m simtenant serve` as a process: the URL first, the state file, the seed, a clean
exit on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[3]
AUTH = {"Authorization": "Bearer t"}


@contextmanager
def serve(*args: str) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "simtenant", "serve", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
        assert process.returncode == 0, err
        assert "Traceback" not in err


def test_serve_prints_the_base_url_first_and_keeps_state_across_runs(tmp_path: Path) -> None:
    state = tmp_path / "tenant.json"
    with serve("--state", str(state), "--tenant-id", "AAAAAAAA-0000-0000-0000-000000000001") as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1.0")
        body = {"displayName": "Adele", "userPrincipalName": "adele@contoso.com"}
        adele = httpx.post(f"{url}/users", json=body, headers=AUTH).json()
        assert json.loads(state.read_text())["users"][0]["id"] == adele["id"]
    with serve("--state", str(state), "--seed", "simtenant/seeds/contoso.yaml") as url:
        found = httpx.get(f"{url}/users/adele@contoso.com", headers=AUTH).json()
        assert found["id"] == adele["id"]
        org = httpx.get(f"{url}/organization", headers=AUTH).json()["value"][0]
        assert org["id"] == "aaaaaaaa-0000-0000-0000-000000000001"
        # the seed is for new tenants only
        assert len(httpx.get(f"{url}/users", headers=AUTH).json()["value"]) == 1
    assert not list(tmp_path.glob(".tenant.json.*"))


def test_seed_on_a_new_tenant_then_an_empty_log() -> None:
    with serve("--seed", "simtenant/seeds/contoso.yaml") as url:
        users = httpx.get(f"{url}/users", headers=AUTH).json()["value"]
        assert len(users) == 5
        logged = httpx.get(url.replace("/v1.0", "/_sim/requests")).json()["value"]
        assert [r["path"] for r in logged] == ["/v1.0/users"]


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "seed.yaml"
    bad.write_text("- {path: /users, body: {displayName: x}}\n")
    result = subprocess.run(
        [sys.executable, "-m", "simtenant", "serve", "--seed", str(bad)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "HTTP 400" in result.stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "simtenant", "serve", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for option in ("--port N", "--state FILE", "--tenant-id ID", "--seed FILE", "--throttle"):
        assert option in help_text


def test_throttle_and_delegated_flags() -> None:
    with serve("--seed", "simtenant/seeds/contoso.yaml", "--throttle", "--delegated") as url:
        admin = url.replace("/v1.0", "/_sim")
        throttle = httpx.get(f"{admin}/throttle").json()
        # Graph's published limits, from after the seed on (its writes are not counted)
        assert throttle == {
            "enabled": True,
            "app_writes": 3000,
            "app_window_s": 150.0,
            "tenant_writes": 18000,
            "tenant_window_s": 300.0,
            "admitted": 0,
            "throttled": 0,
            "throttled_by_app": {},
        }
        assert httpx.get(f"{admin}/caller").json() == {"delegated": True}
        pipeline = httpx.get(
            f"{url}/servicePrincipals/51a7e27a-0000-4000-8000-0000000000b1", headers=AUTH
        )
        assert pipeline.json()["appId"] == "51a7e27a-0000-4000-8000-00000000c11e"
    with serve() as url:
        admin = url.replace("/v1.0", "/_sim")
        assert httpx.get(f"{admin}/throttle").json() == {"enabled": False}
        assert httpx.get(f"{admin}/caller").json() == {"delegated": False}
