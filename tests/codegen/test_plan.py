"""The planner's decisions, read from the plan itself: nothing is rendered here.

Each test plans a real request (captured from sqlc for a codegen case) and asserts the names,
types, nullability and shapes the generated code will have.
"""

from __future__ import annotations

import ast
import base64
import json
from pathlib import Path
from typing import Any

import pytest

from sqlc_gen_asyncpg.errors import PlanFailedError
from sqlc_gen_asyncpg.options import parse_options
from sqlc_gen_asyncpg.pgtypes import Import
from sqlc_gen_asyncpg.plan import (
    AdapterPlan,
    ColumnRead,
    ExactCheck,
    ModelPlan,
    ModelRead,
    PackagePlan,
    QueryPlan,
)
from sqlc_gen_asyncpg.planner import plan_request
from sqlc_gen_asyncpg.request import parse_request

from .conftest import CASES, captured_request


@pytest.fixture(scope="module")
def everything_request(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return captured_request("everything", tmp_path_factory.mktemp("plan"))


def planned(request: dict[str, Any], **options: Any) -> PackagePlan:
    """The plan of the everything case, its options changed by `options`."""
    if options:
        current = json.loads(base64.b64decode(request["plugin_options"]))
        current.update(options)
        request = {**request, "plugin_options": base64.b64encode(json.dumps(current).encode())}
    parsed = parse_request(json.dumps(request, default=bytes.decode))
    return plan_request(parsed, parse_options(parsed.plugin_options), root=CASES / "everything")


@pytest.fixture(scope="module")
def plan(everything_request: dict[str, Any]) -> PackagePlan:
    return planned(everything_request)


def query(plan: PackagePlan, name: str) -> QueryPlan:
    return next(q for m in plan.modules for q in m.queries if q.name == name)


def model(plan: PackagePlan, name: str) -> ModelPlan:
    found = [*plan.tables, *(m for module in plan.modules for m in module.models)]
    return next(m for m in found if m.class_name == name)


def fields(plan: PackagePlan, name: str) -> dict[str, str]:
    return {f.name: f.annotation for f in model(plan, name).fields}


def test_table_models_are_singular_classes_with_every_column_typed(plan: PackagePlan) -> None:
    assert [t.class_name for t in plan.tables] == ["Author", "Book"]
    author = fields(plan, "Author")
    assert author["id"] == "int"
    assert author["bio"] == "str | None"
    assert author["mood"] == "Mood"
    assert author["moods"] == "list[Mood | None] | None"
    assert author["matrix"] == "list[list[int | None]] | None"
    assert author["score"] == "int | None"  # the domain positive_int is its base type
    assert author["nick"] == "str | None"  # citext
    assert "lambda" not in author
    assert author["lambda_"] == "str | None"  # the rename option
    assert fields(plan, "Book")["cost"] == "_codegen_money.Money"  # the column override


def test_enums_keep_their_labels_and_get_valid_member_names(plan: PackagePlan) -> None:
    (mood,) = plan.enums
    assert mood.class_name == "Mood"
    assert mood.members == (
        ("HAPPY", "happy"),
        ("SAD", "sad"),
        ("SO_SO", "so-so"),
        ("VALUE_1ST", "1st"),
    )


def test_each_command_returns_its_shape_through_its_driver_method(plan: PackagePlan) -> None:
    shapes = {
        name: (query(plan, name).returns, query(plan, name).driver_method)
        for name in (
            "GetAuthor",
            "ListAuthorsByMood",
            "RenameAuthor",
            "DeleteBooksOf",
            "TouchBooks",
            "CopyBooks",
            "RetitleBooks",
            "BooksOfAuthors",
            "BookById",
        )
    }
    assert shapes == {
        "GetAuthor": ("Author | None", "fetchrow"),
        "ListAuthorsByMood": ("list[Author]", "fetch"),
        "RenameAuthor": ("None", "execute"),
        "DeleteBooksOf": ("int", "execute"),
        "TouchBooks": ("str", "execute"),
        "CopyBooks": ("int", "copy_records_to_table"),
        "RetitleBooks": ("None", "executemany"),
        "BooksOfAuthors": ("list[list[Book]]", "fetchmany"),
        "BookById": ("list[Book | None]", "fetchmany"),
    }
    assert query(plan, "ListAuthorsByMood").iter_returns == "AsyncIterator[Author]"
    assert query(plan, "GetAuthor").iter_method is None


def test_a_whole_table_result_is_the_table_model(plan: PackagePlan) -> None:
    get_author = query(plan, "GetAuthor")
    assert get_author.result == "Author"
    assert get_author.read == ModelRead("_decode_author")
    (decoder,) = [d for m in plan.modules for d in m.decoders if d.function == "_decode_author"]
    assert [name for name, _ in decoder.reads][:3] == ["id", "name", "bio"]
    assert decoder.reads[-1] == ("lambda_", ColumnRead(27))


def test_computed_columns_are_optional_unless_the_author_vouches(plan: PackagePlan) -> None:
    vouched = query(plan, "CountAuthors")  # listed in the not_null option
    assert (vouched.result, vouched.read) == ("int", ColumnRead(0))
    unsure = query(plan, "CountAuthorsUnsure")
    assert unsure.result == "CountAuthorsUnsureRow"
    assert fields(plan, "CountAuthorsUnsureRow") == {"total": "int | None"}


def test_parameters_keep_their_names_and_nullability(plan: PackagePlan) -> None:
    rename = query(plan, "RenameAuthor")
    assert [(p.name, p.annotation, p.number) for p in rename.params] == [
        ("name", "str", 1),
        ("id", "int", 2),
    ]
    assert rename.params_model is None
    assert rename.args_adapter == "_RENAME_AUTHOR_ARGS"
    assert [(p.name, p.annotation) for p in query(plan, "DeleteBooksOf").params] == [
        ("author_id", "int | None")  # books.author_id is nullable
    ]


def test_a_slice_is_a_sequence_parameter_and_the_sql_compares_with_any(
    plan: PackagePlan,
) -> None:
    by_ids = query(plan, "ListAuthorsByIds")
    assert [(p.name, p.annotation) for p in by_ids.params] == [("ids", "Sequence[int]")]
    assert "WHERE id = ANY($1) ORDER BY id" in by_ids.sql
    assert "IN (" not in by_ids.sql


def test_many_parameters_become_a_params_model(
    plan: PackagePlan, everything_request: dict[str, Any]
) -> None:
    search = query(plan, "SearchBooks")  # 5 parameters, above query_parameter_limit 4
    assert search.params_model == "SearchBooksParams"
    assert search.args_adapter is None  # the model validates instead
    assert model(plan, "SearchBooksParams").base == "ParamsModel"
    raised_limit = planned(everything_request, query_parameter_limit=5)
    assert query(raised_limit, "SearchBooks").params_model is None


def test_copyfrom_takes_params_models_or_tuples_and_names_its_columns(plan: PackagePlan) -> None:
    copy = query(plan, "CopyBooks")
    assert copy.params_model == "CopyBooksParams"
    assert copy.values_alias == "CopyBooksValues"
    assert copy.args_adapter == "_COPY_BOOKS_ARGS"
    assert (copy.copy_table, copy.copy_schema) == ("books", None)
    assert copy.copy_columns == ("author_id", "title", "cost")


def test_batch_queries_carry_the_index_of_each_parameter_set(plan: PackagePlan) -> None:
    batch = query(plan, "BooksOfAuthors")
    assert batch.batch_constant == "BOOKS_OF_AUTHORS_BATCH"
    assert batch.batch_sql is not None
    assert batch.batch_sql.startswith("-- name: BooksOfAuthors :batchmany\nWITH batch_query AS (")
    assert batch.batch_sql.endswith("SELECT *, $2::int4 AS batch_index FROM batch_query\n")
    assert batch.width == 4  # the batch index is the column after the book's four


def test_an_embed_on_the_outer_side_of_a_left_join_may_be_none(plan: PackagePlan) -> None:
    assert fields(plan, "AuthorsWithBooksRow") == {"author": "Author", "book": "Book | None"}
    (decoder,) = [d for m in plan.modules for d in m.decoders if d.model == "AuthorsWithBooksRow"]
    reads = dict(decoder.reads)
    assert reads["author"] == ModelRead("_decode_author")
    # the book's columns follow the author's 28; its NOT NULL id says whether it is there
    assert reads["book"] == ModelRead("_decode_book_at_28", none_when_null=(28,))
    assert fields(plan, "BooksWithAuthorsRow") == {"book": "Book", "author": "Author"}


def test_an_override_column_is_converted_on_read(plan: PackagePlan) -> None:
    (decoder,) = [d for m in plan.modules for d in m.decoders if d.function == "_decode_book"]
    assert dict(decoder.reads)["cost"] == ColumnRead(3, adapter="_COLUMN_TYPE")


def test_the_sql_and_comments_are_kept_as_sqlc_hands_them_over(plan: PackagePlan) -> None:
    create = query(plan, "CreateAuthor")
    first, second = create.sql.splitlines()[1:3]
    assert first.startswith("INSERT INTO authors (name, bio, mood, moods, tags, data, price, born")
    assert first.endswith("ratio, weight, rank, flag, matrix)")  # one line of 190 characters
    assert second.startswith("VALUES ($1, $2")
    assert second.endswith("$25, $26)")
    assert create.docstring == ("Insert an author and return it.",)


def test_validation_error_makes_invalid_arguments_the_users_class(
    plan: PackagePlan, everything_request: dict[str, Any]
) -> None:
    assert plan.invalid_arguments is None
    custom = planned(everything_request, validation_error="myapp.errors.BadInput")
    assert custom.invalid_arguments == Import("myapp.errors", "BadInput")


def test_a_query_the_plugin_cannot_support_is_skipped_with_a_warning_naming_it(
    everything_request: dict[str, Any],
) -> None:
    request = json.loads(json.dumps(everything_request))
    request["queries"][0]["cmd"] = ":sometimes"
    plan = planned(request)
    names = [q.name for m in plan.modules for q in m.queries]
    assert "CreateAuthor" not in names
    assert len(names) == len(request["queries"]) - 1
    assert plan.warnings == (
        "query.sql: query CreateAuthor: skipped, not generated: annotation :sometimes is not "
        "supported; use one of :one, :many, :exec, :execrows, :execresult, :copyfrom, "
        ":batchexec, :batchmany, :batchone",
    )
    # nothing of the skipped query is left behind: the module is the one without it
    request["queries"] = request["queries"][1:]
    assert planned(request).modules == plan.modules


def test_every_refused_construct_is_reported_at_once(everything_request: dict[str, Any]) -> None:
    request = json.loads(json.dumps(everything_request))
    request["queries"][0]["cmd"] = ":sometimes"
    request["queries"][1]["cmd"] = ":never"
    with pytest.raises(PlanFailedError) as failed:
        planned(request, strict_types=True)
    assert [str(e) for e in failed.value.errors] == [
        "query.sql: query CreateAuthor: annotation :sometimes is not supported; use one of "
        ":one, :many, :exec, :execrows, :execresult, :copyfrom, :batchexec, :batchmany, "
        ":batchone",
        "query.sql: query GetAuthor: annotation :never is not supported; use one of "
        ":one, :many, :exec, :execrows, :execresult, :copyfrom, :batchexec, :batchmany, "
        ":batchone",
    ]


def import_graph(package: Path, name: str) -> dict[str, set[str]]:
    """module -> the modules of the same package it imports (at any level, TYPE_CHECKING too)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(package.glob("*.py")):
        module = path.stem
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                targets = [node.module] if node.module else [a.name for a in node.names]
                edges.update(t.split(".")[0] for t in targets)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(name + "."):
                edges.add((node.module or "").split(".")[1])
            elif isinstance(node, ast.Import):
                inside = [a.name for a in node.names if a.name.startswith(name + ".")]
                edges.update(a.split(".")[1] for a in inside)
        graph[module] = edges - {module}
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path of modules, or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_the_plugin_import_graph_has_no_cycle() -> None:
    package = Path(__file__).parents[2] / "src" / "sqlc_gen_asyncpg"
    graph = import_graph(package, "sqlc_gen_asyncpg")
    renderers = {"render", "render_db", "render_models", "render_queries", "layout"}
    assert graph["render_queries"] >= {"plan", "layout"}
    for renderer in renderers:  # rendering knows the plan, not how it is made
        assert not graph[renderer] & {"planner", "queries", "tables", "catalog", "columntypes"}
    assert cycle_in(graph) == []
    assert cycle_in({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]


def test_lists_of_models_decode_in_one_loop_and_single_rows_do_not(plan: PackagePlan) -> None:
    decoders = {
        name: query(plan, name).rows_decoder
        for name in ("GetAuthor", "ListAuthorsByMood", "AuthorNames", "BooksOfAuthors", "BookById")
    }
    assert decoders == {
        "GetAuthor": None,  # one row: nothing to loop over
        "ListAuthorsByMood": "_decode_many_author",
        "AuthorNames": None,  # scalars: no models to build
        "BooksOfAuthors": "_decode_many_book",
        "BookById": "_decode_many_book",
    }
    (author,) = [d for m in plan.modules for d in m.decoders if d.function == "_decode_author"]
    assert author.rows_function == "_decode_many_author"


def adapter_of(plan: PackagePlan, name: str) -> AdapterPlan:
    constant = query(plan, name).args_adapter
    return next(a for m in plan.modules for a in m.adapters if a.constant == constant)


def test_arguments_with_an_exact_type_each_get_a_fast_path(plan: PackagePlan) -> None:
    copy = adapter_of(plan, "CopyBooks")
    assert copy.exact_function == "_copy_books_is_exact"
    assert copy.exact == (
        ExactCheck("int", nullable=True),
        ExactCheck("str", text=True),
        # Money is a Decimal with a bound: the Decimal test, then Money's own validator
        ExactCheck("_decimal.Decimal", finite=True, override="_codegen_money.Money"),
    )
    assert adapter_of(plan, "ListAuthorsByMood").exact == (ExactCheck("Mood"),)


def test_sequences_have_no_fast_path(plan: PackagePlan) -> None:
    for name in ("ListAuthorsByIds", "AuthorsInMoods"):  # a slice and an array
        adapter = adapter_of(plan, name)
        assert adapter.exact_function is None
        assert adapter.exact == ()


def test_row_type_record_returns_record_classes_the_driver_builds(
    everything_request: dict[str, Any],
) -> None:
    assert planned(everything_request, row_types={"AuthorNames": "model"}).uses_records is False
    records = planned(
        everything_request,
        row_type="record",
        row_types={"AuthorsWithBooks": "model", "BooksWithAuthors": "model"},
    )
    assert records.uses_records
    get_author = query(records, "GetAuthor")
    assert (get_author.record_class, get_author.returns) == ("AuthorRecord", "AuthorRecord | None")
    assert get_author.read is None  # the driver builds the row: nothing to decode
    listing = query(records, "ListAuthorsByMood")
    assert (listing.returns, listing.rows_decoder) == ("list[AuthorRecord]", None)
    assert listing.iter_returns == "AsyncIterator[AuthorRecord]"
    assert query(records, "BookById").returns == "list[BookRecord | None]"
    assert query(records, "AuthorNames").returns == "list[str]"  # a scalar stays a scalar
    kept = query(records, "AuthorsWithBooks")
    assert (kept.record_class, kept.rows_decoder) == (None, "_decode_many_authors_with_books_row")
    (module,) = records.modules
    book = next(r for r in module.records if r.class_name == "BookRecord")
    assert (book.model, book.decoder) == ("Book", "_decode_book")
    assert [(c.name, c.annotation, c.index, c.adapter) for c in book.columns] == [
        ("id", "int", 0, None),
        ("author_id", "int | None", 1, None),
        ("title", "str", 2, None),
        ("cost", "_codegen_money.Money", 3, "_COLUMN_TYPE"),  # converted on read, as in models
    ]


def test_row_type_record_refuses_embeds_and_unknown_query_names(
    everything_request: dict[str, Any],
) -> None:
    with pytest.raises(PlanFailedError) as failed:
        planned(
            everything_request,
            row_type="record",
            row_types={"NoSuchQuery": "model"},
            strict_types=True,
        )
    messages = [str(e) for e in failed.value.errors]
    assert "query.sql: query AuthorsWithBooks: column author: row_type record cannot hold " in (
        "\n".join(messages)
    )
    assert "options.row_types names 'NoSuchQuery', which is no query" in messages


def test_row_type_record_refuses_a_column_hiding_a_tuple_method_of_the_sync_row(
    everything_request: dict[str, Any],
) -> None:
    current = json.loads(base64.b64decode(everything_request["plugin_options"]))
    renamed = {**current.get("rename", {}), "books.title": "count"}
    options = {
        "row_type": "record",
        "row_types": {"AuthorsWithBooks": "model", "BooksWithAuthors": "model"},
        "rename": renamed,
    }
    # async alone: an asyncpg.Record has no count, so the column may take the name
    book = next(
        r for m in planned(everything_request, emit_sync=False, **options).modules
        for r in m.records
        if r.class_name == "BookRecord"
    )  # fmt: skip
    assert [c.name for c in book.columns][2] == "count"
    with pytest.raises(PlanFailedError) as failed:
        planned(everything_request, emit_sync=True, strict_types=True, **options)
    assert any(
        "a column named 'count' would hide tuple.count in the sync row of BookRecord: "
        "add a rename" in str(e)
        for e in failed.value.errors
    ), [str(e) for e in failed.value.errors]


def test_validate_false_reads_the_column_as_is_but_still_checks_arguments(
    everything_request: dict[str, Any],
) -> None:
    unchecked = {"column": "books.cost", "py_type": "codegen.money.Money", "validate": False}
    plan = planned(everything_request, overrides=[unchecked])
    (decoder,) = [d for m in plan.modules for d in m.decoders if d.function == "_decode_book"]
    assert dict(decoder.reads)["cost"] == ColumnRead(3)  # PostgreSQL typed it: no TypeAdapter
    assert fields(plan, "Book")["cost"] == "_codegen_money.Money"
    copy = adapter_of(plan, "CopyBooks")
    assert copy.exact[2].override == "_codegen_money.Money"  # arguments from users: validated


def plan_of(case: str, tmp_path: Path) -> PackagePlan:
    parsed = parse_request(json.dumps(captured_request(case, tmp_path), default=bytes.decode))
    return plan_request(parsed, parse_options(parsed.plugin_options), root=CASES / case)


def test_the_sync_side_loads_the_types_psycopg_decodes_otherwise(tmp_path: Path) -> None:
    shapes = plan_of("pgtypes", tmp_path)
    assert {"int4range", "int4multirange", "varbit", "point", "circle", "pg_lsn"} <= set(
        shapes.sync_types
    )
    # psycopg decodes these as asyncpg does by itself: no loader of ours
    assert not {"oid", "money", "regclass", "interval", "inet", "cidr"} & set(shapes.sync_types)
    labels = plan_of("extensions", tmp_path)
    assert set(labels.sync_types) == {"hstore", "ltree", "lquery"}  # lquery: a cast's type
    joins = plan_of("joins_and_types", tmp_path)
    assert joins.composites == (("public", "point2"),)
    assert joins.sync_types == ()


def test_parameters_psycopg_would_type_wrongly_are_sent_untyped(tmp_path: Path) -> None:
    shapes = plan_of("pgtypes", tmp_path)
    kinds = {p.name: p.sync_kind for p in query(shapes, "CreateShape").params}
    assert kinds["i4"] == "int4range"
    assert kinds["i4s"] == "int4multirange"
    assert kinds["i4_list"] == "int4range[]"
    assert kinds["lsn_list"] == "pg_lsn[]"
    assert kinds["o"] == "oid"
    # the Python class says the type already (str goes untyped anyway, timedelta as interval)
    for name in ("id", "cash", "rel", "mac_list", "span", "addr", "nets"):
        assert kinds[name] is None, name
    assert [p.sync_kind for p in query(shapes, "ShapesOverlapping").params] == ["int4range"]
    joins = plan_of("joins_and_types", tmp_path)
    home = next(p for p in query(joins, "MoveHome").params if p.name == "home")
    assert home.sync_kind == "composite"
    assert all(p.sync_kind is None for p in query(joins, "PlayersByContact").params)
