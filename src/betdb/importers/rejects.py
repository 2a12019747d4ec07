"""The one rejects writer every importer uses, whatever the format it writes.

One refusal rule: the rejects path must not be a directory nor the input under any name
(the same inode: a symlink, a hard link). The file is written aside, in a temporary file of
the same directory, and renamed into place when the import finishes, so what stands under the
name is whole and of this run; a run that rejected nothing removes an earlier run's file; a
run that failed leaves the earlier file as it was.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from betdb.importers.report import ImportFileError, ImportReport


class RejectsPathError(ImportFileError):
    """The rejects path cannot be used (a directory, or the input itself): a usage error."""


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def refuse_rejects_path(path: Path, rejects: Path) -> None:
    """The rejects file must not be a directory nor the input under any name."""
    if rejects.is_dir():
        raise RejectsPathError(
            path, f"the rejects path {rejects} is a directory: give --rejects a file name"
        )
    try:
        same = rejects.exists() and path.exists() and os.path.samefile(rejects, path)
    except OSError:
        same = False
    if same:
        raise RejectsPathError(
            path,
            f"the rejects path {rejects} is the file being imported: writing rejects there"
            " would destroy it; give --rejects another file",
        )


class RejectsWriter:
    """Text written aside and renamed onto `path` by `finish` (see the module docstring).

    `header`, when given, is written first, once the first line is written.
    """

    def __init__(self, source: Path, path: Path, *, header: Callable[[], str] | None = None):
        refuse_rejects_path(source, path)
        self.source = source
        self.path = path
        self.header = header
        self._stream: io.TextIOWrapper | None = None
        self._temporary: Path | None = None

    def stream(self) -> io.TextIOWrapper:
        """The open temporary file, created at the first rejection."""
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent
            )
            self._temporary = Path(name)
            os.fchmod(handle, 0o666 & ~current_umask())  # as open() would create it, not 0600
            # A lone surrogate becomes a \udXXX escape: valid JSON, readable CSV.
            self._stream = open(  # noqa: SIM115 - closed by finish or discard
                handle, "w", encoding="utf-8", errors="backslashreplace", newline=""
            )
            if self.header is not None:
                self._stream.write(self.header())
        return self._stream

    def write_line(self, line: str) -> None:
        self.stream().write(line)

    @property
    def written(self) -> bool:
        return self._stream is not None

    def finish(self) -> Path | None:
        """Put this run's rejects in place (or remove an earlier run's); where they are."""
        if self._stream is None:
            if self.path.is_file() or self.path.is_symlink():
                self.path.unlink()
            return None
        self._stream.close()
        assert self._temporary is not None
        os.replace(self._temporary, self.path)
        return self.path

    def discard(self) -> None:
        """Drop this run's rejects (the file was refused): an earlier run's stay as they are."""
        if self._stream is not None:
            self._stream.close()
            assert self._temporary is not None
            self._temporary.unlink(missing_ok=True)


@contextmanager
def completing(
    report: ImportReport, rejects: RejectsWriter, started: float | None = None
) -> Iterator[None]:
    """How every importer ends: done, this run's rejects put in place and the time taken
    counted from `started`; failed or interrupted, this run's rejects dropped."""
    started = time.perf_counter() if started is None else started
    try:
        yield
    except BaseException:
        rejects.discard()
        raise
    report.rejects_path = rejects.finish()
    report.seconds = time.perf_counter() - started
