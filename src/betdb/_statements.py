"""What betdb reads off a statement's text, for either driver: its name, and whether it only
reads (so it may be retried and sent to a replica)."""

from __future__ import annotations

import functools
import re

_NAME_LINE = re.compile(r"^--\s*name:\s*(\S+)")
_WRITE_WORDS = re.compile(
    r"\b(INSERT|UPDATE|DELETE|MERGE|COPY|CREATE|ALTER|DROP|TRUNCATE|CALL)\b", re.I
)
_READ_START = re.compile(r"^\s*(SELECT|WITH|VALUES|TABLE|SHOW)\b", re.I)
_STATUS_COUNT = re.compile(r"(\d+)$")


# Both run on every statement; the SQL constants are few, so each text is parsed once.
@functools.lru_cache(maxsize=1024)
def query_name(sql: str) -> str:
    """The name from the SQL's ``-- name:`` line, else the statement's first word."""
    match = _NAME_LINE.match(sql)
    if match:
        return match.group(1)
    stripped = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    words = stripped.split(None, 1)
    return f"<{words[0].upper()}>" if words else "<empty>"


@functools.lru_cache(maxsize=1024)
def is_read_only(sql: str) -> bool:
    """Whether the statement only reads, so running it twice is harmless."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return bool(_READ_START.match(body)) and not _WRITE_WORDS.search(body)


def copy_label(table_name: str) -> str:
    """What a COPY is named in logs and metrics (it has no SQL of its own)."""
    return f"-- name: copy:{table_name}\nCOPY {table_name}"


def status_row_count(status: str) -> int | None:
    """The row count at the end of a command status such as ``INSERT 0 5``."""
    match = _STATUS_COUNT.search(status)
    return int(match.group(1)) if match else None
