"""From preview steps to the consent diff (previews/render/consent_diff.py, consent_unmapped.py) for
what the real digests and the render tests do not hold: every operation the engine sends,
app keys that are prefixes of others, names that are only a prefix, targets read from values
or from names, states without a type, outputs only in the new state, resources it cannot map
in each shape, and violations tied to the app of any resource. Each test here kills mutants of
the consent diff that survived the render tests (`make mutate`)."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from catalog.catalogue import Catalogue, load_catalogue
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
)
from components.core.target import TENANT, UNKNOWN_TARGET, Target
from previews.render.consent_changes import ConsentDiff, PropertyChange
from previews.render.consent_diff import consent_diff
from previews.render.digest import SECRET, UNKNOWN, PolicyEvent, PreviewDigest
from previews.render.render_markdown import render_markdown
from simtenant.fakes.preview_digests import (
    PROJECT,
    assignment_step,
    grant_step,
    moved_grant_steps,
    stack_step,
    user_id,
)
from tests.previews.conftest import REPO

CATALOGUE = load_catalogue(REPO / "catalog")
STACK = f"urn:pulumi:dev::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-dev"
MAIL = "m365-jira-mail"
ADELE = user_id(1)
LEE = user_id(2)


def diff(
    steps: list[dict[str, Any]],
    events: list[PolicyEvent] | None = None,
    catalogue: Catalogue = CATALOGUE,
    **digest: Any,
) -> ConsentDiff:
    return consent_diff(PreviewDigest.model_validate({"steps": steps, **digest}), catalogue, events)


def urn(typ: str, name: str, parent: str | None = ENTERPRISE_APP_TYPE) -> str:
    types = f"{parent}${typ}" if parent else typ
    return f"urn:pulumi:dev::{PROJECT}::{types}::{name}"


def step(
    op: str,
    typ: str,
    name: str,
    *,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    parent: str | None = None,
    component: str | None = MAIL,
    **more: Any,
) -> dict[str, Any]:
    """A step of any type; `old`/`new`: the states' inputs (outputs equal them), None for none."""
    the_urn = urn(typ, name, ENTERPRISE_APP_TYPE if component else None)
    parent = parent or (urn(ENTERPRISE_APP_TYPE, component, None) if component else STACK)
    out: dict[str, Any] = {"op": op, "urn": the_urn, **more}
    for key, inputs in (("oldState", old), ("newState", new)):
        if inputs is not None:
            out[key] = {
                "urn": the_urn,
                "type": typ,
                "parent": parent,
                "inputs": dict(inputs),
                "outputs": dict(inputs),
            }
    return out


def with_op(s: dict[str, Any], op: str) -> dict[str, Any]:
    return {**copy.deepcopy(s), "op": op}


CREATE = grant_step("dev", MAIL, ADELE, "create", None, ["openid"])
DELETE = grant_step("dev", MAIL, ADELE, "delete", ["openid"], None)


# --- operations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "action"),
    [
        (CREATE, "create"),
        (with_op(CREATE, "import"), "import"),
        (with_op(CREATE, "import-replacement"), "replace"),
        (with_op(CREATE, "create-replacement"), "replace"),
        (with_op(DELETE, "delete-replaced"), "replace"),
        (DELETE, "delete"),
    ],
)
def test_each_changing_operation(s: dict[str, Any], action: str) -> None:
    (grant,) = diff([s]).grants
    assert grant.action == action


@pytest.mark.parametrize("op", ["same", "read", "read-replacement", "refresh"])
def test_operations_that_change_nothing_are_silent(op: str) -> None:
    found = diff([with_op(CREATE, op)])
    assert found.empty and not found.not_understood and not found.unmapped


@pytest.mark.parametrize("op", ["discard", "discard-replaced"])
def test_a_discarded_read_is_silent_and_a_discarded_managed_resource_is_not_understood(
    op: str,
) -> None:
    read = with_op(DELETE, op)
    read["oldState"]["external"] = True
    assert diff([read]).empty
    managed = with_op(DELETE, op)
    found = diff([managed])
    assert [(n.op, n.urn) for n in found.not_understood] == [(op, managed["urn"])]


def test_a_component_is_known_by_its_urn_when_its_state_has_no_type() -> None:
    s = step("create", ENTERPRISE_APP_TYPE, MAIL, new={}, component=None)
    del s["newState"]["type"]
    assert diff([s]).empty


def test_components_and_providers_change_no_consent() -> None:
    steps = [
        step("create", ENTERPRISE_APP_TYPE, MAIL, new={}, component=None),
        step("create", RESOURCE_API_TYPE, "api-microsoft-graph", new={}, component=None),
        step("create", "pulumi:providers:azuread", "default", new={}, component=None),
        step("update", "pulumi:providers:random", "other", old={}, new={"x": 1}, component=None),
    ]
    assert diff(steps).empty


# --- names -------------------------------------------------------------------------------------


def test_the_longest_app_key_wins() -> None:
    """`m365-jira-teams` is a prefix of `m365-jira-teams-jsm-portal`: a violation on a resource
    of the portal app that the diff does not list is the portal app's."""
    events = [
        PolicyEvent(resource_urn=urn(SERVICE_PRINCIPAL_TYPE, name), message=f" {name} \n")
        for name in (
            "m365-jira-teams-jsm-portal-sp",
            "m365-jira-teams-sp",
            "nobody-sp",
        )
    ]
    events.append(PolicyEvent(message="stack-wide", enforcement_level="advisory"))
    found = diff([], events)
    assert [(v.app, v.resource, v.message, v.level) for v in found.violations] == [
        (
            "m365-jira-teams-jsm-portal",
            "m365-jira-teams-jsm-portal-sp",
            "m365-jira-teams-jsm-portal-sp",
            "mandatory",
        ),
        ("m365-jira-teams", "m365-jira-teams-sp", "m365-jira-teams-sp", "mandatory"),
        (None, "nobody-sp", "nobody-sp", "mandatory"),
        (None, None, "stack-wide", "advisory"),
    ]


def with_keys(apps: tuple[str, ...] = (), apis: tuple[str, ...] = ()) -> Catalogue:
    """The catalogue with more apps (copies of the mail app) and APIs (copies of Graph) under
    these keys, each with an id of its own."""
    mail, graph = CATALOGUE.apps[MAIL], CATALOGUE.apis["microsoft-graph"]
    more_apps = {
        key: dataclasses.replace(
            mail,
            key=key,
            entry=mail.entry.model_copy(update={"client_id": f"0b0b0b0b-0000-4000-8000-{i:012d}"}),
        )
        for i, key in enumerate(apps)
    }
    more_apis = {
        key: graph.model_copy(update={"key": key, "app_id": f"0a0a0a0a-0000-4000-8000-{i:012d}"})
        for i, key in enumerate(apis)
    }
    return dataclasses.replace(
        CATALOGUE, apps={**CATALOGUE.apps, **more_apps}, apis={**CATALOGUE.apis, **more_apis}
    )


def test_the_longest_api_key_wins() -> None:
    """An API key whose user-grant names start like another's: `microsoft-graph-user-beta`."""
    beta = "microsoft-graph-user-beta"
    catalogue = with_keys(apis=(beta,))
    steps = [
        step("create", GRANT_TYPE, f"{MAIL}-{beta}-user-{ADELE}", new={"userObjectId": ADELE}),
        step("create", GRANT_TYPE, f"{MAIL}-{beta}-tenant", new={}),
        CREATE,
    ]
    found = diff(steps, catalogue=catalogue)
    assert [(g.api, g.target) for g in found.grants] == [
        ("microsoft-graph", Target("user", ADELE)),
        (beta, TENANT),
        (beta, Target("user", ADELE)),
    ]


def test_the_component_decides_between_apps_whose_names_both_fit() -> None:
    """App `m365-jira` with API `mail-microsoft-graph` names its grant exactly as app
    `m365-jira-mail` names its Graph grant: the component it sits under tells them apart."""
    catalogue = with_keys(apps=("m365-jira",), apis=("mail-microsoft-graph",))
    name = f"{MAIL}-microsoft-graph-tenant"
    under = step("create", GRANT_TYPE, name, new={}, component="m365-jira")
    found = diff([under], catalogue=catalogue)
    assert [(g.app, g.api, g.target) for g in found.grants] == [
        ("m365-jira", "mail-microsoft-graph", TENANT)
    ]
    found = diff([step("create", GRANT_TYPE, name, new={})], catalogue=catalogue)
    assert [(g.app, g.api) for g in found.grants] == [(MAIL, "microsoft-graph")]


def test_a_violation_names_the_app_the_diff_mapped_not_one_its_name_suggests() -> None:
    """With an app keyed `m365-jira-mail-assign`, the mail app's assignment names start like
    that app's resources: the diff's own mapping decides."""
    catalogue = with_keys(apps=(f"{MAIL}-assign",))
    assign = assignment_step("dev", MAIL, ADELE, "create")
    found = diff([assign], [PolicyEvent(resource_urn=assign["urn"])], catalogue)
    assert [a.app for a in found.assignments] == [MAIL]
    assert [v.app for v in found.violations] == [MAIL]


def test_a_grant_outside_its_component_is_still_its_apps() -> None:
    s = copy.deepcopy(CREATE)
    s["newState"]["parent"] = STACK
    (grant,) = diff([s]).grants
    assert (grant.app, grant.api, grant.target) == (MAIL, "microsoft-graph", Target("user", ADELE))


@pytest.mark.parametrize(
    ("typ", "name"),
    [
        (GRANT_TYPE, f"{MAIL}-microsoft-graph-user-"),
        (ASSIGNMENT_TYPE, f"{MAIL}-assign-user-"),
        (ASSIGNMENT_TYPE, f"{MAIL}-assign-group-"),
    ],
)
def test_a_name_that_is_only_the_prefix_names_nobody(typ: str, name: str) -> None:
    found = diff([step("create", typ, name, new={})])
    assert (found.grants, found.assignments) == ([], [])
    assert [c.name for c in found.unmapped] == [name]


# --- targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "target"),
    [
        (ADELE.upper(), Target("user", ADELE)),
        # Never the name over the value: masked or not known until apply, the user may resolve
        # to none, which is tenant-wide; no user at all is tenant-wide.
        (SECRET, UNKNOWN_TARGET),
        (UNKNOWN, UNKNOWN_TARGET),
        ("", TENANT),
        (None, TENANT),
    ],
)
def test_a_grant_is_for_its_user_value_never_the_user_in_its_name(
    user: Any, target: Target
) -> None:
    inputs = {"claimValues": ["openid"]}
    if user is not None:
        inputs["userObjectId"] = user
    s = step("create", GRANT_TYPE, f"{MAIL}-microsoft-graph-user-named", new=inputs)
    (grant,) = diff([s]).grants
    assert grant.target == target


def test_a_grant_named_tenant_wide_is_for_the_user_its_value_names() -> None:
    s = step("create", GRANT_TYPE, f"{MAIL}-microsoft-graph-tenant", new={"userObjectId": ADELE})
    (grant,) = diff([s]).grants
    assert grant.target == Target("user", ADELE)


def test_an_update_is_never_a_takeover() -> None:
    name = f"{MAIL}-microsoft-graph-user-x"
    s = step(
        "update",
        GRANT_TYPE,
        name,
        old={"userObjectId": ADELE, "claimValues": ["openid"]},
        new={"userObjectId": LEE, "claimValues": ["openid"]},
    )
    (grant,) = diff([s]).grants
    assert (grant.target, grant.old_target) == (Target("user", LEE), None)


@pytest.mark.parametrize(
    ("principal", "ref"),
    [(ADELE.upper(), ADELE), (SECRET, "named"), ("", "named"), (None, "named")],
)
def test_an_assignment_is_for_its_principal_value_else_for_its_name(
    principal: Any, ref: str
) -> None:
    inputs = {"appRoleId": "00000000-0000-0000-0000-000000000000"}
    if principal is not None:
        inputs["principalObjectId"] = principal
    s = step("create", ASSIGNMENT_TYPE, f"{MAIL}-assign-user-named", new=inputs)
    (assignment,) = diff([s]).assignments
    assert assignment.principal == Target("user", ref)


# --- what the states hold ------------------------------------------------------------------------


def test_the_type_comes_from_the_state_else_from_the_urn() -> None:
    s = copy.deepcopy(CREATE)
    del s["newState"]["type"]
    assert [g.target for g in diff([s]).grants] == [Target("user", ADELE)]
    bare = {"op": "create", "urn": CREATE["urn"]}
    (grant,) = diff([bare]).grants
    assert (grant.old, grant.new, grant.target) == (None, None, Target("user", ADELE))
    other = copy.deepcopy(CREATE)
    other["newState"]["type"] = "random:index/pet:Pet"
    found = diff([other])
    assert found.grants == [] and [c.kind for c in found.unmapped] == ["random:index/pet:Pet"]


def test_names_from_stack_outputs_and_assignment_outputs_in_either_state() -> None:
    outputs = {"users": {ADELE.upper(): "adele@contoso.com", LEE: SECRET, "x": 5}}
    old_only = stack_step("dev", outputs)
    new_only = copy.deepcopy(old_only)
    new_only["newState"]["outputs"] = new_only["oldState"].pop("outputs")
    for s in (old_only, new_only):
        assert diff([s]).upns == {ADELE: "adele@contoso.com"}

    imported = assignment_step("dev", MAIL, ADELE, "create")
    imported["op"] = "import"
    imported["newState"]["outputs"] = {
        "principalObjectId": ADELE.upper(),
        "principalType": "Group",
        "principalDisplayName": "Jira Users",
    }
    assert diff([imported]).users == {ADELE: "Jira Users"}
    for display in (SECRET, "", 5):
        imported["newState"]["outputs"]["principalDisplayName"] = display
        assert diff([imported]).users == {}


def test_diagnostics_lose_their_prefix_and_spaces() -> None:
    found = diff(
        [],
        diagnostics=[
            {"message": "  error: boom \n", "severity": "error"},
            {"message": "warning:  careful\n", "severity": "warning"},
            {"message": "chatter", "severity": "info"},
        ],
    )
    assert found.diagnostics == [("error", "boom"), ("warning", "careful")]


def test_changes_are_sorted_whatever_the_order_of_the_steps() -> None:
    steps = [
        step(
            "delete",
            SERVICE_PRINCIPAL_TYPE,
            "m365-jira-todo-sp",
            old={},
            component="m365-jira-todo",
        ),
        step("delete", SERVICE_PRINCIPAL_TYPE, f"{MAIL}-sp", old={}),
        step("create", "random:index/pet:Pet", "b", new={}, component=None),
        step("create", GRANT_TYPE, "z-grant", new={}, component=None),
        step("create", "random:index/pet:Pet", "a", new={}, component=None),
    ]
    found = diff(steps)
    assert [c.app for c in found.service_principals] == [MAIL, "m365-jira-todo"]
    assert [(c.kind, c.name) for c in found.unmapped] == [
        ("grant", "z-grant"),
        ("random:index/pet:Pet", "a"),
        ("random:index/pet:Pet", "b"),
    ]


def test_a_violation_on_any_changing_resource_names_its_app() -> None:
    assign = assignment_step("dev", "m365-jira-todo", ADELE, "create")
    sp = step(
        "delete", SERVICE_PRINCIPAL_TYPE, "m365-jira-todo-sp", old={}, component="m365-jira-todo"
    )
    renamed_sp = step(
        "delete", SERVICE_PRINCIPAL_TYPE, "m365-jira-todo-sp", old={}, component="m365-jira-todo"
    )
    events = [
        PolicyEvent(resource_urn=assign["urn"], message="a"),
        PolicyEvent(resource_urn=sp["urn"], message="s"),
    ]
    found = diff([assign, sp], events)
    assert [v.app for v in found.violations] == ["m365-jira-todo", "m365-jira-todo"]
    assert renamed_sp["urn"] == sp["urn"]


# --- resources the catalogue does not name ------------------------------------------------------


def test_an_unmapped_grant_reads_its_properties() -> None:
    s = step(
        "update",
        GRANT_TYPE,
        "by-hand",
        old={"claimValues": ["openid"], "servicePrincipalObjectId": SECRET},
        new={"claimValues": ["openid", "email"], "servicePrincipalObjectId": SECRET},
        component=None,
    )
    s["newState"]["inputs"] = {"claimValues": ["openid", "email"]}  # the user only in outputs
    s["newState"]["outputs"]["userObjectId"] = ADELE.upper()
    (c,) = diff([s]).unmapped
    assert (c.kind, c.action, c.component, c.target) == (
        "grant",
        "update",
        None,
        Target("user", ADELE),
    )
    assert (c.client, c.api) == ("[secret]", None)
    assert c.added == {"email"}
    masked = copy.deepcopy(s)
    masked["newState"]["outputs"]["userObjectId"] = SECRET
    (c,) = diff([masked]).unmapped
    assert c.target == UNKNOWN_TARGET


@pytest.mark.parametrize(
    ("outputs", "kinds", "target"),
    [
        (
            {"principalObjectId": ADELE.upper(), "principalType": "Group"},
            {},
            Target("group", ADELE),
        ),
        ({"principalObjectId": ADELE, "principalType": "User"}, {}, Target("user", ADELE)),
        (
            {"principalObjectId": ADELE, "principalType": "ServicePrincipal"},
            {},
            Target("user", ADELE),
        ),
        ({"principalObjectId": ADELE}, {}, Target("user", ADELE)),
        ({}, {}, Target("user", "")),
    ],
)
def test_an_unmapped_assignment_reads_its_principal(
    outputs: dict[str, Any], kinds: dict[str, str], target: Target
) -> None:
    s = step("delete", ASSIGNMENT_TYPE, "by-hand", old={"appRoleId": "r"}, component=None)
    s["oldState"]["outputs"].update(outputs)
    (c,) = diff([s]).unmapped
    assert (c.kind, c.target, c.app_role_id, c.revokes) == ("assignment", target, "r", True)


@pytest.mark.parametrize("ptype", ["Group", "GROUP", "group"])
def test_a_principal_type_only_in_the_inputs_still_says_group(ptype: str) -> None:
    s = step(
        "create",
        ASSIGNMENT_TYPE,
        "by-hand",
        new={"principalObjectId": ADELE, "principalType": ptype},
        component=None,
    )
    s["newState"]["outputs"] = {}
    (c,) = diff([s]).unmapped
    assert c.target == Target("group", ADELE)


def test_an_assignment_of_a_group_the_preview_knows_is_a_group() -> None:
    known = assignment_step("dev", MAIL, ADELE, "delete")
    known["oldState"]["outputs"]["principalType"] = "Group"
    by_hand = step(
        "delete", ASSIGNMENT_TYPE, "by-hand", old={"principalObjectId": ADELE}, component=None
    )
    found = diff([known, by_hand])
    (c,) = found.unmapped
    assert c.target == Target("group", ADELE)


def test_a_service_principal_it_cannot_map_says_what_changes() -> None:
    old = {"notes": "a", "tags": ["x"], "featureTags": [{"hide": False}], "same": 1}
    new = {
        "notes": "b",
        "tags": ["x", "HideApp"],
        "featureTags": [{"hide": True}],
        "same": 1,
        "added": 2,
    }
    plain = step("update", SERVICE_PRINCIPAL_TYPE, "by-hand", old=old, new=new, component=None)
    (c,) = diff([plain]).unmapped
    assert [p.name for p in c.properties] == ["added", "featureTags", "notes", "tags"]
    assert c.properties[0] == PropertyChange("added", None, 2)
    reasons = copy.deepcopy(plain)
    reasons["diffReasons"] = ["notes"]
    reasons["replaceReasons"] = ["clientId"]
    reasons["detailedDiff"] = {
        "tags[1]": {"kind": "add"},
        "featureTags[0].hide": {"kind": "update"},
    }
    (c,) = diff([reasons]).unmapped
    assert [p.name for p in c.properties] == ["clientId", "featureTags", "notes", "tags"]
    assert c.action == "update"


@pytest.mark.parametrize(
    ("old_retained", "new_retained"), [(True, False), (False, True), (True, True)]
)
def test_retain_on_delete_from_either_state(old_retained: bool, new_retained: bool) -> None:
    s = step(
        "update", SERVICE_PRINCIPAL_TYPE, "by-hand", old={"n": 1}, new={"n": 2}, component=None
    )
    s["oldState"]["retainOnDelete"] = old_retained
    s["newState"]["retainOnDelete"] = new_retained
    (c,) = diff([s]).unmapped
    assert c.retained
    s["oldState"]["retainOnDelete"] = s["newState"]["retainOnDelete"] = False
    (c,) = diff([s]).unmapped
    assert not c.retained


@pytest.mark.parametrize("op", ["create", "import", "delete"])
def test_an_unmapped_resource_created_imported_or_deleted_lists_no_properties(op: str) -> None:
    old, new = ({"n": 1}, None) if op == "delete" else (None, {"n": 2})
    s = step(op, "random:index/pet:Pet", "p", old=old, new=new, component=None)
    s["diffReasons"] = ["n"]
    (c,) = diff([s]).unmapped
    assert c.properties == ()
    # an update says which properties change
    s = step("update", "random:index/pet:Pet", "p", old={"n": 1}, new={"n": 2}, component=None)
    (c,) = diff([s]).unmapped
    assert c.properties == (PropertyChange("n", 1, 2),)


def test_an_unmapped_grant_without_states_has_no_scopes() -> None:
    (c,) = diff([{"op": "create", "urn": urn(GRANT_TYPE, "by-hand", None)}]).unmapped
    assert (c.kind, c.old, c.new, c.target) == ("grant", None, None, TENANT)


def test_a_created_service_principal_shows_its_sign_in_settings() -> None:
    name = f"{MAIL}-sp"
    created = step("create", SERVICE_PRINCIPAL_TYPE, name, new={"appRoleAssignmentRequired": True})
    (sp,) = diff([created]).service_principals
    assert sp.settings == (PropertyChange("appRoleAssignmentRequired", None, True),)
    unset = step("create", SERVICE_PRINCIPAL_TYPE, name, new={"notes": "x"})
    assert diff([unset]).service_principals[0].settings == ()
    updated = step(
        "update",
        SERVICE_PRINCIPAL_TYPE,
        name,
        old={"appRoleAssignmentRequired": False},
        new={"appRoleAssignmentRequired": True},
    )
    (sp,) = diff([updated]).service_principals
    assert sp.settings == ()
    assert sp.properties == (PropertyChange("appRoleAssignmentRequired", False, True),)


# --- a bug the mutants led to ---------------------------------------------------------------------


@pytest.mark.parametrize("new", [SECRET, UNKNOWN, ["openid", UNKNOWN]])
def test_scopes_hidden_in_the_new_state_are_not_revoked(new: Any) -> None:
    s = grant_step("dev", MAIL, ADELE, "update", ["openid", "email"], new)
    (grant,) = diff([s]).grants
    assert grant.hidden
    assert grant.removed == frozenset()
    assert not grant.revokes


def test_an_unknown_user_reads_as_maybe_tenant_wide_never_as_the_placeholder() -> None:
    inputs = {"claimValues": ["Group.ReadWrite.All"], "userObjectId": UNKNOWN}
    s = step("create", GRANT_TYPE, f"{MAIL}-microsoft-graph-user-{ADELE}", new=inputs)
    found = diff([s])
    text = render_markdown(found, CATALOGUE, stack="dev")
    assert "**unknown until apply (may be tenant-wide)**" in text
    assert "**Maybe tenant-wide (user unknown)** for `m365-jira-mail`" in text
    assert UNKNOWN not in text and ADELE not in text


@pytest.mark.parametrize(("new_user", "which"), [(None, "Tenant-wide"), (UNKNOWN, "Maybe")])
def test_a_user_grant_moved_to_everyone_is_a_warning_even_with_the_same_scopes(
    new_user: str | None, which: str
) -> None:
    steps = moved_grant_steps("dev", MAIL, ADELE, LEE, ["Mail.Read"], replacement_steps=False)
    new_inputs = steps[0]["newState"]["inputs"]
    if new_user is None:
        del new_inputs["userObjectId"]
    else:
        new_inputs["userObjectId"] = new_user
    text = render_markdown(diff(steps), CATALOGUE, stack="dev")
    (line,) = [line for line in text.splitlines() if line.startswith(f"- ⚠️ **{which}")]
    assert "now for every user, not just user" in line and "`Mail.Read`" in line
