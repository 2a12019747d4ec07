"""The `betdb` command (console script `betdb = "betdb.cli:main"`): demo, server, migrate,
partitions, import, sample, games, odds latest|movement, signals, analyses and health; the
list with what each does is in betdb.cli.app. Commands are thin: each parses, calls a library
function (line movement is betdb.movement's) and formats the answer (betdb.cli.output)."""

from betdb.cli.app import app, main

__all__ = ["app", "main"]
