"""The real Pulumi CLI against the simulated tenant, for the e2e tests and the sandbox.

`SimulatedTenant` runs `python -m simtenant serve` as a subprocess, as a user starts it.
`Workspace` is a copy of the repository's program in a folder of its own, with its own file
backend and Pulumi home, the stand-in `azuread` plugin first on PATH and
`ENTRA_CONSENT_SIM_GRAPH` naming the tenant. Nothing here touches the developer's own stacks,
backend or `~/.pulumi`: every command runs with the workspace's `PULUMI_HOME`, backend and
passphrase.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "simtenant" / "seeds" / "contoso.yaml"
PROGRAM_FILES = ("__main__.py", "Pulumi.yaml", "requirements.txt")
PROGRAM_DIRS = ("catalog", "components", "policies", "previews")
POLICY_CONFIG = ROOT / "policies" / "config.example.json"
COMMAND_TIMEOUT_S = 600


def find_pulumi_cli() -> tuple[Path | None, str]:
    """The CLI `make -s pulumi-path` names (tools/pulumi-cli.sh: on PATH, cached, or built now),
    or None and the one line that says why there is none. Its progress (a first build takes
    minutes) is passed on to stderr as it comes."""
    process = subprocess.Popen(
        [str(ROOT / "tools" / "pulumi-cli.sh")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None and process.stdout is not None
    last = "no Pulumi CLI"
    for line in process.stderr:
        sys.stderr.write(line)
        last = line.strip() or last
    path = process.stdout.read().strip()
    if process.wait() == 0 and path:
        return Path(path), ""
    return None, last


class CommandFailed(AssertionError):
    pass


class SimulatedTenant:
    """`python -m simtenant serve` in a subprocess; its log goes to `workdir/simtenant.log`."""

    def __init__(
        self, workdir: Path, seed: Path | None = SEED, tenant_id: str | None = None
    ) -> None:
        args = [sys.executable, "-m", "simtenant", "serve", "--state", str(workdir / "tenant.json")]
        if seed is not None:
            args += ["--seed", str(seed)]
        if tenant_id is not None:
            args += ["--tenant-id", tenant_id]
        workdir.mkdir(parents=True, exist_ok=True)
        self.log = (workdir / "simtenant.log").open("w")
        self.process = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log, text=True
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        if not self.base_url.startswith("http://127.0.0.1:"):
            self.close()
            log = (workdir / "simtenant.log").read_text("utf-8", errors="replace")
            raise RuntimeError(f"simtenant did not start: {self.base_url!r}\n{log[-2000:]}")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@dataclass(frozen=True)
class Result:
    args: Sequence[str]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __str__(self) -> str:
        return (
            f"$ {' '.join(self.args)}\nexit {self.code}\n"
            f"--- stdout\n{self.stdout[-6000:]}\n--- stderr\n{self.stderr[-4000:]}"
        )


class Workspace:
    def __init__(self, root: Path, pulumi: Path, graph_url: str, stack: str = "dev") -> None:
        self.root = root
        self.project = root / "project"
        self.pulumi = pulumi
        self.graph_url = graph_url
        self.stack = stack
        self.env = self._env(root)
        self._copy_program()
        self.run_pulumi("login", f"file://{root / 'state'}")
        self.run_pulumi("stack", "init", stack)

    def _env(self, root: Path) -> dict[str, str]:
        (root / "home").mkdir(parents=True)
        (root / "state").mkdir()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PULUMI_", "ARM_", "AZURE_")) and k != "VIRTUAL_ENV"
        }
        path = [str(ROOT / "simtenant" / "bin"), str(self.pulumi.parent), env.get("PATH", "")]
        env.update(
            PATH=os.pathsep.join(path),
            PULUMI_HOME=str(root / "home"),
            PULUMI_CONFIG_PASSPHRASE="e2e",
            PULUMI_SKIP_UPDATE_CHECK="true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
            PULUMI_SKIP_CONFIRMATIONS="true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK="true",
            ENTRA_CONSENT_SIM_GRAPH=self.graph_url,
            # the policy pack asks the tenant whose ids a grant holds before it is written
            ENTRA_CONSENT_GRAPH_URL=self.graph_url,
            ENTRA_CONSENT_GRAPH_TOKEN="policy-pack",
            NO_COLOR="1",
        )
        return env

    def _copy_program(self) -> None:
        self.project.mkdir()
        for name in PROGRAM_FILES:
            shutil.copy(ROOT / name, self.project / name)
        ignore = shutil.ignore_patterns("__pycache__", "venv", "*.pyc")
        for name in PROGRAM_DIRS:
            shutil.copytree(ROOT / name, self.project / name, ignore=ignore)
        shutil.copy(ROOT / f"Pulumi.{self.stack}.yaml", self.project / f"Pulumi.{self.stack}.yaml")
        # The program's and the pack's virtualenvs (Pulumi.yaml, PulumiPolicy.yaml): the
        # repository's, which holds both sets of requirements.
        venv = Path(sys.prefix)
        (self.project / "venv").symlink_to(venv, target_is_directory=True)
        (self.project / "policies" / "venv").symlink_to(venv, target_is_directory=True)

    # -- stack files ---------------------------------------------------------------------

    @property
    def stack_file(self) -> Path:
        return self.project / f"Pulumi.{self.stack}.yaml"

    def stack_config(self) -> dict[str, Any]:
        return dict(yaml.safe_load(self.stack_file.read_text("utf-8"))["config"])

    def write_stack_config(self, config: Mapping[str, Any]) -> None:
        """The stack file's settings replaced; its other keys (`encryptionsalt`, which the
        engine wrote) kept, as an edit by hand keeps them."""
        document = yaml.safe_load(self.stack_file.read_text("utf-8")) or {}
        document["config"] = dict(config)
        self.stack_file.write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")

    def write_program(self, source: Path) -> None:
        """Run another program (a variant under tests/e2e/programs/) in place of __main__.py."""
        shutil.copy(source, self.project / "__main__.py")

    def state_size(self) -> tuple[float, int]:
        """The stack's state in the workspace's `file://` backend: its size in KiB and the
        resources of its latest checkpoint; (0, 0) before the first update."""
        found = list((self.root / "state").rglob(f"{self.stack}.json"))
        if not found:
            return 0.0, 0
        latest = json.loads(found[0].read_text("utf-8"))["checkpoint"]["latest"]
        return found[0].stat().st_size / 1024, len(latest.get("resources") or [])

    # -- commands ------------------------------------------------------------------------

    def run(
        self,
        *args: str,
        check: bool = True,
        cwd: Path | None = None,
        timeout_s: float = COMMAND_TIMEOUT_S,
    ) -> Result:
        """Run a command in its own process group: on a timeout the whole group goes (the
        language host, the provider and the policy pack the CLI started), not the CLI alone."""
        process = subprocess.Popen(
            list(args),
            cwd=cwd or self.project,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            raise CommandFailed(
                f"$ {' '.join(args)}\ntimed out after {timeout_s} s\n{stdout[-4000:]}"
            ) from None
        result = Result(args, process.returncode, stdout, stderr)
        if check and result.code != 0:
            raise CommandFailed(str(result))
        return result

    def run_pulumi(self, *args: str, check: bool = True) -> Result:
        return self.run(str(self.pulumi), *args, "--non-interactive", check=check)

    def policy_args(self, config: Path = POLICY_CONFIG) -> list[str]:
        return [
            "--policy-pack",
            str(self.project / "policies"),
            "--policy-pack-config",
            str(config),
        ]

    def preview(self, *args: str, check: bool = True, policy: bool = True) -> Result:
        extra = self.policy_args() if policy else []
        return self.run_pulumi("preview", *extra, *args, check=check)

    def up(self, *args: str, check: bool = True, policy: bool = True) -> Result:
        """`pulumi up --yes` as CI runs it: with its preview, which is where stack policies
        (AnalyzeStack) stop an update before anything changes."""
        extra = self.policy_args() if policy else []
        return self.run_pulumi("up", "--yes", *extra, *args, check=check)

    def previews(self, *args: str, check: bool = True) -> Result:
        """`python -m previews ...` of the repository, on this workspace's project."""
        env_path = [str(ROOT)]
        self.env["PYTHONPATH"] = os.pathsep.join(env_path)
        return self.run(sys.executable, "-m", "previews", *args, check=check)
