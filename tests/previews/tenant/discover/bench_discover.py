"""Benchmark: discover against the simulated Graph for a large tenant (one group of N users, a
per-user grant each), seeded with Graph requests first (not timed). Prints figures; not a test.

    ./venv/bin/python -m tests.previews.tenant.discover.bench_discover [N] [PAGE_SIZE]
"""

from __future__ import annotations

import resource
import sys
import time
from typing import Any

from components.core.stack_file import load_stack
from previews.tenant.discover_tenant import read_tenant
from previews.tenant.drift import compare
from previews.tenant.drift_markdown import render
from previews.tenant.graph_client import GraphClient, StaticToken
from previews.tenant.import_file import build_import
from tests.previews.conftest import REPO
from tests.previews.tenant.discover.seeding import TOKEN, seed_tenant

MAIL = "e7185a25-9df9-4d05-b779-76b04bf46424"
GRAPH = "00000003-0000-0000-c000-000000000000"
TENANT = "11111111-2222-3333-4444-555555555555"
SCOPES = (
    "openid profile offline_access User.Read email Mail.ReadWrite.Shared Mail.Send.Shared "
    "People.Read User.ReadBasic.All"
)


def tenant(users: int) -> dict[str, Any]:
    """The tenant as seeding.py describes one."""
    upns = [f"u{i}@contoso.com" for i in range(users)]
    grants = [
        {
            "client": MAIL,
            "api": GRAPH,
            "user": upn,
            "scope": SCOPES if i % 20 != 1 else "openid profile",  # 5% drifted
        }
        for i, upn in enumerate(upns)
        if i % 20 != 0  # 5% missing
    ]
    return {
        "users": upns,
        "groups": [{"name": "Big", "members": upns}],
        "service_principals": [MAIL, GRAPH],
        "grants": grants,
        "assignments": [{"app": MAIL, "principal": "group:Big"}],
    }


def main(users: int, page_size: int) -> None:
    config: dict[str, Any] = {
        "azuread:tenantId": TENANT,
        "entra-consent:features": {"email": {"consent": "principals", "groups": ["Big"]}},
    }
    catalogue, settings = load_stack(config, REPO, "Pulumi.bench.yaml")
    started = time.perf_counter()
    seeded = seed_tenant(tenant(users))
    print(f"seeding (not part of discovery): {time.perf_counter() - started:.1f} s")
    with seeded.serve(page_size=page_size) as graph:
        started = time.perf_counter()
        with GraphClient(graph.base_url, StaticToken(TOKEN)) as client:
            snapshot = read_tenant(client, catalogue, settings, TENANT)
            requests = client.stats.requests
        read_s = time.perf_counter() - started
        methods = graph.methods()
    started = time.perf_counter()
    report = compare(catalogue, settings, snapshot, "bench", "Pulumi.bench.yaml")
    compare_s = time.perf_counter() - started
    started = time.perf_counter()
    document = build_import(report, "entra-consent", "bench")
    markdown = render(report)
    output_s = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"users={users} page_size={page_size}")
    print(f"read: {read_s:.2f} s, {requests} requests, methods {sorted(methods)}")
    print(f"compare (plan + classify): {compare_s:.2f} s; counts {report.counts['grants']}")
    print(f"import file + markdown: {output_s:.2f} s; {len(document.resources)} resources")
    print(f"markdown: {len(markdown)} chars; peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 10_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 999,
    )
