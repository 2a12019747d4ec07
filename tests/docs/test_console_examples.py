"""The `betdb` command lines the docs show, marked `<!-- run: sample week|empty database -->`,
run as printed: each command in-process on a fresh database, its output compared with the page's.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from docs_examples import ConsoleBlock, console_blocks, same_output
from typer.testing import CliRunner

from betdb.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = [
    block
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for block in console_blocks(page, ROOT)
]


def test_the_guides_mark_their_console_examples() -> None:
    pages = {str(block.page) for block in BLOCKS}
    assert {"docs/querying.md", "docs/importing/sbr-archive.md"} <= pages
    assert sum(len(block.commands) for block in BLOCKS) >= 15


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
async def test_the_console_example_prints_what_the_page_shows(
    block: ConsoleBlock,
    request: pytest.FixtureRequest,
    cli_database: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = "sample_week_url" if block.state == "sample week" else "database_url"
    monkeypatch.setenv("DATABASE_URL", request.getfixturevalue(state))
    monkeypatch.chdir(tmp_path)  # charts and rejects files land here, not in the checkout
    runner = CliRunner()
    for command, expected in block.commands:
        words = shlex.split(command)
        head = None
        if "|" in words:  # `... | head -N`, the one pipe the pages use
            head = int(words[words.index("|") + 2].lstrip("-"))
            words = words[: words.index("|")]
        assert words[0] == "betdb", f"{block.name}: only betdb commands run: {command}"
        for word in words[1:]:
            if (ROOT / word).exists() and word.startswith("tests/"):
                copy = tmp_path / word
                copy.parent.mkdir(parents=True, exist_ok=True)
                if (ROOT / word).is_dir():
                    shutil.copytree(ROOT / word, copy, dirs_exist_ok=True)
                else:
                    shutil.copy(ROOT / word, copy)
        result = await asyncio_free(runner, words[1:])
        printed = result if head is None else "\n".join(result.splitlines()[:head]) + "\n"
        assert same_output(printed, expected), f"{block.name}: $ {command}\n{printed}"


async def asyncio_free(runner: CliRunner, arguments: list[str]) -> str:
    """The command run in a thread: it runs its own event loop, which cannot nest in ours."""
    import asyncio

    result = await asyncio.to_thread(runner.invoke, app, arguments)
    return result.output
