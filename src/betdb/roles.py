"""Least privilege: an owner role that runs migrations, an application role that only does DML.

python -m betdb.roles ADMIN_DSN DATABASE   (passwords from BETDB_OWNER_PASSWORD and
                                            BETDB_APP_PASSWORD)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

import asyncpg

from betdb._dsn import with_database

OWNER_ROLE = "betdb_owner"
APP_ROLE = "betdb_app"


async def provision_roles(
    admin_dsn: str,
    database: str,
    *,
    owner: str = OWNER_ROLE,
    owner_password: str | None = None,
    app: str = APP_ROLE,
    app_password: str | None = None,
) -> None:
    """Create (or update) the two roles and hand the database's schema to the owner.

    Tables the owner creates later grant SELECT/INSERT/UPDATE/DELETE (and sequence use) to the
    application role by default privileges; the application role can create nothing.
    """
    connection = await asyncpg.connect(admin_dsn)
    try:
        for role, password in ((owner, owner_password), (app, app_password)):
            exists = await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
            verb = "ALTER" if exists else "CREATE"
            statement = await connection.fetchval(
                "SELECT format('%s ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',"
                " $1::text, $2::text, $3::text)",
                verb,
                role,
                password,
            )
            await connection.execute(statement)
        await connection.execute(
            await connection.fetchval(
                "SELECT format('ALTER DATABASE %I OWNER TO %I', $1::text, $2::text)",
                database,
                owner,
            )
        )
    finally:
        await connection.close()
    inside = await asyncpg.connect(with_database(admin_dsn, database))
    try:
        names = await inside.fetchrow("SELECT quote_ident($1), quote_ident($2)", owner, app)
        assert names is not None
        quoted_owner, quoted_app = names[0], names[1]
        await inside.execute(
            f"""
            ALTER SCHEMA public OWNER TO {quoted_owner};
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO {quoted_app};
            REVOKE CREATE ON DATABASE {await _quoted_db(inside)} FROM PUBLIC;
            ALTER DEFAULT PRIVILEGES FOR ROLE {quoted_owner} IN SCHEMA public
                GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted_app};
            ALTER DEFAULT PRIVILEGES FOR ROLE {quoted_owner} IN SCHEMA public
                GRANT USAGE, SELECT ON SEQUENCES TO {quoted_app};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted_app};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted_app};
            """
        )
    finally:
        await inside.close()


async def _quoted_db(connection: asyncpg.Connection) -> str:
    return str(await connection.fetchval("SELECT quote_ident(current_database())"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m betdb.roles",
        description="Create the owner role (migrations) and the application role (DML only); "
        "passwords come from BETDB_OWNER_PASSWORD and BETDB_APP_PASSWORD.",
    )
    parser.add_argument("admin_dsn", metavar="ADMIN_DSN", help="a superuser's DSN")
    parser.add_argument("database", metavar="DATABASE", help="the database to hand to the owner")
    args = parser.parse_args(argv)
    asyncio.run(
        provision_roles(
            args.admin_dsn,
            args.database,
            owner_password=os.environ.get("BETDB_OWNER_PASSWORD"),
            app_password=os.environ.get("BETDB_APP_PASSWORD"),
        )
    )
    print(f"roles {OWNER_ROLE} (migrations) and {APP_ROLE} (DML only) are ready")
    return 0


if __name__ == "__main__":
    sys.exit(main())
