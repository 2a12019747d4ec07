"""The run's output: a table of ratios with goals on the terminal, results.json, results.png."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.results import BenchResult, Goal


def _number(value: float) -> str:
    if value >= 10_000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}" if value >= 1 else f"{value:.3f}"


def _value(value: float, unit: str) -> str:
    return f"{value:.2f}x" if unit == "x" else f"{value:.1f} {unit}"


def _goal_text(goal: Goal) -> tuple[str, str, str]:
    """The measured value, its spread over repeats, and the verdict."""
    if not goal.available:
        return "-", "-", f"[yellow]not available[/yellow] ({goal.note})"
    value = _value(goal.ratio, goal.unit)
    spread = (
        "-"
        if math.isnan(goal.low)
        else f"{_value(goal.low, goal.unit)} .. {_value(goal.high, goal.unit)}"
    )
    if goal.met is None:
        status = "[dim]reported[/dim]"
    else:
        status = "[green]met[/green]" if goal.met else "[bold red]NOT met[/bold red]"
    if goal.note:
        status += f" [dim]({goal.note})[/dim]"
    return value, spread, status


def print_report(results: list[BenchResult], meta: dict[str, Any], console: Console) -> None:
    for result in results:
        table = Table(title=f"{result.name}: {result.title}", title_justify="left")
        table.add_column("method")
        table.add_column("median", justify="right")
        table.add_column("min .. max", justify="right")
        table.add_column("unit")
        table.add_column("notes")
        for m in result.measurements:
            notes = ", ".join(
                f"{key} {_number(value) if isinstance(value, float) else value}"
                for key, value in m.extra.items()
                if key in {"p99_us", "p50_ms", "p99_ms", "rows", "rows_per_s", "plan"}
            )
            table.add_row(
                m.method,
                _number(m.value.median),
                f"{_number(m.value.low)} .. {_number(m.value.high)}",
                m.unit,
                notes,
            )
        console.print(table)
    summary = Table(title="ratios and goals", title_justify="left")
    for column in ("benchmark", "measure", "measured", "spread (min .. max)", "goal", "status"):
        summary.add_column(column, justify="right" if column == "measured" else "left")
    for result in results:
        for goal in result.goals:
            value, spread, status = _goal_text(goal)
            summary.add_row(result.name, goal.claim, value, spread, goal.target or "-", status)
    console.print(summary)
    versions = ", ".join(f"{name} {version}" for name, version in meta["versions"].items())
    machine = meta["machine"]
    console.print(
        f"{meta['python']['implementation']} ({meta['python']['executable']},"
        f" gc thresholds {meta['python']['gc_thresholds']});"
        f" betdb {meta['betdb_commit']} on {machine['cpu']}, {machine['logical_cores']} cores,"
        f" {machine['ram_gb']} GB RAM; {meta['server']}; sizes {meta['sizes']['name']};"
        f" {meta['seconds']:.0f} s\n{versions}"
    )


def _finite(value: Any) -> Any:
    """NaN (a goal not available, a spread of one repeat) as JSON null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def write_json(results: list[BenchResult], meta: dict[str, Any], path: Path) -> None:
    document = {"meta": meta, "benchmarks": [dataclasses.asdict(r) for r in results]}
    path.write_text(json.dumps(_finite(document), indent=2, default=str, allow_nan=False) + "\n")


def write_chart(results: list[BenchResult], meta: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = 2
    rows = max(1, math.ceil(len(results) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(15, 4.2 * rows), squeeze=False)
    for axis in axes.flat[len(results) :]:
        axis.set_visible(False)
    for axis, result in zip(axes.flat, results, strict=False):
        names = [m.method for m in result.measurements]
        medians = [m.value.median for m in result.measurements]
        below = [m.value.median - m.value.low for m in result.measurements]
        above = [m.value.high - m.value.median for m in result.measurements]
        colours = [
            "tab:green" if "betdb" in name and "raw" not in name else "tab:gray" for name in names
        ]
        axis.barh(names, medians, xerr=[below, above], color=colours, capsize=3)
        axis.invert_yaxis()
        units = sorted({m.unit for m in result.measurements})
        better = "higher" if result.measurements[0].higher_is_better else "lower"
        axis.set_xlabel(f"{' / '.join(units)} ({better} is better; bars: min..max)")
        axis.set_title(f"{result.name}: {result.title}", fontsize=9, loc="left")
        axis.tick_params(axis="y", labelsize=7)
    machine = meta["machine"]
    figure.suptitle(
        f"betdb {meta['betdb_commit']}, {meta['sizes']['name']} sizes,"
        f" {machine['logical_cores']} cores, {machine['ram_gb']} GB, PostgreSQL"
        f" {meta['versions']['postgresql']}",
        fontsize=10,
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
