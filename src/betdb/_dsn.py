"""Taking PostgreSQL DSNs apart and putting them back, without a driver."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit


def with_database(dsn: str, database: str) -> str:
    """The same DSN naming another database."""
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


_SCHEMES = ("postgresql://", "postgres://")
_MUST_BE_ENCODED = "@/?#"


def _authority_and_rest(dsn: str) -> tuple[str, str, str]:
    """(userinfo, hosts, rest) of a postgresql:// DSN, split at its last '@' before the path."""
    body = dsn.split("://", 1)[1]
    at = body.rfind("@")
    userinfo, after = (body[:at], body[at + 1 :]) if at >= 0 else ("", body)
    end = min((i for i in (after.find("/"), after.find("?")) if i >= 0), default=len(after))
    return userinfo, after[:end], after[end:]


def check_dsn(dsn: str, allowed_sslmodes: frozenset[str]) -> None:
    """Raise ValueError saying what is wrong with a DSN; the message never quotes a password."""
    if not dsn.lower().startswith(_SCHEMES):
        raise ValueError("must be a URL starting with postgresql:// (postgresql://user@host/db)")
    userinfo, hosts, rest = _authority_and_rest(dsn)
    if any(char in userinfo for char in _MUST_BE_ENCODED) or "#" in rest:
        raise ValueError(
            "the user or password holds a character that must be percent-encoded in a URL: "
            "@ as %40, / as %2F, ? as %3F, # as %23"
        )
    for host in filter(None, hosts.split(",")):
        port = host.rsplit("]", 1)[1] if host.startswith("[") else host
        if ":" not in port:
            continue
        number = port.rsplit(":", 1)[1]
        name = host.rsplit(":", 1)[0]
        if not number.isdigit() or not 1 <= int(number) <= 65535:
            raise ValueError(f"port {number!r} of host {name!r} is not a number from 1 to 65535")
    query = dict(parse_qsl(rest.split("?", 1)[1])) if "?" in rest else {}
    sslmode = query.get("sslmode")
    if sslmode is not None and sslmode not in allowed_sslmodes:
        raise ValueError(f"sslmode {sslmode!r} is not one of {', '.join(sorted(allowed_sslmodes))}")


def dsn_password(dsn: str) -> str:
    """The password a DSN carries, percent-decoded: in its user part, else ?password=."""
    if not dsn.lower().startswith(_SCHEMES):
        return ""
    userinfo, _, rest = _authority_and_rest(dsn)
    if ":" in userinfo:
        return unquote(userinfo.split(":", 1)[1])
    query = dict(parse_qsl(rest.split("?", 1)[1])) if "?" in rest else {}
    return query.get("password", "")


def dsn_query(dsn: str) -> dict[str, str]:
    """The DSN's query parameters (sslmode, passfile, ...), decoded."""
    _, _, rest = _authority_and_rest(dsn) if "://" in dsn else ("", "", "")
    return dict(parse_qsl(rest.split("?", 1)[1])) if "?" in rest else {}
