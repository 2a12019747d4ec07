"""The fuzz harness's invariants on the two game-feed formats: the Stats API's feed/live and the
legacy gd2 scoreboard, built from the recorded files, mutated in their values, structure and
bytes, and imported through `betdb import game-feed|gd2-scoreboard`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from .conftest import FUZZ
from .test_import_files import (  # the harness's fixtures and invariants, shared
    byte_mutations,
    import_holds_its_invariants,
    json_text,
    mutated_records,
    runner,
    seeded,
)

__all__ = ["runner", "seeded"]  # fixtures this module uses, imported from the harness

REAL = Path(__file__).parents[1] / "data" / "real"
SCOREBOARD_GAMES: list[dict[str, Any]] = json.loads(
    (REAL / "mlb-gd2" / "2017-05-21-master-scoreboard.json").read_text()
)["data"]["games"]["game"]
_FEED = json.loads((REAL / "mlb-feed-live" / "2024-07-01-744914-final.json").read_text())
# The parts of feed/live betdb reads (the recorded one carries every play too: 700 kB).
FEED: dict[str, Any] = {
    "gamePk": _FEED["gamePk"],
    "link": _FEED["link"],
    "metaData": _FEED["metaData"],
    "gameData": {
        "game": _FEED["gameData"]["game"],
        "datetime": _FEED["gameData"]["datetime"],
        "status": _FEED["gameData"]["status"],
        "teams": {
            side: {"id": team["id"], "name": team["name"]}
            for side, team in _FEED["gameData"]["teams"].items()
        },
        "venue": {"id": 14, "name": "Rogers Centre"},
    },
    "liveData": {"linescore": {"teams": _FEED["liveData"]["linescore"]["teams"]}},
}


def holds(runner: CliRunner, database_url: str, command: list[str]) -> None:
    rejects = Path(command[1]).with_name("rejected.jsonl")
    command = [*command, "--rejects", str(rejects)]
    import_holds_its_invariants(runner, database_url, command, "games", rejects)


def test_a_mutated_gd2_scoreboard_never_breaks_the_import_invariants(
    runner: CliRunner, seeded: str, tmp_path: Path
) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        picked = data.draw(st.lists(st.sampled_from(SCOREBOARD_GAMES), min_size=1, max_size=4))
        games, raws = data.draw(mutated_records(copy.deepcopy(picked)))
        listed: Any = games[0] if len(games) == 1 and data.draw(st.booleans()) else games
        document: Any = {"data": {"games": {"year": "2017", "month": "05", "day": "21",
                                            "game": listed}}}  # fmt: skip
        shape = data.draw(st.integers(0, 7))
        if shape == 0:
            document = {"data": {"games": games}}
        elif shape == 1:
            document["data"]["games"]["day"] = "32"
        content = data.draw(byte_mutations(json_text(document, raws).encode()))
        path = tmp_path / "scoreboard.json"
        path.write_bytes(content)
        holds(runner, seeded, ["gd2-scoreboard", str(path)])

    run()


def test_a_mutated_game_feed_never_breaks_the_import_invariants(
    runner: CliRunner, seeded: str, tmp_path: Path
) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        feeds = [copy.deepcopy(FEED) for _ in range(data.draw(st.integers(1, 3)))]
        feeds, raws = data.draw(mutated_records(feeds))
        document: Any = feeds if len(feeds) > 1 or data.draw(st.booleans()) else feeds[0]
        content = data.draw(byte_mutations(json_text(document, raws).encode()))
        path = tmp_path / "feed.json"
        path.write_bytes(content)
        holds(runner, seeded, ["game-feed", str(path)])

    run()
