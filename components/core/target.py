"""Who a grant or an assignment is for: the whole tenant, a group or a user. The one target
type of the project (plan, preview diff, drift, names), with the one order targets are shown in:
tenant-wide first, then a target not known until apply, then groups, then users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# "unknown": a preview's grant whose user is not known until apply, and so may be tenant-wide
# (the preview never shows the resource's name in place of its value).
TargetKind = Literal["tenant", "unknown", "group", "user"]
_RANK = {"tenant": 0, "unknown": 1, "group": 2, "user": 3}


@dataclass(frozen=True)
class Target:
    """`ref`: a UPN, object id or group name as configured (object ids once resolved); empty
    for tenant-wide."""

    kind: TargetKind
    ref: str = ""

    def sort_key(self) -> tuple[int, str]:
        return (_RANK[self.kind], self.ref)

    def __str__(self) -> str:
        return self.kind if self.kind in ("tenant", "unknown") else f"{self.kind}:{self.ref}"


TENANT = Target("tenant")
UNKNOWN_TARGET = Target("unknown")
