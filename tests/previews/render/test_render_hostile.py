"""Hostile values in every field the renderers did not write themselves cannot change the
structure of the comment, as GitHub renders it (cmarkgfm, GitHub's own library): the consent
diff of a digest and event log (stack name, object ids, display names, UPNs, diagnostics,
policy events, operations, resource names and types, property names and values, catalogue
names) and the drift report (display names, scopes, UPNs, notes, problems).

Each foreign field gets its own value followed by `#<field number>`, hostile or benign (`a`),
so that fields stay distinct and no value is the engine's secret or unknown sentinel: what the
renderer decides from values (which app, which user) is the same both ways."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cmarkgfm  # type: ignore[import-untyped]
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalog.catalogue import Catalogue, load_catalogue
from components.core.naming import ENTERPRISE_APP_TYPE, GRANT_TYPE
from previews.render.digest import PolicyEvent
from previews.render.pipeline import render_digest
from previews.tenant.drift_markdown import render as render_drift
from previews.tenant.drift_report import (
    AssignmentEntry,
    DriftReport,
    GrantEntry,
    ServicePrincipalEntry,
    SettingDifference,
)
from simtenant.fakes.preview_digests import (
    MAIL_SCOPES,
    PROJECT,
    assignment_step,
    grant_step,
    stack_step,
)
from tests.previews.conftest import REPO

TAGS = re.compile(r"</?([a-z0-9]+)")
DIGESTS = Path(__file__).resolve().parents[1] / "digests"
MIXED = json.loads((DIGESTS / "engine-mixed.json").read_text("utf-8"))
CATALOGUE = load_catalogue(REPO / "catalog")
FIELDS = 32
KNOWN_ATTACKS = [
    "`` ## Approved ``\n\n# heading",
    "x`\n\n![](https://evil.example/t.png)\n<!--",
    "<img src=x onerror=alert(1)>",
    "[click](https://evil.example) www.evil.example adele@contoso.com",
    "a | b | c\n|---|",
    "line\rnext\u2028third\r\n- item",
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "</code></li></ul><h1>x</h1>",
]
Value = Callable[[int], str]


def structure(markdown: str) -> list[str]:
    return TAGS.findall(str(cmarkgfm.github_flavored_markdown_to_html(markdown)))


def hostile(values: list[str]) -> Value:
    return lambda i: f"{values[i % len(values)]}#{i}"


def benign(i: int) -> str:
    return f"a#{i}"


def sp_update(v: Value) -> dict[str, Any]:
    """The real engine's update of a service principal, with foreign notes and a property."""
    step: dict[str, Any] = copy.deepcopy(
        next(s for s in MIXED["steps"] if s["op"] == "update" and s["urn"].endswith("-sp"))
    )
    step["oldState"]["inputs"]["notes"] = v(20)
    step["newState"]["inputs"]["notes"] = v(21)
    step["newState"]["inputs"]["zz-" + v(22)] = v(23)  # sorted last, as `a` would be
    step["diffReasons"] = ["appRoleAssignmentRequired", "notes", "zz-" + v(22)]
    step["detailedDiff"] = None
    return step


def digest(v: Value) -> dict[str, Any]:
    stack = v(0).replace(":", "")  # Pulumi stack names hold no colon (URNs split on `::`)
    updated = grant_step(stack, "m365-jira-mail", v(1), "update", MAIL_SCOPES, MAIL_SCOPES[1:])
    # Another app than `updated`'s: each section's lines are sorted by object id.
    deleted = grant_step(stack, "m365-jira-teams", v(2), "delete", MAIL_SCOPES, None)
    removed = assignment_step(stack, "m365-jira-teams", v(2), "delete")
    removed["oldState"]["outputs"]["principalDisplayName"] = v(3)
    updated["newState"]["ignoreChanges"] = [v(29)]
    updated["newState"]["provider"] = (
        f"urn:pulumi:{stack}::{PROJECT}::pulumi:providers:azuread::{v(30)}::x"
    )
    group = assignment_step(stack, "jemhc", v(4), "create")
    group["newState"]["importID"] = v(31)
    group["urn"] = group["urn"].replace("-assign-user-", "-assign-group-")
    unknown_op = grant_step(stack, "jemhc", v(5), "create", None, MAIL_SCOPES)
    unknown_op["op"] = "x-" + v(6)
    rogue = grant_step(stack, "zz-" + v(7), v(8), "delete", [v(9), v(10)], None)
    rogue["oldState"]["inputs"]["servicePrincipalObjectId"] = v(11)
    other_type = "x:" + v(12)
    other = assignment_step(stack, "jemhc", v(13), "create")
    other["newState"]["type"] = other_type
    other["urn"] = f"urn:pulumi:{stack}::{PROJECT}::{ENTERPRISE_APP_TYPE}${other_type}::{v(14)}"
    other["newState"]["protect"] = True  # listed under resource options by its type
    return {
        "steps": [
            stack_step(stack, {"users": {v(1).lower(): v(15)}}),
            updated,
            deleted,
            removed,
            group,
            unknown_op,
            rogue,
            other,
            sp_update(v),
        ],
        "diagnostics": [
            {"message": v(16), "severity": "warning"},
            {"message": "error: " + v(17), "severity": "error"},
        ],
    }


def events(v: Value) -> list[PolicyEvent]:
    urn = f"urn:pulumi:dev::{PROJECT}::{GRANT_TYPE}::zz-{v(24)}"
    return [
        PolicyEvent.model_validate(
            {
                "resourceUrn": urn,
                "message": v(25),
                "policyName": v(26),
                "policyPackName": v(27),
                "enforcementLevel": level,
            }
        )
        for level in ("mandatory", v(28))
    ]


def catalogue(v: Value) -> Catalogue:
    """The catalogue with foreign display names for an app and an API."""
    apps = dict(CATALOGUE.apps)
    mail = apps["m365-jira-mail"]
    entry = mail.entry.model_copy(update={"display_name": v(18)})
    apps["m365-jira-mail"] = dataclasses.replace(mail, entry=entry)
    apis = dict(CATALOGUE.apis)
    apis["microsoft-graph"] = apis["microsoft-graph"].model_copy(update={"display_name": v(19)})
    return dataclasses.replace(CATALOGUE, apps=apps, apis=apis)


def comment(v: Value) -> str:
    return render_digest(json.dumps(digest(v)), catalogue(v), events(v)).markdown


VALUES = st.lists(st.text(max_size=40), min_size=1, max_size=FIELDS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=VALUES)
@example(values=KNOWN_ATTACKS)
@example(values=[""])
@example(values=["`"])
def test_no_foreign_value_changes_the_consent_diff(values: list[str]) -> None:
    expected = structure(comment(benign))
    rendered = comment(hostile(values))
    assert structure(rendered) == expected, rendered


def test_the_fixture_reaches_every_section() -> None:
    """The benign comment shows every foreign field: the check above covers them all."""
    text = comment(benign)
    for section in (
        "FAILURE",
        "not understood",
        "### Not recognised",
        "### Resource options",
        "### Policy violations",
    ):
        assert section in text, section
    for i in (*range(1, 27), 28, 29, 30, 31):
        if i in (5, 13, 27):  # the step not understood is listed by op; the pack is not shown
            continue
        assert f"a#{i}" in text, i


def test_carriage_returns_start_no_line() -> None:
    text = comment(hostile(["x\ry\r\nz\u2028w\x85v"]))
    assert "\r" not in text and "\u2028" not in text and "\x85" not in text


# -- the drift report ----------------------------------------------------------------------------


def report(v: Value) -> DriftReport:
    grant = {
        "app": v(1),
        "client_id": v(2),
        "api": v(3),
        "api_display_name": v(4),
        "note": v(5),
    }
    return DriftReport(
        stack=v(6),
        tenant_id=v(7),
        graph_url=v(8),
        read_at=v(9),
        in_sync=False,
        counts={"service_principals": {"drifted": 1}, "grants": {"drifted": 1}, "assignments": {}},
        service_principals=[
            ServicePrincipalEntry(
                status="drifted",
                app=v(10),
                client_id=v(11),
                display_name=v(12),
                object_id=v(13),
                differences=[SettingDifference(setting=v(14), planned=v(15), tenant=v(16))],
            ),
            ServicePrincipalEntry(
                status="not_in_stack", app=v(17), client_id="c", display_name="d", object_id=v(18)
            ),
        ],
        grants=[
            GrantEntry(
                status=status,
                target=f"user:{v(19)}",
                user=v(20),
                planned_scopes=[v(21)],
                tenant_scopes=[v(22)],
                extra_scopes=[v(22)],
                fewer_scopes=[v(21)],
                **grant,
            )
            for status in ("drifted", "missing", "unmanaged", "match")
        ],
        assignments=[
            AssignmentEntry(
                status="unmanaged",
                app=v(23),
                principal=f"group:{v(24)}",
                principal_name=v(25),
                app_role_id=v(26),
                note=v(27),
            )
        ],
        problems=[v(28)],
    )


@settings(max_examples=150, deadline=None)
@given(values=VALUES)
@example(values=KNOWN_ATTACKS)
def test_no_tenant_value_changes_the_drift_report(values: list[str]) -> None:
    expected = structure(render_drift(report(benign)))
    rendered = render_drift(report(hostile(values)))
    assert structure(rendered) == expected, rendered


def test_drift_report_names_principals_with_their_ids() -> None:
    text = render_drift(report(benign))
    assert "`a#20` (`user:a#19`)" in text
    assert "`a#25` (`group:a#24`)" in text
