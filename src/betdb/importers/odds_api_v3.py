"""The Odds API v3 responses (before 2021), read as the v4 events odds_api imports.

v3 wraps its games as ``{"success", "data": [...]}``; a game has ``teams`` (two full club names,
alphabetical, not home first), ``home_team`` naming which of them is home,
``commence_time`` in unix seconds and ``sites[]`` (``site_key``, ``site_nice``, ``last_update``
in unix seconds) whose ``odds`` hold, per market, prices in the order of ``teams``: ``h2h`` a
list of prices, ``spreads`` ``{"odds", "points"}``, ``totals`` ``{"odds", "points",
"position"}``, and ``h2h_lay`` (an exchange's lay prices, skipped and counted). Some books list
a third ``h2h`` price, the draw of sports that have one (1.0: none offered): a baseball game has
no draw, so it is left out. v3 games carry no event id: they are found by clubs, date and first
pitch like any game an odds feed names without one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

V3_PROBLEM = "_v3_problem"
"""Set on a converted game that cannot be one: the reason its records are rejected for."""
V3_WHERE = "_v3_where"
"""Where a converted game or market stands in the v3 file, for its rejections."""


def located(record: object, where: str) -> str:
    """A record's place in its file: the v3 one for a converted record, else `where`."""
    if isinstance(record, Mapping) and isinstance(record.get(V3_WHERE), str):
        return str(record[V3_WHERE])
    return where


class ApiVersion(StrEnum):
    V3 = "v3"
    V4 = "v4"


def detect_version(document: object) -> ApiVersion:
    """v3 when the games of a ``data`` wrapper (or a bare list) carry ``sites``/``teams``."""
    games = document.get("data") if isinstance(document, Mapping) else document
    if isinstance(games, list) and any(is_v3_game(g) for g in games):
        return ApiVersion.V3
    return ApiVersion.V4


def is_v3_game(game: object) -> bool:
    """A game of v3's shape: ``sites``/``teams`` where v4 has ``bookmakers``."""
    return (
        isinstance(game, Mapping)
        and ("sites" in game or "teams" in game)
        and ("bookmakers" not in game)
    )


def as_v4(game: object, i: int, api_version: ApiVersion | None) -> object:
    """The i-th game of a response as a v4 event: converted when it is v3 (forced, or by its
    shape), else as it is."""
    v3 = api_version is ApiVersion.V3 or (api_version is None and is_v3_game(game))
    return v4_event(game, f"data[{i}]") if v3 else game


def iso(value: object) -> object:
    """Unix seconds as an ISO 8601 UTC time; anything else as it was (the reader names it)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return value
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):
        return value


def v4_event(game: object, where: str) -> object:
    if not isinstance(game, Mapping):
        return game
    teams = game.get("teams")
    home = game.get("home_team")
    event: dict[str, Any] = {
        "id": None,
        "v3": True,
        "commence_time": iso(game.get("commence_time")),
        "home_team": home,
        "away_team": None,
        "bookmakers": [],
        V3_WHERE: where,
    }
    if not isinstance(teams, list) or len(teams) != 2 or home not in teams:
        event[V3_PROBLEM] = f"teams {teams!r} are not two clubs of which home_team {home!r} is one"
        return event
    event["away_team"] = teams[1] if teams[0] == home else teams[0]
    sites = game.get("sites")
    for j, site in enumerate(sites if isinstance(sites, list) else []):
        if not isinstance(site, Mapping):
            event["bookmakers"].append(site)
            continue
        odds = site.get("odds")
        event["bookmakers"].append(
            {
                "key": site.get("site_key"),
                "title": site.get("site_nice"),
                "last_update": iso(site.get("last_update")),
                "markets": [
                    {
                        "key": key,
                        "outcomes": outcomes(key, prices, teams),
                        V3_WHERE: f"{where}.sites[{j}].odds.{key}",
                    }
                    for key, prices in (odds.items() if isinstance(odds, Mapping) else [])
                ],
            }
        )
    return event


def outcomes(key: str, prices: object, teams: list[Any]) -> list[object]:
    """A v3 market's prices as v4 outcomes, by position in ``teams`` (or ``position``)."""
    if key == "h2h" and isinstance(prices, list):
        return [{"name": team, "price": price} for team, price in zip(teams, prices, strict=False)]
    if key not in ("spreads", "totals") or not isinstance(prices, Mapping):
        return []
    odds, points = prices.get("odds"), prices.get("points")
    if not isinstance(odds, list) or not isinstance(points, list):
        return []
    names: list[Any] = teams
    if key == "totals":
        position = prices.get("position")
        names = [str(p).capitalize() for p in position] if isinstance(position, list) else []
    return [
        {"name": name, "price": price, "point": number(point)}
        for name, price, point in zip(names, odds, points, strict=False)
    ]


def number(point: object) -> object:
    """v3 writes points as strings ("-1.5"); a number as a number, else as it was."""
    if isinstance(point, str):
        try:
            value = float(point)
        except ValueError:
            return point
        return value if math.isfinite(value) else point
    return point
