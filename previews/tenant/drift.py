"""The tenant compared with the stack's plan: what matches, what differs, what is missing, what
the stack does not manage. Pure: planning is the planner's (`plan_consent` on the principals
the tenant resolves), names are `components.core.naming`'s; the report's format is
`drift_report`'s, its entries `drift_comparison`'s."""

from __future__ import annotations

from collections import Counter

from catalog.catalogue import Catalogue
from components.core.planner import plan_consent
from components.core.principals import missing_principal_problems
from components.core.settings import NAMESPACE, StackSettings
from previews.tenant.discover_tenant import TenantSnapshot
from previews.tenant.drift_comparison import Comparison
from previews.tenant.drift_report import (
    DriftReport,
)


def compare(
    catalogue: Catalogue,
    settings: StackSettings,
    snapshot: TenantSnapshot,
    stack: str,
    file: str,
) -> DriftReport:
    """`settings` must have passed `load_stack`'s checks against `catalogue`."""
    principals = snapshot.principals()
    plan = plan_consent(catalogue, settings, principals)
    problems = list(snapshot.problems)
    missing = missing_principal_problems(settings, principals, file)
    problems.extend(str(p) for p in missing)
    if missing and settings.missing_principals == "fail":
        problems.append(
            f"{file}: {NAMESPACE}:missing_principals: is fail, so `pulumi preview` stops on the principals above (fix them first)"
        )
    for api in plan.apis():
        entry = catalogue.apis[api]
        if snapshot.service_principal(entry.app_id) is None:
            problems.append(
                f"tenant: {entry.display_name} (appId {entry.app_id}) has no service principal, so the program's look-up fails (ask an administrator to provision it)"
            )
    comparison = Comparison(catalogue, settings, snapshot, plan)
    sps = comparison.service_principals()
    grants = comparison.grants()
    assignments = comparison.assignments()
    counts = {
        "service_principals": dict(sorted(Counter(s.status for s in sps).items())),
        "grants": dict(sorted(Counter(g.status for g in grants).items())),
        "assignments": dict(sorted(Counter(a.status for a in assignments).items())),
    }
    in_sync = (
        all(s.status in ("present", "not_in_stack") for s in sps)
        and all(g.status == "match" for g in grants)
        and all(a.status == "match" for a in assignments)
    )
    return DriftReport(
        stack=stack,
        tenant_id=snapshot.tenant_id,
        graph_url=snapshot.graph_url,
        read_at=snapshot.read_at,
        in_sync=in_sync,
        counts=counts,
        service_principals=sps,
        grants=grants,
        assignments=assignments,
        problems=problems,
    )
