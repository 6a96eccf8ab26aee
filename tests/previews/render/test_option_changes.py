"""Resource options in the consent diff (previews/render/option_changes.py): every option a
pull request sets or takes off is listed, with what it does to the stack's governance; the
project's own service principal options and a new provider version are not changes; a preview
without `--show-sames` says what it cannot show. Synthetic steps in the engine's shape
(simtenant/fakes/preview_digests.py); hostile values in them: test_render_hostile.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalog.catalogue import load_catalogue
from components.core.kept_fields import SERVICE_PRINCIPAL_IGNORED
from components.core.naming import SERVICE_PRINCIPAL_TYPE
from previews.render.consent_changes import OptionChange
from previews.render.digest import UNKNOWN, PreviewDigest
from previews.render.option_changes import option_changes, sames_hidden
from previews.render.pipeline import render_digest
from simtenant.fakes.preview_digests import (
    MAIL_SCOPES,
    assignment_step,
    grant_step,
    provider,
    user_id,
)
from tests.previews.conftest import REPO

CATALOGUE = load_catalogue(REPO / "catalog")
DIGESTS = Path(__file__).resolve().parents[1] / "digests"
EXPLICIT = "urn:pulumi:dev::entra-consent::pulumi:providers:azuread::elsewhere"


def same(**options: Any) -> dict[str, Any]:
    """A grant that stays the same, its new state carrying `options` (the engine's names)."""
    step = grant_step("dev", "jemhc", user_id(1), "update", MAIL_SCOPES, MAIL_SCOPES)
    step["op"] = "same"
    step.pop("diffReasons", None)
    step["detailedDiff"] = None
    step["newState"].update(options)
    return step


def changes(*steps: dict[str, Any]) -> list[OptionChange]:
    return option_changes(PreviewDigest.model_validate({"steps": list(steps)}).steps or ())


def lines(*steps: dict[str, Any], **digest: Any) -> list[str]:
    text = json.dumps({"steps": list(steps), **digest})
    return render_digest(text, CATALOGUE, []).markdown.splitlines()


def test_each_option_set_on_an_unchanged_grant_is_listed() -> None:
    step = same(
        ignoreChanges=["claimValues"],
        protect=True,
        retainOnDelete=True,
        provider=f"{EXPLICIT}::04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    )
    found = {(c.option, c.on, c.values) for c in changes(step)}
    assert found == {
        ("ignore_changes", True, ("claimValues",)),
        ("protect", True, ()),
        ("retain_on_delete", True, ()),
        ("provider", True, (EXPLICIT,)),
    }
    (c, *_) = changes(step)
    assert c.kind == "grant" and c.target is not None and c.target.ref == user_id(1)


def test_an_option_taken_off_is_listed_too() -> None:
    step = same()
    step["oldState"].update(ignoreChanges=["claimValues"], protect=True, retainOnDelete=True)
    found = {(c.option, c.on) for c in changes(step)}
    assert found == {("ignore_changes", False), ("protect", False), ("retain_on_delete", False)}


def test_an_import_is_listed_with_its_id() -> None:
    step = grant_step("dev", "jemhc", user_id(2), "import", None, MAIL_SCOPES)
    step["newState"]["importID"] = "grant-in-the-tenant"
    (c,) = changes(step)
    assert (c.option, c.on, c.values) == ("import", True, ("grant-in-the-tenant",))


def test_nothing_changed_is_nothing_listed() -> None:
    step = same()
    step["oldState"].update(ignoreChanges=["claimValues"])
    step["newState"].update(ignoreChanges=["claimValues"])
    assert changes(step) == []


def test_a_new_version_of_the_default_provider_is_not_a_provider_change() -> None:
    step = same(provider=provider("dev").replace("default_6_11_1", "default_6_12_0"))
    assert changes(step) == []


def test_the_components_own_service_principal_options_are_not_listed() -> None:
    """components/enterprise_app.py creates every service principal retained on delete and
    ignoring owners: the pack allows both, and a created app lists neither."""
    step = same(
        type=SERVICE_PRINCIPAL_TYPE,
        retainOnDelete=True,
        ignoreChanges=list(SERVICE_PRINCIPAL_IGNORED),
    )
    step["op"] = "create"
    del step["oldState"]
    assert changes(step) == []
    step["newState"]["retainOnDelete"] = False
    assert [(c.option, c.on) for c in changes(step)] == [("retain_on_delete", False)]


def test_a_deleted_or_read_resource_sets_no_option() -> None:
    deleted = grant_step("dev", "jemhc", user_id(3), "delete", MAIL_SCOPES, None)
    deleted["oldState"]["retainOnDelete"] = True
    read = same(ignoreChanges=["claimValues"])
    read["op"] = "read"
    assert changes(deleted, read) == []


def test_options_alone_are_not_no_consent_changes() -> None:
    out = lines(same(ignoreChanges=["claimValues"]))
    assert not any(line.startswith("No consent changes") for line in out), out
    assert "### Resource options" in out
    (line,) = [x for x in out if x.startswith("- grant ")]
    assert f"(user `{user_id(1)}`)" in line
    assert "**ignores changes** to `claimValues`" in line
    assert any("resource options changed: 1" in x for x in out if x.startswith("**Totals**"))


def test_a_preview_without_sames_says_what_it_cannot_show() -> None:
    hidden = PreviewDigest.model_validate({"steps": [], "changeSummary": {"same": 12}})
    assert sames_hidden(hidden)
    out = lines(changeSummary={"same": 12})
    assert any("without `--show-sames`" in x for x in out), out
    shown = PreviewDigest.model_validate({"steps": [same()], "changeSummary": {"same": 1}})
    assert not sames_hidden(shown)


def test_the_recorded_digests_show_the_sames() -> None:
    for name in ("engine-change.json", "engine-mixed.json", "engine-empty.json"):
        digest = PreviewDigest.model_validate_json((DIGESTS / name).read_text("utf-8"))
        assert not sames_hidden(digest), name


STACK = "urn:pulumi:dev::entra-consent::pulumi:pulumi:Stack::entra-consent-dev"


def test_an_assignment_whose_principal_is_not_known_has_no_target() -> None:
    step = assignment_step("dev", "jemhc", user_id(4), "create")
    step["newState"]["inputs"]["principalObjectId"] = UNKNOWN
    step["newState"]["protect"] = True
    (c,) = changes(step)
    assert c.kind == "assignment" and c.target is None


def test_a_service_principal_outside_the_component_lists_its_options() -> None:
    step = same(
        type=SERVICE_PRINCIPAL_TYPE,
        retainOnDelete=True,
        ignoreChanges=list(SERVICE_PRINCIPAL_IGNORED),
        parent=STACK,
    )
    step["op"] = "create"
    del step["oldState"]
    found = {(c.option, c.on) for c in changes(step)}
    assert found == {("retain_on_delete", True), ("ignore_changes", True)}
