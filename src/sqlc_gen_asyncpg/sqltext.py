"""What the plugin reads from SQL text itself, where sqlc's analysis stops short.

A small lexer marks which characters are code (not inside a literal, quoted identifier or
comment); the rest are careful regular expressions over the code.
"""

from __future__ import annotations

import re


def code_mask(sql: str, *, identifiers: bool = False) -> list[bool]:
    """For each character: True where it is SQL code, False inside literals and comments
    (and inside quoted identifiers, unless `identifiers`)."""
    mask = [True] * len(sql)
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        end = i
        if ch == "'":
            escaped = i > 0 and sql[i - 1] in "eE" and (i < 2 or not sql[i - 2].isalnum())
            end = i + 1
            while end < n:
                if escaped and sql[end] == "\\":
                    end += 2
                    continue
                if sql[end] == "'":
                    if end + 1 < n and sql[end + 1] == "'":
                        end += 2
                        continue
                    break
                end += 1
            end += 1
        elif ch == '"':
            close = sql.find('"', i + 1)
            close = n if close < 0 else close + 1
            if identifiers:
                i = close  # code, skipped whole: nothing in it opens a literal or comment
                continue
            end = close
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
        elif ch == "$":
            match = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", sql[i:])
            if match and not (i > 0 and (sql[i - 1].isalnum() or sql[i - 1] == "_")):
                tag = match.group(0)
                close = sql.find(tag, i + len(tag))
                end = n if close < 0 else close + len(tag)
        if end > i:
            for k in range(i, min(end, n)):
                mask[k] = False
            i = end
        else:
            i += 1
    return mask


def masked(sql: str, *, identifiers: bool = False) -> str:
    """The SQL with every literal and comment character replaced by a space (and every quoted
    identifier's, unless `identifiers`)."""
    mask = code_mask(sql, identifiers=identifiers)
    return "".join(c if keep or c == "\n" else " " for c, keep in zip(sql, mask, strict=True))


_DOMAIN = re.compile(
    r"\bCREATE\s+DOMAIN\s+(?:(?P<schema>\"?[A-Za-z_][\w$]*\"?)\.)?(?P<name>\"?[A-Za-z_][\w$]*\"?)"
    r"\s+(?:AS\s+)?(?P<base>[A-Za-z_][\w$. ]*?)(?=\s*(?:\(|\[|\bCONSTRAINT\b|\bCHECK\b|\bNOT\b"
    r"|\bNULL\b|\bDEFAULT\b|\bCOLLATE\b|;|$))"
    r"(?:\s*\([^)]*\))?(?P<dims>(?:\s*\[\s*\d*\s*\])*)",
    re.IGNORECASE,
)


def domains(schema_texts: list[str], default_schema: str) -> dict[tuple[str, str], str]:
    """(schema, domain) -> base type name, from CREATE DOMAIN statements (sqlc omits domains).

    A domain over an array keeps one `[]` per dimension: `CREATE DOMAIN e AS text[]` -> `text[]`.
    """
    found: dict[tuple[str, str], str] = {}
    for text in schema_texts:
        for match in _DOMAIN.finditer(masked(text, identifiers=True)):
            schema = (match.group("schema") or default_schema).strip('"')
            name = match.group("name").strip('"')
            base = " ".join(match.group("base").split())
            if base.lower().startswith("public."):
                base = base[len("public.") :]
            found[(schema, name)] = base + "[]" * match.group("dims").count("[")
    return found


_RANGE = re.compile(
    r"\bCREATE\s+TYPE\s+(?:(?P<schema>\"?[A-Za-z_][\w$]*\"?)\.)?(?P<name>\"?[A-Za-z_][\w$]*\"?)"
    r"\s+AS\s+RANGE\s*\((?P<body>[^;]*)\)\s*(?:;|$)",
    re.IGNORECASE,
)
_SUBTYPE = re.compile(r"\bsubtype\s*=\s*(?P<type>[A-Za-z_\"][\w$. \"]*?)\s*(?:,|$)", re.IGNORECASE)
_MULTIRANGE_NAME = re.compile(
    r"\bmultirange_type_name\s*=\s*(?:(?P<schema>\"?[A-Za-z_][\w$]*\"?)\.)?"
    r"(?P<name>\"?[A-Za-z_][\w$]*\"?)",
    re.IGNORECASE,
)


def ranges(
    schema_texts: list[str], default_schema: str
) -> dict[tuple[str, str], tuple[str, tuple[str, str]]]:
    """(schema, range) -> (subtype name, (schema, multirange)), from CREATE TYPE ... AS RANGE
    (sqlc omits range types). The multirange is named as PostgreSQL names it: `range` in the
    name replaced by `multirange`, else `_multirange` appended, unless the statement names it."""
    found: dict[tuple[str, str], tuple[str, tuple[str, str]]] = {}
    for text in schema_texts:
        for match in _RANGE.finditer(masked(text, identifiers=True)):
            body = " ".join(match.group("body").split())
            subtype = _SUBTYPE.search(body)
            if subtype is None:
                continue
            schema = (match.group("schema") or default_schema).strip('"')
            name = match.group("name").strip('"')
            base = subtype.group("type").replace('"', "")
            if base.lower().startswith("public."):
                base = base[len("public.") :]
            multi = _MULTIRANGE_NAME.search(body)
            if multi is not None:
                multi_key = (
                    (multi.group("schema") or schema).strip('"'),
                    multi.group("name").strip('"'),
                )
            elif "range" in name:
                multi_key = (schema, name.replace("range", "multirange", 1))
            else:
                multi_key = (schema, f"{name}_multirange")
            found[(schema, name)] = (base, multi_key)
    return found


def rewrite_slices(sql: str, numbers: list[int]) -> str:
    """sqlc.slice leaves `IN ($n)` with one array parameter: PostgreSQL needs `= ANY($n)`."""
    if not numbers:
        return sql
    code = masked(sql)
    for number in numbers:
        for pattern, replacement in (
            (rf"\bNOT\s+IN\s*\(\s*\${number}\s*\)", f"<> ALL(${number})"),
            (rf"\bIN\s*\(\s*\${number}\s*\)", f"= ANY(${number})"),
        ):
            for match in reversed(list(re.finditer(pattern, code, re.IGNORECASE))):
                start, end = match.span()
                sql = sql[:start] + replacement + sql[end:]
                code = code[:start] + replacement + code[end:]
    return sql


_JOIN = re.compile(
    r"\b(?:(?P<kind>LEFT|RIGHT|FULL|INNER|CROSS)\s+)?(?:OUTER\s+)?(?:NATURAL\s+)?JOIN\b"
    r"|\bFROM\b|,",
    re.IGNORECASE,
)
_ITEM = re.compile(
    r"\s*(?:ONLY\s+)?(?P<table>(?:\"?[A-Za-z_][\w$]*\"?\.)?\"?[A-Za-z_][\w$]*\"?)"
    r"(?:\s+(?:AS\s+)?(?P<alias>\"?[A-Za-z_][\w$]*\"?))?",
    re.IGNORECASE,
)
_NOT_ALIAS = frozenset(
    {
        "on",
        "using",
        "where",
        "left",
        "right",
        "full",
        "inner",
        "cross",
        "join",
        "natural",
        "group",
        "order",
        "limit",
        "offset",
        "window",
        "having",
        "union",
        "except",
        "intersect",
        "for",
        "returning",
        "set",
        "outer",
        "lateral",
        "tablesample",
        "fetch",
    }
)


class EmbedResolver:
    """Which sqlc.embed tables sit on the nullable side of an outer join.

    The rule: the top-level FROM items are read in order with their join kind; an item is
    nullable when it is joined with LEFT or FULL JOIN, or when any later item is joined with
    RIGHT or FULL JOIN. The embed's alias is found from sqlc's expansion (`alias.col, ...`).
    Where the item cannot be found, any outer join in the query makes the embed nullable.
    """

    def __init__(self, sql: str, default_schema: str) -> None:
        self.code = masked(sql)
        self.items = self._items(self.code)
        self.used: dict[str, int] = {}
        self.any_outer = bool(re.search(r"\b(LEFT|RIGHT|FULL)\b", self.code, re.IGNORECASE))

    @staticmethod
    def _items(code: str) -> list[tuple[str, str, str]]:
        depth = 0
        depths: list[int] = []
        for ch in code:
            if ch == "(":
                depth += 1
            depths.append(depth)
            if ch == ")":
                depth -= 1
        items: list[tuple[str, str, str]] = []
        in_from = False
        for match in _JOIN.finditer(code):
            if depths[match.start()] != 0:
                continue
            token = match.group(0).upper()
            if token == "FROM":
                in_from, kind = True, "FROM"
            elif token == ",":
                if not in_from:
                    continue
                kind = "INNER"
            else:
                in_from = True
                kind = (match.group("kind") or "INNER").upper()
            item = _ITEM.match(code, match.end())
            if item is None:
                continue
            table = item.group("table").split(".")[-1].strip('"')
            alias = (item.group("alias") or "").strip('"')
            if alias.lower() in _NOT_ALIAS:
                alias = ""
            items.append((table, alias or table, kind))
        return items

    def _alias(self, table: str, columns: list[str]) -> str | None:
        if not columns:
            return None
        pattern = r"(?P<q>\"?[A-Za-z_][\w$]*\"?)\.\"?" + re.escape(columns[0]) + r"\"?"
        for column in columns[1:2]:
            pattern += r"\s*,\s*(?P=q)\.\"?" + re.escape(column) + r"\"?"
        found = [m.group("q").strip('"') for m in re.finditer(pattern, self.code)]
        seen = self.used.get(table, 0)
        self.used[table] = seen + 1
        return found[seen] if seen < len(found) else None

    def resolve(self, table: str, columns: list[str]) -> tuple[str | None, bool]:
        alias = self._alias(table, columns)
        name = alias or table
        for position, (item_table, item_alias, _) in enumerate(self.items):
            if item_alias == name or (alias is None and item_table == table):
                later = [kind for _, _, kind in self.items[position + 1 :]]
                kind = self.items[position][2]
                nullable = kind in ("LEFT", "FULL") or any(k in ("RIGHT", "FULL") for k in later)
                return alias, nullable
        return alias, self.any_outer
