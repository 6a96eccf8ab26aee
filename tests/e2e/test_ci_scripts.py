"""The workflows' shell steps (`ci/*.sh`) run as a CI job runs them: from a checkout of the
project (a workspace copy with `ci/` and a git history for `--base`), `pulumi` (the real CLI) on
PATH, a `file://` backend and its passphrase, the simulated tenant as Microsoft Graph, and files
for GITHUB_STEP_SUMMARY and GITHUB_OUTPUT.

What they prove: the pull-request preview passes with the shipped policy config, which allows
JEMHC's tenant-wide EWS scope, and is refused without it; the policy pack runs from the
virtualenv ci/setup-policy-pack.sh makes; the deploy script checks offline, then applies; the
drift script passes on a deployed stack and fails on a grant changed in the tenant."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from simtenant.workspace import ROOT, Result, Workspace
from tests.e2e.conftest import TenantProcess
from tests.e2e.test_adoption import JEMHC, TEAMS, token
from tests.e2e.test_lifecycle import EXCHANGE, assert_tenant_matches_plan

pytestmark = pytest.mark.e2e

FEATURES = "entra-consent:features"
EWS = "EWS.AccessAsUser.All"
JEMHC_EWS_GRANT = "jemhc-exchange-online-tenant"
GIT = ("git", "-c", "user.name=ci", "-c", "user.email=ci@example.invalid")


class Job:
    """A CI job on a workspace: runs ci/<script> in the project folder with the job's
    environment; the step summary and step outputs land in files of their own."""

    def __init__(self, ws: Workspace, tenant: TenantProcess, tmp: Path) -> None:
        self.ws = ws
        self.tenant = tenant
        tmp.mkdir(parents=True)
        self.summary = tmp / "step-summary.md"
        self.outputs = tmp / "step-outputs"
        shutil.copytree(ROOT / "ci", ws.project / "ci")
        (ws.project / ".gitignore").write_text("venv\nout/\ndiscovered/\n", "utf-8")
        self.git("init", "-q")
        self.commit("the project as checked out")
        # A job's view of GitHub: its own files and variables, none of the runner's the tests
        # may run under.
        for name in [n for n in ws.env if n.startswith(("GITHUB_", "ACTIONS_", "RUNNER_"))]:
            del ws.env[name]
        ws.env.update(
            GITHUB_ACTIONS="true",
            PULUMI_BACKEND_URL=f"file://{ws.root / 'state'}",
            GITHUB_STEP_SUMMARY=str(self.summary),
            GITHUB_OUTPUT=str(self.outputs),
            BASE_REF="HEAD",
            ENTRA_CONSENT_GRAPH_URL=tenant.base_url,
            ENTRA_CONSENT_GRAPH_TOKEN=token(),
        )
        # `make setup` installs `entra-consent` into venv/ (the scripts' default, through the
        # workspace's venv link); a venv set up before the command existed gets a stand-in.
        if not (Path(sys.prefix) / "bin" / "entra-consent").exists():
            command = tmp / "bin" / "entra-consent"
            command.parent.mkdir(parents=True)
            command.write_text(
                f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m previews "$@"\n'
            )
            command.chmod(0o755)
            ws.env["ENTRA_CONSENT"] = str(command)

    def git(self, *args: str) -> None:
        subprocess.run([*GIT, *args], cwd=self.ws.project, check=True, capture_output=True)

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def run(self, script: str, *args: str, **env: str) -> Result:
        """ci/<script> ARGS with the job's environment plus `env`; the summary and outputs
        start empty."""
        return self._run(self.ws.project, script, args, env)

    def run_from(self, guard: Path, script: str, *args: str, **env: str) -> Result:
        """The ci/<script> of another checkout (the guard) on this project (PROJECT_DIR)."""
        return self._run(guard, script, args, {"PROJECT_DIR": str(self.ws.project), **env})

    def _run(
        self, checkout: Path, script: str, args: tuple[str, ...], env: dict[str, str]
    ) -> Result:
        self.summary.write_text("", "utf-8")
        self.outputs.write_text("", "utf-8")
        saved = self.ws.env
        self.ws.env = {**saved, **env}
        try:
            return self.ws.run(str(checkout / "ci" / script), *args, check=False)
        finally:
            self.ws.env = saved

    def step_summary(self) -> str:
        return self.summary.read_text("utf-8")

    def step_outputs(self) -> dict[str, str]:
        lines = self.outputs.read_text("utf-8").splitlines()
        return dict(line.split("=", 1) for line in lines)

    def tenant_state(self) -> object:
        return self.tenant.graph.http.get(
            self.tenant.base_url.replace("/v1.0", "/_sim/state")
        ).json()


@pytest.fixture
def job(workspace: Workspace, tenant: TenantProcess, tmp_path: Path) -> Job:
    return Job(workspace, tenant, tmp_path / "job")


def report(result: Result, job: Job) -> str:
    return f"{result}\n--- step summary\n{job.step_summary()[-4000:]}"


# -- the policy pack's virtualenv and the pull-request preview ---------------------------------


def test_the_preview_passes_with_the_shipped_config_and_a_pack_venv_of_its_own(
    job: Job, tenant: TenantProcess
) -> None:
    """The pull-request job: the pack's virtualenv made from policies/requirements.txt alone
    (not the project's venv), then the live preview with the shipped config, whose allowance
    lets JEMHC's EWS scope be granted tenant-wide; the comment in the step summary."""
    pack_venv = job.ws.project / "policies" / "venv"
    pack_venv.unlink()  # the workspace links the project's venv there; CI has none
    setup = job.run("setup-policy-pack.sh")
    assert setup.code == 0, str(setup)
    assert "creating policies/venv" in setup.stderr
    assert (pack_venv / "bin" / "python").exists() and not pack_venv.is_symlink()
    assert (pack_venv / "pyvenv.cfg").is_file()
    again = job.run("setup-policy-pack.sh")
    assert again.code == 0, str(again)
    assert "policies/venv exists (kept)" in again.stderr

    result = job.run("preview-stack.sh", "dev")
    assert result.code == 0, report(result, job)
    summary = job.step_summary()
    assert summary.startswith("<!-- entra-consent-preview:dev -->\n"), summary[:500]
    assert "## Consent plan diff: stack `dev`" in summary
    assert "## Consent diff: stack `dev`" in summary
    assert "policy violations: 0 mandatory, 0 advisory" in summary, summary
    assert "FAILURE" not in summary
    jemhc = summary[summary.index("### `jemhc`") :]
    assert f"**tenant-wide** (all users): new grant: adds `{EWS}`" in jemhc, jemhc
    assert job.step_outputs() == {
        "comment_exit": "0",
        "comment": "out/ci/dev/comment.md",
    }
    out = job.ws.project / "out" / "ci" / "dev"
    assert (out / "comment.md").read_text("utf-8") == summary
    assert json.loads((out / "preview.json").read_text("utf-8"))["steps"]
    # The pack ran (from policies/venv, the only virtualenv it has) and passed every rule.
    events = [json.loads(line) for line in (out / "events.jsonl").read_text("utf-8").splitlines()]
    (stack_summary,) = [
        e["policyAnalyzeStackSummaryEvent"] for e in events if "policyAnalyzeStackSummaryEvent" in e
    ]
    assert stack_summary["policyPackName"] == "entra-consent"
    assert "tenant-wide-privileged-scopes" in stack_summary["passed"]
    # The full comment in the log, where GitHub runs no workflow command written in it.
    stop = re.search(r"^::stop-commands::([0-9a-f]{32})$", result.stdout, re.MULTILINE)
    assert stop, result.stdout[:300]
    logged = result.stdout[stop.end() + 1 :]
    assert logged.startswith(summary) and f"\n::{stop.group(1)}::\n" in logged
    # A preview: nothing reached the tenant.
    assert list(tenant.graph.list("/oauth2PermissionGrants")) == []


def test_without_the_config_the_pack_refuses_jemhc_ews_tenant_wide(
    job: Job, tmp_path: Path
) -> None:
    """What the workflows did before: the pack without its config (its defaults, as `{}` gives
    them) refuses the example stack's tenant-wide EWS grant; the preview script fails with the
    comment command's code for a mandatory violation (3) and the comment names the grant."""
    raw = job.ws.run_pulumi("preview", "--stack", "dev", "--policy-pack", "policies", check=False)
    assert raw.code != 0, str(raw)
    assert "tenant-wide-privileged-scopes" in raw.stdout and JEMHC_EWS_GRANT in raw.stdout

    defaults = tmp_path / "defaults.json"
    defaults.write_text("{}\n", "utf-8")
    result = job.run("preview-stack.sh", "dev", POLICY_CONFIG=str(defaults))
    assert result.code == 3, report(result, job)
    assert "::error::stack dev: mandatory policy violations (see the comment)" in result.stdout
    summary = job.step_summary()
    assert "⛔ **1 mandatory policy violation: this change cannot be applied.**" in summary
    (row,) = [line for line in summary.splitlines() if "`tenant-wide-privileged-scopes`" in line]
    assert (
        f"| `mandatory` | `tenant-wide-privileged-scopes` | `jemhc` | `{JEMHC_EWS_GRANT}` |" in row
    )
    assert EWS in row
    assert job.step_outputs()["comment_exit"] == "3"


def test_an_offline_preview_and_settings_that_do_not_load(job: Job) -> None:
    """LIVE=false (forks, example stacks): the comment holds the plan diff alone and no Pulumi
    CLI runs; settings that do not load fail with 6, the comment listing the problems."""
    offline = job.run("preview-stack.sh", "dev", LIVE="false")
    assert offline.code == 0, report(offline, job)
    assert "**Live preview**: not run for this pull request" in job.step_summary()
    assert not (job.ws.project / "out" / "ci" / "dev" / "preview.json").exists()

    config = job.ws.stack_config()
    config[FEATURES]["teams"]["consent"] = "everyone"
    job.ws.write_stack_config(config)
    bad = job.run("preview-stack.sh", "dev", LIVE="false")
    assert bad.code == 6, report(bad, job)
    assert "## Stack `dev`: the settings do not load" in job.step_summary()
    assert "entra-consent:features.teams.consent" in job.step_summary()
    assert job.step_outputs()["comment_exit"] == "6"


def test_a_live_preview_without_the_pack_venv_stops_and_says_why(job: Job) -> None:
    (job.ws.project / "policies" / "venv").unlink()
    result = job.run("preview-stack.sh", "dev")
    assert result.code == 1, str(result)
    assert (
        "::error::the policy pack has no virtualenv at policies/venv: run "
        "ci/setup-policy-pack.sh first"
    ) in result.stdout
    assert not (job.ws.project / "out" / "ci" / "dev" / "preview.json").exists()


GATE_READY = {"PREVIEW_IDENTITY": "true", "SAME_REPO": "true"}
NO_CODE = {"code": "false", "environment": "entra-preview"}
CODE = {"code": "true", "environment": "entra-preview-code"}


def test_the_gate_decides_live_by_identity_and_origin(job: Job) -> None:
    """Without STACK (the gate job): live only with the read-only identity configured and a pull
    request from this repository; the environment says whether code changed (here: nothing)."""
    identity = "live preview: false (no read-only identity configured)"
    cases = [
        ({}, "true", "live preview: true; environment entra-preview"),
        ({"PREVIEW_IDENTITY": "false"}, "false", identity),
        ({"PREVIEW_IDENTITY": ""}, "false", identity),
        ({"SAME_REPO": "false"}, "false", "(the pull request does not come from this repository)"),
    ]
    for change, live, why in cases:
        result = job.run("live-preview.sh", **{**GATE_READY, **change})
        assert result.code == 0, str(result)
        assert job.step_outputs() == {"live": live, **NO_CODE}, change
        assert why in result.stderr, result.stderr


def test_a_stack_is_previewed_live_unless_an_example_or_its_settings_fail_check(job: Job) -> None:
    """With STACK (the live job): live unless STACK is an example or `entra-consent check`
    refuses its settings; a name that is not a stack name is refused."""
    for examples, live in (("", "true"), ("other dev", "false")):
        result = job.run("live-preview.sh", "dev", EXAMPLE_STACKS=examples)
        assert result.code == 0, str(result)
        assert job.step_outputs() == {"live": live}, examples
    config = job.ws.stack_config()
    config[FEATURES]["teams"]["consent"] = "everyone"
    job.ws.write_stack_config(config)
    result = job.run("live-preview.sh", "dev", EXAMPLE_STACKS="")
    assert result.code == 0 and job.step_outputs() == {"live": "false"}, str(result)
    assert "do not pass entra-consent check" in result.stderr
    assert job.run("live-preview.sh", "../dev", EXAMPLE_STACKS="").code == 1


def test_a_pull_request_that_changes_code_waits_for_the_code_environment(job: Job) -> None:
    """The program runs during the preview with the live job's identity: a change to code that
    runs then (components/ here), or one the gate cannot tell, names entra-preview-code, whose
    reviewers approve the run; a stack-file change names entra-preview."""
    job.commit("base")
    config = job.ws.stack_config()
    config[FEATURES]["todo"] = {"consent": "none"}
    job.ws.write_stack_config(config)
    job.commit("a stack file only")
    first = job.run("live-preview.sh", BASE_REF="HEAD~1", **GATE_READY)
    assert first.code == 0
    assert job.step_outputs() == {"live": "true", **NO_CODE}, first.stderr
    program = job.ws.project / "components" / "program.py"
    program.write_text(program.read_text("utf-8") + "\n# anything\n", "utf-8")
    job.commit("code")
    result = job.run("live-preview.sh", BASE_REF="HEAD~2", **GATE_READY)
    assert result.code == 0, str(result)
    assert job.step_outputs() == {"live": "true", **CODE}
    assert (
        "changes 1 file(s) a preview may run (components/program.py): a "
        "reviewer of environment entra-preview-code approves this run"
    ) in result.stderr
    unknown = job.run("live-preview.sh", BASE_REF="origin/nosuch", **GATE_READY)
    assert unknown.code == 0 and job.step_outputs() == {"live": "true", **CODE}
    assert "cannot be told" in unknown.stderr
    unset = job.run("live-preview.sh", BASE_REF="", **GATE_READY)
    assert unset.code == 0 and job.step_outputs() == {"live": "true", **CODE}


def test_the_guard_never_runs_with_the_projects_venv(job: Job, tmp_path: Path) -> None:
    """The pull request's requirements choose what its venv/ holds: run from the guard (the
    repository, whose venv/ is its own), the scripts and ci_pin_catalogue use the guard's
    interpreter. The project's venv/bin/python here leaves a marker when anything runs it."""
    assert (ROOT / "venv" / "bin" / "python").exists(), "make setup makes the guard's venv/"
    marker = tmp_path / "project-venv-ran"
    venv = job.ws.project / "venv"
    venv.unlink()
    (venv / "bin").mkdir(parents=True)
    fake = venv / "bin" / "python"
    fake.write_text(f'#!/bin/sh\ntouch "{marker}"\nexec "{sys.executable}" "$@"\n', "utf-8")
    fake.chmod(0o755)
    subprocess.run([str(fake), "-c", "pass"], check=True)  # the marker works
    assert marker.exists()
    marker.unlink()

    gate = job.run_from(ROOT, "live-preview.sh", **GATE_READY)
    assert gate.code == 0 and job.step_outputs() == {"live": "true", **NO_CODE}, str(gate)
    stack = job.run_from(ROOT, "live-preview.sh", "dev", EXAMPLE_STACKS="")
    assert stack.code == 0 and job.step_outputs() == {"live": "true"}, str(stack)
    offline = job.run_from(ROOT, "preview-stack.sh", "dev", LIVE="false")
    assert offline.code == 0, report(offline, job)
    pin = 'export PROJECT_DIR="$2"; source "$1"; ci_enter_project; ci_pin_catalogue; '
    pin += 'echo "$ENTRA_CONSENT_CATALOG_FINGERPRINT"'
    pinned = job.ws.run("bash", "-c", pin, "_", str(ROOT / "ci" / "lib.sh"), str(job.ws.project))
    expected = subprocess.run(
        [sys.executable, "-m", "catalog.fingerprint", str(job.ws.project / "catalog")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert pinned.stdout == expected.stdout and len(expected.stdout.strip()) == 64
    assert not marker.exists(), "the guard ran the project's venv/bin/python"


def test_a_guard_without_a_venv_of_its_own_stops_and_says_why(job: Job, tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    job.git("worktree", "add", "-q", str(guard), "HEAD")
    result = job.run_from(guard, "live-preview.sh", "dev", EXAMPLE_STACKS="")
    assert result.code == 1, str(result)
    assert f"::error::the guard has no virtualenv at {guard}/venv: run make -C {guard} " in (
        result.stdout
    )
    assert job.step_outputs() == {}


def test_a_pull_request_that_relaxes_the_guard_is_judged_by_the_base_branchs(
    job: Job, tmp_path: Path
) -> None:
    """The pull request makes tenant-wide-privileged-scopes advisory in the pack's config and
    grants privileged scopes tenant-wide. Its own scripts and config let it through; run from a
    checkout of the base branch (PROJECT_DIR the pull request's), the base's guard refuses it,
    and the comment names the changed config."""
    guard = tmp_path / "guard"
    job.git("worktree", "add", "-q", str(guard), "HEAD")
    # the guard's own virtualenvs (make -C <guard> setup-run, ci/setup-policy-pack.sh)
    (guard / "venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    (guard / "policies" / "venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    project = job.ws.project
    config_file = project / "policies" / "config.example.json"
    relaxed = json.loads(config_file.read_text("utf-8"))
    relaxed["tenant-wide-privileged-scopes"]["enforcementLevel"] = "advisory"
    config_file.write_text(json.dumps(relaxed), "utf-8")
    config = job.ws.stack_config()
    config[FEATURES]["calendar"] = {"consent": "tenant", "optional_scopes": "all"}
    job.ws.write_stack_config(config)
    # and the comment builder, so that its verdict would read well
    sections = project / "previews" / "cli" / "comment_sections.py"
    text = sections.read_text("utf-8")
    sections.write_text(text.replace("The policy pack will refuse", "All is well with"), "utf-8")
    job.commit("relax the guard")

    bent = job.run("preview-stack.sh", "dev", BASE_REF="HEAD~1")
    assert bent.code == 0, report(bent, job)  # the pull request's own guard lets it through

    judged = job.run_from(guard, "preview-stack.sh", "dev", BASE_REF="HEAD~1")
    assert judged.code == 3, report(judged, job)
    comment = (project / "out" / "ci" / "dev" / "comment.md").read_text("utf-8")
    assert "## ⚠️ This pull request changes what decides consent" in comment
    assert "- `policies/config.example.json`" in comment
    assert "## ⛔ The policy pack will refuse this plan" in comment  # the guard's own code
    assert "All is well" not in comment
    assert "tenant-wide-privileged-scopes" in comment
    assert "mandatory" in comment


def test_stacks_are_listed_with_the_examples_left_out_of_deployed(job: Job) -> None:
    project = job.ws.project
    shutil.copy(project / "Pulumi.dev.yaml", project / "Pulumi.prod.yaml")
    shutil.copy(project / "Pulumi.dev.yaml", project / "Pulumi.eu-1.yaml")
    result = job.run("list-stacks.sh", EXAMPLE_STACKS="dev")
    assert result.code == 0, str(result)
    assert job.step_outputs() == {
        "stacks": '["dev","eu-1","prod"]',
        "deployed": '["eu-1","prod"]',
    }
    assert json.loads(job.step_outputs()["deployed"]) == ["eu-1", "prod"]
    shutil.copy(project / "Pulumi.dev.yaml", project / "Pulumi.a b.yaml")
    bad = job.run("list-stacks.sh", EXAMPLE_STACKS="dev", GITHUB_ACTIONS="")  # off GitHub
    assert bad.code == 1
    assert "not stack names" in bad.stderr and "'a b'" in bad.stderr


@pytest.fixture
def fake_gh(job: Job, tmp_path: Path) -> Iterator[Path]:
    """`gh` on PATH that logs each call (arguments and standard input) and answers the comment
    listing with FAKE_GH_IDS."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    (bin_dir / "gh").write_text(
        "#!/usr/bin/env bash\n"
        f'{{ printf "%s\\n" "$*"; if [[ " $* " == *" --input - "* ]]; then cat; fi; }} >> "{log}"\n'
        'if [[ " $* " == *" --paginate "* ]]; then printf "%s" "${FAKE_GH_IDS:-}"; fi\n'
    )
    (bin_dir / "gh").chmod(0o755)
    saved = job.ws.env["PATH"]
    job.ws.env["PATH"] = f"{bin_dir}{os.pathsep}{saved}"
    yield log
    job.ws.env["PATH"] = saved


def test_the_comment_is_updated_in_place_or_created(job: Job, fake_gh: Path) -> None:
    assert job.run("preview-stack.sh", "dev", LIVE="false").code == 0
    comment = (job.ws.project / "out" / "ci" / "dev" / "comment.md").read_text("utf-8")
    env = {"REPO": "contoso/consent", "PR_NUMBER": "7"}

    assert job.run("post-comment.sh", "dev", FAKE_GH_IDS="41\n42\n", **env).code == 0
    calls = fake_gh.read_text("utf-8").splitlines()
    assert calls[0].startswith("api repos/contoso/consent/issues/7/comments --paginate --jq ")
    assert "<!-- entra-consent-preview:dev -->" in calls[0]
    assert calls[1] == "api --method PATCH repos/contoso/consent/issues/comments/41 --input -"
    assert json.loads("\n".join(calls[2:])) == {"body": comment}

    fake_gh.write_text("", "utf-8")
    assert job.run("post-comment.sh", "dev", **env).code == 0
    calls = fake_gh.read_text("utf-8").splitlines()
    assert calls[1] == "api --method POST repos/contoso/consent/issues/7/comments --input -"
    assert json.loads("\n".join(calls[2:])) == {"body": comment}
    assert job.run("post-comment.sh", "dev", REPO="contoso/consent").code == 1


# -- deploy and drift -------------------------------------------------------------------------


def test_deploy_checks_offline_then_applies_with_the_config(
    job: Job, tenant: TenantProcess
) -> None:
    result = job.run("deploy-stack.sh", "dev")
    assert result.code == 0, report(result, job)
    assert "Pulumi.dev.yaml: ok (" in result.stderr  # entra-consent check
    held = assert_tenant_matches_plan(job.ws, tenant)
    # The grant the shipped config allows, made tenant-wide.
    assert held.grants[(JEMHC, EXCHANGE, "tenant")] == frozenset({EWS})
    summary = job.step_summary()
    assert "## Desired consent: stack `dev`" in summary, summary[:500]
    assert "`pulumi up` of stack `dev`: applied." in summary
    again = job.ws.up("--expect-no-changes")  # the same stack, as a second run would find it
    assert again.code == 0


def test_deploy_stops_on_bad_settings_before_the_tenant(job: Job) -> None:
    config = job.ws.stack_config()
    config[FEATURES]["teams"]["consent"] = "everyone"
    job.ws.write_stack_config(config)
    before = job.tenant_state()
    result = job.run("deploy-stack.sh", "dev")
    assert result.code == 1, str(result)
    assert "entra-consent:features.teams.consent" in result.stderr
    assert "fails the offline check; nothing applied" in job.step_summary()
    assert "entra-consent:features.teams.consent" in job.step_summary()
    assert job.tenant_state() == before


def test_drift_passes_after_deploy_and_fails_on_a_grant_changed_in_the_tenant(
    job: Job, tenant: TenantProcess
) -> None:
    assert job.run("deploy-stack.sh", "dev").code == 0
    clean = job.run("drift-stack.sh", "dev")
    assert clean.code == 0, report(clean, job)
    summary = job.step_summary()
    assert "### Drift check: stack `dev`" in summary
    assert "FAILURE" not in summary

    graph = tenant.graph
    grant = graph.add_scope_behind_the_stack(TEAMS, "Mail.Send")
    drifted = job.run("drift-stack.sh", "dev")
    assert drifted.code != 0, report(drifted, job)
    assert "::error::stack dev has drifted from its settings" in drifted.stdout
    assert "::error::the tenant's consent for stack dev differs from its plan" in drifted.stdout
    summary = job.step_summary()
    assert "### Drift check: stack `dev`" in summary
    assert "m365-jira-teams" in summary and "Mail.Send" in summary, summary
    report_json = job.ws.project / "discovered" / "dev" / "drift.json"
    assert "Mail.Send" in report_json.read_text("utf-8")
    # discover read the stack's state: it can tell that no grant's scopes are ignored
    assert json.loads(report_json.read_text("utf-8"))["state_checked"] is True
    # Read-only: the changed grant is still as the tenant has it.
    assert "Mail.Send" in graph.get(f"/oauth2PermissionGrants/{grant['id']}")["scope"].split()
