"""The plan's "Who may consent" section (previews/plan/who_may_consent.py): what
`user_consent` and `admin_consent_workflow` set, per app and API, in Markdown and JSON; absent
when a stack sets neither; the tenant's budget checked before anything else."""

from __future__ import annotations

import json
from pathlib import Path

import cmarkgfm  # type: ignore[import-untyped]
import pytest
import yaml

from catalog.problems import ConfigurationError
from components.core import front_door
from previews.plan.base_plan import plan_against_base
from previews.plan.plan_diff_markdown import plan_diff_markdown
from previews.plan.plan_markdown import plan_markdown
from previews.plan.stack_plan import plan_stack
from tests.previews.plan.test_plan_base import base_repo, git

SECTION = "### Who may consent"


def test_the_section_says_who_may_consent_to_what(project: Path) -> None:
    doc = plan_stack(project, "frontdoor")
    markdown = plan_markdown(doc)
    section = markdown[markdown.index(SECTION) : markdown.index("### `", markdown.index(SECTION))]
    assert (
        "User consent (`catalogue`): users may consent for themselves only to the scopes "
        in section
    )
    assert "(policy `entra-consent-frontdoor`)" in section
    teams = next(x for x in section.splitlines() if x.startswith("- `m365-jira-teams` → "))
    assert "users may consent to `Channel.ReadBasic.All`" in teams
    mail = next(x for x in section.splitlines() if x.startswith("- `m365-jira-mail` → "))
    assert "admin approval required for " in mail and "`Group.ReadWrite.All`" in mail
    assert "`m365-jira-todo`" not in section  # consent: none, so nobody consents to it
    # granted per user: self-consent would open it to every user
    assert "`m365-jira-teams-jsm-portal`" not in section
    assert (
        "Admin consent requests go to groups `Identity Admins`; roles "
        "`Cloud Application Administrator`; reviewers notified: yes; reminders: no; a request "
        "expires after 14 days."
    ) in section


def test_the_json_document_holds_it(project: Path) -> None:
    data = json.loads(plan_stack(project, "frontdoor").model_dump_json())
    view = data["who_may_consent"]
    assert view["user_consent"] == "catalogue"
    assert view["policy_id"] == "entra-consent-frontdoor"
    assert view["admin_consent_workflow"]["duration_days"] == 14
    pairs = [(rule["app"], rule["api"]) for rule in view["rules"]]
    assert pairs == [("m365-jira-mail", "microsoft-graph"), ("m365-jira-teams", "microsoft-graph")]
    for rule in view["rules"]:
        assert rule["users_may_consent"]
        assert not set(rule["users_may_consent"]) & set(rule["admin_approval"])


def test_a_stack_that_sets_neither_shows_nothing_new(project: Path) -> None:
    stack = yaml.safe_load((project / "Pulumi.frontdoor.yaml").read_text())
    for key in ("entra-consent:user_consent", "entra-consent:admin_consent_workflow"):
        del stack["config"][key]
    (project / "Pulumi.plain.yaml").write_text(yaml.safe_dump(stack))
    doc = plan_stack(project, "plain")
    assert doc.who_may_consent is None and SECTION not in plan_markdown(doc)


def test_none_says_nobody_consents_for_themselves(project: Path) -> None:
    stack = yaml.safe_load((project / "Pulumi.frontdoor.yaml").read_text())
    stack["config"]["entra-consent:user_consent"] = "none"
    (project / "Pulumi.closed.yaml").write_text(yaml.safe_dump(stack))
    markdown = plan_markdown(plan_stack(project, "closed"))
    assert "users may consent to nothing for themselves: they need an admin" in markdown
    assert "- `m365-jira-teams` → " not in markdown


def test_the_budget_is_a_problem_of_the_stack_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(front_door, "ID_BUDGET", 1)
    with pytest.raises(ConfigurationError) as raised:
        plan_stack(project, "frontdoor")
    (problem,) = raised.value.problems
    assert (problem.file, problem.path) == ("Pulumi.frontdoor.yaml", "entra-consent:user_consent")


def test_hostile_reviewer_names_stay_in_code_spans(project: Path) -> None:
    stack = yaml.safe_load((project / "Pulumi.frontdoor.yaml").read_text())
    stack["config"]["entra-consent:admin_consent_workflow"]["reviewers"]["groups"] = [
        "x`\n\n# Approved <img src=x onerror=alert(1)> [click](https://evil.example)"
    ]
    (project / "Pulumi.hostile.yaml").write_text(yaml.safe_dump(stack))
    html = cmarkgfm.github_flavored_markdown_to_html(plan_markdown(plan_stack(project, "hostile")))
    assert "<img" not in html and "<h1>" not in html and 'href="https://evil' not in html


def test_a_change_of_who_may_consent_is_a_consent_change(tmp_path: Path) -> None:
    """Whole-tenant rules: the plan diff (and so the comment) shows before and after, and
    never says "No consent changes"."""
    repo = base_repo(tmp_path / "repo")
    stack = yaml.safe_load((repo / "Pulumi.s.yaml").read_text())
    stack["config"]["entra-consent:user_consent"] = "none"
    (repo / "Pulumi.s.yaml").write_text(yaml.safe_dump(stack))
    git(repo, "commit", "-q", "-am", "close the front door")
    diff = plan_against_base(repo, "s", "HEAD~1")
    assert diff.apps == [] and diff.who_may_consent is not None
    assert diff.who_may_consent.before is None
    assert diff.who_may_consent.after is not None
    assert diff.who_may_consent.after.user_consent == "none"
    markdown = plan_diff_markdown(diff)
    assert "### ⚠️ Who may consent changes" in markdown
    assert "No consent changes." not in markdown
    assert "Left as the tenant has it" in markdown  # before
    assert "users may consent to nothing for themselves" in markdown  # after
