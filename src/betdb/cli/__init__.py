"""The `betdb` command (console script `betdb = "betdb.cli:main"`)."""

from betdb.cli.app import app, main

__all__ = ["app", "main"]
