"""Type resolution: the Python annotation of a column or parameter, overrides applied."""

from __future__ import annotations

from dataclasses import replace

from .catalog import Catalog
from .errors import Diagnostics, PlanError, Where
from .options import Options, Override
from .pgtypes import (
    BUILTIN,
    CODEC_EXTENSION_TYPES,
    EXTENSION_TYPES,
    INFORMATION_SCHEMA_DOMAINS,
    PSEUDO_TYPES,
    SYNC_LOADED,
    SYNC_UNTYPED,
    Import,
    PyType,
    asyncpg_class,
    canonical,
    list_of,
    module_alias,
)
from .request import Column, Identifier

MODELS_IMPORT = ".models"
# What a column or parameter sqlc could not type is: the driver's value, whatever it is.
FALLBACK = PyType("object")
ANALYZER_FIX = (
    "or let sqlc type it against your database (database: {uri: ...} and "
    "analyzer: {database: true} in sqlc.yaml)"
)


class TypeResolver:
    def __init__(
        self, catalog: Catalog, options: Options, diagnostics: Diagnostics | None = None
    ) -> None:
        self.catalog = catalog
        self.options = options
        self.diagnostics = diagnostics or Diagnostics(strict=options.strict_types)
        self.json_types: set[str] = set()  # json/jsonb seen: db.py installs their codecs
        self.extension_types: set[str] = set()  # hstore/vector seen: db.py registers them
        self.sync_types: set[str] = set()  # SYNC_LOADED types seen: sync_types.py loads them
        self.composites: set[tuple[str, str]] = set()  # seen: the sync side registers them
        self.ranges: set[tuple[str, str]] = set()  # the schema's own ranges and multiranges seen
        self.domain_arrays: set[tuple[str, str]] = set()  # domains seen in arrays: psycopg
        # reads an array of a domain as text until its array type is registered

    def column_type(self, column: Column, where: Where, *, nullable: bool, param: bool) -> PyType:
        """The annotation of a column or parameter, arrays and nullability included."""
        type_name = canonical(column.type.name) if not column.type.schema else column.type.name
        override = self._override_for(column, type_name)
        scalar = not column.is_array and not column.array_dims and not column.is_sqlc_slice
        if override is not None and override.column is not None:
            base = self._override_type(override)
            expr = f"{base.expr} | None" if nullable else base.expr
            return PyType(
                expr,
                base.imports,
                adapt=base.adapt,
                arbitrary=base.arbitrary,
                exact=(base.exact or self._exact_of(column.type, where)) if scalar else None,
                override=None if base.exact or not scalar else base.expr,
                holds_enum=self._is_enum(column.type),  # its values, converted by the override
            )
        # a db_type override replaces the element type; arrays and nullability stay
        element_type, domain_dims = self._domain_array(column.type)
        element = self._override_type(override) if override else self._scalar(element_type, where)
        if override is not None and element.exact is None:
            exact = self._exact_of(element_type, where)
            element = replace(element, exact=exact, override=element.expr)
        dims = max(column.array_dims, 1 if column.is_array else 0) + domain_dims
        element_key = self.catalog.key(element_type.schema, element_type.name)
        if dims and element_key in self.catalog.domains:
            self.domain_arrays.add(element_key)
        imports = set(element.imports_for(param=param))
        if column.is_sqlc_slice:
            imports.add(Import("collections.abc", "Sequence"))
            expr = f"Sequence[{element.param}]"
        elif dims:
            expr = element.param if param else element.expr
            expr = expr if expr == FALLBACK.expr else f"{expr} | None"
            container = "Sequence" if param else "list"
            if param:
                imports.add(Import("collections.abc", "Sequence"))
            for _ in range(dims):
                expr = f"{container}[{expr}]"
        else:
            expr = element.param if param else element.expr
        sync_kind = None
        if override is None and element.sync_kind is not None:
            sync_kind = element.sync_kind + "[]" * (1 if column.is_sqlc_slice else dims)
        if nullable and expr not in ("None", FALLBACK.expr):
            expr = f"{expr} | None"
        scalar = scalar and not dims
        return PyType(
            expr,
            frozenset(imports),
            adapt=element.adapt,
            arbitrary=element.arbitrary,
            param_expr=None,
            exact=element.exact if scalar else None,
            override=element.override if scalar else None,
            sync_kind=sync_kind,
            enum=element.enum if scalar and override is None else None,
            holds_enum=element.holds_enum
            or (element.enum is not None and not scalar)
            or (override is not None and self._is_enum(element_type)),
        )

    def _is_enum(self, type_id: Identifier) -> bool:
        """Whether `type_id` is an enum of the schema, or a domain over one."""
        key = self.catalog.key(type_id.schema, type_id.name)
        seen: set[tuple[str, str]] = set()
        while key in self.catalog.domains and key not in seen:
            seen.add(key)
            key = self.catalog.key("", self.catalog.domains[key].replace("[]", ""))
        return key in self.catalog.enums

    def _exact_of(self, type_id: Identifier, where: Where) -> str | None:
        """The exact class of the database type under an override (int under AmericanOdds)."""
        try:
            return self._scalar(type_id, where, report=False).exact
        except PlanError:
            return None  # a type only the override makes known: no fast path

    def _override_for(self, column: Column, type_name: str) -> Override | None:
        if column.table is not None:
            table = column.table.name
            schema = column.table.schema or self.catalog.default_schema
            name = column.original_name or column.name
            keys = {f"{table}.{name}", f"{schema}.{table}.{name}"}
            for override in self.options.overrides:
                if override.column in keys:
                    return override
        for override in self.options.overrides:
            if override.db_type is None:
                continue
            if override.nullable is not None and override.nullable == column.not_null:
                continue
            if canonical(override.db_type) == type_name:
                return override
        return None

    @staticmethod
    def _override_type(override: Override) -> PyType:
        module, _, name = override.py_type.rpartition(".")
        imports = frozenset({Import(module)}) if module else frozenset()
        expr = f"{module_alias(module)}.{name}" if module else name
        builtin = next((t for t in BUILTIN.values() if t.expr == expr), None)
        return PyType(
            expr,
            imports,
            adapt=override.validate and builtin is None,
            arbitrary=builtin is None,
            exact=builtin.exact if builtin else None,
        )

    def _scalar(self, type_id: Identifier, where: Where, *, report: bool = True) -> PyType:
        """The annotation of one non-array type; FALLBACK, with a warning when `report`, for a
        type sqlc could not infer or that the plugin does not know."""
        schema, name = type_id.schema, type_id.name
        if "." in name and not schema:
            schema, name = name.split(".", 1)
        key = self.catalog.key(schema, name)
        if schema in ("", "pg_catalog"):
            builtin = BUILTIN.get(canonical(name))
            if builtin is not None:
                if canonical(name) in ("json", "jsonb"):
                    self.json_types.add(canonical(name))
                return self._sync(canonical(name), builtin)
        if key in self.catalog.enums:
            enum = self.catalog.enums[key]
            return PyType(enum, frozenset({Import(MODELS_IMPORT, enum)}), exact=enum, enum=enum)
        if key in self.catalog.domains:
            return self._scalar(Identifier("", "", self.catalog.domains[key]), where, report=report)
        if key in self.catalog.ranges or key in self.catalog.multiranges:
            return self._range(key, where, report=report)
        if key in self.catalog.composites:
            self.composites.add(key)
            return PyType(
                "_asyncpg.Record",
                frozenset({Import("asyncpg")}),
                arbitrary=True,
                param_expr="tuple[Any, ...]",
                param_imports=frozenset({Import("typing", "Any")}),
                sync_kind="composite",
                holds_enum=True,  # its fields may be enums: taken as so
            )
        if schema in ("", "information_schema") and name in INFORMATION_SCHEMA_DOMAINS:
            # sqlc reports them unqualified, so a schema's own type of the name comes first
            return self._scalar(Identifier("", "", INFORMATION_SCHEMA_DOMAINS[name]), where)
        extension = EXTENSION_TYPES.get(name) if schema in ("", "public") else None
        if extension is not None:
            if name in CODEC_EXTENSION_TYPES:
                self.extension_types.add(name)
            return self._sync(name, extension)
        if canonical(name) == "void" and schema in ("", "pg_catalog"):
            return PyType("None", exact=None)  # a function called for its effect
        if not report:
            return FALLBACK
        if canonical(name) in PSEUDO_TYPES or not name:
            self.diagnostics.warn(
                where.error(
                    f"sqlc could not infer a type (it reports {name or 'nothing'!r}), so it is "
                    "`object`: the value as the driver returns it. Fix: a cast in the query "
                    f"(such as ::bigint), an override of this column, {ANALYZER_FIX}"
                )
            )
            return FALLBACK
        shown = f"{schema}.{name}" if schema else name
        self.diagnostics.warn(
            where.error(
                f"unknown type {shown!r}, so it is `object`: the value as the driver returns "
                f"it. Fix: an override with db_type {shown!r} and a py_type, a cast in the "
                f"query, {ANALYZER_FIX}"
            )
        )
        return FALLBACK

    def _range(self, key: tuple[str, str], where: Where, *, report: bool) -> PyType:
        """A range of the schema's own: asyncpg.Range of its subtype; its multirange a list of
        them. The sync side sends both as text and loads them by the oid it looks up."""
        self.ranges.add(key)
        multirange = key in self.catalog.multiranges
        subtype = self.catalog.ranges[self.catalog.multiranges[key] if multirange else key]
        element = self._scalar(Identifier("", "", subtype), where, report=report)
        one = replace(
            asyncpg_class("Range", element),
            holds_enum=element.holds_enum or element.enum is not None,
        )
        if multirange:
            return replace(list_of(one), sync_kind="multirange")
        return replace(one, sync_kind="range")

    def _sync(self, name: str, py: PyType) -> PyType:
        """`py` marked with what the sync flavour needs for type `name`, if anything."""
        if name in SYNC_LOADED:
            self.sync_types.add(name)
        return replace(py, sync_kind=name) if name in SYNC_UNTYPED else py

    def _domain_array(self, type_id: Identifier) -> tuple[Identifier, int]:
        """A domain over an array is that array: its element type and its dimensions."""
        dims = 0
        while True:
            base = self.catalog.domains.get(self.catalog.key(type_id.schema, type_id.name))
            if base is None or not base.endswith("[]"):
                return type_id, dims
            element = base.removesuffix("[]" * base.count("[]"))
            dims += base.count("[]")
            type_id = Identifier("", "", element)
