"""How each change of a consent diff reads, function by function, for every case the digests of
test_render*.py do not hold: scope labels by privilege, principals by what the preview knows,
each action of grants, assignments and service principals, sign-in settings in each direction,
resources the catalogue does not name, and the small models underneath. Each test here kills
mutants of the consent diff's modules that survived the render tests (`make mutate`)."""

from __future__ import annotations

import dataclasses
from typing import Any, get_args

import pytest

from catalog.catalogue import Catalogue, load_catalogue
from catalog.models import ApiScope
from components.core.target import TENANT, Target
from previews.markdown import Group
from previews.render.consent_changes import (
    ACTIONS,
    Action,
    AssignmentChange,
    ConsentDiff,
    GrantChange,
    PropertyChange,
    Scopes,
    ServicePrincipalChange,
    UnmappedChange,
    Violation,
    removed,
)
from previews.render.digest import SECRET, UNKNOWN
from previews.render.render_changes import (
    Style,
    _grant_effect,
    app_section,
    assignment_effect,
    flagged,
    principal,
    property_change,
    scopes,
    shown,
    sp_effect,
)
from previews.render.render_unmapped import unmapped_line
from tests.previews.conftest import REPO

GRAPH = "microsoft-graph"
USER = "a1a1a1a1-0000-4000-8000-000000000001"
GROUP = "b2b2b2b2-0000-4000-8000-000000000002"
SHIPPED = load_catalogue(REPO / "catalog")


def with_scopes(catalogue: Catalogue, **levels: tuple[bool, int | None]) -> Catalogue:
    """Microsoft Graph with extra scopes: name -> (admin consent required, privilege level)."""
    graph = catalogue.apis[GRAPH]
    extra = {
        name.replace("_", "."): ApiScope.model_validate(
            {
                "id": f"c0c0c0c0-0000-4000-8000-{i:012d}",
                "admin_consent_required": admin,
                "privilege_level": level,
            }
        )
        for i, (name, (admin, level)) in enumerate(levels.items())
    }
    api = graph.model_copy(update={"scopes": {**graph.scopes, **extra}})
    return dataclasses.replace(catalogue, apis={**catalogue.apis, GRAPH: api})


CATALOGUE = with_scopes(
    SHIPPED,
    Test_Level5=(False, 5),
    Test_Level4=(False, 4),
    Test_Level3=(False, 3),
    Test_Admin=(True, None),
    Test_Unrated=(False, None),
)


def style(names: dict[str, str] | None = None, upns: dict[str, str] | None = None) -> Style:
    return Style(CATALOGUE, names or {}, upns or {})


# --- scopes and principals -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "scope", "is_flagged", "label"),
    [
        (GRAPH, "Test.Level5", True, "`Test.Level5` (privilege 5)"),
        (GRAPH, "Test.Level4", True, "`Test.Level4` (privilege 4)"),
        (GRAPH, "Test.Level3", False, "`Test.Level3`"),
        (GRAPH, "Test.Admin", True, "`Test.Admin` (admin consent)"),
        (GRAPH, "Test.Unrated", False, "`Test.Unrated`"),
        (GRAPH, "Group.ReadWrite.All", True, "`Group.ReadWrite.All` (admin consent, privilege 4)"),
        (GRAPH, "Made.Up", False, "`Made.Up` (not in the catalogue)"),
        ("not-an-api", "Test.Level5", False, "`Test.Level5` (not in the catalogue)"),
    ],
)
def test_scopes_are_labelled_by_what_the_catalogue_says(
    api: str, scope: str, is_flagged: bool, label: str
) -> None:
    s = style()
    assert flagged(s, api, scope) is is_flagged
    assert scopes(s, api, [scope]) == label
    assert scopes(s, api, [scope]) == label  # the second time from the cache
    assert s.scope_labels[(api, scope)] == label


def test_no_scopes_read_as_none() -> None:
    assert scopes(style(), GRAPH, []) == "none"
    assert scopes(style(), GRAPH, ["openid", "email"]) == "`email`, `openid`"


@pytest.mark.parametrize(
    ("target", "names", "upns", "expected"),
    [
        (TENANT, {}, {}, "**tenant-wide** (all users)"),
        (Target("user", USER), {}, {}, f"user `{USER}`"),
        (Target("user", USER), {USER: "Adele"}, {}, f"user `Adele` (`{USER}`)"),
        (Target("user", USER), {}, {USER: "adele@x"}, f"user `adele@x` (`{USER}`)"),
        (
            Target("user", USER),
            {USER: "Adele"},
            {USER: "adele@x"},
            f"user `Adele` `adele@x` (`{USER}`)",
        ),
        (Target("user", USER), {USER: "same"}, {USER: "same"}, f"user `same` (`{USER}`)"),
        (Target("user", USER), {USER: ""}, {USER: "adele@x"}, f"user `adele@x` (`{USER}`)"),
        (Target("group", GROUP), {GROUP: "Jira Users"}, {}, f"group `Jira Users` (`{GROUP}`)"),
    ],
)
def test_a_principal_reads_as_far_as_the_preview_knows_it(
    target: Target, names: dict[str, str], upns: dict[str, str], expected: str
) -> None:
    assert principal(style(names, upns), target) == expected


# --- grants ------------------------------------------------------------------------------------


def change(action: Action, old: Any = None, new: Any = None, **more: Any) -> GrantChange:
    return GrantChange(
        app="m365-jira-mail",
        api=GRAPH,
        action=action,
        target=more.pop("target", Target("user", USER)),
        old=None if old is None else Scopes.of(old),
        new=None if new is None else Scopes.of(new),
        **more,
    )


@pytest.mark.parametrize(
    ("grant", "expected"),
    [
        (change("create", None, ["openid"]), "new grant: adds `openid`"),
        (change("create", None, []), "new grant"),
        (
            change("create", None, SECRET),
            "new grant: scopes not shown (secret or unknown); changed: `claimValues`",
        ),
        (
            change("update", SECRET, SECRET, changed_properties=("claimValues",)),
            "scopes not shown (secret or unknown); changed: `claimValues`",
        ),
        (change("update", ["openid"], ["email"]), "adds `email`; ⛔ removes `openid`"),
        (change("update", ["openid"], ["openid"]), "changed: properties"),
        (
            change("update", ["openid"], ["openid"], changed_properties=("userObjectId",)),
            "changed: `userObjectId`",
        ),
        (
            change("import", None, ["openid"]),
            "adopted into the stack (already in the tenant, unchanged): `openid`",
        ),
        (
            change("import", None, []),
            "adopted into the stack (already in the tenant, unchanged): scopes",
        ),
        (
            change("import", None, SECRET),
            "adopted into the stack (already in the tenant, unchanged): scopes",
        ),
        (change("delete", ["openid"], None), "⛔ **grant revoked**: `openid`"),
        (change("delete", SECRET, None), "⛔ **grant revoked**: scopes not shown"),
        (
            change("replace", ["openid"], ["openid"]),
            "grant re-created (replaced: replacement): same scopes",
        ),
        (
            change(
                "replace",
                ["openid"],
                ["email"],
                changed_properties=("resourceServicePrincipalObjectId",),
            ),
            "grant re-created (replaced: `resourceServicePrincipalObjectId`): adds `email`; ⛔ removes `openid`",
        ),
        (
            change("replace", ["openid"], ["openid"], old_target=Target("user", GROUP)),
            f"⛔ takes over the grant of user `{GROUP}` (replaced: replacement): `openid`",
        ),
        (
            change("replace", SECRET, SECRET, old_target=Target("user", GROUP)),
            f"⛔ takes over the grant of user `{GROUP}` (replaced: replacement): scopes; scopes not "
            "shown (secret or unknown); changed: `claimValues`",
        ),
        (
            change("replace", ["openid"], ["email"], old_target=Target("user", GROUP)),
            f"⛔ takes over the grant of user `{GROUP}` (replaced: replacement): `email`; adds "
            "`email`; ⛔ removes `openid`",
        ),
    ],
)
def test_each_grant_change_reads_as_what_it_does(grant: GrantChange, expected: str) -> None:
    assert _grant_effect(style(), grant) == expected


@pytest.mark.parametrize("hidden", [SECRET, ["openid", UNKNOWN]])
def test_known_scopes_that_become_hidden_are_not_shown_as_removed(hidden: Any) -> None:
    grant = change("update", ["openid", "email"], hidden, changed_properties=("claimValues",))
    assert _grant_effect(style(), grant) == (
        "scopes not shown (secret or unknown); changed: `claimValues`"
    )
    assert not grant.revokes


def test_scopes_that_were_secret_read_as_added() -> None:
    """Conservative: a reviewer sees every scope the grant has now."""
    grant = change("update", SECRET, ["openid", "email"], changed_properties=("claimValues",))
    assert grant.added == {"openid", "email"} and grant.removed == frozenset()
    assert _grant_effect(style(), grant) == "adds `email`, `openid`"
    assert not grant.revokes


def test_grant_models() -> None:
    assert Scopes.of(None) == Scopes() and not Scopes.of(None).hidden
    assert Scopes.of("text").hidden and Scopes.of(["a", UNKNOWN]).hidden
    assert Scopes.of(["a", 1]).values == {"a", "1"}
    deleted = change("delete", ["openid"], ["openid"])
    assert deleted.removed == {"openid"} and deleted.revokes
    assert change("delete", [], None).revokes  # a deleted grant revokes, scopes or not
    assert change("replace", [], [], old_target=TENANT).revokes
    assert not change("update", ["openid"], ["openid", "email"]).revokes
    assert change("import", ["openid"], ["openid", "email"]).added == frozenset()
    assert removed(None, Scopes.of(["x"]), "delete") == frozenset()
    assert set(ACTIONS) == set(get_args(Action))


def test_an_app_section_groups_users_and_lists_the_rest() -> None:
    s = style({USER: "Adele"})
    diff = ConsentDiff(
        grants=[
            change("create", None, ["openid"], target=TENANT),
            change("create", None, ["openid"]),
            change("create", None, ["openid"], target=Target("user", GROUP)),
            change("replace", ["openid"], ["openid"], old_target=Target("user", GROUP)),
        ],
        assignments=[
            AssignmentChange("m365-jira-mail", "create", Target("group", GROUP), ""),
            AssignmentChange("m365-jira-mail", "create", Target("user", USER), ""),
            AssignmentChange("m365-jira-todo", "create", Target("user", USER), ""),
        ],
        service_principals=[
            ServicePrincipalChange("m365-jira-mail", "import", (), False),
            ServicePrincipalChange("m365-jira-todo", "delete", (), False),
        ],
    )
    lines = app_section(diff, "m365-jira-mail", s)
    plain = [line for line in lines if isinstance(line, str)]
    groups = [(g.effect, g.targets) for g in lines if isinstance(g, Group)]
    assert plain == [
        "### `m365-jira-mail`: `Microsoft 365 for Jira (Email, Meetings, Calendar)`",
        "",
        "- service principal: adopted into the stack (already in the tenant)",
        "",
        "**`Microsoft Graph`** (`microsoft-graph`)",
        "",
        "- **tenant-wide** (all users): new grant: adds `openid`",
        f"- user `Adele` (`{USER}`): ⛔ takes over the grant of user `{GROUP}` (replaced: "
        "replacement): `openid`",
        "",
        "**Assignments**",
        "",
        f"- group `{GROUP}`: assigned",
        "",
    ]
    assert groups == [
        ("new grant: adds `openid`", [Target("user", USER), Target("user", GROUP)]),
        ("assigned", [Target("user", USER)]),
    ]


# --- assignments, values, service principals --------------------------------------------------


@pytest.mark.parametrize(
    ("action", "role", "expected"),
    [
        ("create", "", "assigned"),
        (
            "import",
            "00000000-0000-0000-0000-000000000000",
            "adopted into the stack (already assigned) (default role)",
        ),
        ("update", USER, f"assignment updated (role `{USER}`)"),
        ("replace", "", "assignment re-created"),
        ("delete", "", "⛔ **assignment removed**"),
    ],
)
def test_each_assignment_change(action: Action, role: str, expected: str) -> None:
    assert assignment_effect(AssignmentChange("a", action, Target("user", USER), role)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "(none)"),
        (SECRET, "(secret)"),
        (UNKNOWN, "(known after apply)"),
        ("text", "`text`"),
        (True, "`true`"),
        ({"b": 1, "a": [2]}, '`{"a": [2], "b": 1}`'),
    ],
)
def test_a_value_is_shown_as_the_preview_knows_it(value: Any, expected: str) -> None:
    assert shown(value) == expected


ARAR = "appRoleAssignmentRequired"


@pytest.mark.parametrize(
    ("name", "old", "new", "meaning"),
    [
        (ARAR, False, True, "sign-in restricted to assigned users"),
        (ARAR, None, True, "sign-in restricted to assigned users"),
        (ARAR, True, True, ""),
        (ARAR, True, False, "⚠️ sign-in opened to every user"),
        (ARAR, None, False, "⚠️ sign-in opened to every user"),
        (ARAR, False, False, ""),
        (ARAR, False, UNKNOWN, ""),
        ("accountEnabled", False, True, "⚠️ sign-in enabled"),
        ("accountEnabled", True, False, "⛔ sign-in disabled for every user"),
        ("accountEnabled", True, True, ""),
        ("accountEnabled", None, "yes", ""),
        ("tags", ["a"], ["a", "HideApp"], "hidden from users' app lists"),
        ("tags", None, ["HideApp"], "hidden from users' app lists"),
        ("tags", ["HideApp"], [], "shown in users' app lists"),
        ("tags", ["a"], ["b"], ""),
        ("tags", "HideApp", ["HideApp"], ""),
        ("tags", [], "HideApp", ""),
        ("featureTags", [{"hide": False}], [{"hide": True}], "hidden from users' app lists"),
        ("featureTags", [], [{"hide": True}], "hidden from users' app lists"),
        ("featureTags", [{"hide": True}], [{"hide": False}], "shown in users' app lists"),
        ("featureTags", [{"hide": True}, {}], [{"hide": False}], "shown in users' app lists"),
        ("featureTags", [{"hide": True}], [{"hide": True}], ""),
        ("featureTags", [{"hide": False}], [{"hide": True}, {"hide": True}], ""),
        ("featureTags", [{"hide": False}], ["hide"], ""),
        ("featureTags", ["x"], [{"hide": True}], ""),
        ("featureTags", [{"hide": False}], [{"hide": "yes"}], ""),
        ("featureTags", [{"hide": False}], [{"hidden": True}], ""),
        ("featureTags", None, {"hide": True}, ""),
        ("notes", "a", "b", ""),
    ],
)
def test_a_property_change_says_what_it_means(name: str, old: Any, new: Any, meaning: str) -> None:
    detail = f"`{name}`: {shown(old)} → {shown(new)}"
    expected = f"{meaning} ({detail})" if meaning else detail
    assert property_change(PropertyChange(name, old, new)) == expected


def sp(
    action: Action, *changed: str, retained: bool = False, **more: Any
) -> ServicePrincipalChange:
    return ServicePrincipalChange("m365-jira-mail", action, tuple(changed), retained, **more)


CREATED = "created (or adopted, when the app is already in the tenant)"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (sp("create"), CREATED),
        (
            sp("create", settings=(PropertyChange(ARAR, None, True),)),
            f"{CREATED}: sign-in restricted to assigned users (`{ARAR}`: `true`)",
        ),
        (
            sp(
                "create",
                settings=(
                    PropertyChange(ARAR, None, False),
                    PropertyChange("accountEnabled", None, False),
                ),
            ),
            f"{CREATED}: ⚠️ sign-in open to every user (`{ARAR}`: `false`); sign-in disabled "
            "(`accountEnabled`: `false`)",
        ),
        (
            sp("create", settings=(PropertyChange("accountEnabled", None, True),)),
            f"{CREATED}: `accountEnabled`: `true`",
        ),
        (
            sp("create", settings=(PropertyChange(ARAR, None, UNKNOWN),)),
            f"{CREATED}: `{ARAR}`: (known after apply)",
        ),
        (sp("import"), "adopted into the stack (already in the tenant)"),
        (sp("delete"), "⛔ **deleted from the tenant**"),
        (
            sp("delete", retained=True),
            "removed from the stack; kept in the tenant (retain on delete)",
        ),
        (sp("update"), "updated: properties"),
        (sp("update", "notes", "tags"), "updated: `notes`, `tags`"),
        (
            sp("update", "notes", properties=(PropertyChange("notes", None, "x"),)),
            "updated: `notes`: (none) → `x`",
        ),
        (sp("replace", "clientId"), "re-created: `clientId`"),
    ],
)
def test_each_service_principal_change(change: ServicePrincipalChange, expected: str) -> None:
    assert sp_effect(change) == expected


# --- what the catalogue does not name ---------------------------------------------------------


def unmapped(kind: str, action: Action, **more: Any) -> UnmappedChange:
    return UnmappedChange(
        urn=f"urn:{kind}", name="x", kind=kind, action=action, component=None, **more
    )


@pytest.mark.parametrize(
    ("c", "expected"),
    [
        (
            unmapped("grant", "create", target=Target("user", USER), new=Scopes.of(SECRET)),
            f"- grant `x` (outside any app component; client (none), API (none)) for user `{USER}`: "
            "new grant: scopes not shown (secret or unknown)",
        ),
        (
            unmapped("grant", "update", target=TENANT, old=Scopes.of(SECRET), new=Scopes.of(["a"])),
            "- ⚠️ grant `x` (outside any app component; client (none), API (none)) for "
            "**tenant-wide** (all users): grant updated: adds `a`",
        ),
        (
            unmapped("grant", "update", target=TENANT, old=Scopes.of(["a"]), new=Scopes.of(["a"])),
            "- grant `x` (outside any app component; client (none), API (none)) for "
            "**tenant-wide** (all users): grant updated",
        ),
        (
            unmapped(
                "grant", "replace", old=Scopes.of(["a", "b"]), new=Scopes.of(["a"]), client="c"
            ),
            "- ⛔ grant `x` (outside any app component; client `c`, API (none)) for target "
            "unknown: grant re-created: ⛔ removes `b`",
        ),
        (
            unmapped("grant", "delete", target=TENANT, old=Scopes.of(["a"])),
            "- ⛔ grant `x` (outside any app component; client (none), API (none)) for "
            "**tenant-wide** (all users): **grant revoked**: `a`",
        ),
        (
            unmapped("grant", "delete", target=TENANT, old=Scopes.of(SECRET)),
            "- ⛔ grant `x` (outside any app component; client (none), API (none)) for "
            "**tenant-wide** (all users): **grant revoked**: scopes not shown (secret or unknown)",
        ),
        (
            unmapped("grant", "delete", target=TENANT),
            "- ⛔ grant `x` (outside any app component; client (none), API (none)) for "
            "**tenant-wide** (all users): **grant revoked**: scopes not shown",
        ),
        (
            unmapped("grant", "import", target=TENANT, new=Scopes.of(["b", "a"])),
            "- grant `x` (outside any app component; client (none), API (none)) for "
            "**tenant-wide** (all users): adopted into the stack: `a`, `b`",
        ),
        (
            unmapped("grant", "import", target=TENANT),
            "- grant `x` (outside any app component; client (none), API (none)) for "
            "**tenant-wide** (all users): adopted into the stack: none",
        ),
        (
            unmapped("assignment", "delete", target=Target("group", GROUP), api="app-sp"),
            f"- ⛔ assignment `x` (outside any app component; app `app-sp`) of group `{GROUP}`: "
            "**assignment removed**",
        ),
        (
            unmapped("assignment", "create", app_role_id="00000000-0000-0000-0000-000000000000"),
            "- assignment `x` (outside any app component; app (none)) of principal unknown: "
            "assigned (default role)",
        ),
        (
            unmapped("service principal", "delete", retained=True),
            "- ⛔ service principal `x` (outside any app component): **deleted** from the stack; "
            "kept in the tenant (retain on delete)",
        ),
        (
            UnmappedChange("urn:x", "x", "random:index/pet:Pet", "delete", "comp"),
            "- ⛔ resource of type `random:index/pet:Pet` `x` (under component `comp`): **deleted**",
        ),
        (
            unmapped("t", "create"),
            "- resource of type `t` `x` (outside any app component): created",
        ),
        (
            unmapped("t", "import"),
            "- resource of type `t` `x` (outside any app component): imported",
        ),
        (
            unmapped("t", "update"),
            "- resource of type `t` `x` (outside any app component): updated",
        ),
        (
            unmapped("t", "replace"),
            "- resource of type `t` `x` (outside any app component): replaced",
        ),
        (
            unmapped("t", "update", properties=(PropertyChange("a", 1, 2),)),
            "- resource of type `t` `x` (outside any app component): update: `a`: `1` → `2`",
        ),
    ],
)
def test_each_unmapped_change(c: UnmappedChange, expected: str) -> None:
    assert unmapped_line(style(), c) == expected


def test_unmapped_models() -> None:
    grant = unmapped("grant", "create")
    assert grant.consent and unmapped("assignment", "create").consent
    assert unmapped("service principal", "create").consent
    assert not unmapped("random:index/pet:Pet", "create").consent
    assert grant.retained is False
    assert unmapped("t", "delete").revokes
    assert not unmapped("grant", "import", old=Scopes.of(["a"]), new=Scopes.of(["b"])).added


# --- the diff's own small parts -------------------------------------------------------------


def test_diff_defaults_and_totals() -> None:
    diff = ConsentDiff()
    assert diff.policy_checked is False and diff.empty
    diff.diagnostics += [("warning", "w"), ("error", "e1"), ("error", "e2")]
    assert diff.errors == ["e1", "e2"] and diff.failed
    diff.violations += [
        Violation("p", "k", level, "m", None, None)
        for level in ("mandatory", "Remediate", "advisory", "disabled")
    ]
    assert diff.mandatory == 2
