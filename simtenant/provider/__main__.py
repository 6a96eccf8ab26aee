"""`python -m simtenant.provider [ENGINE_ADDRESS] [flags]`: serve the provider on a free local
port, print only that port on stdout (the engine reads it), and exit quietly when the engine
stops the plugin (SIGTERM or SIGINT)."""

from __future__ import annotations

import signal
import sys
import threading
from concurrent import futures
from types import FrameType

import grpc  # type: ignore[import-untyped]
from pulumi.runtime.proto import provider_pb2_grpc

from simtenant.provider.server import AzureadProvider

# The engine allows messages this large (rpcutil.MaxRPCMessageSize); a return_all look-up of
# a large tenant needs more than gRPC's 4 MiB default.
_MAX_MESSAGE = 400 * 1024 * 1024


def main() -> int:
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        options=[
            ("grpc.max_receive_message_length", _MAX_MESSAGE),
            ("grpc.max_send_message_length", _MAX_MESSAGE),
        ],
    )
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(AzureadProvider(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    while not stopped.wait(1.0):
        pass
    server.stop(grace=1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
