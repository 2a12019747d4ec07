"""What a run ran on: versions of everything involved and the machine."""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "betdb", "asyncpg", "psycopg", "psycopg-binary", "psycopg-pool", "pydantic", "pydantic-core",
    "sqlalchemy", "aiosql", "greenlet",
)  # fmt: skip


def _git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}{' (with uncommitted changes)' if dirty else ''}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe(server_version: str, server_kind: str) -> dict[str, Any]:
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "not installed"
    versions["postgresql"] = server_version
    return {
        "versions": versions,
        "python": {
            "implementation": f"{platform.python_implementation()} {sys.version.split()[0]}",
            "executable": sys.executable,
            "gc_thresholds": list(gc.get_threshold()),
        },
        "betdb_commit": _git_commit(),
        "server": server_kind,
        "machine": {
            "cpu": _cpu_model(),
            "logical_cores": os.cpu_count(),
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
    }
