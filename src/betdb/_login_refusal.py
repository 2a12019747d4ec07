"""The SQLSTATE with which a server refused a sync login, so that SyncDatabase's
DatabaseUnavailableError carries it as Database's does (3D000 no such database, 28P01 a wrong
password, 28000 a role that may not log in, 53300 too many connections, ...).

libpq keeps nothing of the server's ErrorResponse at login but its text (psycopg's
OperationalError has no sqlstate and no diag then), and errors are never read by their text.
So once psycopg's login failed, the same login is tried again through asyncpg, which reads
the ErrorResponse's code field: the very handshake Database makes, hence the same answer (the
server's code, or PgBouncer's own where PgBouncer answers). A server that refuses answers in
milliseconds: the second try is skipped when the first one used half its time or more (a
timeout would only be waited for twice), and it waits at most a few times as long as the first
(PgBouncer holds a login back until its next server login retry, by default 15 s after a
refused one: the answer is then None).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import asyncpg

from betdb._settings import BetdbSettings

_LEAST_WAIT = 0.5  # seconds: a login through SCRAM on a busy machine, with room to spare


def login_refusal_sqlstate(
    settings: BetdbSettings, dsn: str, *, failed_after: float, timeout: float
) -> str | None:
    """The SQLSTATE the server answers a login to dsn with, or None: it answered none (the
    network failed), the login now succeeds, or the first try took too long to try again."""
    if failed_after >= timeout / 2:
        return None
    timeout = min(timeout, max(_LEAST_WAIT, 4 * failed_after))
    found: list[str | None] = [None]

    def attempt() -> None:  # in a thread of its own: the caller's thread may run a loop
        found[0] = asyncio.run(_refusal(settings, dsn, timeout=timeout))

    prober = threading.Thread(target=attempt, name="betdb-login-refusal", daemon=True)
    prober.start()
    prober.join(timeout + 1)
    return found[0]


async def _refusal(settings: BetdbSettings, dsn: str, *, timeout: float) -> str | None:
    server_settings = {"application_name": "betdb"}
    if settings.statement_timeout is not None:
        server_settings["statement_timeout"] = str(settings.statement_timeout_ms)
    options: dict[str, Any] = {
        "ssl": settings.ssl_context(),
        "timeout": timeout,
        "statement_cache_size": 0,
        "server_settings": server_settings,
    }
    try:
        connection = await asyncpg.connect(settings.dsn_without_sslmode(dsn), **options)
    except asyncpg.PostgresError as refused:
        sqlstate: str | None = getattr(refused, "sqlstate", None)
        return sqlstate
    except Exception:
        return None  # no answer from a server: nothing to tell
    try:
        await connection.close(timeout=timeout)
    except Exception:
        connection.terminate()
    return None  # let in this time: whatever refused the first login has passed
