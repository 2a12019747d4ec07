"""The rendering pass: the plan in, the generated files out; layout only, no decisions."""

from __future__ import annotations

from .plan import PackagePlan
from .render_db import render_db, render_init
from .render_models import render_models
from .render_queries import render_module
from .request import File


def render(plan: PackagePlan) -> list[File]:
    files = [
        File("__init__.py", render_init(plan).encode()),
        File("db.py", render_db(plan).encode()),
        File("models.py", render_models(plan).encode()),
    ]
    for module in plan.modules:
        files.append(File(f"{module.module}.py", render_module(plan, module).encode()))
    return sorted(files, key=lambda f: f.name)
