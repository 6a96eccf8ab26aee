"""The drift report as Markdown for people: what differs first, matches as counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from previews.drift import AssignmentEntry, DriftReport, GrantEntry, ServicePrincipalEntry

# Rows per table; the JSON report always has every entry.
MAX_ROWS = 200

T = TypeVar("T")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ") or "-"


def _table(
    header: Sequence[str], rows: Iterable[T], cells: Callable[[T], Sequence[object]]
) -> list[str]:
    items = list(rows)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in cells(r)) + " |" for r in items[:MAX_ROWS]]
    if len(items) > MAX_ROWS:
        lines.append(f"\n… and {len(items) - MAX_ROWS} more (see the JSON report).")
    return lines


def _target(entry: GrantEntry) -> str:
    if entry.target == "tenant":
        return "all users (tenant-wide)"
    return entry.user or entry.target


def _scopes(scopes: Sequence[str]) -> str:
    return " ".join(f"`{s}`" for s in scopes)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in counts.items()) or "none"


def render(report: DriftReport) -> str:
    out = [f"# Consent drift: stack `{report.stack}`", ""]
    tenant = f"tenant `{report.tenant_id}`" if report.tenant_id else "the tenant"
    out.append(
        f"Read {tenant} through `{report.graph_url}` at {report.read_at} (GET requests only)."
    )
    out.append("")
    verdict = (
        "In sync with the plan." if report.in_sync else "**The tenant differs from the plan.**"
    )
    out.append(verdict)
    out.append("")
    out.append(f"- Service principals: {_counts(report.counts['service_principals'])}")
    out.append(f"- Grants: {_counts(report.counts['grants'])}")
    out.append(f"- Assignments: {_counts(report.counts['assignments'])}")

    if report.problems:
        out += ["", "## Problems", ""]
        out += [f"- {p}" for p in report.problems]

    sps = [s for s in report.service_principals if s.status != "not_in_stack"]
    if sps:
        out += ["", "## Enterprise apps (service principals)", ""]

        def sp_cells(s: ServicePrincipalEntry) -> Sequence[object]:
            diffs = "; ".join(
                f"{d.setting}: tenant {d.tenant!r}, plan {d.planned!r}" for d in s.differences
            )
            status = {"present": "exists", "drifted": "exists, settings differ"}.get(
                s.status, "missing (`pulumi up` creates it)"
            )
            return (s.app, s.display_name, status, s.object_id, diffs)

        out += _table(["app", "name", "status", "object id", "differences"], sps, sp_cells)
    others = [s for s in report.service_principals if s.status == "not_in_stack"]
    if others:
        out += ["", "Catalogue apps present in the tenant but not enabled in this stack: "]
        out[-1] += ", ".join(f"{s.app} (`{s.object_id}`)" for s in others) + "."

    grants = {
        s: [g for g in report.grants if g.status == s] for s in ("drifted", "missing", "unmanaged")
    }
    if grants["drifted"]:
        out += ["", "## Grants whose scopes differ", ""]
        out.append("Imported as they are; the next `pulumi up` updates them to the plan's scopes.")
        out.append("")
        out += _table(
            [
                "app",
                "API",
                "target",
                "only in the tenant (up removes)",
                "only in the plan (up adds)",
            ],
            grants["drifted"],
            lambda g: (
                g.app,
                g.api_display_name,
                _target(g),
                _scopes(g.extra_scopes),
                _scopes(g.fewer_scopes),
            ),
        )
    if grants["missing"]:
        out += ["", "## Missing grants (`pulumi up` creates them)", ""]
        out += _table(
            ["app", "API", "target", "scopes", "note"],
            grants["missing"],
            lambda g: (g.app, g.api_display_name, _target(g), _scopes(g.planned_scopes), g.note),
        )
    if grants["unmanaged"]:
        out += ["", "## Grants the stack does not manage", ""]
        out.append(
            "Not imported: `pulumi up` leaves them in place. Revoke them in the portal, or add "
            "the users or features to the stack's config and discover again."
        )
        out.append("")
        out += _table(
            ["app", "API", "target", "scopes", "why"],
            grants["unmanaged"],
            lambda g: (g.app, g.api_display_name, _target(g), _scopes(g.tenant_scopes), g.note),
        )
    matches = Counter(
        (g.app, g.api_display_name, "tenant-wide" if g.target == "tenant" else "per-user")
        for g in report.grants
        if g.status == "match"
    )
    if matches:
        out += ["", "## Matching grants (imported as they are)", ""]
        out += _table(
            ["app", "API", "kind", "grants"],
            sorted(matches.items()),
            lambda item: (*item[0], item[1]),
        )

    assignments = [a for a in report.assignments if a.status != "match"]
    if assignments:
        out += ["", "## Assignments that differ", ""]

        def assignment_cells(a: AssignmentEntry) -> Sequence[object]:
            status = {"missing": "missing (up creates it)", "unmanaged": "not managed"}[a.status]
            return (a.app, a.principal_name or a.principal, status, a.app_role_id, a.note)

        out += _table(["app", "principal", "status", "role", "note"], assignments, assignment_cells)
    matched = sum(1 for a in report.assignments if a.status == "match")
    if matched:
        out += ["", f"{matched} assignment(s) match the plan and are imported as they are."]
    return "\n".join(out) + "\n"
