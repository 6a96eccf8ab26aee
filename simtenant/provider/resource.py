"""What every resource kind provides, and the diff rules they share.

A bridged Terraform provider diffs the program's inputs against the prior *state* (outputs):
an optional field the program leaves out is compared as its default, so drift that a refresh
brought into state shows up as a change; an optional+computed field left out is not compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from simtenant.provider.graph import Graph
from simtenant.provider.props import Props, is_unknown
from simtenant.provider.validation import Failure

Normalize = Callable[[Any], Any]


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def as_set(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str) and item)


def as_flag(default: bool) -> Normalize:
    return lambda value: value if isinstance(value, bool) else default


@dataclass(frozen=True)
class Timeouts:
    """The resource's `Timeouts` (seconds): each operation's deadline unless the program's
    customTimeouts says otherwise (the engine's `timeout` in Create, Update and Delete)."""

    create: float
    read: float
    update: float
    delete: float


@dataclass(frozen=True)
class Field:
    name: str
    normalize: Normalize = as_text
    replaces: bool = False
    computed: bool = False  # optional+computed: left out of the inputs means "keep"
    elements: bool = False  # a set of strings: detailed diff per element, as the bridge's
    # The schema's DiffSuppressFunc: (state value, config value) -> no change to show.
    suppress: Callable[[Any, Any], bool] | None = None


@dataclass
class DiffResult:
    changes: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    # property -> PropertyDiff kind name: ADD, DELETE, UPDATE (+ _REPLACE)
    detailed: dict[str, str] = field(default_factory=dict)
    stables: list[str] = field(default_factory=list)  # ForceNew properties left unchanged


def diff_fields(
    olds: Mapping[str, Any], news: Mapping[str, Any], fields: Sequence[Field]
) -> DiffResult:
    result = DiffResult()
    for f in fields:
        new_raw = news.get(f.name)
        if f.computed and new_raw is None:
            continue
        old_raw = olds.get(f.name)
        if not is_unknown(new_raw) and f.normalize(old_raw) == f.normalize(new_raw):
            continue
        if not is_unknown(new_raw) and f.suppress is not None and f.suppress(old_raw, new_raw):
            continue
        if is_unknown(new_raw):
            kind = "UPDATE"
        elif _empty(f.normalize(old_raw)):
            kind = "ADD"
        elif _empty(f.normalize(new_raw)):
            kind = "DELETE"
        else:
            kind = "UPDATE"
        result.changes.append(f.name)
        if f.replaces:
            result.replaces.append(f.name)
        if f.elements and not is_unknown(new_raw):
            result.detailed.update(_element_diffs(f.name, old_raw, new_raw, f.replaces))
        else:
            result.detailed[f.name] = kind + ("_REPLACE" if f.replaces else "")
    # The bridge marks every ForceNew property that is not replaced as stable.
    result.stables = sorted(f.name for f in fields if f.replaces and f.name not in result.replaces)
    return result


def _element_diffs(name: str, old: Any, new: Any, replaces: bool) -> dict[str, str]:
    """`name[i]`: DELETE for an old element (index in the old list) no longer there, ADD for a
    new one (index in the new list); order alone is no change."""
    suffix = "_REPLACE" if replaces else ""
    olds = old if isinstance(old, list) else []
    news = new if isinstance(new, list) else []
    out = {f"{name}[{i}]": "DELETE" + suffix for i, v in enumerate(olds) if v not in news}
    out.update({f"{name}[{i}]": "ADD" + suffix for i, v in enumerate(news) if v not in olds})
    return out or {name: "UPDATE" + suffix}


def _empty(value: Any) -> bool:
    """Nothing there: a boolean (even false) is a value, so its changes are updates."""
    return value is None or (not isinstance(value, bool) and not value)


class ResourceKind(Protocol):
    token: str
    timeouts: Timeouts

    def check(self, news: Props) -> tuple[Props, list[Failure]]:
        """The inputs with the schema's defaults filled in (as the bridge's Check does), and
        the schema's validation failures."""
        ...

    def diff(self, olds: Props, news: Props) -> DiffResult: ...

    def preview_create(self, news: Props) -> Props:
        """The outputs a Create would have, unknowable ones as the unknown sentinel."""
        ...

    def create(self, graph: Graph, news: Props) -> tuple[str, Props]: ...

    def read(self, graph: Graph, resource_id: str, state: Props) -> Props | None:
        """Current outputs, or None when the object is gone."""
        ...

    def inputs_from_state(self, outputs: Props) -> Props:
        """Inputs that reproduce these outputs (for `pulumi import` and `.get`)."""
        ...

    def preview_update(self, olds: Props, news: Props) -> Props: ...

    def update(self, graph: Graph, resource_id: str, olds: Props, news: Props) -> Props: ...

    def delete(self, graph: Graph, resource_id: str, state: Props) -> None: ...
