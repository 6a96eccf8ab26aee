"""`python -m simtenant serve`: the simulated tenant's Microsoft Graph on 127.0.0.1."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from simtenant.graph.seed import SeedError, seed
from simtenant.graph.server import SimTenant
from simtenant.graph.store import DEFAULT_TENANT_ID
from simtenant.graph.throttle import Limits, Throttle


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python -m simtenant", description="A simulated Entra tenant for tests and sandboxes."
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the simulated Microsoft Graph",
        description=(
            "Serve a Microsoft Graph v1.0 compatible API for a simulated tenant on 127.0.0.1. "
            "The first line of output is the base URL (http://127.0.0.1:N/v1.0); serves until "
            "SIGTERM or Ctrl-C. Any non-empty bearer token is accepted."
        ),
    )
    serve.add_argument(
        "--port", type=int, default=0, metavar="N", help="TCP port (default 0: any free port)"
    )
    serve.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="load the tenant from FILE when it exists; save it there after every successful "
        "write (JSON, replaced atomically)",
    )
    serve.add_argument(
        "--tenant-id",
        default=DEFAULT_TENANT_ID,
        metavar="ID",
        help=f"tenant id of a new tenant (default {DEFAULT_TENANT_ID}; a --state file keeps its own)",
    )
    serve.add_argument(
        "--seed",
        type=Path,
        metavar="FILE",
        help="YAML list of Graph requests to replay into a new tenant before serving (skipped "
        "when the --state file already exists); see simtenant/graph/seed.py",
    )
    serve.add_argument(
        "--throttle",
        action="store_true",
        help="throttle writes at Graph's published limits (3,000 per 150 s per app, 18,000 per "
        "5 min per tenant; 429 with Retry-After), from after the seed on; see "
        "simtenant/graph/throttle.py",
    )
    serve.add_argument(
        "--delegated",
        action="store_true",
        help="answer as to a signed-in user's token (default: app-only, as to a pipeline)",
    )
    return top


def serve(args: argparse.Namespace) -> int:
    fresh = args.state is None or not args.state.exists()
    try:
        sim = SimTenant(
            tenant_id=args.tenant_id.lower(),
            state_file=args.state,
            port=args.port,
            delegated=args.delegated,
        )
    except OSError as exc:
        print(f"simtenant: cannot serve: {exc}", file=sys.stderr)
        return 1
    except (ValueError, KeyError, TypeError) as exc:
        print(f"simtenant: {args.state}: not a simulated tenant's state ({exc})", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with sim:
        if args.seed is not None and fresh:
            try:
                seed(sim.base_url, args.seed)
            except SeedError as exc:
                print(f"simtenant: seed {args.seed}: {exc}", file=sys.stderr)
                if args.state is not None:  # a half-seeded tenant would not be seeded again
                    args.state.unlink(missing_ok=True)
                return 1
            sim.reset_requests()
        if args.throttle:
            with sim.lock:
                sim.throttle = Throttle(Limits())
        print(sim.base_url, flush=True)
        while not stop.wait(0.5):
            pass
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2  # argparse refuses other commands


if __name__ == "__main__":
    sys.exit(main())
