"""Connection parameters as libpq reads them: a URL or `key=value` string, then PG* variables.

verify runs where psql and the application run, so it takes what they take: a
postgresql:// URL or a `host=... dbname=...` string, the environment for what neither gives
(PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT), and a password
file (`passfile=`, else PGPASSFILE, else ~/.pgpass) when no password is given.
"""

from __future__ import annotations

import getpass
import os
import re
import stat
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

_ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "dbname": "PGDATABASE",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "passfile": "PGPASSFILE",
}
_KEYWORD = re.compile(r"\s*(\w+)\s*=\s*")
_URL_NAMES = {"database": "dbname"}


class ConninfoError(ValueError):
    """The connection string cannot be read; the text says where."""


def parameters(dsn: str) -> dict[str, str]:
    """Every connection parameter: the DSN's, then the environment's for what it lacks."""
    given = _from_url(dsn) if "://" in dsn else _from_keywords(dsn)
    found = {key: value for key, value in given.items() if value != ""}
    for key, variable in _ENVIRONMENT.items():
        if key not in found and os.environ.get(variable):
            found[key] = os.environ[variable]
    found.setdefault("host", "localhost")
    found.setdefault("port", "5432")
    found.setdefault("user", _login_name())
    found.setdefault("dbname", found["user"])
    found.setdefault("sslmode", "prefer")
    if "password" not in found:
        password = passfile_password(found)
        if password is not None:
            found["password"] = password
    return found


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "postgres"


def _from_url(dsn: str) -> dict[str, str]:
    parts = urlsplit(dsn)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConninfoError(
            "the DSN must be a URL such as postgresql://user:password@host:5432/database"
            " or key=value pairs such as 'host=localhost dbname=app'"
        )
    try:
        port = parts.port
    except ValueError as error:
        raise ConninfoError(f"the DSN's port is not a number: {error}") from None
    found = {
        "host": unquote(parts.hostname or ""),
        "port": str(port or ""),
        "user": unquote(parts.username or ""),
        "dbname": unquote(parts.path.lstrip("/")),
    }
    if parts.password is not None:
        found["password"] = unquote(parts.password)
    for key, value in parse_qsl(parts.query):
        found[_URL_NAMES.get(key, key)] = value
    return found


def _from_keywords(dsn: str) -> dict[str, str]:
    """libpq's `key=value` form: values bare or single-quoted, with backslash escapes."""
    found: dict[str, str] = {}
    position = 0
    text = dsn.strip()
    while position < len(text):
        match = _KEYWORD.match(text, position)
        if match is None:
            raise ConninfoError(
                f"cannot read the connection string at {text[position:]!r}: expected key=value"
            )
        position = match.end()
        value, position = _value(text, position)
        found[match.group(1)] = value
        while position < len(text) and text[position].isspace():
            position += 1
    return found


def _value(text: str, position: int) -> tuple[str, int]:
    quoted = position < len(text) and text[position] == "'"
    position += quoted
    value: list[str] = []
    while position < len(text):
        char = text[position]
        if char == "\\" and position + 1 < len(text):
            value.append(text[position + 1])
            position += 2
            continue
        if (quoted and char == "'") or (not quoted and char.isspace()):
            return "".join(value), position + quoted
        value.append(char)
        position += 1
    if quoted:
        raise ConninfoError("the connection string has an unterminated quoted value")
    return "".join(value), position


def passfile_password(found: dict[str, str]) -> str | None:
    """The password of the first matching line of the password file, as libpq chooses it."""
    path = Path(found.get("passfile") or Path.home() / ".pgpass").expanduser()
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode) or mode & (stat.S_IRWXG | stat.S_IRWXO):
            return None  # libpq ignores a password file others may read, and so does verify
        lines = path.read_text().splitlines()
    except OSError:
        return None
    host = found["host"]
    if host.startswith("/"):
        host = "localhost"  # libpq's rule for a Unix-domain socket
    wanted = (host, found["port"], found["dbname"], found["user"])
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = _passfile_fields(line)
        if len(fields) < 5:
            continue
        if all(field in ("*", value) for field, value in zip(fields[:4], wanted, strict=True)):
            return ":".join(fields[4:])
    return None


def _passfile_fields(line: str) -> list[str]:
    """hostname:port:database:username:password, where \\: and \\\\ stand for : and \\."""
    fields, current, escaped = [], [], False
    for char in line:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return fields
