"""Rules of the consent diffs that must hold for all inputs (hypothesis)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.catalogue import load_catalogue
from previews.plan.matrix import PlanDocument
from previews.plan.plan_diff import diff_plans
from previews.render.consent_diff import consent_diff
from previews.render.digest import PreviewDigest
from previews.render.render_markdown import render_markdown
from simtenant.fakes.preview_digests import BASE, OPTIONAL, assignment_step, grant_step, user_id
from tests.previews.conftest import REPO

CATALOGUE = load_catalogue(REPO / "catalog")
APPS = ["m365-jira-mail", "m365-jira-teams", "jemhc"]
SCOPES = st.lists(st.sampled_from([*BASE, *OPTIONAL]), unique=True, max_size=6)


@st.composite
def steps(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    users = draw(st.lists(st.integers(0, 40), unique=True, max_size=25))
    for index in users:
        app = draw(st.sampled_from(APPS))
        kind = draw(st.sampled_from(["create", "update", "delete", "assign", "unassign"]))
        user = user_id(index)
        if kind == "create":
            out.append(grant_step("dev", app, user, "create", None, draw(SCOPES)))
        elif kind == "update":
            out.append(grant_step("dev", app, user, "update", draw(SCOPES), draw(SCOPES)))
        elif kind == "delete":
            out.append(grant_step("dev", app, user, "delete", draw(SCOPES), None))
        else:
            out.append(
                assignment_step("dev", app, user, "create" if kind == "assign" else "delete")
            )
    return out


def render(step_list: list[dict[str, Any]], budget: int = 60_000) -> str:
    digest = PreviewDigest.model_validate({"steps": step_list})
    return render_markdown(consent_diff(digest, CATALOGUE), CATALOGUE, stack="dev", budget=budget)


@settings(max_examples=60, deadline=None)
@given(steps(), st.randoms(use_true_random=False))
def test_step_order_does_not_change_the_diff(step_list: list[dict[str, Any]], rnd: Any) -> None:
    shuffled = list(step_list)
    rnd.shuffle(shuffled)
    assert render(shuffled) == render(step_list)


@settings(max_examples=60, deadline=None)
@given(steps(), st.integers(600, 5_000))
def test_markdown_never_exceeds_the_budget(step_list: list[dict[str, Any]], budget: int) -> None:
    assert len(render(step_list, budget).encode()) <= budget


@settings(max_examples=60, deadline=None)
@given(steps())
def test_scope_totals_match_the_steps(step_list: list[dict[str, Any]]) -> None:
    digest = PreviewDigest.model_validate({"steps": step_list})
    diff = consent_diff(digest, CATALOGUE)
    added = removed = 0
    for step in step_list:
        old = set(step.get("oldState", {}).get("inputs", {}).get("claimValues", []))
        new = set(step.get("newState", {}).get("inputs", {}).get("claimValues", []))
        added += len(new - old)
        removed += len(old - new)
    assert sum(len(c.added) for c in diff.grants) == added
    assert sum(len(c.removed) for c in diff.grants) == removed


def plan_doc(apps: dict[str, dict[str, list[str]]]) -> PlanDocument:
    """A plan with tenant or user targets per app (target ref -> scopes)."""
    return PlanDocument.model_validate(
        {
            "stack": "s",
            "stack_file": "Pulumi.s.yaml",
            "catalog": "catalog",
            "apps": [
                {
                    "key": app,
                    "display_name": app,
                    "client_id": "00000000-0000-0000-0000-000000000001",
                    "features": {},
                    "service_principal_only": not targets,
                    "assignment_required": False,
                    "hide": False,
                    "notes": None,
                    "apis": [
                        {
                            "api": "microsoft-graph",
                            "display_name": "Microsoft Graph",
                            "targets": [
                                {
                                    "target": {"kind": "user" if ref else "tenant", "ref": ref},
                                    "scopes": [
                                        {"name": s, "admin_consent_required": False}
                                        for s in sorted(scopes)
                                    ],
                                }
                                for ref, scopes in sorted(targets.items())
                            ],
                        }
                    ]
                    if targets
                    else [],
                    "assignments": [],
                }
                for app, targets in sorted(apps.items())
            ],
        }
    )


PLANS = st.dictionaries(
    st.sampled_from(APPS),
    st.dictionaries(st.sampled_from(["", "a@x.com", "b@x.com"]), SCOPES.filter(bool), max_size=3),
    max_size=3,
)


@settings(max_examples=80, deadline=None)
@given(PLANS)
def test_a_plan_against_itself_is_no_change(apps: dict[str, dict[str, list[str]]]) -> None:
    doc = plan_doc(apps)
    assert diff_plans(doc, doc) == []


@settings(max_examples=80, deadline=None)
@given(PLANS, PLANS)
def test_plan_diff_is_antisymmetric(
    before: dict[str, dict[str, list[str]]], after: dict[str, dict[str, list[str]]]
) -> None:
    forward = diff_plans(plan_doc(before), plan_doc(after))
    backward = diff_plans(plan_doc(after), plan_doc(before))

    def scopes(diffs: Any, side: str) -> set[tuple[str, str, str]]:
        return {
            (a.key, g.target.ref, s.name) for a in diffs for g in a.grants for s in getattr(g, side)
        }

    assert scopes(forward, "added") == scopes(backward, "removed")
    assert scopes(forward, "removed") == scopes(backward, "added")


@settings(max_examples=60, deadline=None)
@given(steps(), st.sampled_from(["rogue-app", "m365-jira-mail"]))
def test_no_consent_changes_only_when_there_are_none(
    step_list: list[dict[str, Any]], app: str
) -> None:
    """Whatever the steps, and whether or not the catalogue names their app: "No consent
    changes" exactly when no step changes anything, and one ⛔ line at least per delete."""
    renamed = [
        json.loads(json.dumps(s).replace("m365-jira-mail", app).replace("jemhc", app))
        for s in step_list
    ]
    text = render(renamed, 1_000_000)
    assert ("No consent changes:" in text) == (not renamed)
    deletes = sum(1 for s in renamed if s["op"] == "delete")
    assert sum(line.count("⛔") for line in text.splitlines() if line.startswith("- ")) >= (
        1 if deletes else 0
    )
