"""Any other `azuread` resource type (a directory role assignment, a credential, a group
membership, ...): previewed as the real provider previews a create, never applied.

The project declares none of these; tests declare them in program variants to see the policy
pack refuse them on a real `pulumi preview`. So Check and Diff pass the inputs through and a
preview shows a create, while applying one fails with a line that says it is not simulated.
"""

from __future__ import annotations

from dataclasses import dataclass

from simtenant.provider.errors import ProviderError
from simtenant.provider.graph import Graph
from simtenant.provider.props import Props
from simtenant.provider.resource import DiffResult, Timeouts
from simtenant.provider.validation import Failure


@dataclass
class Unsimulated:
    token: str
    timeouts = Timeouts(create=300, read=300, update=300, delete=300)

    def _refuse(self) -> ProviderError:
        return ProviderError(
            f"azuread (simulated): {self.token} is not simulated; only previews of it are"
        )

    def check(self, news: Props) -> tuple[Props, list[Failure]]:
        return dict(news), []

    def diff(self, olds: Props, news: Props) -> DiffResult:
        changed = sorted(k for k in {*olds, *news} if olds.get(k) != news.get(k))
        return DiffResult(changes=changed, detailed={k: "UPDATE" for k in changed})

    def preview_create(self, news: Props) -> Props:
        return dict(news)

    def create(self, graph: Graph, news: Props) -> tuple[str, Props]:
        raise self._refuse()

    def read(self, graph: Graph, resource_id: str, state: Props) -> Props | None:
        return None

    def inputs_from_state(self, outputs: Props) -> Props:
        return dict(outputs)

    def preview_update(self, olds: Props, news: Props) -> Props:
        return dict(news)

    def update(self, graph: Graph, resource_id: str, olds: Props, news: Props) -> Props:
        raise self._refuse()

    def delete(self, graph: Graph, resource_id: str, state: Props) -> None:
        raise self._refuse()
