"""The built documentation site in a real browser: headless Chromium over a loopback server.

python tools/docs_browser.py SITE_DIR OUT_DIR    screenshots of the home page and the CLI
                                                 reference (make docs-check)
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

# A clean, quiet browser: no sandbox (root in CI), no GPU, nothing fetched in the background.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
PAGES = {"home": "", "cli-reference": "reference/cli/"}
WINDOW = "1280,1000"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def install_chromium() -> str:
    """Chromium, from Debian's packages when it is missing and we are root (as .ci/run does for
    PgBouncer)."""
    found = chromium()
    if found is None and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        found = chromium()
    if found is None:
        raise SystemExit("error: no chromium: install Debian's chromium package")
    return found


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site over HTTP on a free loopback port (directory URLs and search need a server)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def run_chromium(browser: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="betdb-chromium-") as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )


def dump_dom(browser: str, url: str) -> str:
    """The page's DOM after Chromium has loaded it and run its scripts."""
    return run_chromium(browser, "--virtual-time-budget=5000", "--dump-dom", url).stdout


def screenshot(browser: str, url: str, out: Path) -> None:
    out.unlink(missing_ok=True)
    run_chromium(browser, f"--window-size={WINDOW}", f"--screenshot={out}", url)
    if not out.is_file():
        raise SystemExit(f"error: chromium wrote no screenshot of {url}")


def main(site: Path, out: Path) -> None:
    if not (site / "index.html").is_file():
        raise SystemExit(f"error: {site} holds no built site: run make docs")
    browser = install_chromium()
    out.mkdir(parents=True, exist_ok=True)
    with serve(site) as root:
        for name, path in PAGES.items():
            screenshot(browser, root + path, out / f"{name}.png")
            print(f"{out / name}.png: {root + path}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
