"""What a consent diff holds: grant, assignment and service principal changes mapped to the
catalogue; consent resources it cannot map; steps it does not understand; policy violations and
the preview's diagnostics. Built by previews/render/consent_diff.py, rendered by
previews/render/render_markdown.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from components.core.naming import split_urn
from components.core.target import Target
from previews.render.digest import SECRET, UNKNOWN

# import: a resource the tenant already has, adopted into the stack (no change in the tenant).
Action = Literal["create", "import", "update", "replace", "delete"]
ACTIONS: tuple[Action, ...] = ("create", "import", "update", "replace", "delete")


@dataclass(frozen=True)
class Scopes:
    """Scopes of one grant state: known, hidden as a secret, or not known until apply."""

    values: frozenset[str] = frozenset()
    hidden: bool = False

    @classmethod
    def of(cls, value: Any) -> Scopes:
        if value is None:
            return cls()
        # Masked (SECRET) or not known until apply (UNKNOWN): the whole value or one element.
        if not isinstance(value, list) or SECRET in value or UNKNOWN in value:
            return cls(hidden=True)
        return cls(frozenset(str(v) for v in value))


def added(old: Scopes | None, new: Scopes | None) -> frozenset[str]:
    """Scopes that were hidden before (a secret) count as added: a reviewer then sees every
    scope the grant has now, and a tenant-wide one is flagged (over-warning, never under)."""
    if new is None:
        return frozenset()
    return new.values - (old.values if old else frozenset())


def hidden(old: Scopes | None, new: Scopes | None) -> bool:
    """Scopes are a secret or not known until apply on either side of the change."""
    return bool((old and old.hidden) or (new and new.hidden))


def removed(old: Scopes | None, new: Scopes | None, action: Action) -> frozenset[str]:
    if old is None:
        return frozenset()
    if action == "delete":
        return old.values
    if new is not None and new.hidden:
        # A secret, or not known until apply: which scopes go cannot be told, so none are
        # claimed (a false revocation would teach reviewers to ignore the mark); the change
        # renders as "scopes not shown".
        return frozenset()
    return old.values - (new.values if new else frozenset())


@dataclass(frozen=True)
class GrantChange:
    app: str
    api: str
    action: Action
    target: Target  # after the change (before it, for a delete)
    old: Scopes | None
    new: Scopes | None
    old_target: Target | None = None  # a replace that moves the grant to another user
    changed_properties: tuple[str, ...] = ()
    urn: str = ""
    retained: bool = False  # a delete with retain_on_delete: it stays in the tenant
    in_tenant: Scopes | None = None  # an import: the scopes the tenant holds (its outputs)

    @property
    def added(self) -> frozenset[str]:
        return frozenset() if self.action == "import" else added(self.old, self.new)

    @property
    def removed(self) -> frozenset[str]:
        if self.retained and self.action == "delete":
            return frozenset()  # nobody loses access: the grant stays
        return removed(self.old, self.new, self.action)

    @property
    def revokes(self) -> bool:
        """Someone loses access: a deleted grant (unless retained), removed scopes, or a grant
        moved away."""
        deleted = self.action == "delete" and not self.retained
        return deleted or bool(self.removed) or self.old_target is not None

    @property
    def imported_differs(self) -> bool:
        """An import whose tenant scopes are not the ones the stack declares."""
        if self.action != "import" or self.in_tenant is None or self.new is None:
            return False
        if self.in_tenant.hidden or self.new.hidden:
            return False
        return self.in_tenant.values != self.new.values

    @property
    def hidden(self) -> bool:
        return hidden(self.old, self.new)


@dataclass(frozen=True)
class AssignmentChange:
    app: str
    action: Action
    principal: Target
    app_role_id: str
    urn: str = ""


@dataclass(frozen=True)
class PropertyChange:
    """One property of a resource, before and after (None: absent)."""

    name: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ServicePrincipalChange:
    app: str
    action: Action
    changed_properties: tuple[str, ...]
    retained: bool
    urn: str = ""
    properties: tuple[PropertyChange, ...] = ()
    settings: tuple[PropertyChange, ...] = ()  # a created one's sign-in settings


CONSENT_KINDS = ("grant", "assignment", "service principal")


@dataclass(frozen=True)
class UnmappedChange:
    """A resource the renderer cannot map to the catalogue, described from its type, parent
    component and properties. `kind` is a consent kind (CONSENT_KINDS) or the resource type."""

    urn: str
    name: str
    kind: str
    action: Action
    component: str | None  # the EnterpriseApp component it sits under, if any
    target: Target | None = None  # a grant's user or TENANT; an assignment's principal
    old: Scopes | None = None
    new: Scopes | None = None
    client: str | None = None  # a grant's client service principal (name or object id)
    api: str | None = None  # a grant's resource service principal (name or object id)
    app_role_id: str = ""
    retained: bool = False
    properties: tuple[PropertyChange, ...] = ()
    gives: str | None = None  # what an azuread resource of another type gives (access_powers)
    to: str | None = None  # to whom: a service principal's name, or the object id

    @property
    def consent(self) -> bool:
        return self.kind in CONSENT_KINDS

    @property
    def added(self) -> frozenset[str]:
        return frozenset() if self.action == "import" else added(self.old, self.new)

    @property
    def removed(self) -> frozenset[str]:
        return removed(self.old, self.new, self.action)

    @property
    def revokes(self) -> bool:
        """A delete of any resource it cannot map, or scopes removed from a grant."""
        return self.action == "delete" or bool(self.removed)

    @property
    def hidden(self) -> bool:
        return hidden(self.old, self.new)


# The resource options a reviewer must see change (previews/render/option_changes.py).
Option = Literal["import", "ignore_changes", "provider", "protect", "retain_on_delete"]


@dataclass(frozen=True)
class OptionChange:
    """One option of one resource, set (`on`) or taken off. `values`: the properties it ignores,
    the explicit provider's URN, or the import id."""

    urn: str
    kind: str  # grant, assignment, service principal, or the resource's type
    option: Option
    on: bool
    values: tuple[str, ...] = ()
    target: Target | None = None  # a grant's target, or an assignment's principal

    @property
    def name(self) -> str:
        return split_urn(self.urn)[1]


@dataclass(frozen=True)
class NotUnderstood:
    """A step whose operation the renderer does not know: the diff cannot say what it does."""

    op: str
    urn: str


@dataclass(frozen=True)
class Violation:
    policy: str
    pack: str
    level: str
    message: str
    app: str | None
    resource: str | None

    @property
    def mandatory(self) -> bool:
        # A remediation the engine could not apply is reported as mandatory too.
        return self.level.lower() in {"mandatory", "remediate"}


@dataclass
class ConsentDiff:
    grants: list[GrantChange] = field(default_factory=list)
    assignments: list[AssignmentChange] = field(default_factory=list)
    service_principals: list[ServicePrincipalChange] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    diagnostics: list[tuple[str, str]] = field(default_factory=list)  # (severity, message)
    users: dict[str, str] = field(default_factory=dict)  # object id -> display name
    upns: dict[str, str] = field(default_factory=dict)  # object id -> UPN (stack output)
    unmapped: list[UnmappedChange] = field(default_factory=list)
    not_understood: list[NotUnderstood] = field(default_factory=list)
    options: list[OptionChange] = field(default_factory=list)
    sames_hidden: bool = False  # the preview left out unchanged resources (and their options)
    policy_checked: bool = False  # False: no event log, so no verdict of the policy pack

    @property
    def empty(self) -> bool:
        """Nothing changes that the diff shows or cannot explain."""
        return not (
            self.grants
            or self.assignments
            or self.service_principals
            or self.unmapped
            or self.not_understood
            or self.options
        )

    @property
    def errors(self) -> list[str]:
        return [message for severity, message in self.diagnostics if severity == "error"]

    @property
    def failed(self) -> bool:
        """The engine reported an error: the preview did not complete."""
        return any(severity == "error" for severity, _ in self.diagnostics)

    @property
    def mandatory(self) -> int:
        return sum(1 for v in self.violations if v.mandatory)

    def apps(self) -> list[str]:
        keys = {c.app for c in self.grants}
        keys.update(c.app for c in self.assignments)
        keys.update(c.app for c in self.service_principals)
        return sorted(keys)
