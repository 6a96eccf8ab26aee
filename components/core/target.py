"""Who a grant or an assignment is for: the whole tenant, a group or a user. The one target
type of the project (plan, preview diff, drift, names), with the one order targets are shown in:
tenant-wide first, then groups, then users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TargetKind = Literal["tenant", "group", "user"]
_RANK = {"tenant": 0, "group": 1, "user": 2}


@dataclass(frozen=True)
class Target:
    """`ref`: a UPN, object id or group name as configured (object ids once resolved); empty
    for tenant-wide."""

    kind: TargetKind
    ref: str = ""

    def sort_key(self) -> tuple[int, str]:
        return (_RANK[self.kind], self.ref)

    def __str__(self) -> str:
        return "tenant" if self.kind == "tenant" else f"{self.kind}:{self.ref}"


TENANT = Target("tenant")
