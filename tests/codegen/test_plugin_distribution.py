"""The plugin is a distribution of its own: plugin/ builds a wheel of sqlc_gen_asyncpg alone,
with no dependencies, that installs into a fresh virtualenv from nothing but itself, runs as
sqlc's process plugin there and generates exactly the golden code."""

from __future__ import annotations

import email.parser
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import sqlc_gen_asyncpg
from sqlc_gen_asyncpg.options import _KNOWN

from .conftest import BIN, CASES, GOLDEN

ROOT = Path(__file__).parents[2]
PLUGIN = ROOT / "plugin"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name


def run(
    *command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("plugin-dist")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", work / "dist", PLUGIN)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (work / "dist").glob("*.whl")
    venv = work / "venv"
    made = run(sys.executable, "-m", "venv", venv)
    assert made.returncode == 0, made.stderr
    # --no-index: the wheel must install from itself alone, with nothing to fetch
    pip = run(venv / "bin" / "python", "-m", "pip", "install", "--no-index", wheel)
    assert pip.returncode == 0, pip.stderr[-3000:]
    return Installed(wheel, venv)


def test_the_wheel_holds_the_plugin_package_alone_and_depends_on_nothing(
    installed: Installed,
) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        metadata = email.parser.Parser().parsestr(
            wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        )
        scripts = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    packages = {name.split("/")[0] for name in names if not name.startswith("sqlc_gen_asyncpg-")}
    assert packages == {"sqlc_gen_asyncpg"}
    source = ROOT / "src" / "sqlc_gen_asyncpg"
    expected = {f"sqlc_gen_asyncpg/{p.name}" for p in source.iterdir() if p.is_file()}
    assert {n for n in names if n.startswith("sqlc_gen_asyncpg/")} == expected
    assert metadata["Name"] == "sqlc-gen-asyncpg"
    assert metadata["Version"] == sqlc_gen_asyncpg.__version__
    assert metadata.get_all("Requires-Dist") is None
    assert "sqlc-gen-asyncpg = sqlc_gen_asyncpg.__main__:main" in scripts


def test_the_installed_plugin_runs_without_betdb_pydantic_or_asyncpg(installed: Installed) -> None:
    version = run(installed.bin("sqlc-gen-asyncpg"), "--version")
    assert (version.returncode, version.stdout) == (
        0,
        f"sqlc-gen-asyncpg {sqlc_gen_asyncpg.__version__}\n",
    )
    helped = run(installed.bin("python"), "-m", "sqlc_gen_asyncpg", "verify", "--help")
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("usage: python -m sqlc_gen_asyncpg verify")
    assert "--package PACKAGE" in helped.stdout
    for absent in ("betdb", "pydantic", "asyncpg"):
        found = run(installed.bin("python"), "-c", f"import {absent}")
        assert f"No module named '{absent}'" in found.stderr, absent


def test_sqlc_with_the_installed_plugin_generates_the_golden_code(
    installed: Installed, tmp_path: Path
) -> None:
    work = tmp_path / "everything"
    run("cp", "-r", CASES / "everything", work)
    # sqlc comes from the dev venv; the plugin it runs is the fresh venv's, found first on PATH
    env = {"PATH": f"{installed.venv / 'bin'}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path)}
    generated = run(BIN / "sqlc", "generate", cwd=work, env=env)
    assert generated.returncode == 0, generated.stderr
    golden = {p.name: p.read_text() for p in (GOLDEN / "everything").glob("*.py")}
    fresh = {p.name: p.read_text() for p in (work / "gen").glob("*.py")}
    assert fresh == golden


def test_verify_where_the_generated_code_cannot_import_says_what_is_missing(
    installed: Installed,
) -> None:
    result = run(
        installed.bin("python"), "-m", "sqlc_gen_asyncpg", "verify",
        "--dsn", "postgresql://nobody@127.0.0.1:1/none", "--package", "codegen.golden.everything",
        cwd=ROOT / "tests", env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        "verify: cannot import codegen.golden.everything: No module named 'asyncpg'\n"
    )


def test_the_plugin_readme_lists_every_option_and_every_annotation() -> None:
    readme = (PLUGIN / "README.md").read_text()
    listed = set(re.findall(r"^\| `(\w+)` \|", readme, re.MULTILINE))
    assert set(_KNOWN) <= listed, set(_KNOWN) - listed
    for annotation in (":one", ":many", ":exec", ":execrows", ":execresult", ":copyfrom"):
        assert re.search(rf"^-- name: \w+ {annotation}$", readme, re.MULTILINE), annotation
    for annotation in (":batchexec", ":batchmany", ":batchone"):
        assert re.search(rf"^-- name: \w+ {annotation}$", readme, re.MULTILINE), annotation
