"""The resource options a preview changes. They grant nothing by themselves, but they decide what
the stack governs and what `pulumi up` may do, so a reviewer must see every one:

- `import`: the stack adopts the tenant's object as it is, whatever it holds;
- `ignore_changes`: the stack stops setting those properties, so what the tenant holds stays;
- an explicit `provider`: another tenant, client or credential than the stack's settings;
- `protect`: `pulumi up` cannot delete it, so a revocation of it fails;
- `retain_on_delete`: removing it from the stack leaves it in the tenant.

Read from each step's old and new state (`pulumi preview --json`). A resource that otherwise
stays the same is in the digest only with `--show-sames`; `sames_hidden` tells when it was not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from components.core.kept_fields import SERVICE_PRINCIPAL_IGNORED, SERVICE_PRINCIPAL_RETAINED
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    PROVIDER_TYPE_PREFIX,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
    STACK_TYPE,
    is_default_provider,
    provider_urn,
    split_urn,
)
from components.core.target import Target
from previews.render.consent_changes import Option, OptionChange
from previews.render.consent_unmapped import KINDS, grant_target, value
from previews.render.digest import SECRET, UNKNOWN, PreviewDigest, PreviewStep, ResourceState

# Steps with no resource option of the program's: reads look a resource up, they govern nothing.
_NO_OPTIONS = {"read", "read-replacement", "refresh", "discard", "discard-replaced"}
_IMPORT_OPS = {"import", "import-replacement"}


def _governs(step: PreviewStep) -> bool:
    """A resource the program registered itself (not the stack, a component or a provider)."""
    state = step.new_state or step.old_state
    typ = state.type if state and state.type else split_urn(step.urn)[0]
    if typ in (STACK_TYPE, ENTERPRISE_APP_TYPE, RESOURCE_API_TYPE):
        return False
    return not typ.startswith(PROVIDER_TYPE_PREFIX) and not (state and state.external)


def option_changes(steps: Iterable[PreviewStep]) -> list[OptionChange]:
    """Every option set or taken off, in step order. A resource the update deletes sets none (a
    retained one is said by the consent diff)."""
    olds: dict[str, ResourceState] = {}
    news: dict[str, ResourceState] = {}
    imports: set[str] = set()
    for step in steps:
        if step.op in _NO_OPTIONS or not _governs(step):
            continue
        if step.old_state is not None:
            olds.setdefault(step.urn, step.old_state)
        if step.new_state is not None and step.op != "delete":
            news.setdefault(step.urn, step.new_state)
        if step.op in _IMPORT_OPS:
            imports.add(step.urn)
    out: list[OptionChange] = []
    for urn, new in news.items():
        out += _compared(urn, olds.get(urn), new, urn in imports)
    return out


def _compared(
    urn: str, old: ResourceState | None, new: ResourceState, imported: bool
) -> list[OptionChange]:
    kind = KINDS.get(new.type, new.type or split_urn(urn)[0])
    target = _target(new)

    def change(option: Option, on: bool, values: Iterable[str] = ()) -> OptionChange:
        return OptionChange(urn, kind, option, on, tuple(values), target)

    out: list[OptionChange] = []
    import_id = new.import_id or ""
    if imported or (import_id and (old is None or (old.import_id or "") != import_id)):
        out.append(change("import", True, [import_id or new.id or ""]))
    # a service principal of the component starts with the component's own options
    own = (
        new.type == SERVICE_PRINCIPAL_TYPE and split_urn(new.parent or "")[0] == ENTERPRISE_APP_TYPE
    )
    before = set(old.ignore_changes or ()) if old else set(SERVICE_PRINCIPAL_IGNORED if own else ())
    after = set(new.ignore_changes or ())
    if after - before:
        out.append(change("ignore_changes", True, sorted(after - before)))
    if before - after:
        out.append(change("ignore_changes", False, sorted(before - after)))
    moved = _provider(old, new)
    if moved is not None:
        out.append(change("provider", moved[0], [moved[1]]))
    toggles: tuple[tuple[Option, bool, bool], ...] = (
        ("protect", bool(old and old.protect), bool(new.protect)),
        (
            "retain_on_delete",
            old.retain_on_delete if old else own and SERVICE_PRINCIPAL_RETAINED,
            new.retain_on_delete,
        ),
    )
    for option, was, now in toggles:
        if was != now:
            out.append(change(option, now))
    return out


def _provider(old: ResourceState | None, new: ResourceState) -> tuple[bool, str] | None:
    """(on, the explicit provider's URN) when the resource moves to or off one."""
    was = provider_urn(old.provider) if old and old.provider else ""
    now = provider_urn(new.provider) if new.provider else ""
    if was == now:
        return None
    if now and not is_default_provider(now):
        return True, now
    if was and not is_default_provider(was):
        return False, was
    # One default provider for another: a new provider version. A program's own provider named
    # `default...` reads as one too; the engine leaves it out of the preview, so only the
    # policy pack, which sees its parent, can tell it (governed-options).
    return None


def _target(state: ResourceState) -> Target | None:
    if state.type == GRANT_TYPE:
        return grant_target(value(state, "userObjectId"))
    if state.type == ASSIGNMENT_TYPE:
        principal = value(state, "principalObjectId")
        ptype = value(state, "principalType")
        if not isinstance(principal, str) or principal in ("", SECRET, UNKNOWN):
            return None  # not known until apply, or hidden
        group = isinstance(ptype, str) and ptype.lower() == "group"
        return Target("group" if group else "user", principal.lower())
    return None


def sames_hidden(digest: PreviewDigest) -> bool:
    """The preview left out the resources that stay the same (no `--show-sames`), so options
    changed on them are not in the digest. The stack itself is always shown."""
    summary: Mapping[str, int] = digest.change_summary or {}
    shown = sum(1 for step in digest.steps or () if step.op == "same")
    return summary.get("same", 0) > shown
