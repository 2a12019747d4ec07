"""The planning pass: a GenerateRequest and the options in, the whole PackagePlan out.

It decides everything about the generated Python (names, types, nullability, shapes), so each
decision is testable without rendering; every error found is reported at once.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import __version__
from .catalog import index_catalog
from .columntypes import TypeResolver
from .errors import Diagnostics, PlanError, PlanFailedError, Where
from .names import is_identifier, snake
from .options import Options
from .pgtypes import Import
from .plan import ModulePlan, PackagePlan
from .queries import ModulePlanner
from .request import GenerateRequest, Query
from .tables import plan_tables

RESERVED_MODULES = ("models", "db", "__init__", "sync_db", "sync_types")


def plan_request(request: GenerateRequest, options: Options, *, root: Path) -> PackagePlan:
    """The plan of the generated package; PlanFailedError lists every construct refused."""
    if request.settings.engine not in ("", "postgresql"):
        raise PlanFailedError([PlanError(f"engine {request.settings.engine!r} is not supported")])
    errors: list[PlanError] = []
    diagnostics = Diagnostics(strict=options.strict_types)
    catalog = index_catalog(request, options, root=root, diagnostics=diagnostics)
    types = TypeResolver(catalog, options, diagnostics)
    tables, models_imports = plan_tables(catalog, types, options, errors)
    by_file: dict[str, list[Query]] = {}
    for query in request.queries:
        by_file.setdefault(query.filename, []).append(query)
    modules: list[ModulePlan] = []
    module_names: dict[str, str] = {}
    for filename in sorted(by_file):
        module = _module_name(filename, module_names, diagnostics)
        module_names[module] = filename
        planner = ModulePlanner(catalog, types, options, errors, filename=filename, module=module)
        modules.append(planner.plan(by_file[filename]))
    names = {query.name for query in request.queries}
    for name, _ in options.row_types:
        if name not in names:
            errors.append(PlanError(f"options.row_types names {name!r}, which is no query"))
    if errors:
        raise PlanFailedError(errors)
    return PackagePlan(
        header=f"sqlc {request.sqlc_version} and sqlc-gen-asyncpg {__version__}",
        schema_sources=request.settings.schema,
        package=options.package,
        enums=tuple(catalog.enum_plans),
        tables=tuple(tables),
        models_imports=frozenset(models_imports),
        modules=tuple(modules),
        json_types=tuple(sorted(types.json_types)),
        extension_types=tuple(sorted(types.extension_types)),
        first_party=options.package.split(".")[0] if options.package else "",
        invalid_arguments=_invalid_arguments(options),
        uses_records=any(q.record_class for m in modules for q in m.queries),
        emit_sync=options.emit_sync,
        sync_types=tuple(sorted(types.sync_types)),
        composites=tuple(sorted(types.composites)),
        ranges=tuple(sorted(types.ranges)),
        domain_arrays=tuple(sorted(types.domain_arrays)),
        warnings=diagnostics.warnings,
    )


def _module_name(filename: str, taken: dict[str, str], diagnostics: Diagnostics) -> str:
    """The module of a query file: its snake_case stem, `queries_` before a stem that is no
    name (`001_users`) and `_queries` after a reserved one (`models`), numbered `_2`, `_3`, ...
    when another file took it; a warning where it is not the plain stem."""
    wanted = snake(PurePosixPath(filename).stem)
    module = wanted
    if not is_identifier(module):
        module = f"queries_{module}"
    elif module in RESERVED_MODULES:
        module = f"{module}_queries"
    base, number = module, 1
    while module in taken:
        number += 1
        module = f"{base}_{number}"
    if module != wanted:
        other = f" ({taken[wanted]} is {wanted}.py)" if wanted in taken else ""
        diagnostics.warn(Where(file=filename).error(f"its module is {module}.py{other}"))
    return module


def _invalid_arguments(options: Options) -> Import | None:
    """The user's exception class that InvalidArgumentsError aliases; None: db.py defines one."""
    if not options.validation_error:
        return None
    module, _, name = options.validation_error.rpartition(".")
    return Import(module, name)
