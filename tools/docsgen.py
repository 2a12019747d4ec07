"""Pages of the docs site generated at build time, so they cannot drift from the code.

MkDocs loads this module as a hook (mkdocs.yml `hooks:`). A page holding a marker line gets it
replaced by the generated Markdown:

    <!-- generated: cli -->            every command, argument and option of `betdb`
    <!-- generated: settings -->       every BetdbSettings field as its BETDB_* variable
"""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Iterator
from typing import Any

import typer
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

MARKER = re.compile(r"^<!-- generated: (?P<name>[a-z]+) -->$", re.MULTILINE)

# What each setting means: a setting added to BetdbSettings without a line here fails the build.
SETTING_MEANINGS: dict[str, str] = {
    "environment": "`production` refuses to start without TLS (`require`/`verify-*`) or with "
    "an empty or default password; `staging` and `production` default to `verify-full` and "
    "JSON logs",
    "dsn": "a whole DSN (`DATABASE_URL` is read too); otherwise the parts below. "
    '`DATABASE_URL=""` counts as unset; a multi-host DSN (`h1:5432,h2:5432`) works',
    "host": "server host (DSN part)",
    "port": "server port (DSN part)",
    "user": "role to log in as (DSN part)",
    "password": "its password (DSN part); a secret: never in `repr`, logs or errors",
    "database": "database name (DSN part)",
    "sslmode": "`disable`, `allow`, `prefer`, `require`, `verify-ca`, `verify-full`; unset: "
    "`prefer`, or `verify-full` in staging and production",
    "ssl_root_cert": "CA certificate file for `verify-ca`/`verify-full`",
    "ssl_cert": "client certificate file",
    "ssl_key": "client key file",
    "pool_min_size": "connections the pool keeps open",
    "pool_max_size": "most connections the pool opens, at most 1000 (each is a server process)",
    "acquire_timeout": "seconds to wait for a pooled connection",
    "command_timeout": "client-side seconds per statement (a `timeout=` per call overrides it); "
    "past it the statement is cancelled on the server",
    "statement_timeout": "server-side `statement_timeout` in seconds, rounded up to whole "
    "milliseconds (never to 0, which is off); refused behind PgBouncer in transaction mode",
    "idle_lifetime": "seconds after which an idle pooled connection is closed",
    "close_timeout": "seconds `close()` waits for connections in use before terminating them",
    "statement_cache_size": "prepared statements cached per connection (0 turns the cache off)",
    "pgbouncer_pool_mode": "`transaction` or `statement` behind PgBouncer: statement cache off, "
    "no startup `statement_timeout` (see Operations)",
    "replica_dsns": "comma-separated read-replica DSNs",
    "replica_max_lag": "seconds of replay lag past which reads fall back to the primary",
    "replica_check_interval": "seconds between checks of a replica's lag (also one check's "
    "timeout)",
    "retry_attempts": "retries of a read on connection loss",
    "retry_base_delay": "first backoff delay in seconds (exponential, with jitter)",
    "retry_max_delay": "longest backoff delay in seconds",
    "breaker_failure_threshold": "consecutive connection failures that open the circuit breaker",
    "breaker_reset_timeout": "seconds before an open breaker lets one probe through",
    "slow_query_threshold": "seconds past which a query is logged at WARNING",
    "log_json": "log records as JSON; unset: JSON in staging and production",
    "metrics_enabled": "per-query counts and latency percentiles in `db.metrics()`",
    "otel_enabled": "one OpenTelemetry client span per query (the `otel` extra)",
    "replicas_enabled": "`false` sends every read to the primary, replica DSNs or not",
}


def on_page_markdown(markdown: str, **_: Any) -> str:
    """MkDocs hook: replace each generation marker of a page by its Markdown."""
    return MARKER.sub(lambda match: generate(match.group("name")), markdown)


def generate(name: str) -> str:
    if name == "cli":
        return cli_reference()
    if name == "settings":
        return settings_reference()
    raise ValueError(f"no generated section named {name!r}")


# --- the CLI ---------------------------------------------------------------------------------
# Typer carries its own copy of click (typer._click), so commands and parameters are read by
# what they have, not by click's classes.


def betdb_command() -> Any:
    from betdb.cli.app import app

    return typer.main.get_command(app)


def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under `command`, depth first, in the order `--help` lists them."""
    yield path, command
    for name, sub in subcommands(command, path):
        yield from walk(sub, (*path, name))


def subcommands(command: Any, path: tuple[str, ...]) -> list[tuple[str, Any]]:
    if not hasattr(command, "list_commands"):
        return []
    context = command.context_class(command, info_name=" ".join(path))
    found = [(name, command.get_command(context, name)) for name in command.list_commands(context)]
    return [(name, sub) for name, sub in found if sub is not None and not sub.hidden]


def cli_reference() -> str:
    return "\n".join(
        command_section(path, command) for path, command in walk(betdb_command(), ("betdb",))
    )


def command_section(path: tuple[str, ...], command: Any) -> str:
    name = " ".join(path)
    context = command.context_class(command, info_name=name)
    usage = " ".join([name, *command.collect_usage_pieces(context)])
    lines = [f"## `{name}`", ""]
    if command.help:
        lines += [_plain(command.help), ""]
    lines += ["```text", usage, "```", ""]
    children = subcommands(command, path)
    if children:
        lines += ["| command | what it does |", "| --- | --- |"]
        for sub_name, sub in children:
            summary = _cell(_plain(sub.get_short_help_str(limit=120)))
            lines.append(f"| [`{name} {sub_name}`](#{_anchor(f'{name} {sub_name}')}) | {summary} |")
        lines.append("")
    params = [param for param in command.params if not getattr(param, "hidden", False)]
    if params:
        lines += ["| argument or option | type | default | meaning |", "| --- | --- | --- | --- |"]
        lines += [_param_row(param, context) for param in params]
        lines.append("")
    return "\n".join(lines)


def _param_row(param: Any, context: Any) -> str:
    flag = bool(getattr(param, "is_flag", False))
    if param.param_type_name == "option":
        names = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
        if param.envvar:
            names += f" (env `{param.envvar}`)"
    else:
        names = f"`{(param.metavar or param.name or '').upper()}`"
    kind = "flag" if flag else _type_name(param, context)
    default = "required" if param.required else _default(param.default, flag)
    return f"| {names} | {_cell(kind)} | {_cell(default)} | {_cell(_plain(param.help or ''))} |"


def _type_name(param: Any, context: Any) -> str:
    kind = str(param.display_type(context)).strip("<>").replace("|", " \\| ")
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None or high is not None:
        kind += f" {'' if low is None else low}..{'' if high is None else high}"
    return kind


def _default(default: Any, flag: bool) -> str:
    if flag:
        return "on" if default else "off"
    if default is None or callable(default):
        return ""
    if isinstance(default, list | tuple):
        return ", ".join(str(item) for item in default)
    if isinstance(default, enum.Enum):
        return str(default.value)
    return str(default)


def _anchor(title: str) -> str:
    """The id MkDocs' toc extension gives a heading `## `title``."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", title).strip().lower())


# --- the settings ----------------------------------------------------------------------------


def settings_reference() -> str:
    from betdb._settings import BetdbSettings

    missing = sorted(set(BetdbSettings.model_fields) - set(SETTING_MEANINGS))
    if missing:
        raise ValueError(f"BetdbSettings fields without a meaning in tools/docsgen.py: {missing}")
    prefix = BetdbSettings.model_config.get("env_prefix", "")
    lines = ["| variable | type | default | meaning |", "| --- | --- | --- | --- |"]
    for name, field in BetdbSettings.model_fields.items():
        variables = [f"`{prefix}{name}`".upper()]
        if name == "dsn":
            variables = ["`BETDB_DSN`", "`DATABASE_URL`"]
        lines.append(
            f"| {' or '.join(variables)} | {_cell(_annotation(field))} | "
            f"{_cell(_setting_default(field))} | {_cell(SETTING_MEANINGS[name])} |"
        )
    return "\n".join(lines) + "\n"


def _annotation(field: FieldInfo) -> str:
    text = _type_text(field.annotation)
    bounds = []
    for constraint in field.metadata:
        for key, symbol in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            value = getattr(constraint, key, None)
            if value is not None:
                bounds.append(
                    f"{symbol} {value:g}" if isinstance(value, float) else f"{symbol} {value}"
                )
    return text + (f" ({', '.join(bounds)})" if bounds else "")


def _type_text(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _type_text(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_text(arg) for arg in typing.get_args(annotation))
    if origin is list:
        return "comma-separated list of " + _type_text(typing.get_args(annotation)[0])
    if annotation is type(None):
        return "unset"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " \\| ".join(member.value for member in annotation)
    names = {"SecretStr": "secret text", "str": "text", "float": "number",
             "int": "integer", "bool": "true/false", "Path": "path"}  # fmt: skip
    return names.get(getattr(annotation, "__name__", ""), str(annotation))


def _setting_default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        return "empty"
    default = field.default
    if default is None or default is PydanticUndefined:
        return "unset"
    if isinstance(default, enum.Enum):
        return f"`{default.value}`"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return f"`{default}`"


# --- text ------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Click help text as Markdown: docstring lines joined, Typer's \\b markers dropped."""
    paragraphs = [" ".join(line.strip() for line in block.splitlines() if line.strip() != "\b")
                  for block in re.split(r"\n\s*\n", text.strip())]  # fmt: skip
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _cell(text: str) -> str:
    return text.replace("\n\n", "<br>").replace("\n", " ").replace("|", "\\|") if text else ""
