"""What a benchmark hands back: measurements with their spread, and the goals they meet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.measure import Spread


@dataclass
class Measurement:
    method: str
    value: Spread
    unit: str  # rows/s, µs, MB, ops/s, ms
    higher_is_better: bool
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Goal:
    claim: str  # what is divided by what, e.g. "betdb / raw asyncpg fetch"
    ratio: float
    target: str  # ">= 0.6x", "<= 1.05x", "< 100 MB", "" when there is none
    met: bool | None  # None: reported, no goal set
    unit: str = "x"  # "x" for a ratio, else the unit of an absolute value

    @classmethod
    def at_least(cls, claim: str, ratio: float, target: float) -> Goal:
        return cls(claim, ratio, f">= {target:g}x", ratio >= target)

    @classmethod
    def at_most(cls, claim: str, ratio: float, target: float) -> Goal:
        return cls(claim, ratio, f"<= {target:g}x", ratio <= target)

    @classmethod
    def informational(cls, claim: str, ratio: float, unit: str = "x") -> Goal:
        return cls(claim, ratio, "", None, unit)


@dataclass
class BenchResult:
    name: str
    title: str
    measurements: list[Measurement]
    goals: list[Goal]
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def measured(self, method: str) -> Measurement:
        for measurement in self.measurements:
            if measurement.method == method:
                return measurement
        raise KeyError(f"{self.name} has no measurement named {method!r}")
