"""SportsBookReview's historical MLB odds archive (one .xlsx a season) into games and untimed lines.

The sheet has one row per club per game, visitor then home: ``Date`` (MMDD, no year), ``Rot``,
``VH`` (V, H, or N on a neutral field, where the pair's order says who is home), ``Team`` (SBR's
own code, through the team aliases), ``Pitcher``, the innings, ``Final``, the moneyline
``Open``/``Close``, the run line (``RL``, ``Run Line`` or ``RunLine``: a line column and an
unnamed price column, or one cell such as ``-1.5(-104)``; absent in some seasons) and the totals
``Open OU``/``OpenOU`` and ``Close OU``/``CloseOU``, each followed by an unnamed price column
(the visitor's row holds the over's price, the home row the under's). Cells may hold ``NL``
(no line: nothing stored), halves as ``½`` (``8½``), ``x`` (an inning not played) or nothing.

Each visitor/home pair is one record: one game, found among stored games by date, clubs and game
number (a doubleheader is the same pair twice on a date, in order) or created, with its final
score filled in when the stored game has none. A pair whose final score contradicts the stored
game's is rejected with both scores: neither the score nor the lines are written. A file that
contradicts the stored season wholesale (most of its games on the season's dates not stored,
or most scores disagreeing: another season's file) is refused before anything is written,
unless ``force``. Its moneyline and total (opening and closing) and its run line
(closing) are stored as untimed lines of the ``sbr_archive`` book: the archive says which line
opened and which closed but not when, so they are not odds observations with a made-up time.

The workbook is checked before it is read (sheets.check_workbook: zip sizes, the declared
dimension, the cells' real extent, within limits a season can have); values in sheets other
than the first, and error cells such as ``#N/A``, are reported, never read silently as empty.
The sheet is read row by row. A line cell that cannot be read leaves that line out: the game
is imported and the report warns with the row and the cell named. A pair whose date, clubs or
score cannot be read, or a row without its partner, is rejected with the reason and written to
``FILE.rejects.csv``; the other pairs are imported. The whole file is one transaction: if the
database fails midway nothing is written, and a re-run imports it whole. A second import of
the same file changes nothing (every game counts as unchanged).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from betdb import UnifiedRepository
from betdb.generated.games import InsertUnidentifiedGamesParams
from betdb.generated.lines import UpsertUntimedLinesParams
from betdb.generated.models import DataSource, Game, LineMoment, Market, Side
from betdb.importers import checks
from betdb.importers.checks import check_season
from betdb.importers.documents import Clubs
from betdb.importers.fields import FieldError
from betdb.importers.rejects import RejectsWriter, completing
from betdb.importers.report import ImportFileError, ImportReport, Rejection
from betdb.importers.sheets import SheetLimits, SheetScan, check_workbook

ARCHIVE_BOOK = "sbr_archive"
BATCH = 1000
EXTRA_HINT = "reading SBR's .xlsx needs the sbr extra: pip install 'betdb[sbr]'"

# A season in a file name: mlb-odds-2019.xlsx, "mlb odds 2021.xlsx", 2019_mlb.xlsx.
SEASON_IN_NAME = re.compile(r"(?<![0-9])(1[89][0-9]{2}|2[01][0-9]{2})(?![0-9])")
NO_LINE = frozenset({"nl", "n/l", "pk?"})
COMBINED_RUN_LINE = re.compile(
    r"^\s*([+-]?[0-9]+(?:\.[0-9]+|½)?)\s*\(\s*([+-]?[0-9]+)\s*\)\s*$", re.ASCII
)
# A season whose stored games this many of the file's contradict is another season's file.
CONTRADICTION_SHARE = 0.5
CONTRADICTION_MINIMUM = 10

# Header spellings by season, compared without spaces or case.
HEADER_NAMES = {
    "date": "date",
    "rot": "rot",
    "vh": "vh",
    "team": "team",
    "pitcher": "pitcher",
    "final": "final",
    "open": "open",
    "close": "close",
    "rl": "run_line",
    "runline": "run_line",
    "openou": "open_total",
    "closeou": "close_total",
}
PRICED = ("run_line", "open_total", "close_total")

LineKey = tuple[Market, Side, LineMoment]
LineValue = tuple[Decimal | None, int]


class MissingExtraError(ImportError):
    """An optional library an importer needs is not installed; the message names the extra."""


class SeasonUnknownError(ValueError):
    """Neither --season nor the file name says which season the archive is."""


def season_of(path: Path, season: int | None) -> int:
    """The season given, else the one year the file name names; either in the one range
    (SeasonRangeError when not)."""
    if season is not None:
        return check_season(season)
    found = SEASON_IN_NAME.findall(path.stem)
    if len(set(found)) != 1:
        raise SeasonUnknownError(
            f"{path.name}: which season is it? The archive's dates have no year and the file"
            " name names "
            + ("no year" if not found else f"several ({', '.join(found)})")
            + "; give --season YYYY"
        )
    return check_season(int(found[0]), f"{path.name}: the season in the file name,")


@dataclass(frozen=True)
class CellError:
    """A cell holding a spreadsheet error (#N/A, #DIV/0!), which the reader gives as empty."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Sheet:
    """The first sheet's rows (1-based sheet row number and cells) and what the scan found."""

    rows: Iterator[tuple[int, list[object]]]
    others: list[SheetScan]


def read_rows(path: Path, limits: SheetLimits | None = None) -> Sheet:
    """The first sheet's rows, one at a time, as Python values (python-calamine, the sbr
    extra), once the workbook is checked within `limits` (sheets.check_workbook)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise MissingExtraError(EXTRA_HINT) from None
    first, *others = check_workbook(path, limits or SheetLimits())
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except Exception as error:  # calamine raises its own types for every kind of bad file
        raise ImportFileError(path, f"not an .xlsx spreadsheet: {error}") from None
    # calamine's rows start at the sheet's first row, its cells at the range's first column.
    left = sheet.start[1] if sheet.start else 0

    def rows() -> Iterator[tuple[int, list[object]]]:
        for index, row in enumerate(sheet.iter_rows()):
            number = index + 1
            cells: list[object] = [None] * left + list(row)
            for (error_row, column), text in first.error_cells.items():
                if error_row == number and column <= len(cells):
                    cells[column - 1] = CellError(text)
            yield number, cells

    return Sheet(rows(), [scan for scan in others if scan.has_values])


@dataclass(frozen=True)
class Columns:
    """Where each field is in this season's sheet; prices sit right of their line column."""

    index: dict[str, int]
    priced_separately: dict[str, bool]

    @classmethod
    def of(cls, path: Path, header: Sequence[object]) -> Columns:
        index: dict[str, int] = {}
        for i, name in enumerate(header):
            key = re.sub(r"\s+", "", str(name or "")).lower()
            if key in HEADER_NAMES and HEADER_NAMES[key] not in index:
                index[HEADER_NAMES[key]] = i
        missing = [n for n in ("date", "vh", "team", "final", "open", "close") if n not in index]
        if missing:
            raise ImportFileError(
                path,
                f"header: missing column(s) {', '.join(missing)} (an SBR archive sheet has Date,"
                " Rot, VH, Team, Pitcher, the innings, Final, Open, Close, ...)",
                line=1,
            )
        separately = {}
        for name in PRICED:
            if name in index:
                after = index[name] + 1
                separately[name] = after < len(header) and not str(header[after] or "").strip()
        return cls(index, separately)


@dataclass
class ArchiveRow:
    line: int
    cells: list[object]

    def raw(self) -> str:
        return ",".join("" if c is None else str(c) for c in self.cells)


@dataclass
class ArchiveGame:
    """One visitor/home pair: the game it names and the lines it quotes."""

    rows: tuple[ArchiveRow, ArchiveRow]
    official_date: dt.date
    away_team_id: int
    home_team_id: int
    away_score: int | None
    home_score: int | None
    lines: dict[LineKey, LineValue] = field(default_factory=dict)
    game_number: int = 1
    unreadable: list[str] = field(default_factory=list)
    """Line cells that could not be read: the line is left out, the game imported."""

    @property
    def natural_key(self) -> tuple[dt.date, int, int, int]:
        return (self.official_date, self.home_team_id, self.away_team_id, self.game_number)


def _cell(row: ArchiveRow, columns: Columns, name: str, header: Sequence[object]) -> object:
    i = columns.index.get(name)
    return None if i is None or i >= len(row.cells) else row.cells[i]


def _named(row: ArchiveRow, header: Sequence[object], i: int) -> str:
    title = str(header[i] or "").strip() if i < len(header) else ""
    return f"row {row.line} {title or f'column {i + 1}'}"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object, where: str) -> Decimal | None:
    """A cell as a number: None when empty or NL; ½ read as .5; FieldError when mistyped,
    not finite, an error cell, or not ASCII digits (checks.number)."""
    if _blank(value):
        return None
    if isinstance(value, CellError):
        raise FieldError(f"{where}: error cell {value.text} (the sheet's formula failed)")
    if isinstance(value, str) and value.strip().lower() in NO_LINE:
        return None
    try:
        return checks.number(value, where, halves=True)
    except FieldError:
        if isinstance(value, str):
            raise FieldError(f"{where}: {value!r} is not a number, NL or empty") from None
        raise


def _price(value: object, where: str) -> int | None:
    if _number(value, where) is None:
        return None
    return checks.american_price(value, where)


def _line(value: object, where: str) -> Decimal | None:
    number = _number(value, where)
    return None if number is None else checks.line(value, where, halves=True)


def _score(value: object, where: str) -> int | None:
    number = _number(value, where)
    if number is None:
        return None
    if number != number.to_integral_value() or not 0 <= number < 100:
        raise FieldError(f"{where}: {value!r} is not a final score")
    return int(number)


def _line_and_price(
    row: ArchiveRow, columns: Columns, header: Sequence[object], name: str
) -> tuple[Decimal | None, int | None]:
    i = columns.index.get(name)
    if i is None or i >= len(row.cells):
        return None, None
    where = _named(row, header, i)
    value = row.cells[i]
    if columns.priced_separately.get(name):
        line = _line(value, where)
        price_cell = row.cells[i + 1] if i + 1 < len(row.cells) else None
        price = _price(price_cell, f"{where} price")
        if (line is None) != (price is None):
            if line is None:
                return None, None  # a price for no line: nothing was offered
            raise FieldError(f"{where}: line {value!r} has no price")
        return line, price
    if _blank(value) or str(value).strip().lower() in NO_LINE:
        return None, None
    if isinstance(value, CellError):
        _number(value, where)
    combined = COMBINED_RUN_LINE.match(str(value))
    if not combined:
        raise FieldError(f"{where}: {value!r} is not a line with its price, e.g. -1.5(-104)")
    return _line(combined.group(1), where), _price(combined.group(2), where)


def _date(row: ArchiveRow, columns: Columns, header: Sequence[object], season: int) -> dt.date:
    value = _cell(row, columns, "date", header)
    where = _named(row, header, columns.index["date"])
    number = _number(value, where)
    if number is None or number != number.to_integral_value():
        raise FieldError(f"{where}: {value!r} is not a date as MMDD")
    month, day = divmod(int(number), 100)
    try:
        return dt.date(season, month, day)
    except ValueError:
        raise FieldError(f"{where}: {value!r} is not a date as MMDD in {season}") from None


def read_pair(
    away: ArchiveRow,
    home: ArchiveRow,
    columns: Columns,
    header: Sequence[object],
    season: int,
    clubs: Clubs,
) -> ArchiveGame:
    dates = {_date(row, columns, header, season) for row in (away, home)}
    if len(dates) != 1:
        raise FieldError(f"rows {away.line} and {home.line} are one game on two dates")
    team = columns.index["team"]
    away_id = clubs.by_code(_cell(away, columns, "team", header), _named(away, header, team))
    home_id = clubs.by_code(_cell(home, columns, "team", header), _named(home, header, team))
    if away_id == home_id:
        raise FieldError(f"rows {away.line} and {home.line}: the same club on both sides")
    final = columns.index["final"]
    away_score = _score(_cell(away, columns, "final", header), _named(away, header, final))
    home_score = _score(_cell(home, columns, "final", header), _named(home, header, final))
    if (away_score is None) != (home_score is None):
        raise FieldError(f"rows {away.line} and {home.line}: only one Final score")
    game = ArchiveGame((away, home), dates.pop(), away_id, home_id, away_score, home_score)
    for row, side, total_side in ((away, Side.AWAY, Side.OVER), (home, Side.HOME, Side.UNDER)):
        for name, moment in (("open", LineMoment.OPENING), ("close", LineMoment.CLOSING)):
            where = _named(row, header, columns.index[name])
            try:
                price = _price(_cell(row, columns, name, header), where)
            except FieldError as error:
                game.unreadable.append(str(error))
                continue
            if price is not None:
                game.lines[(Market.MONEYLINE, side, moment)] = (None, price)
        try:
            line, price = _line_and_price(row, columns, header, "run_line")
        except FieldError as error:
            game.unreadable.append(str(error))
        else:
            if price is not None:
                game.lines[(Market.RUN_LINE, side, LineMoment.CLOSING)] = (line, price)
        totals = (("open_total", LineMoment.OPENING), ("close_total", LineMoment.CLOSING))
        for name, moment in totals:
            try:
                line, price = _line_and_price(row, columns, header, name)
                if price is not None and (line is None or line <= 0):
                    where = _named(row, header, columns.index[name])
                    raise FieldError(f"{where}: {line} is not a total")
            except FieldError as error:
                game.unreadable.append(str(error))
                continue
            if price is not None:
                game.lines[(Market.TOTAL, total_side, moment)] = (line, price)
    return game


class ArchiveRejects(RejectsWriter):
    """Rejected rows as CSV: the sheet's header, then each row of a rejected pair with a reason
    (the shared RejectsWriter: never the input, written aside, renamed into place)."""

    def __init__(self, source: Path, path: Path, header: Sequence[object]) -> None:
        names = ["" if h is None else str(h) for h in header]
        super().__init__(source, path, header=lambda: csv_line(["line", *names, "reason"]))

    def write(self, rows: Sequence[ArchiveRow], reason: str) -> None:
        for row in rows:
            cells = ["" if c is None else str(c) for c in row.cells]
            self.write_line(csv_line([str(row.line), *cells, reason]))

    def close(self) -> None:
        self.finish()


def csv_line(cells: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def default_rejects_path(path: Path) -> Path:
    """mlb-odds-2019.xlsx -> mlb-odds-2019.rejects.csv"""
    return path.with_name(f"{path.stem}.rejects.csv")


def pair_rows(
    rows: Iterator[ArchiveRow], columns: Columns
) -> Iterator[tuple[ArchiveRow, ArchiveRow | None]]:
    """(away, home) pairs, or (row, None) for a row without its partner."""
    vh = columns.index["vh"]

    def mark(row: ArchiveRow) -> str:
        return str(row.cells[vh] if vh < len(row.cells) else "").strip().upper()

    first = next(rows, None)
    while first is not None:
        second = next(rows, None)
        if second is not None and (mark(first), mark(second)) in (("V", "H"), ("N", "N")):
            yield first, second
            first = next(rows, None)
        else:
            yield first, None
            first = second


class SeasonContradictionError(ImportFileError):
    """The file contradicts the stored season wholesale (another season's file?): nothing
    was written; ``force`` imports it anyway."""


async def import_sbr_archive(
    repository: UnifiedRepository,
    path: Path,
    *,
    season: int | None = None,
    rejects: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    force: bool = False,
    limits: SheetLimits | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import one season of SBR's archive; see the module docstring. `report`, when given, is
    counted into as the import goes (an interrupted import reads where it stopped from it)."""
    started = time.perf_counter()
    path = Path(path)
    year = season_of(path, season)
    rejects_path = Path(rejects) if rejects else default_rejects_path(path)
    sheet = read_rows(path, limits)
    header = next((cells for _, cells in sheet.rows if any(not _blank(c) for c in cells)), None)
    if header is None:
        raise ImportFileError(path, "the sheet is empty: no header row")
    columns = Columns.of(path, header)
    report = report if report is not None else ImportReport(path=path)
    rejects_file = ArchiveRejects(path, rejects_path, header)
    for other in sheet.others:
        report.warnings.append(
            Rejection(
                0,
                f"sheet {other.name!r} holds values and was not read: only the first sheet is"
                " imported (save each season in a file of its own)",
                "",
                where=f"sheet {other.name!r}",
            )
        )
    rows = (
        ArchiveRow(number, cells)
        for number, cells in sheet.rows
        if any(not _blank(c) for c in cells)
    )
    clubs = await Clubs.load(repository)

    def reject(pair: Sequence[ArchiveRow], reason: str) -> None:
        rejection = Rejection(pair[0].line, reason, "\n".join(r.raw() for r in pair))
        report.rejected.append(rejection)
        rejects_file.write(pair, reason)

    games: list[ArchiveGame] = []
    played: dict[tuple[dt.date, int, int], int] = {}
    with completing(report, rejects_file, started):
        for away, home in pair_rows(rows, columns):
            report.read += 1
            report.line = (home or away).line
            if on_progress is not None:
                on_progress(1)
            if home is None:
                mark = away.cells[columns.index["vh"]]
                reject(
                    [away],
                    f"row {away.line} (VH {mark!r}) has no partner row:"
                    " pairs are V then H, or N then N",
                )
                continue
            try:
                game = read_pair(away, home, columns, header, year, clubs)
            except FieldError as error:
                reject([away, home], str(error))
                continue
            slot = (game.official_date, game.home_team_id, game.away_team_id)
            game.game_number = played.get(slot, 0) + 1
            played[slot] = game.game_number
            if game.game_number > 2:
                reject(
                    [away, home],
                    f"rows {away.line} and {home.line}: a third game of the pair"
                    f" on {game.official_date}",
                )
                continue
            if game.unreadable:
                report.warnings.append(
                    Rejection(
                        away.line,
                        "imported without the line(s) of " + "; ".join(game.unreadable),
                        "\n".join(r.raw() for r in game.rows),
                    )
                )
            games.append(game)
        async with repository.transaction() as tx:
            await store(tx, games, year, report, reject=reject, force=force)
            report.in_doubt = report.imported + report.updated  # the COMMIT comes next
        report.committed, report.in_doubt = report.in_doubt, 0
    return report


def match_doubleheaders_by_score(
    games: list[ArchiveGame], by_key: dict[tuple[dt.date, int, int, int], Game]
) -> None:
    """The archive does not always list a doubleheader's games in their order (2021-04-13:
    Seattle at Baltimore's game 2 comes first): where the stored games' final scores say the
    two are the other way round, their game numbers are swapped."""
    pairs: dict[tuple[dt.date, int, int], list[ArchiveGame]] = {}
    for game in games:
        pairs.setdefault((game.official_date, game.home_team_id, game.away_team_id), []).append(
            game
        )
    for (day, home, away), pair in pairs.items():
        stored = [by_key.get((day, home, away, number)) for number in (1, 2)]
        if len(pair) != 2 or stored[0] is None or stored[1] is None:
            continue
        scores = [(g.away_score, g.home_score) for g in pair]
        kept = [(g.away_score, g.home_score) for g in stored]  # type: ignore[union-attr]
        if scores != kept and scores == kept[::-1] and scores[0] != scores[1]:
            pair[0].game_number, pair[1].game_number = 2, 1


def refuse_contradiction(
    games: list[ArchiveGame],
    stored: list[Game],
    by_key: dict[tuple[dt.date, int, int, int], Game],
    season: int,
    report: ImportReport,
) -> None:
    """Stop before writing when the file contradicts the stored season wholesale: most of its
    games on dates the season has games for are not stored, or most stored scores disagree."""
    dates = {g.official_date for g in stored}
    covered = [g for g in games if g.official_date in dates]
    new = sum(g.natural_key not in by_key for g in covered)
    scored = [
        (g, by_key[g.natural_key])
        for g in covered
        if g.natural_key in by_key
        and g.home_score is not None
        and by_key[g.natural_key].home_score is not None
    ]
    disagree = sum((g.away_score, g.home_score) != (s.away_score, s.home_score) for g, s in scored)
    problems = []
    if new >= CONTRADICTION_MINIMUM and new > CONTRADICTION_SHARE * len(covered):
        problems.append(
            f"{new:,} of its {len(covered):,} games on dates season {season} has stored games"
            " for are not among them"
        )
    if disagree >= CONTRADICTION_MINIMUM and disagree > CONTRADICTION_SHARE * len(scored):
        problems.append(f"{disagree:,} of {len(scored):,} final scores disagree with the stored")
    if problems:
        raise SeasonContradictionError(
            report.path,
            f"the file contradicts the stored season {season}: {'; '.join(problems)} (another"
            " season's file? check --season; --force imports it anyway)",
        )


async def store(
    tx: UnifiedRepository,
    games: list[ArchiveGame],
    season: int,
    report: ImportReport,
    *,
    reject: Callable[[Sequence[ArchiveRow], str], None] | None = None,
    force: bool = False,
) -> None:
    book = await tx.sportsbooks.get_sportsbook_by_key(key=ARCHIVE_BOOK)
    if book is None:
        raise ImportFileError(report.path, f"no sportsbook {ARCHIVE_BOOK!r}: run betdb migrate")
    stored = await tx.games.find_games_by_date_range(
        start_date=dt.date(season, 1, 1), end_date=dt.date(season, 12, 31), status=None
    )
    by_key: dict[tuple[dt.date, int, int, int], Game] = {
        (g.official_date, g.home_team_id, g.away_team_id, g.game_number): g for g in stored
    }
    match_doubleheaders_by_score(games, by_key)
    if not force:
        refuse_contradiction(games, stored, by_key, season, report)
    kept = []
    for game in games:
        known = by_key.get(game.natural_key)
        if (
            known is not None
            and game.home_score is not None
            and known.home_score is not None
            and (known.away_score, known.home_score) != (game.away_score, game.home_score)
        ):
            # Another game's score: its lines are another game's too, and are not stored.
            reason = (
                f"rows {game.rows[0].line} and {game.rows[1].line}: final score"
                f" {game.away_score}-{game.home_score} contradicts the stored"
                f" {known.away_score}-{known.home_score} of game {known.game_id}: nothing of"
                " the pair is imported"
            )
            if reject is None:
                raise FieldError(reason)
            reject(game.rows, reason)
            continue
        kept.append(game)
    games = kept
    missing = [g for g in games if g.natural_key not in by_key]
    created: dict[tuple[dt.date, int, int, int], int] = {}
    if missing:
        rows = await tx.games.insert_unidentified_games(
            InsertUnidentifiedGamesParams(
                official_dates=[g.official_date for g in missing],
                home_team_ids=[g.home_team_id for g in missing],
                away_team_ids=[g.away_team_id for g in missing],
                game_numbers=[g.game_number for g in missing],
                seasons=[season] * len(missing),
                home_scores=[g.home_score for g in missing],
                away_scores=[g.away_score for g in missing],
                source=DataSource.SBR,
            )
        )
        created = {
            (r.official_date, r.home_team_id, r.away_team_id, r.game_number): r.game_id
            for r in rows
        }
        report.games_created += len(created)
    game_ids = {
        g.natural_key: by_key[g.natural_key].game_id for g in games if g.natural_key in by_key
    }
    game_ids.update(created)
    known_lines: dict[int, dict[LineKey, LineValue]] = {}
    for line in await tx.lines.list_untimed_lines(
        game_ids=list(game_ids.values()), sportsbook_id=book.sportsbook_id
    ):
        known_lines.setdefault(line.game_id, {})[(line.market, line.side, line.moment)] = (
            line.line,
            line.price,
        )
    fills: list[tuple[int, int, int]] = []
    changed_lines: list[tuple[int, LineKey, LineValue]] = []
    for game in games:
        game_id = game_ids[game.natural_key]
        stored_game = by_key.get(game.natural_key)
        score_filled = False
        if (
            stored_game is not None
            and game.home_score is not None
            and stored_game.home_score is None
        ):
            assert game.away_score is not None  # paired with home_score by read_pair
            fills.append((game_id, game.home_score, game.away_score))
            score_filled = True
        before = known_lines.get(game_id, {})
        changes = [
            (game_id, key, value) for key, value in game.lines.items() if before.get(key) != value
        ]
        changed_lines += changes
        if game.natural_key in created or (not before and changes):
            report.imported += 1
        elif changes or score_filled:
            report.updated += 1
        else:
            report.unchanged += 1
    if fills:
        await tx.games.fill_game_scores(
            game_ids=[f[0] for f in fills],
            home_scores=[f[1] for f in fills],
            away_scores=[f[2] for f in fills],
        )
    # Batches keep each statement's arrays short: a subscript reads its array anew.
    for start in range(0, len(changed_lines), BATCH):
        batch = changed_lines[start : start + BATCH]
        await tx.lines.upsert_untimed_lines(
            UpsertUntimedLinesParams(
                game_ids=[c[0] for c in batch],
                sportsbook_id=book.sportsbook_id,
                markets=[c[1][0] for c in batch],
                sides=[c[1][1] for c in batch],
                moments=[c[1][2] for c in batch],
                lines=[c[2][0] for c in batch],
                prices=[c[2][1] for c in batch],
                source=DataSource.SBR,
            )
        )
