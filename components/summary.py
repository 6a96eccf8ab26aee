from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from components.planner import AppPlan


def app_summary(plan: AppPlan) -> dict[str, Any]:
    """Per API: tenant-wide scopes, and per-user grants grouped by scope set (counts, so the
    stack outputs stay small however many users there are)."""
    grants: dict[str, dict[str, Any]] = defaultdict(lambda: {"tenant": [], "users": []})
    per_user: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for grant in plan.grants:
        if grant.target.kind == "tenant":
            grants[grant.api]["tenant"] = list(grant.scopes)
        else:
            per_user[grant.api][grant.scopes] += 1
            grants[grant.api]
    for api, counts in per_user.items():
        grants[api]["users"] = [
            {"scopes": list(scopes), "count": count} for scopes, count in sorted(counts.items())
        ]
    return {
        "client_id": plan.client_id,
        "features": list(plan.features),
        "grants": dict(sorted(grants.items())),
        "assignments": {
            "users": sum(1 for a in plan.assignments if a.principal.kind == "user"),
            "groups": sum(1 for a in plan.assignments if a.principal.kind == "group"),
        },
    }
