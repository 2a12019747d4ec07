"""What a benchmark hands back: measurements with their spread, and the goals they meet."""

from __future__ import annotations

import math
from collections.abc import Sequence
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
    """One claim of the issue's goals table: a ratio (or an absolute value), and whether it holds.

    low/high: the spread of the ratio over repeats (each repeat's own ratio, min and max), so a
    reader sees whether "met" is a margin or a coin toss.
    """

    claim: str  # what is divided by what, e.g. "betdb / raw asyncpg fetch"
    ratio: float
    target: str  # ">= 0.6x", "<= 1.05x", "< 100 MB", "" when there is none
    met: bool | None  # None: reported, no goal set (or not available)
    unit: str = "x"  # "x" for a ratio, else the unit of an absolute value
    low: float = math.nan
    high: float = math.nan
    note: str = ""  # why a goal is not available, or what the figure includes

    @property
    def available(self) -> bool:
        return not math.isnan(self.ratio)

    @classmethod
    def at_least(
        cls, claim: str, ratio: float, target: float, spread: Sequence[float] = (), unit: str = "x"
    ) -> Goal:
        low, high = _bounds(spread)
        return cls(claim, ratio, f">= {target:g}{_unit(unit)}", ratio >= target, unit, low, high)

    @classmethod
    def at_most(
        cls, claim: str, ratio: float, target: float, spread: Sequence[float] = (), unit: str = "x"
    ) -> Goal:
        low, high = _bounds(spread)
        return cls(claim, ratio, f"<= {target:g}{_unit(unit)}", ratio <= target, unit, low, high)

    @classmethod
    def informational(
        cls, claim: str, ratio: float, unit: str = "x", spread: Sequence[float] = ()
    ) -> Goal:
        low, high = _bounds(spread)
        return cls(claim, ratio, "", None, unit, low, high)

    @classmethod
    def unavailable(cls, claim: str, target: str, note: str) -> Goal:
        return cls(claim, math.nan, target, None, note=note)


def _bounds(values: Sequence[float]) -> tuple[float, float]:
    return (min(values), max(values)) if values else (math.nan, math.nan)


def _unit(unit: str) -> str:
    return "x" if unit == "x" else f" {unit}"


def ratios(ours: Sequence[float], theirs: Sequence[float]) -> list[float]:
    """Repeat-by-repeat ratios of two interleaved series (each repeat ran both)."""
    return [a / b for a, b in zip(ours, theirs, strict=True) if b]


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
