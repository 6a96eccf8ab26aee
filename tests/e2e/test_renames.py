"""Renames move nothing: renaming a catalogue app key and an API key, with the old keys under
`previous_keys`, previews with no create and no delete on the real engine (aliases carry every
resource over), and `pulumi up` leaves every grant the same Graph object."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from simtenant.workspace import POLICY_CONFIG, Workspace
from tests.e2e.conftest import TenantProcess

pytestmark = pytest.mark.e2e


def rename(ws: Workspace) -> Path:
    """jemhc -> jemhc-cloud, exchange-online -> exchange; returns the policy config to use."""
    catalog = ws.project / "catalog"
    apps_file = catalog / "apps" / "jemhc.yaml"
    apps = yaml.safe_load(apps_file.read_text("utf-8"))
    apps["apps"]["jemhc-cloud"] = {**apps["apps"].pop("jemhc"), "previous_keys": ["jemhc"]}
    for feature in apps["features"].values():
        feature["app"] = "jemhc-cloud"
        if "exchange-online" in feature["grants"]:
            feature["grants"]["exchange"] = feature["grants"].pop("exchange-online")
    apps_file.write_text(yaml.safe_dump(apps, sort_keys=False), "utf-8")
    old_api = catalog / "apis" / "exchange-online.yaml"
    api = yaml.safe_load(old_api.read_text("utf-8"))
    api.update(key="exchange", previous_keys=["exchange-online"])
    (catalog / "apis" / "exchange.yaml").write_text(yaml.safe_dump(api, sort_keys=False), "utf-8")
    old_api.unlink()
    config = json.loads(POLICY_CONFIG.read_text("utf-8"))
    allowances = config["tenant-wide-privileged-scopes"]["allowances"]
    allowances["jemhc-cloud"] = {"exchange": allowances.pop("jemhc")["exchange-online"]}
    path = ws.root / "policy-config.json"
    path.write_text(json.dumps(config), "utf-8")
    return path


def test_renamed_keys_preview_with_no_create_or_delete(
    workspace: Workspace, tenant: TenantProcess
) -> None:
    workspace.up()
    grants = {g["id"]: g["scope"] for g in tenant.graph.list("/oauth2PermissionGrants")}
    config = rename(workspace)
    args = workspace.policy_args(config)
    preview = workspace.run_pulumi("preview", *args, "--json").json()
    ops = {s["op"] for s in preview["steps"]}
    assert not ops & {"create", "delete", "replace", "create-replacement", "delete-replaced"}, [
        (s["op"], s["urn"]) for s in preview["steps"] if s["op"] not in ("same", "read")
    ]
    workspace.run_pulumi("up", "--yes", *args)
    assert {g["id"]: g["scope"] for g in tenant.graph.list("/oauth2PermissionGrants")} == grants
    workspace.run_pulumi("up", "--yes", "--expect-no-changes", *args)
