"""What `make bench` measured at one tenant size: the program, the two SDK floors, the planner
and the offline plan, and what the program declared next to the minimum the consent needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchmarks.synthetic import Expected
from components.core.naming import (
    ASSIGNMENT_TYPE,
    ENTERPRISE_APP_TYPE,
    GRANT_TYPE,
    RESOURCE_API_TYPE,
    SERVICE_PRINCIPAL_TYPE,
)


@dataclass(frozen=True)
class Measurement:
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    resources: int
    registered: dict[str, int]
    read: dict[str, int]
    invokes: dict[str, int]
    live_invokes: int
    load_1m: float

    @classmethod
    def of(cls, figures: dict[str, Any]) -> Measurement:
        return cls(
            wall_s=float(figures["wall_s"]),
            cpu_s=float(figures["cpu_s"]),
            peak_rss_mib=float(figures["peak_rss_mib"]),
            resources=int(figures["resources"]),
            registered=dict(figures.get("registered") or {}),
            read=dict(figures.get("read") or {}),
            invokes=dict(figures.get("invokes") or {}),
            live_invokes=int(figures.get("live_invokes") or 0),
            load_1m=float(figures["load_1m"]),
        )

    @property
    def ms_per_resource(self) -> float:
        return 1000 * self.wall_s / max(1, self.resources)


@dataclass
class SizeResult:
    size: int
    expected: Expected
    program: Measurement
    floor: Measurement
    shaped_floor: Measurement
    planner: dict[str, Any]
    offline_plan: dict[str, Any] | None = field(default=None)

    def declared(self) -> dict[str, int]:
        reg = self.program.registered
        return {
            "service_principals": reg.get(SERVICE_PRINCIPAL_TYPE, 0),
            "grants": reg.get(GRANT_TYPE, 0),
            "assignments": reg.get(ASSIGNMENT_TYPE, 0),
            "components": reg.get(ENTERPRISE_APP_TYPE, 0) + reg.get(RESOURCE_API_TYPE, 0),
            "reads": sum(self.program.read.values()),
        }

    def meets_minimum(self) -> bool:
        d, e = self.declared(), self.expected
        return (
            d["service_principals"] == e.service_principals
            and d["grants"] == e.grants
            and d["assignments"] == e.assignments
            and d["components"] == e.components
            and d["reads"] == e.reads
            and self.program.resources == e.resources
        )

    def invokes_as_expected(self) -> bool:
        return bool(self.program.invokes == self.expected.invokes)
