"""sqlc's GenerateRequest and GenerateResponse (plugin protocol, JSON form) as typed objects.

Keys are the protobuf field names; unset messages arrive as null and bytes as base64.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Identifier:
    catalog: str
    schema: str
    name: str

    @classmethod
    def parse(cls, data: dict[str, Any] | None) -> Identifier | None:
        if not data:
            return None
        return cls(data.get("catalog", ""), data.get("schema", ""), data.get("name", ""))


@dataclass(frozen=True)
class Column:
    name: str
    not_null: bool
    is_array: bool
    array_dims: int
    comment: str
    length: int
    is_named_param: bool
    is_func_call: bool
    scope: str
    table: Identifier | None
    table_alias: str
    type: Identifier
    is_sqlc_slice: bool
    embed_table: Identifier | None
    original_name: str
    unsigned: bool

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Column:
        return cls(
            name=data.get("name", ""),
            not_null=bool(data.get("not_null")),
            is_array=bool(data.get("is_array")),
            array_dims=int(data.get("array_dims") or 0),
            comment=data.get("comment", ""),
            length=int(data.get("length", -1)),
            is_named_param=bool(data.get("is_named_param")),
            is_func_call=bool(data.get("is_func_call")),
            scope=data.get("scope", ""),
            table=Identifier.parse(data.get("table")),
            table_alias=data.get("table_alias", ""),
            type=Identifier.parse(data.get("type")) or Identifier("", "", ""),
            is_sqlc_slice=bool(data.get("is_sqlc_slice")),
            embed_table=Identifier.parse(data.get("embed_table")),
            original_name=data.get("original_name", ""),
            unsigned=bool(data.get("unsigned")),
        )


@dataclass(frozen=True)
class Table:
    rel: Identifier
    columns: tuple[Column, ...]
    comment: str


@dataclass(frozen=True)
class Enum:
    name: str
    vals: tuple[str, ...]
    comment: str


@dataclass(frozen=True)
class CompositeType:
    name: str
    comment: str


@dataclass(frozen=True)
class Schema:
    name: str
    comment: str
    tables: tuple[Table, ...]
    enums: tuple[Enum, ...]
    composite_types: tuple[CompositeType, ...]


@dataclass(frozen=True)
class Catalog:
    name: str
    comment: str
    default_schema: str
    schemas: tuple[Schema, ...]


@dataclass(frozen=True)
class Parameter:
    number: int
    column: Column


@dataclass(frozen=True)
class Query:
    text: str
    name: str
    cmd: str
    columns: tuple[Column, ...]
    params: tuple[Parameter, ...]
    comments: tuple[str, ...]
    filename: str
    insert_into_table: Identifier | None


@dataclass(frozen=True)
class Settings:
    version: str
    engine: str
    schema: tuple[str, ...]
    queries: tuple[str, ...]
    codegen_out: str
    codegen_plugin: str


@dataclass(frozen=True)
class GenerateRequest:
    settings: Settings
    catalog: Catalog
    queries: tuple[Query, ...]
    sqlc_version: str
    plugin_options: bytes
    global_options: bytes


@dataclass(frozen=True)
class File:
    name: str
    contents: bytes


def _bytes(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def _schema(data: dict[str, Any]) -> Schema:
    return Schema(
        name=data.get("name", ""),
        comment=data.get("comment", ""),
        tables=tuple(
            Table(
                rel=Identifier.parse(t.get("rel")) or Identifier("", "", ""),
                columns=tuple(Column.parse(c) for c in t.get("columns") or ()),
                comment=t.get("comment", ""),
            )
            for t in data.get("tables") or ()
        ),
        enums=tuple(
            Enum(e.get("name", ""), tuple(e.get("vals") or ()), e.get("comment", ""))
            for e in data.get("enums") or ()
        ),
        composite_types=tuple(
            CompositeType(c.get("name", ""), c.get("comment", ""))
            for c in data.get("composite_types") or ()
        ),
    )


def _query(data: dict[str, Any]) -> Query:
    return Query(
        text=data.get("text", ""),
        name=data.get("name", ""),
        cmd=data.get("cmd", ""),
        columns=tuple(Column.parse(c) for c in data.get("columns") or ()),
        params=tuple(
            Parameter(int(p.get("number", 0)), Column.parse(p.get("column") or {}))
            for p in data.get("params") or ()
        ),
        comments=tuple(data.get("comments") or ()),
        filename=data.get("filename", ""),
        insert_into_table=Identifier.parse(data.get("insert_into_table")),
    )


def parse_request(raw: bytes | str) -> GenerateRequest:
    data = json.loads(raw)
    settings = data.get("settings") or {}
    codegen = settings.get("codegen") or {}
    catalog = data.get("catalog") or {}
    return GenerateRequest(
        settings=Settings(
            version=settings.get("version", ""),
            engine=settings.get("engine", ""),
            schema=tuple(settings.get("schema") or ()),
            queries=tuple(settings.get("queries") or ()),
            codegen_out=codegen.get("out", ""),
            codegen_plugin=codegen.get("plugin", ""),
        ),
        catalog=Catalog(
            name=catalog.get("name", ""),
            comment=catalog.get("comment", ""),
            default_schema=catalog.get("default_schema", "") or "public",
            schemas=tuple(_schema(s) for s in catalog.get("schemas") or ()),
        ),
        queries=tuple(_query(q) for q in data.get("queries") or ()),
        sqlc_version=data.get("sqlc_version", ""),
        plugin_options=_bytes(data.get("plugin_options")),
        global_options=_bytes(data.get("global_options")),
    )


def encode_response(files: list[File]) -> bytes:
    payload = {
        "files": [
            {"name": f.name, "contents": base64.b64encode(f.contents).decode("ascii")}
            for f in files
        ]
    }
    return json.dumps(payload, sort_keys=True).encode("utf-8")
