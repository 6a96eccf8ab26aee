"""`python -m previews discover`: read the tenant's current consent for a stack's catalogue apps
(GET requests only), compare it with the stack's plan, and write the drift report (Markdown and
JSON), the tenant snapshot and the `pulumi import --file` document."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from catalog.problems import ConfigurationError, Problem, problems_from_validation
from catalog.yamlfile import read_yaml
from components.settings import load_stack
from components.stack_file import read_stack_config, stack_file_name
from previews.discover_tenant import TenantSnapshot, read_tenant
from previews.drift import compare
from previews.drift_markdown import render
from previews.graph_client import (
    GRAPH_TOKEN_ENV,
    GRAPH_URL_ENV,
    NATIONAL_CLOUDS,
    GraphClient,
    GraphError,
    Progress,
    TokenProvider,
    default_token_provider,
    graph_url_from,
    token_tenant,
)
from previews.import_file import build_import
from previews.stack_args import add_stack_arguments

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_DRIFT = 2
DEFAULT_PROJECT = "entra-consent"

SNAPSHOT_FILE = "tenant.json"
REPORT_JSON = "drift.json"
REPORT_MARKDOWN = "drift.md"
IMPORT_FILE = "import.json"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "discover",
        help="read the tenant's consent (read-only), report drift, write a pulumi import file",
        description=__doc__,
    )
    configure_parser(parser)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"folder for {REPORT_MARKDOWN}, {REPORT_JSON}, {IMPORT_FILE} and {SNAPSHOT_FILE} "
        "(default: discovered/<stack>)",
    )
    parser.add_argument(
        "--graph-url",
        metavar="URL",
        help=f"Microsoft Graph base URL, or one of {', '.join(NATIONAL_CLOUDS)} "
        f"(default: ${GRAPH_URL_ENV}, else {NATIONAL_CLOUDS['public']})",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="per request (default 30)"
    )
    parser.add_argument(
        "--max-retries",
        type=int,
        default=6,
        metavar="N",
        help="retries of a throttled (429), failing (5xx) or timed-out request (default 6)",
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        metavar="FILE",
        help=f"compare an earlier {SNAPSHOT_FILE} instead of reading the tenant",
    )
    parser.add_argument(
        "--existing-stack",
        action="store_true",
        help="the stack already holds its EnterpriseApp components (after a first pulumi up): "
        "the import file names them by URN instead of creating them",
    )
    parser.add_argument(
        "--fail-on-drift",
        action="store_true",
        help=f"exit {EXIT_DRIFT} when the tenant differs from the plan (scheduled drift check)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=run)


def project_name(project_dir: Path) -> str:
    path = project_dir / "Pulumi.yaml"
    if not path.exists():
        return DEFAULT_PROJECT
    data, problems = read_yaml(path, "Pulumi.yaml")
    if problems:
        raise ConfigurationError(problems)
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else DEFAULT_PROJECT


def load_snapshot(path: Path) -> TenantSnapshot:
    file = str(path)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ConfigurationError([Problem(file, "", f"cannot read ({exc.strerror})")]) from None
    try:
        return TenantSnapshot.model_validate_json(text)
    except ValidationError as exc:
        raise ConfigurationError(problems_from_validation(exc, file)) from None


def _check_token_tenant(token: TokenProvider, tenant_id: str | None, file: str) -> None:
    """Refuse to read another tenant than the stack's `azuread:tenantId`."""
    if tenant_id is None:
        return
    found = token_tenant(token())
    if found is not None and found != tenant_id:
        raise GraphError(
            f"credentials: the token is for tenant {found}, but {file} sets azuread:tenantId "
            f"{tenant_id} (log in to that tenant, e.g. az login --tenant {tenant_id}, or set AZURE_TENANT_ID)"
        )


def _is_credential_error(exc: Exception) -> bool:
    return any(c.__name__ == "ClientAuthenticationError" for c in type(exc).__mro__)


def run(args: argparse.Namespace, token: TokenProvider | None = None) -> int:
    """Raises ConfigurationError on bad input (the dispatcher prints it)."""
    project_dir: Path = args.project_dir
    stack: str = args.stack
    file = stack_file_name(stack)
    catalogue, settings = load_stack(read_stack_config(project_dir, stack), project_dir, file)
    project = project_name(project_dir)
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
            _check_token_tenant(token, settings.tenant_id, file)
            with GraphClient(
                url,
                token,
                timeout_s=args.timeout,
                max_retries=args.max_retries,
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
            if not _is_credential_error(exc):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(
                f"credentials: {first} (log in with az login, use workload identity or a managed "
                f"identity, or set {GRAPH_TOKEN_ENV})",
                file=sys.stderr,
            )
            return EXIT_FAILED

    report = compare(catalogue, settings, snapshot, stack, file)
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


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m previews.discover`: the same as `python -m previews discover`."""
    from previews.__main__ import main as dispatch

    return dispatch(["discover", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
