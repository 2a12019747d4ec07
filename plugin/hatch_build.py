"""Puts the sqlc_gen_asyncpg package into the plugin's wheel and sdist.

Built from the repository, the package is ../src/sqlc_gen_asyncpg; built from the sdist, the
sdist's own src/sqlc_gen_asyncpg.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = "sqlc_gen_asyncpg"


class PluginPackageHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        candidates = (root.parent / "src" / PACKAGE, root / "src" / PACKAGE)
        source = next((path for path in candidates if (path / "__init__.py").exists()), None)
        if source is None:
            raise FileNotFoundError(f"no {PACKAGE} package in {' or '.join(map(str, candidates))}")
        if self.target_name == "wheel" and version == "editable":
            return  # dev-mode-dirs puts ../src on the path instead
        if self.target_name == "wheel" and source == candidates[1]:
            return  # built from the sdist: hatchling finds src/sqlc_gen_asyncpg by itself
        target = PACKAGE if self.target_name == "wheel" else f"src/{PACKAGE}"
        build_data["force_include"][str(source)] = target
