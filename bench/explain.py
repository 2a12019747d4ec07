"""A one-line reading of EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON): what was scanned how, rows
touched against rows returned, and buffers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import asyncpg


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


async def explain(
    conn: asyncpg.Connection,
    sql: str,
    *args: object,
    partitioned: str = "odds",
    prepared: bool = False,
) -> dict[str, Any]:
    """The plan's reading; partitions_scanned counts the partitions of `partitioned` that were
    scanned at least once (pruned ones, at plan time or at run time, are not).

    EXPLAIN of the statement with its arguments plans with their values known (a custom plan,
    whatever plan_cache_mode says); `prepared` reads the plan of a prepared statement instead
    (PREPARE, then EXPLAIN EXECUTE), which plan_cache_mode decides: a generic plan shows its
    partitions pruned at executor start-up."""
    if prepared:
        await conn.execute(f"PREPARE betdb_bench_explain AS {sql}")
        try:
            # EXECUTE takes no bind parameters inside EXPLAIN: its arguments go as literals.
            values = ", ".join(map(_literal, args))
            raw = await conn.fetchval(
                "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE betdb_bench_explain"
                + (f"({values})" if args else "")
            )
        finally:
            await conn.execute("DEALLOCATE betdb_bench_explain")
    else:
        raw = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *args)
    document = json.loads(raw) if isinstance(raw, str) else raw
    top = document[0]
    plan = top["Plan"]
    scans: dict[str, int] = {}
    touched = 0
    removed_partitions = 0
    scanned: set[str] = set()
    for node in _nodes(plan):
        removed_partitions += int(node.get("Subplans Removed", 0))
        kind = node["Node Type"]
        if "Scan" not in kind or kind == "Subquery Scan":
            continue
        scans[kind] = scans.get(kind, 0) + 1
        relation = str(node.get("Relation Name", ""))
        if relation.startswith(f"{partitioned}_") and int(node.get("Actual Loops", 0)) > 0:
            scanned.add(relation)
        loops = int(node.get("Actual Loops", 1))
        read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        touched += int(read * loops)
    return {
        "scans": scans,
        "partitions_pruned": removed_partitions,
        "partitions_scanned": len(scanned),
        "rows_returned": int(plan.get("Actual Rows", 0)),
        "rows_touched": touched,
        "buffers": int(plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)),
        "planning_ms": float(top.get("Planning Time", 0.0)),
        "execution_ms": float(top.get("Execution Time", 0.0)),
    }


def _literal(value: object) -> str:
    """A SQL literal of a benchmark argument (ints, strings, enums, dates, None)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def describe(summary: dict[str, Any]) -> str:
    scans = ", ".join(f"{count}x {kind}" for kind, count in sorted(summary["scans"].items()))
    pruned = (
        f", {summary['partitions_pruned']} partitions pruned"
        if summary["partitions_pruned"]
        else ""
    )
    return (
        f"{summary['partitions_scanned']} partitions scanned; {scans}{pruned};"
        f" rows touched {summary['rows_touched']:,} for"
        f" {summary['rows_returned']:,} returned; {summary['buffers']:,} buffers;"
        f" planning {summary['planning_ms']:.2f} ms, execution {summary['execution_ms']:.2f} ms"
    )
