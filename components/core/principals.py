"""Principals as the tenant knows them, and what to look up. Pure: the invokes live in
`components/lookups.py`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import Literal

from catalog.guid import is_guid
from catalog.problems import Problem, key_path
from components.core.settings import NAMESPACE, StackSettings

# Up to this many users named one way (all by UPN or all by object id), and no groups, users are
# looked up one by one: one Graph request each, however large the tenant. Beyond it, or when
# groups must be split into user and non-user members, one paged list of all users (a request
# per 100 users of the tenant). At the limit both cost the same in a tenant of 10,000 users.
UPN_LOOKUP_LIMIT = 100


@dataclass(frozen=True)
class ResolvedGroup:
    object_id: str
    user_ids: frozenset[str]


@dataclass(frozen=True)
class ResolvedPrincipals:
    """Look-up results: user references (lower-cased) and group references to the tenant's
    objects. References the tenant does not have are absent; `m365_groups` are groups the
    provider could not read for their members because they are Microsoft 365 groups."""

    users: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, ResolvedGroup] = field(default_factory=dict)
    m365_groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class UserLookup:
    mode: Literal["none", "upns", "ids", "all"]
    upns: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


def referenced_users(settings: StackSettings) -> list[str]:
    refs = {u.lower() for fs in settings.features.values() for u in fs.users or []}
    return sorted(refs)


def referenced_groups(settings: StackSettings) -> list[str]:
    return sorted({g for fs in settings.features.values() for g in fs.groups or []})


def member_groups(settings: StackSettings) -> list[str]:
    """Groups whose user members are needed: those of per-user (`principals`) features."""
    return sorted(
        {g for fs in settings.features.values() if fs.needs_members for g in fs.groups or []}
    )


def id_only_groups(settings: StackSettings) -> list[str]:
    """Groups needed only as themselves (assignments): their object ids, no member read."""
    return sorted(set(referenced_groups(settings)) - set(member_groups(settings)))


def user_lookup(settings: StackSettings) -> UserLookup:
    """One `get_users` for the whole stack, whatever its size: by UPN or by object id when the
    stack names at most `UPN_LOOKUP_LIMIT` users, all the same way, and no groups (a request
    per user, independent of the tenant's size); otherwise one `return_all` list. Groups read
    only for their object ids (assignments) need no user list."""
    refs = referenced_users(settings)
    if member_groups(settings) or len(refs) > UPN_LOOKUP_LIMIT:
        return UserLookup("all")
    if not refs:
        return UserLookup("none")
    ids = sum(1 for r in refs if is_guid(r))
    if ids == 0:
        return UserLookup("upns", upns=tuple(refs))
    if ids == len(refs):
        return UserLookup("ids", ids=tuple(refs))
    return UserLookup("all")  # a mix would take two invokes


def index_users(users: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(object id, UPN) pairs -> reference (object id or lower-cased UPN) -> object id."""
    index: dict[str, str] = {}
    for object_id, upn in users:
        index[object_id.lower()] = object_id.lower()
        if upn:
            index[upn.lower()] = object_id.lower()
    return index


def user_members(object_id: str, members: Iterable[str], user_ids: Set[str]) -> ResolvedGroup:
    """A group as looked up (transitive members include groups, devices and service
    principals) reduced to its user members; `user_ids` are lower-case user object ids."""
    lowered = (m.lower() for m in members)
    return ResolvedGroup(object_id.lower(), frozenset(m for m in lowered if m in user_ids))


def missing_principal_problems(
    settings: StackSettings, principals: ResolvedPrincipals, file: str
) -> list[Problem]:
    problems = []
    if settings.missing_principals == "skip":
        hint = f"skipped, as {NAMESPACE}:missing_principals is skip"
    else:
        hint = f"fix or remove it, or set {NAMESPACE}:missing_principals: skip"
    for key in sorted(settings.features):
        fs = settings.features[key]
        for list_key, values, known in (
            ("users", fs.users or [], principals.users),
            ("groups", fs.groups or [], principals.groups),
        ):
            for index, value in enumerate(values):
                ref = value.lower() if list_key == "users" else value
                if ref not in known and not (
                    list_key == "groups" and ref in principals.m365_groups
                ):
                    kind = "user" if list_key == "users" else "group"
                    path = key_path([f"{NAMESPACE}:features", key, list_key, index])
                    problems.append(
                        Problem(file, path, f"{kind} {value!r} not found in the tenant ({hint})")
                    )
    return problems


def m365_group_problems(
    settings: StackSettings, principals: ResolvedPrincipals, file: str
) -> list[Problem]:
    """Microsoft 365 groups under per-user features: the azuread provider reads a group's
    members with `get_group`, which for a Microsoft 365 group also asks Graph for Exchange
    settings that app-only credentials may not read (403), so no CI run could resolve them.
    Not skippable: the group exists, so `missing_principals: skip` does not apply."""
    problems = []
    for key in sorted(settings.features):
        fs = settings.features[key]
        if not fs.needs_members:
            continue
        for index, value in enumerate(fs.groups or []):
            if value in principals.m365_groups:
                path = key_path([f"{NAMESPACE}:features", key, "groups", index])
                problems.append(
                    Problem(
                        file,
                        path,
                        f"group {value!r} is a Microsoft 365 group: per-user consent reads its "
                        "members with the azuread provider's get_group, which also asks for its "
                        "Exchange settings, and Graph refuses those to app-only credentials (403) "
                        f"(use consent: assigned for {key}, which reads the group without them, "
                        "or name a security group)",
                    )
                )
    return problems
