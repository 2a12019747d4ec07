"""The examples of the documentation, read out of its Markdown so that the tests can run them.

Every ```python block of a page is an example the tests run, in page order, against a database
holding the sample week; a block right under a `<!-- not run: REASON -->` line is left out. A
```text title="Output" block right after an example is what it prints, `...` standing for any
text within a line. A ```console block under `<!-- run: sample week|empty database -->` is run
command by command (see console_blocks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(
    r"(?P<before>^.*\n)?^```python[^\n]*\n(?P<code>.*?)^```[ \t]*\n"
    r"(?:\n?```text title=\"Output\"\n(?P<output>.*?)^```[ \t]*$)?",
    re.MULTILINE | re.DOTALL,
)
NOT_RUN = re.compile(r"<!-- not run: .+ -->")


@dataclass(frozen=True)
class Place:
    """Where a block starts: its page (relative to the checkout) and line."""

    page: Path
    line: int

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


@dataclass(frozen=True)
class Example(Place):
    code: str
    output: str | None


def examples(page: Path, root: Path) -> list[Example]:
    text = page.read_text(encoding="utf-8")
    found: list[Example] = []
    for match in FENCE.finditer(text):
        if match.group("before") and NOT_RUN.search(match.group("before")):
            continue
        line = text.count("\n", 0, match.start("code")) + 1
        found.append(
            Example(page.relative_to(root), line, match.group("code"), match.group("output"))
        )
    return found


def pages_with_examples(root: Path) -> list[Path]:
    """README.md and every page under docs/ that holds a Python example."""
    pages = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    return [page for page in pages if examples(page, root)]


def matches(printed: str, expected: str) -> bool:
    """Whether what an example printed is its Output block: `...` within a line matches any
    text of that line, a line of `...` alone any number of lines."""
    lines = []
    for line in expected.strip("\n").splitlines():
        if line.strip() == "...":
            lines.append("(?s:.*?)")
        else:
            lines.append("[^\n]*".join(re.escape(part) for part in line.rstrip().split("...")))
    printed_lines = "\n".join(line.rstrip() for line in printed.splitlines()).strip("\n")
    return re.fullmatch("\n".join(lines), printed_lines) is not None


# A console block the tests run: each `$ betdb ...` line is run on a fresh database in the named
# state, and what it prints is compared with the lines under it.
CONSOLE = re.compile(
    r"^<!-- run: (?P<state>sample week|empty database) -->\n```console\n(?P<body>.*?)^```",
    re.MULTILINE | re.DOTALL,
)
# How long an import took differs run to run; the docs show one run's figures.
TIMING = re.compile(r" in [\d.,]+ s \([\d,]+ rows/s\)")


@dataclass(frozen=True)
class ConsoleBlock(Place):
    """One console block: the state it starts from and its commands with their output."""

    state: str
    commands: list[tuple[str, str]]


def console_blocks(page: Path, root: Path) -> list[ConsoleBlock]:
    text = page.read_text(encoding="utf-8")
    blocks: list[ConsoleBlock] = []
    for match in CONSOLE.finditer(text):
        commands: list[tuple[str, str]] = []
        for line in match.group("body").splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], ""))
            elif commands:
                command, output = commands[-1]
                commands[-1] = (command, output + line + "\n")
        line = text.count("\n", 0, match.start("body")) + 1
        blocks.append(ConsoleBlock(page.relative_to(root), line, match.group("state"), commands))
    return blocks


def same_output(printed: str, expected: str) -> bool:
    """matches(), with the time an import took left out of both sides."""
    return matches(TIMING.sub("", printed), TIMING.sub("", expected))
