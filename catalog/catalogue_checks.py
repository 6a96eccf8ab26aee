"""Checks across the catalogue's files that no single file's model can make: features against
the apps and APIs, and previous keys (renames) against the current keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.models import ApiFile
from catalog.problems import Problem, key_path

if TYPE_CHECKING:
    from catalog.catalogue import App, Feature


def previous_key_problems(
    kind: str, entries: dict[str, tuple[str, str, list[str]]]
) -> list[Problem]:
    """A previous key names one renamed entry only, and never a current one."""
    problems = []
    claimed: dict[str, str] = {}
    for key, (file, path, previous) in entries.items():
        for old in previous:
            if old in entries:
                problems.append(
                    Problem(file, path, f"{old!r} is the key of a current {kind} (remove it)")
                )
            elif old in claimed:
                problems.append(
                    Problem(
                        file,
                        path,
                        f"{old!r} is already a previous key of {kind} {claimed[old]!r} (keep one)",
                    )
                )
            else:
                claimed[old] = key
    return problems


def feature_problems(
    feature: Feature, apps: dict[str, App], apis: dict[str, ApiFile]
) -> list[Problem]:
    file, entry = feature.file, feature.entry
    at = f"features.{feature.key}"
    problems: list[Problem] = []
    if entry.app not in apps:
        problems.append(
            Problem(
                file,
                f"{at}.app",
                f"unknown app {entry.app!r} (known: {', '.join(sorted(apps)) or 'none'})",
            )
        )
    if len(set(entry.consent_modes)) != len(entry.consent_modes):
        problems.append(Problem(file, f"{at}.consent_modes", "lists a mode twice (keep one)"))
    if not entry.grants:
        problems.append(
            Problem(file, f"{at}.grants", "no grants (list at least one API with its scopes)")
        )
    for api_key, grant in entry.grants.items():
        where = f"{at}.grants.{api_key}"
        api = apis.get(api_key)
        if api is None:
            problems.append(
                Problem(
                    file,
                    where,
                    f"unknown API {api_key!r} (known: {', '.join(sorted(apis)) or 'none'})",
                )
            )
        if not grant.required and not grant.optional:
            problems.append(
                Problem(
                    file,
                    where,
                    "empty scope lists (list required or optional scopes, or remove the API)",
                )
            )
        for kind, scopes in (("required", grant.required), ("optional", grant.optional)):
            seen: set[str] = set()
            for index, scope in enumerate(scopes):
                path = key_path([where, kind, index])
                if scope in seen:
                    problems.append(Problem(file, path, f"scope {scope!r} listed twice (keep one)"))
                seen.add(scope)
                if api is not None and scope not in api.scopes:
                    problems.append(
                        Problem(
                            file,
                            path,
                            f"scope {scope!r} is not published by {api.display_name} (check the name's spelling and case)",
                        )
                    )
                if kind == "optional" and scope in grant.required:
                    problems.append(
                        Problem(
                            file, path, f"scope {scope!r} is both required and optional (keep one)"
                        )
                    )
    return problems
