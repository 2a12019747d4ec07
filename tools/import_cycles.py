"""Report import cycles among the modules of the given packages (default: src/betdb and
src/sqlc_gen_asyncpg); exit 1 when there is one.

Every import counts, at module level, inside functions and under ``if TYPE_CHECKING:``: a
cycle that only a lazy import keeps from failing is still two modules that need each other.
An import of ``a.b.c`` is an edge to ``a.b.c`` alone (not to the packages ``a`` and ``a.b``
that Python initialises on the way), so a package's ``__init__`` re-exports make no cycle.

    python tools/import_cycles.py [PACKAGE_DIR ...]
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PACKAGES = (ROOT / "src" / "betdb", ROOT / "src" / "sqlc_gen_asyncpg")


def modules_of(package_dir: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under the package directory."""
    base = package_dir.parent
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` names, relative imports included."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    anchor = package[: len(package) - (node.level - 1)]
    return ".".join([*anchor, node.module] if node.module else anchor)


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The known modules this module imports."""
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, path, node)
            for alias in node.names:
                # `from pkg import name` imports the submodule pkg.name when there is one.
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in known else source)
    return {target for target in targets if target in known and target != module}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _one_loop(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, to show the loop."""
    start = component[0]
    members = set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return component


def main(argv: Iterable[str]) -> int:
    package_dirs = [Path(arg) for arg in argv] or list(DEFAULT_PACKAGES)
    modules: dict[str, Path] = {}
    for package_dir in package_dirs:
        modules.update(modules_of(package_dir))
    known = set(modules)
    graph = {name: imports_of(name, path, known) for name, path in modules.items()}
    found = cycles(graph)
    edges = sum(len(targets) for targets in graph.values())
    names = ", ".join(
        str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in package_dirs
    )
    if not found:
        print(f"no import cycle among {len(modules)} modules ({edges} imports) of {names}")
        return 0
    for component in found:
        print(f"cycle among {len(component)} modules: {' -> '.join(_one_loop(component, graph))}")
        print(f"  all of: {', '.join(component)}")
    print(f"{len(found)} import cycle(s) among {len(modules)} modules of {names}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
