"""Every Python example of README.md and docs/ runs, as printed, against a real server holding
the sample week: the documentation cannot show code that does not work."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import io
from pathlib import Path
from typing import Any

import pytest
from docs_examples import Example, examples, matches, pages_with_examples

ROOT = Path(__file__).resolve().parents[2]
PAGES = pages_with_examples(ROOT)


def test_the_guides_have_examples_to_run() -> None:
    names = {str(page.relative_to(ROOT)) for page in PAGES}
    assert {"README.md", "docs/library/clients.md", "docs/library/movement.md"} <= names


@pytest.fixture
def sample_week(sample_week_url: str, cli_database: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sample_week_url)
    return sample_week_url


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(ROOT)) for page in PAGES])
async def test_every_example_of_the_page_runs(page: Path, sample_week: str) -> None:
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    for example in examples(page, ROOT):
        printed = await run(example, namespace)
        if example.output is not None:
            assert matches(printed, example.output), f"{example.name} printed:\n{printed}"


async def run(example: Example, namespace: dict[str, Any]) -> str:
    code = compile(example.code, example.name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        if code.co_flags & inspect.CO_COROUTINE:
            await eval(code, namespace)
        else:  # sync code blocks: off the event loop, as a script would run it
            await asyncio.to_thread(exec, code, namespace)
    return printed.getvalue()


def test_an_output_block_is_compared_line_by_line_with_wildcards() -> None:
    assert matches(
        "GetTeam: x [query=GetTeam, correlation_id=ab12]\n", "GetTeam: x [query=GetTeam, ...]"
    )
    assert not matches("GetTeam: y\n", "GetTeam: x")
    assert not matches("one\ntwo\n", "one")
    assert matches("one\ntwo\nthree\nfour\n", "one\n...\nfour")
    assert not matches("one\ntwo\n", "one...\nthree")
