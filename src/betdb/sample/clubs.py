"""The 30 clubs as the sample needs them: Stats API ids, home park, clock, rough strength."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Club:
    team_id: int
    code: str
    name: str
    venue_id: int
    venue: str
    utc_offset: int
    """Hours from UTC of the home park in June (daylight time; Arizona keeps standard time)."""
    strength: float
    """A rough 2025 win share, for prices that favour the better club."""
    park_runs: float
    """Runs a game at the home park averages, for believable totals."""

    @property
    def clock(self) -> dt.timezone:
        return dt.timezone(dt.timedelta(hours=self.utc_offset))


# Venue ids are the Stats API's; 2025 parks (the Athletics in Sacramento, the Rays in Tampa).
CLUBS = {
    club.code: club
    for club in (
        Club(108, "LAA", "Los Angeles Angels", 1, "Angel Stadium", -7, 0.47, 8.9),
        Club(109, "AZ", "Arizona Diamondbacks", 15, "Chase Field", -7, 0.50, 9.1),
        Club(110, "BAL", "Baltimore Orioles", 2, "Oriole Park at Camden Yards", -4, 0.46, 8.7),
        Club(111, "BOS", "Boston Red Sox", 3, "Fenway Park", -4, 0.52, 9.3),
        Club(112, "CHC", "Chicago Cubs", 17, "Wrigley Field", -5, 0.57, 8.6),
        Club(113, "CIN", "Cincinnati Reds", 2602, "Great American Ball Park", -4, 0.51, 9.4),
        Club(114, "CLE", "Cleveland Guardians", 5, "Progressive Field", -4, 0.50, 8.2),
        Club(115, "COL", "Colorado Rockies", 19, "Coors Field", -6, 0.28, 11.4),
        Club(116, "DET", "Detroit Tigers", 2394, "Comerica Park", -4, 0.58, 8.1),
        Club(117, "HOU", "Houston Astros", 2392, "Daikin Park", -5, 0.55, 8.4),
        Club(118, "KC", "Kansas City Royals", 7, "Kauffman Stadium", -5, 0.49, 8.5),
        Club(119, "LAD", "Los Angeles Dodgers", 22, "Dodger Stadium", -7, 0.60, 8.8),
        Club(120, "WSH", "Washington Nationals", 3309, "Nationals Park", -4, 0.43, 9.0),
        Club(121, "NYM", "New York Mets", 3289, "Citi Field", -4, 0.55, 8.2),
        Club(133, "ATH", "Athletics", 2529, "Sutter Health Park", -7, 0.45, 9.8),
        Club(134, "PIT", "Pittsburgh Pirates", 31, "PNC Park", -4, 0.43, 7.9),
        Club(135, "SD", "San Diego Padres", 2680, "Petco Park", -7, 0.54, 7.9),
        Club(136, "SEA", "Seattle Mariners", 680, "T-Mobile Park", -7, 0.53, 7.6),
        Club(137, "SF", "San Francisco Giants", 2395, "Oracle Park", -7, 0.52, 7.7),
        Club(138, "STL", "St. Louis Cardinals", 2889, "Busch Stadium", -5, 0.51, 8.5),
        Club(139, "TB", "Tampa Bay Rays", 2523, "George M. Steinbrenner Field", -4, 0.52, 9.5),
        Club(140, "TEX", "Texas Rangers", 5325, "Globe Life Field", -5, 0.50, 8.3),
        Club(141, "TOR", "Toronto Blue Jays", 14, "Rogers Centre", -4, 0.55, 8.6),
        Club(142, "MIN", "Minnesota Twins", 3312, "Target Field", -5, 0.48, 8.5),
        Club(143, "PHI", "Philadelphia Phillies", 2681, "Citizens Bank Park", -4, 0.57, 9.0),
        Club(144, "ATL", "Atlanta Braves", 4705, "Truist Park", -4, 0.49, 8.7),
        Club(145, "CWS", "Chicago White Sox", 4, "Rate Field", -5, 0.38, 8.6),
        Club(146, "MIA", "Miami Marlins", 4169, "loanDepot park", -4, 0.46, 8.0),
        Club(147, "NYY", "New York Yankees", 3313, "Yankee Stadium", -4, 0.57, 8.9),
        Club(158, "MIL", "Milwaukee Brewers", 32, "American Family Field", -5, 0.56, 8.4),
    )
}
