"""`entra-consent discover` when it runs (imported only then: it loads the HTTP client): read
the tenant (or a saved snapshot), compare it with the stack's plan, write the drift report, the
snapshot and the import file, and map the outcome to an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.problems import ConfigurationError, Problem
from components.core.stack_file import load_stack, read_stack_config, stack_file_name
from previews.cli.discover_command import (
    EXIT_DRIFT,
    EXIT_FAILED,
    EXIT_OK,
    IMPORT_FILE,
    REPORT_JSON,
    REPORT_MARKDOWN,
    SNAPSHOT_FILE,
)
from previews.tenant.discover import (
    check_token_tenant,
    is_credential_error,
    load_snapshot,
    project_name,
)
from previews.tenant.discover_tenant import read_tenant
from previews.tenant.drift import compare
from previews.tenant.drift_markdown import render
from previews.tenant.graph_client import (
    GRAPH_TOKEN_ENV,
    GraphClient,
    GraphError,
    Progress,
    TokenProvider,
    default_token_provider,
    graph_url_from,
)
from previews.tenant.graph_paging import answer_cap, resident_bytes
from previews.tenant.graph_settings import MIB
from previews.tenant.import_file import build_import
from previews.tenant.stack_state import ignored_grant_properties, with_state


def run(args: argparse.Namespace, token: TokenProvider | None = None) -> int:
    """Raises ConfigurationError on bad input (the dispatcher prints it)."""
    project_dir: Path = args.project_dir
    stack: str = args.stack
    file = stack_file_name(stack)
    catalogue, settings = load_stack(read_stack_config(project_dir, stack), project_dir, file)
    project = project_name(project_dir)
    ignored = ignored_grant_properties(args.state) if args.state is not None else None
    progress = Progress(stream=None if args.quiet else sys.stderr)
    if args.snapshot is not None:
        snapshot = load_snapshot(args.snapshot)
        if snapshot.tenant_id and settings.tenant_id and snapshot.tenant_id != settings.tenant_id:
            raise ConfigurationError(
                [
                    Problem(
                        str(args.snapshot),
                        "tenant_id",
                        f"read from tenant {snapshot.tenant_id}, but {file} sets azuread:tenantId "
                        f"{settings.tenant_id} (discover that tenant again)",
                    )
                ]
            )
    else:
        try:
            url = graph_url_from(args.graph_url)
            token = token or default_token_provider(url)
            check_token_tenant(token, settings.tenant_id, file)
            with GraphClient(
                url,
                token,
                timeout_s=args.timeout,
                max_retries=args.max_retries,
                max_wait_s=args.max_wait,
                deadline_s=args.deadline,
                max_pages=args.max_pages,
                max_bytes=args.max_mib * MIB,
                # the bound is on memory: what is read and what is kept of it
                max_response_bytes=answer_cap(args.max_mib * MIB),
                memory=resident_bytes,
                progress=progress,
            ) as client:
                snapshot = read_tenant(client, catalogue, settings, settings.tenant_id)
                stats = client.stats
            progress.note(
                f"{stats.requests} GET request(s), {stats.retries} retried, {stats.waited_s:g} s waited"
            )
        except GraphError as exc:
            print(exc, file=sys.stderr)
            return EXIT_FAILED
        except Exception as exc:
            if not is_credential_error(exc):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(
                f"credentials: {first} (log in with az login, use workload identity or a managed "
                f"identity, or set {GRAPH_TOKEN_ENV})",
                file=sys.stderr,
            )
            return EXIT_FAILED

    report = compare(catalogue, settings, snapshot, stack, file)
    report = report.model_copy(update={"existing_stack": args.existing_stack})
    if ignored is not None:
        report = with_state(report, ignored)
    document = build_import(report, project, stack, existing_components=args.existing_stack)
    out: Path = args.out or project_dir / "discovered" / stack
    out.mkdir(parents=True, exist_ok=True)
    if args.snapshot is None:
        (out / SNAPSHOT_FILE).write_text(snapshot.model_dump_json(indent=2) + "\n", "utf-8")
    (out / REPORT_JSON).write_text(report.model_dump_json(indent=2) + "\n", "utf-8")
    (out / REPORT_MARKDOWN).write_text(render(report), "utf-8")
    (out / IMPORT_FILE).write_text(document.to_json(), "utf-8")
    counts = report.counts["grants"]
    summary = ", ".join(f"{n} {s}" for s, n in counts.items()) or "no grants"
    verdict = "in sync" if report.in_sync else "drift found"
    progress.note(f"{verdict}; grants: {summary}; {len(document.resources)} resource(s) to import")
    progress.note(f"wrote {out / REPORT_MARKDOWN}, {out / REPORT_JSON}, {out / IMPORT_FILE}")
    if args.fail_on_drift and not report.in_sync:
        return EXIT_DRIFT
    return EXIT_OK
