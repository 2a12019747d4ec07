"""sqlc-gen-asyncpg: a sqlc process plugin that generates typed async Python for asyncpg."""

__version__ = "0.1.0"
