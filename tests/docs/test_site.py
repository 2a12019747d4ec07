"""The documentation site as built: every page renders its headings, the search index holds every
page, the CLI reference lists every command and option of `betdb`, the configuration page every
variable, and no page reads like a lab notebook."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docs_browser import chromium, dump_dom, serve
from docsgen import betdb_command, walk

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
INCLUDE = re.compile(r'^--8<-- "(?P<path>[^"]+)"$', re.MULTILINE)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^(#{1,3}) (.+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs", reason="the docs extra (make test installs it)")
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return out


class Headings(HTMLParser):
    """Text of every h1-h3 of a page, without the permalink sign."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []  # (tag, id, text)
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"h1", "h2", "h3"}:
            self._open = (tag, dict(attrs).get("id") or "")
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            text = "".join(self._text).replace("¶", "").strip()
            self.found.append((*self._open, " ".join(text.split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


def headings_of(html: str) -> list[str]:
    parser = Headings()
    parser.feed(html)
    return [text for _, _, text in parser.found]


def page_source(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return INCLUDE.sub(lambda match: (ROOT / match.group("path")).read_text(), text)


def markdown_headings(source: str) -> list[str]:
    plain = FENCE.sub("", source)
    return [re.sub(r"[`*]", "", text).strip() for _, text in HEADING.findall(plain)]


def built(site: Path, page: Path) -> Path:
    relative = page.relative_to(DOCS).with_suffix("")
    if relative.name == "index":
        return site / relative.parent / "index.html"
    return site / relative / "index.html"


PAGES = sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_every_page_renders_its_headings(site: Path, page: Path) -> None:
    rendered = headings_of(built(site, page).read_text(encoding="utf-8"))
    expected = markdown_headings(page_source(page))
    assert expected, f"{page} has no heading"
    assert [text for text in expected if text not in rendered] == []


def test_the_site_fetches_nothing_from_a_font_service(site: Path) -> None:
    pages = [page.read_text(encoding="utf-8") for page in site.rglob("*.html")]
    assert len(pages) > 20
    assert [page for page in pages if "fonts.googleapis" in page or "fonts.gstatic" in page] == []


def test_the_search_index_holds_every_page(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {entry["location"].split("#")[0] for entry in index["docs"]}
    for page in PAGES:
        relative = built(site, page).relative_to(site).parent.as_posix()
        assert ("" if relative == "." else relative + "/") in locations
    text = " ".join(entry["text"] for entry in index["docs"])
    assert "sbr-archive" in text
    assert "--season" in text


def test_the_cli_reference_lists_every_command_and_option(site: Path) -> None:
    html = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    parser = Headings()
    parser.feed(html)
    ids = {anchor: text for tag, anchor, text in parser.found if tag == "h2"}
    commands = list(walk(betdb_command(), ("betdb",)))
    assert len(commands) > 30
    for path, command in commands:
        name = " ".join(path)
        assert name in ids.values(), f"{name} has no section"
        anchor = next(anchor for anchor, text in ids.items() if text == name)
        section = html.split(f'id="{anchor}"', 1)[1].split("<h2 ", 1)[0]
        for param in command.params:
            for option in [*param.opts, *param.secondary_opts]:
                if option.startswith("-"):
                    assert option in section, f"{name} {option} missing"
    sbr = html.split('id="betdb-import-sbr-archive"', 1)[1].split("<h2 ", 1)[0]
    assert "--season" in sbr
    assert "1876 to 2099" in sbr


def test_the_configuration_page_names_every_variable(site: Path) -> None:
    from betdb import BetdbSettings

    html = (site / "configuration" / "index.html").read_text(encoding="utf-8")
    for name in BetdbSettings.model_fields:
        assert f"BETDB_{name.upper()}" in html
    read_by_code = set()
    for source in (ROOT / "src").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        read_by_code |= set(re.findall(r'(?:environ\.get\(|envvar=)"(BETDB_[A-Z_]+)"', text))
    assert read_by_code >= {"BETDB_DATA_DIR", "BETDB_LOG_LEVEL"}
    assert sorted(variable for variable in read_by_code if variable not in html) == []


NOTEBOOK = re.compile(r"\bsessions?\b|\bhelpers?\b|\bengineers?\b|\bissue\s*#?\d+", re.IGNORECASE)


def test_no_page_speaks_of_how_it_was_made() -> None:
    pages = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", ROOT / "CHANGELOG.md"]
    pages += [ROOT / "plugin" / "README.md", *PAGES]
    found = [
        f"{page.relative_to(ROOT)}:{number}: {line.strip()}"
        for page in pages
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if NOTEBOOK.search(line)
    ]
    assert found == []


@pytest.mark.skipif(chromium() is None, reason="no chromium (make docs-check installs it)")
def test_a_real_browser_renders_the_cli_reference(site: Path) -> None:
    browser = chromium()
    assert browser is not None
    with serve(site) as root:
        dom = dump_dom(browser, root + "reference/cli/")
    rendered = headings_of(dom)
    assert "CLI reference" in rendered
    assert "betdb import sbr-archive" in rendered


def test_the_readme_is_short_and_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    assert (
        "```sh\n"
        "make demo   # start a local PostgreSQL, apply the migrations, show real data from it\n"
        "make test   # ruff, mypy --strict, the drift check, then the test suite on a real "
        "PostgreSQL\n```"
    ) in readme
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("make test")
