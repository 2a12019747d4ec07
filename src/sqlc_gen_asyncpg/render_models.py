"""models.py: one StrEnum per enum and one pydantic model per table; the model class layout."""

from __future__ import annotations

from .layout import (
    INDENT,
    WIDTH,
    annotated,
    docstring,
    file_text,
    header,
    join_blocks,
    quote,
    render_imports,
)
from .pgtypes import Import
from .plan import EnumPlan, ModelPlan, PackagePlan


def model_class(model: ModelPlan) -> list[str]:
    out = [f"class {model.class_name}({model.base}):"]
    body: list[str] = docstring(INDENT, model.comment.splitlines()) if model.comment else []
    if body:
        body.append("")
    if model.arbitrary_types:
        body.append(f"{INDENT}model_config = _pydantic.ConfigDict(arbitrary_types_allowed=True)")
        body.append("")
    for field in model.fields:
        lines = annotated(INDENT, field.name, field.annotation)
        if field.alias:
            alias = f"serialization_alias={quote(field.alias)}"
            if len(f"{lines[-1]} = _pydantic.Field({alias})") <= WIDTH:
                lines[-1] += f" = _pydantic.Field({alias})"
            else:
                lines[-1] += " = _pydantic.Field("
                lines.extend([f"{INDENT * 2}{alias},", f"{INDENT})"])
        body.extend(lines)
        if field.comment:
            body.extend(docstring(INDENT, field.comment.splitlines()))
    if not model.fields:
        body.append(f"{INDENT}pass")
    return out + body


def _enum(enum: EnumPlan) -> list[str]:
    out = [f"class {enum.class_name}(_enum.StrEnum):"]
    if enum.comment:
        out.extend(docstring(INDENT, enum.comment.splitlines()))
        out.append("")
    for member, value in enum.members:
        out.append(f"{INDENT}{member} = {quote(value)}")
    if not enum.members:
        out.append(f"{INDENT}pass")
    return out


def render_models(plan: PackagePlan) -> str:
    imports = set(plan.models_imports)
    if plan.enums:
        imports.add(Import("enum"))
    if plan.tables:
        imports.add(Import("pydantic"))
    sources = ", ".join(plan.schema_sources) or "the schema"
    head = [
        *header(plan, sources),
        '"""Enums and table models of the database schema."""',
    ]
    import_lines = render_imports(imports, plan.first_party)
    blocks = [head + (["", *import_lines] if import_lines else [])]
    blocks.extend(_enum(e) for e in plan.enums)
    blocks.extend(model_class(m) for m in plan.tables)
    return file_text(join_blocks(blocks))
