"""The rendering pass: the plan in, the generated files out; layout only, no decisions."""

from __future__ import annotations

from .plan import PackagePlan
from .render_db import render_db, render_init
from .render_models import render_models
from .render_queries import render_module
from .render_sync import render_sync_db, render_sync_querier, sync_imports
from .render_sync_types import needs_sync_types, render_sync_types
from .request import File


def render(plan: PackagePlan) -> list[File]:
    files = [
        File("__init__.py", render_init(plan).encode()),
        File("db.py", render_db(plan).encode()),
        File("models.py", render_models(plan).encode()),
    ]
    if plan.emit_sync:
        files.append(File("sync_db.py", render_sync_db(plan).encode()))
        if needs_sync_types(plan):
            files.append(File("sync_types.py", render_sync_types(plan).encode()))
    for module in plan.modules:
        sync = (sync_imports(module), render_sync_querier(module)) if plan.emit_sync else None
        files.append(File(f"{module.module}.py", render_module(plan, module, sync).encode()))
    return sorted(files, key=lambda f: f.name)
