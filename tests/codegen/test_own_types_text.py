"""What the plugin reads from schema text and names itself: a range type's subtype and its
multirange's name as PostgreSQL gives it, and Python names of non-ASCII SQL names (the
server agrees on the multiranges in test_execution_usertypes)."""

from __future__ import annotations

from sqlc_gen_asyncpg.names import pascal, snake
from sqlc_gen_asyncpg.sqltext import domains, ranges


def test_a_range_types_multirange_is_named_as_postgresql_names_it() -> None:
    schema = """
    CREATE TYPE floatrange AS RANGE (subtype = float8);
    CREATE TYPE timespan AS RANGE (SUBTYPE = timestamp with time zone, subtype_diff = f);
    CREATE TYPE league.shift AS RANGE (subtype = time, multirange_type_name = league.shifts);
    CREATE TYPE money_range AS RANGE (subtype = pg_catalog.numeric);
    CREATE TYPE "Span" AS RANGE (subtype = "date");
    -- CREATE TYPE commented AS RANGE (subtype = int4);
    """
    assert ranges([schema], "public") == {
        ("public", "floatrange"): ("float8", ("public", "floatmultirange")),
        ("public", "timespan"): ("timestamp with time zone", ("public", "timespan_multirange")),
        ("league", "shift"): ("time", ("league", "shifts")),
        ("public", "money_range"): ("pg_catalog.numeric", ("public", "money_multirange")),
        ("public", "Span"): ("date", ("public", "Span_multirange")),
    }


def test_quoted_names_of_domains_and_ranges_are_read() -> None:
    schema = 'CREATE DOMAIN "Score" AS int; CREATE DOMAIN league."Tags" AS text[];'
    assert domains([schema], "public") == {
        ("public", "Score"): "int",
        ("league", "Tags"): "text[]",
    }


def test_non_ascii_letters_are_kept_in_the_form_python_reads_them() -> None:
    assert snake("Café") == "café"
    assert pascal("équipe_été") == "ÉquipeÉté"
    # Python reads identifiers in NFKC: the ligature is the name `field`, so generated as that
    assert snake("ﬁeld") == "field"
    assert snake("prix €") == "prix"
