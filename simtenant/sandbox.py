"""`make sandbox` (`python -m simtenant.sandbox`): a real `pulumi preview` of the example stack
against a simulated tenant, with the policy pack, on a machine with no Azure tenant and no
credentials.

It starts `python -m simtenant serve` seeded with the example tenant (simtenant/seeds/), copies
the program and Pulumi.dev.yaml into a folder of its own with a local file backend, and runs the
Pulumi CLI that `make -s pulumi-path` names (built from Go modules on first use). With `--up` it
also applies the stack and lists what the tenant then holds. Your own stacks, backend and
`~/.pulumi` are never touched.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from simtenant.workspace import SimulatedTenant, Workspace, find_pulumi_cli


def stream(ws: Workspace, *args: str) -> int:
    """Run a pulumi command with its output on this terminal."""
    print(f"\n$ pulumi {' '.join(args)}", flush=True)
    return subprocess.run(
        [str(ws.pulumi), *args], cwd=ws.project, env=ws.env, check=False
    ).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make sandbox", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--up", action="store_true", help="also run `pulumi up` and list the grants"
    )
    parser.add_argument(
        "--dir", type=Path, help="keep the sandbox in this folder (default: a temporary one)"
    )
    args = parser.parse_args(argv)

    if args.dir is not None and args.dir.exists() and any(args.dir.iterdir()):
        print(f"sandbox: {args.dir} is not empty (give a new or empty folder)", file=sys.stderr)
        return 1
    cli, why = find_pulumi_cli()
    if cli is None:
        print(f"sandbox: {why}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="entra-consent-sandbox-") as tmp:
        folder = args.dir or Path(tmp)
        tenant = SimulatedTenant(folder / "tenant")
        try:
            print(f"simulated tenant: {tenant.base_url} (log: {folder / 'tenant'})", flush=True)
            ws = Workspace(folder / "workspace", cli, tenant.base_url)
            code = stream(ws, "preview", *ws.policy_args())
            if code == 0 and args.up:
                code = stream(ws, "up", "--yes", *ws.policy_args())
                if code == 0:
                    code = stream(ws, "stack", "output", "apps", "--json")
            return code
        finally:
            tenant.close()


if __name__ == "__main__":
    raise SystemExit(main())
