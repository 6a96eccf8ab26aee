"""Stack settings checked against the catalogue: every problem at once, none raised."""

from __future__ import annotations

from collections.abc import Callable

from catalog.catalogue import Catalogue
from catalog.guid import is_guid
from catalog.problems import Problem, key_path
from catalog.text import first_hidden
from components.core.settings import NAMESPACE, StackSettings

NOTES_LIMIT = 1024  # the provider's validation of a service principal's notes


def name_problem(value: str) -> str | None:
    """A user or group name that cannot be meant as written: blank, padded with spaces, or
    holding a character nobody sees (zero-width, bidi control, line break). Graph would look
    up exactly these characters and find nothing, or another principal."""
    if not value.strip():
        return "blank name (remove it or write the name)"
    hidden = first_hidden(value)
    if hidden is not None:
        return (
            f"{value!r} holds the invisible character U+{ord(hidden):04X} "
            "(retype the name without it)"
        )
    if value != value.strip():
        return f"{value!r} has spaces at the start or end (remove them)"
    return None


def settings_problems(settings: StackSettings, catalogue: Catalogue, file: str) -> list[Problem]:
    """Checks that need the catalogue: every problem at once, none raised."""
    problems: list[Problem] = []

    def add(path: list[str | int], message: str) -> None:
        problems.append(Problem(file, f"{NAMESPACE}:{key_path(path)}", message))

    if not settings.features:
        add(["features"], "no features enabled (enable at least one feature)")
    for key, fs in settings.features.items():
        at: list[str | int] = ["features", key]
        feature = catalogue.features.get(key)
        if feature is None:
            add(at, f"unknown feature (known: {', '.join(sorted(catalogue.features))})")
            continue
        modes = feature.entry.consent_modes
        if fs.consent == "assigned":
            if "tenant" not in modes:
                add(
                    [*at, "consent"],
                    f"'assigned' is one tenant-wide grant, which {key} does not allow "
                    f"(use {' or '.join(modes)})",
                )
        elif fs.consent != "none" and fs.consent not in modes:
            add(
                [*at, "consent"],
                f"{fs.consent!r} is not allowed for {key} (use {' or '.join(modes)})",
            )
        for list_key, values in (("users", fs.users), ("groups", fs.groups)):
            if values is None:
                continue
            if not values:
                add([*at, list_key], "empty list (remove the key or name at least one)")
            seen: set[str] = set()
            for index, value in enumerate(values):
                written = name_problem(value)
                if written is not None:
                    add([*at, list_key, index], written)
                    continue
                if value.lower() in seen:
                    add([*at, list_key, index], f"{value!r} listed twice (keep one)")
                seen.add(value.lower())
                if (
                    list_key == "groups"
                    and "'" in value
                    and fs.needs_members
                    and not is_guid(value)
                ):
                    add(
                        [*at, list_key, index],
                        f"{value!r}: the azuread provider looks a group up by a Graph filter it "
                        "does not escape, so a name with an apostrophe fails there (name the "
                        "group by its object id)",
                    )
                if list_key == "users" and not (is_guid(value) or "@" in value):
                    add(
                        [*at, list_key, index],
                        f"{value!r} is neither a UPN nor an object id (write user@domain or the object id)",
                    )
        if fs.consent == "principals" and not fs.principals_given:
            add(
                at,
                "consent 'principals' names no users or groups (add users or groups, or use tenant)",
            )
        if fs.consent == "assigned" and not fs.principals_given:
            add(
                at,
                "consent 'assigned' names no users or groups (name the groups whose members may "
                "use the app)",
            )
        if fs.consent == "assigned" and fs.assign is False:
            add(
                [*at, "assign"],
                "consent 'assigned' works through the assignments: with assign false nobody could "
                "sign in (remove assign)",
            )
        if fs.consent == "none" and fs.principals_given:
            add(
                at,
                "users/groups given with consent 'none' have nothing to do (remove them or use principals)",
            )
        if fs.consent == "tenant" and fs.principals_given and fs.assign is False:
            add(
                at,
                "users/groups given with consent 'tenant' and assign false have nothing to do (remove them or set assign true)",
            )
        if (
            fs.consent not in ("principals", "assigned")
            and fs.assign is not None
            and not fs.principals_given
        ):
            add(
                [*at, "assign"],
                "assign without users or groups has nothing to do (remove it or name users/groups)",
            )
        offered = feature.optional_scopes()
        if isinstance(fs.optional_scopes, list):
            if not fs.optional_scopes:
                add([*at, "optional_scopes"], "empty list (remove the key or list scopes)")
            for index, scope in enumerate(fs.optional_scopes):
                if scope not in offered:
                    listed = ", ".join(sorted(offered)) or "none"
                    add(
                        [*at, "optional_scopes", index],
                        f"{scope!r} is not an optional scope of {key} (optional: {listed})",
                    )
        if fs.optional_scopes is not None and fs.consent == "none":
            add(
                [*at, "optional_scopes"],
                "optional scopes with consent 'none' grant nothing (remove them)",
            )
        if fs.optional_scopes == "all" and not offered:
            add([*at, "optional_scopes"], f"{key} has no optional scopes (remove the key)")

    _check_apps(settings, catalogue, add)
    _check_assigned_apps(settings, catalogue, add)
    return problems


def _check_assigned_apps(
    settings: StackSettings, catalogue: Catalogue, add: Callable[[list[str | int], str], None]
) -> None:
    """An app with an `assigned` feature requires assignment, which holds for all its features:
    one consenting every user, or users it does not assign, would leave them unable to sign
    in."""
    assigned: dict[str, str] = {}
    for key in sorted(settings.features):
        feature = catalogue.features.get(key)
        if feature is not None and settings.features[key].consent == "assigned":
            assigned.setdefault(feature.app, key)
    for key in sorted(settings.features):
        fs, feature = settings.features[key], catalogue.features.get(key)
        if feature is None or feature.app not in assigned or fs.consent in ("assigned", "none"):
            continue
        by = assigned[feature.app]
        if fs.consent == "tenant" and not fs.assigns:
            add(
                ["features", key, "consent"],
                f"'tenant' is for every user, but app {feature.app} requires assignment for "
                f"{by} ('assigned'), so only assigned users could sign in (use 'assigned' "
                "with the same groups)",
            )
        elif not fs.assigns:
            add(
                ["features", key, "assign"],
                f"users consented without assignment could not sign in: app {feature.app} "
                f"requires assignment for {by} ('assigned') (remove assign: false)",
            )
    for app, by in sorted(assigned.items()):
        app_settings = settings.app_settings(app)
        if (
            "assignment_required" in app_settings.model_fields_set
            and not app_settings.assignment_required
        ):
            add(
                ["apps", app, "assignment_required"],
                f"{by} uses 'assigned', which requires assignment (remove assignment_required: false)",
            )


def _check_apps(
    settings: StackSettings, catalogue: Catalogue, add: Callable[[list[str | int], str], None]
) -> None:
    enabled_apps = {catalogue.features[k].app for k in settings.features if k in catalogue.features}
    for app, app_settings in settings.apps.items():
        if app not in catalogue.apps:
            add(["apps", app], f"unknown app (known: {', '.join(sorted(catalogue.apps))})")
            continue
        if app not in enabled_apps:
            add(
                ["apps", app],
                "settings for an app none of whose features is enabled (enable a feature or remove them)",
            )
        if app_settings.notes is not None and len(app_settings.notes) > NOTES_LIMIT:
            add(
                ["apps", app, "notes"],
                f"{len(app_settings.notes):,} characters; the azuread provider accepts at most "
                f"{NOTES_LIMIT:,} (shorten it, or link to the approval instead)",
            )
        roles = catalogue.apps[app].entry.app_roles
        if app_settings.app_role is not None and app_settings.app_role not in roles:
            add(
                ["apps", app, "app_role"],
                f"unknown role (the catalogue lists: {', '.join(sorted(roles)) or 'none, so omit it'})",
            )
    # Features sharing an enterprise app must agree on whether each principal is assigned.
    decided: dict[tuple[str, str, str], tuple[str, bool]] = {}
    for key in sorted(settings.features):
        fs = settings.features[key]
        feature = catalogue.features.get(key)
        if feature is None or not fs.principals_given:
            continue
        app = feature.app
        roles = catalogue.apps[app].entry.app_roles if app in catalogue.apps else {}
        if fs.assigns and roles and settings.app_settings(app).app_role is None:
            add(
                ["apps", app, "app_role"],
                f"{app} publishes roles, so assignments need one (choose from: {', '.join(sorted(roles))})",
            )
        for list_key, values in (("users", fs.users or []), ("groups", fs.groups or [])):
            for value in values:
                ident = (app, list_key, value.lower())
                earlier = decided.setdefault(ident, (key, fs.assigns))
                if earlier[1] != fs.assigns:
                    # Point at the `assign: false` that is actually written in the file.
                    assigning, not_assigning = (
                        (earlier[0], key) if earlier[1] else (key, earlier[0])
                    )
                    add(
                        ["features", not_assigning, "assign"],
                        f"{value!r} is assigned by {assigning} but not by {not_assigning}, "
                        f"which share app {app} (give both the same assign)",
                    )
