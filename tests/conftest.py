import asyncpg
import pytest

pytest_plugins = ["pytester"]


@pytest.fixture
def admin(db_connection: asyncpg.Connection) -> asyncpg.Connection:
    """A connection of its own, to look at the database behind the pool's back."""
    return db_connection
