"""`discover`'s memory against its --max-mib bound, on a tenant too large for it.

A Graph of its own (another process, on 127.0.0.1) answers `discover` with the Teams app's
service principal and pages of 999 per-user grants each, without end; `discover` runs as a
process of its own with --max-mib M and must stop with its one line. Prints, per bound: the
exit code, the peak resident memory of the discover process, that of a run on a one-page tenant
(the interpreter and its imports), the growth between the two and its ratio to the bound.

    ./venv/bin/python -m benchmarks.discover_memory [--max-mib 100 200]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
TEAMS = "89d5ca9f-d63b-4885-bd30-6e7433c1540c"
GRAPH = "00000003-0000-0000-c000-000000000000"
TEAMS_SP, GRAPH_SP = str(uuid.uuid4()), str(uuid.uuid4())
STACK = """config:
  azuread:tenantId: 11111111-2222-3333-4444-555555555555
  entra-consent:features:
    teams: {consent: tenant}
"""


def _page(n: int, pages: int, base: str) -> dict[str, Any]:
    scope = "openid profile offline_access User.Read email Channel.ReadBasic.All"
    value = [
        {
            "id": f"g{n}-{i}-{uuid.uuid4().hex}",
            "clientId": TEAMS_SP,
            "consentType": "Principal",
            "principalId": str(uuid.uuid4()),
            "resourceId": GRAPH_SP,
            "scope": scope,
        }
        for i in range(999)
    ]
    body: dict[str, Any] = {"value": value}
    if n + 1 < pages:
        body["@odata.nextLink"] = (
            f"{base}/servicePrincipals/{TEAMS_SP}/oauth2PermissionGrants?page={n + 1}"
        )
    return body


def serve(pages: int) -> None:
    """The Graph process: answers until killed; prints its port."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            base = f"http://127.0.0.1:{cast(ThreadingHTTPServer, self.server).server_port}/v1.0"
            path = parts.path.removeprefix("/v1.0")
            if path.endswith("/oauth2PermissionGrants") and TEAMS_SP in path:
                n = int(parse_qs(parts.query).get("page", ["0"])[0])
                body: dict[str, Any] = _page(n, pages, base)
            elif path == "/servicePrincipals":
                sps = [(TEAMS_SP, TEAMS, "Teams"), (GRAPH_SP, GRAPH, "Microsoft Graph")]
                body = {
                    "value": [
                        {
                            "id": i,
                            "appId": a,
                            "displayName": d,
                            "appRoleAssignmentRequired": False,
                            "tags": [],
                            "notes": None,
                        }
                        for i, a, d in sps
                    ]
                }
            else:
                body = {"value": []}
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_port, flush=True)
    server.serve_forever()


def measured(project: Path, url: str, max_mib: int) -> tuple[int, float, str]:
    """discover run under /proc's accounting: its peak resident MiB from getrusage."""
    script = (
        "import os, resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(p.returncode, peak, (p.stderr.strip().splitlines() or [''])[-1], sep='\\t')\n"
    )
    env = {**os.environ, "ENTRA_CONSENT_GRAPH_TOKEN": "bench", "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "previews",
        "discover",
        "--stack",
        "s",
        "--project-dir",
        str(project),
        "--graph-url",
        url,
        "--max-mib",
        str(max_mib),
        "--out",
        str(project / "out"),
    ]
    out = subprocess.run(
        [sys.executable, "-c", script, *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    code, peak, last = out.split("\t", 2)
    return int(code), float(peak), last


def graph(pages: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.discover_memory", "--serve", str(pages)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    port = process.stdout.readline().strip()
    return process, f"http://127.0.0.1:{port}/v1.0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mib", type=int, nargs="+", default=[100, 200])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "catalog", project / "catalog")
        (project / "Pulumi.s.yaml").write_text(STACK, "utf-8")
        small, small_url = graph(1)
        try:
            _, base, _ = measured(project, small_url, max(args.max_mib))
        finally:
            small.kill()
        print(f"one-page tenant: peak resident {base:.0f} MiB (interpreter, imports, one page)")
        print("--max-mib  exit  peak MiB  growth MiB  growth / bound  last line")
        big, big_url = graph(10**6)
        try:
            for bound in args.max_mib:
                code, peak, last = measured(project, big_url, bound)
                growth = peak - base
                print(
                    f"{bound:9d}  {code:4d}  {peak:8.0f}  {growth:10.0f}  {growth / bound:13.2f}x  {last[:150]}"
                )
        finally:
            big.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
