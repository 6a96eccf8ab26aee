"""The drift report as Markdown for people: what differs first, matches as counts.

Every value read from the tenant or the settings (display names, UPNs, scopes, notes, object
ids, problems) goes through the Markdown kit's `code()`, and through `cell()` in a table
(previews/markdown.py): a hostile display name cannot change the report's structure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from components.core.target import TENANT
from previews.markdown import code, table, target_label
from previews.tenant.drift_report import (
    AssignmentEntry,
    DriftReport,
    GrantEntry,
    ServicePrincipalEntry,
)
from previews.tenant.stack_state import ignores_scopes

# Rows per table; the JSON report always has every entry.
MAX_ROWS = 200

T = TypeVar("T")


class Text(str):
    """Markdown the report wrote itself (kit pieces and its own words): not wrapped again."""


def _cell(value: object) -> str:
    if value is None or value == "":
        return "-"
    return value if isinstance(value, Text) else code(value)


def _table(
    header: Sequence[str], rows: Iterable[T], cells: Callable[[T], Sequence[object]]
) -> list[str]:
    items = list(rows)
    lines = table(header, ([_cell(c) for c in cells(r)] for r in items[:MAX_ROWS]))
    if len(items) > MAX_ROWS:
        lines.append(f"\n… and {len(items) - MAX_ROWS} more (see the JSON report).")
    return lines


def _target(entry: GrantEntry) -> object:
    if entry.target == str(TENANT):
        return Text(target_label(TENANT))
    return _named(entry.user, entry.target)


def _named(name: str | None, ref: str) -> object:
    """A user or group by name, its id beside; the id alone where no name is known."""
    return Text(f"{code(name)} ({code(ref)})") if name else ref


def _scopes(scopes: Sequence[str]) -> Text:
    return Text(" ".join(code(s) for s in scopes))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in counts.items()) or "none"


def _differences(s: ServicePrincipalEntry) -> Text:
    return Text(
        "; ".join(
            f"{code(d.setting)}: tenant {code(repr(d.tenant))}, plan {code(repr(d.planned))}"
            for d in s.differences
        )
    )


UNGOVERNED = (
    "Their state ignores changes to their scopes (`ignore_changes`): `pulumi up`, with "
    "`--refresh` too, leaves them as the tenant holds them, whatever the stack declares, and a "
    "scope widened in the tenant stays. Once the option is removed from the program, `pulumi up "
    "--refresh` sets the plan's scopes again."
)
# Which `pulumi up` sets a drifted grant's scopes: after an import the state holds the tenant's
# scopes, so any `up` sees the difference; a deployed stack's state still holds the scopes it
# last set, so only an `up` that reads the tenant first does.
NEXT_UP = {False: "After the import, the next `pulumi up`", True: "`pulumi up --refresh`"}


def _drifted_intro(report: DriftReport) -> str:
    said = (
        f"What the tenant holds now. {NEXT_UP[report.existing_stack]} sets the "
        "plan's scopes, unless the stack ignores changes to them (`ignore_changes`): then the "
        "tenant's stay."
    )
    if report.existing_stack:
        said += (
            " A plain `pulumi up` compares with the stack's state, which still holds the scopes "
            "the stack last set: it changes nothing."
        )
    if report.state_checked:
        return said
    return (
        f"{said} The stack's state was not read, so whether it ignores them cannot be told here "
        "(pass `--state` with the output of `pulumi stack export`)."
    )


def _next_up(report: DriftReport, g: GrantEntry) -> Text:
    if ignores_scopes(tuple(g.ignored_by_stack)):
        return Text("**leaves the tenant's scopes** (the stack ignores changes to them)")
    sets = "`up --refresh` sets the plan's scopes" if report.existing_stack else "sets them"
    if report.state_checked:
        return Text(sets)
    return Text(f"{sets}, unless the stack ignores them")


def _creates(report: DriftReport) -> str:
    """Which `pulumi up` creates what is missing: for a deployed stack whose state still holds
    an object deleted in the tenant, only one that reads the tenant first."""
    return "`pulumi up --refresh`" if report.existing_stack else "`pulumi up`"


NEXT_UP_COLUMN = "what `pulumi up` does"


def render(report: DriftReport) -> str:
    out = [f"# Consent drift: stack {code(report.stack)}", ""]
    tenant = f"tenant {code(report.tenant_id)}" if report.tenant_id else "the tenant"
    out.append(
        f"Read {tenant} through {code(report.graph_url)} at {code(report.read_at)} "
        "(GET requests only)."
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
        out += [f"- {code(p)}" for p in report.problems]

    sps = [s for s in report.service_principals if s.status != "not_in_stack"]
    if sps:
        out += ["", "## Enterprise apps (service principals)", ""]

        def sp_cells(s: ServicePrincipalEntry) -> Sequence[object]:
            status = {"present": "exists", "drifted": "exists, settings differ"}.get(
                s.status, f"missing ({_creates(report)} creates it)"
            )
            return (s.app, s.display_name, Text(status), s.object_id, _differences(s))

        out += _table(["app", "name", "status", "object id", "differences"], sps, sp_cells)
    others = [s for s in report.service_principals if s.status == "not_in_stack"]
    if others:
        out += ["", "Catalogue apps present in the tenant but not enabled in this stack: "]
        out[-1] += ", ".join(f"{code(s.app)} ({code(s.object_id)})" for s in others) + "."

    grants = {
        s: [g for g in report.grants if g.status == s] for s in ("drifted", "missing", "unmanaged")
    }
    if grants["drifted"]:
        out += ["", "## Grants whose scopes differ", "", _drifted_intro(report), ""]
        out += _table(
            ["app", "API", "target", "only in the tenant", "only in the plan", NEXT_UP_COLUMN],
            grants["drifted"],
            lambda g: (
                g.app,
                g.api_display_name,
                _target(g),
                _scopes(g.extra_scopes),
                _scopes(g.fewer_scopes),
                _next_up(report, g),
            ),
        )
    ungoverned = [g for g in report.grants if ignores_scopes(tuple(g.ignored_by_stack))]
    if ungoverned:
        out += ["", "## Grants whose scopes the stack ignores", "", UNGOVERNED, ""]
        out += _table(
            ["app", "API", "target", "status", "ignored"],
            ungoverned,
            lambda g: (
                g.app,
                g.api_display_name,
                _target(g),
                g.status,
                Text(", ".join(code(p) for p in g.ignored_by_stack)),
            ),
        )
    if grants["missing"]:
        out += ["", f"## Missing grants ({_creates(report)} creates them)", ""]
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
        (g.app, g.api_display_name, "tenant-wide" if g.target == str(TENANT) else "per-user")
        for g in report.grants
        if g.status == "match"
    )
    if matches:
        out += ["", "## Matching grants (imported as they are)", ""]
        out += _table(
            ["app", "API", "kind", "grants"],
            sorted(matches.items()),
            lambda item: (item[0][0], item[0][1], Text(item[0][2]), Text(str(item[1]))),
        )

    assignments = [a for a in report.assignments if a.status != "match"]
    if assignments:
        out += ["", "## Assignments that differ", ""]

        def assignment_cells(a: AssignmentEntry) -> Sequence[object]:
            status = {"missing": "missing (up creates it)", "unmanaged": "not managed"}[a.status]
            who = _named(a.principal_name, a.principal)
            return (a.app, who, Text(status), a.app_role_id, a.note)

        out += _table(["app", "principal", "status", "role", "note"], assignments, assignment_cells)
    matched = sum(1 for a in report.assignments if a.status == "match")
    if matched:
        out += ["", f"{matched} assignment(s) match the plan and are imported as they are."]
    return "\n".join(out) + "\n"
