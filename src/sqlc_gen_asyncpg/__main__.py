"""The sqlc process plugin: GenerateRequest JSON on stdin, GenerateResponse JSON on stdout.

`sqlc-gen-asyncpg verify --help`: compare a generated package with a live server (verify.py).
"""

import os
import sys
from pathlib import Path

from . import __version__
from .errors import PlanError, PlanFailedError
from .options import OptionsError, parse_options
from .planner import plan_request
from .render import render
from .request import encode_response, parse_request


def main() -> int:
    if sys.argv[1:2] == ["verify"]:
        from .verify import main as verify

        return verify(sys.argv[2:])
    if sys.argv[1:2] in (["--version"], ["--help"], ["-h"]):
        help_text = f": {__doc__}" if sys.argv[1] != "--version" else "\n"
        sys.stdout.write(f"sqlc-gen-asyncpg {__version__}{help_text}")
        return 0
    try:
        request = parse_request(sys.stdin.buffer.read())
        options = parse_options(request.plugin_options)
        plan = plan_request(request, options, root=Path.cwd())
        files = render(plan)
    except PlanFailedError as errors:
        for message in dict.fromkeys(str(error) for error in errors.errors):
            sys.stderr.write(f"sqlc-gen-asyncpg: {message}\n")
        return 1
    except (PlanError, OptionsError, ValueError) as error:
        sys.stderr.write(f"sqlc-gen-asyncpg: {error}\n")
        return 1
    if plan.warnings:
        _warn(
            *(f"warning: {warning}" for warning in plan.warnings),
            f"{len(plan.warnings)} warning{'s' if len(plan.warnings) > 1 else ''}; "
            "strict_types: true makes warnings errors",
        )
    sys.stdout.buffer.write(encode_response(files))
    return 0


def _warn(*lines: str) -> None:
    """Lines on stderr, where the user sees them also when generation succeeds.

    sqlc keeps a process plugin's stderr and shows it only when the plugin fails, so on
    success the lines also go to sqlc's own stderr, reached through /proc where it exists.
    """
    text = "".join(f"sqlc-gen-asyncpg: {line}\n" for line in lines)
    sys.stderr.write(text)
    sys.stderr.flush()
    parent = Path(f"/proc/{os.getppid()}")
    try:
        if (parent / "comm").read_text().strip() != "sqlc":
            return
        with (parent / "fd" / "2").open("a", encoding="utf-8") as stderr:
            stderr.write(text)
    except OSError:
        return  # no /proc (macOS, Windows) or no access: the lines stay on our own stderr


if __name__ == "__main__":
    sys.exit(main())
