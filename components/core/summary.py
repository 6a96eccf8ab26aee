from __future__ import annotations

from collections import Counter
from typing import Any

from components.core.planner import AppPlan


def app_summary(plan: AppPlan) -> dict[str, Any]:
    """Per API: tenant-wide scopes, and per-user grants grouped by scope set (counts, so the
    stack outputs stay small however many users there are)."""
    tenant: dict[str, list[str]] = {}
    per_user: dict[str, Counter[tuple[str, ...]]] = {}
    for grant in plan.grants:
        if grant.target.kind == "tenant":
            tenant[grant.api] = list(grant.scopes)
        else:
            per_user.setdefault(grant.api, Counter())[grant.scopes] += 1
    grants = {
        api: {
            "tenant": tenant.get(api, []),
            "users": [
                {"scopes": list(scopes), "count": count}
                for scopes, count in sorted(per_user.get(api, Counter()).items())
            ],
        }
        for api in sorted(tenant.keys() | per_user.keys())
    }
    return {
        "client_id": plan.client_id,
        "features": list(plan.features),
        "grants": grants,
        "assignments": {
            "users": sum(1 for a in plan.assignments if a.principal.kind == "user"),
            "groups": sum(1 for a in plan.assignments if a.principal.kind == "group"),
        },
    }
